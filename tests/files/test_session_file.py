"""Session files without Qt: exact round trips, atomic saves, and every kind of bad file refused."""

import dataclasses
import errno
import json
import os

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.files import FORMAT_VERSION, SessionData, SessionFileError, load_session, save_session
from backprop_gui.files import atomic as atomic_module


def make_session(rows=((80, 8, 5), (60, 5, 3), (110, 7, 8)), hidden=(2,), history=None) -> SessionData:
    values = np.array(rows, dtype=float).reshape(-1, 3)
    settings = TrainingSettings(
        learning_rate=0.0123456789, epochs=777, init="xavier", seed=42, scaling="none", order="sequential",
        mode="minibatch", batch_size=3, hidden_layers=hidden,
    )
    initial = settings.build_network(2)
    trained = initial.copy()
    rng = np.random.default_rng(7)
    for p in trained.weights + trained.biases:
        p += rng.normal(0, 1 / 3, p.shape)
    w, b = trained.get_parameters()
    w0, b0 = initial.get_parameters()
    if history is None:
        history = np.cumsum(rng.random(500))[::-1] / 7
    return SessionData(["IQ", "CGPA", "Package (LPA) €"], values, settings, initial.layer_sizes, w, b, w0, b0, np.asarray(history, float))


def assert_same(a: SessionData, b: SessionData) -> None:
    assert a.column_names == b.column_names
    assert np.array_equal(a.values, b.values) and a.values.shape == b.values.shape
    assert a.settings == b.settings
    assert a.layer_sizes == b.layer_sizes
    for x, y in zip(a.weights + a.biases + a.initial_weights + a.initial_biases, b.weights + b.biases + b.initial_weights + b.initial_biases):
        assert x.shape == y.shape and np.array_equal(x, y)  # bit for bit
    assert np.array_equal(a.loss_history, b.loss_history)


# -- round trips --------------------------------------------------------------
def test_round_trip_restores_table_settings_weights_and_history_exactly(tmp_path):
    data = make_session()
    path = tmp_path / "lesson.bpsession"
    save_session(path, data)
    assert_same(load_session(path), data)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "backprop-gui-session" and document["version"] == FORMAT_VERSION


def test_round_trip_of_an_empty_table_and_history(tmp_path):
    data = make_session(rows=(), history=[])
    save_session(tmp_path / "empty.bpsession", data)
    loaded = load_session(tmp_path / "empty.bpsession")
    assert loaded.values.shape == (0, 3) and loaded.loss_history.size == 0


def test_round_trip_of_a_deeper_network(tmp_path):
    data = make_session(hidden=(3, 4))
    save_session(tmp_path / "deep.bpsession", data)
    loaded = load_session(tmp_path / "deep.bpsession")
    assert loaded.layer_sizes == [2, 3, 4, 1]
    assert_same(loaded, data)


def test_saving_again_replaces_the_file(tmp_path):
    path = tmp_path / "lesson.bpsession"
    save_session(path, make_session())
    save_session(path, make_session(rows=((1, 2, 3),)))
    assert load_session(path).values.tolist() == [[1, 2, 3]]
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.bpsession"]


# -- atomic saves ---------------------------------------------------------------
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "lesson.bpsession"
    save_session(path, make_session())
    before = path.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        save_session(path, make_session(rows=((1, 2, 3),)))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.bpsession"]


def test_a_failed_rename_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lesson.bpsession"
    save_session(path, make_session())
    before = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_session(path, make_session(rows=((1, 2, 3),)))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.bpsession"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_keeps_the_old_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "lesson.bpsession"
    save_session(path, make_session())
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            save_session(path, make_session(rows=((1, 2, 3),)))
        assert path.read_bytes() == before
        assert [p.name for p in folder.iterdir()] == ["lesson.bpsession"]
    finally:
        folder.chmod(0o755)


def test_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        save_session(tmp_path / "no" / "such" / "lesson.bpsession", make_session())


def test_saving_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "lesson.bpsession"
    save_session(path, make_session())
    path.chmod(0o640)
    save_session(path, make_session())
    assert path.stat().st_mode & 0o777 == 0o640


def test_data_that_could_not_be_read_back_is_never_written(tmp_path):
    path = tmp_path / "lesson.bpsession"
    save_session(path, make_session())
    before = path.read_bytes()
    with pytest.raises(SessionFileError, match="finite"):
        save_session(path, make_session(history=[1.0, float("nan")]))
    assert path.read_bytes() == before


def test_inconsistent_data_is_refused_in_memory():
    data = make_session()
    with pytest.raises(ValueError):
        SessionData(data.column_names, data.values, data.settings, [2, 3, 1], data.weights, data.biases,
                    data.initial_weights, data.initial_biases, data.loss_history)


# -- bad files are refused with a clear message ------------------------------------
def saved_document(tmp_path) -> dict:
    path = tmp_path / "good.bpsession"
    save_session(path, make_session())
    return json.loads(path.read_text(encoding="utf-8"))


def refused(tmp_path, content) -> str:
    path = tmp_path / "bad.bpsession"
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    with pytest.raises(SessionFileError) as caught:
        load_session(path)
    message = str(caught.value)
    assert "bad.bpsession" in message
    assert "Traceback" not in message
    return message


def test_truncated_file_is_refused(tmp_path):
    save_session(tmp_path / "good.bpsession", make_session())
    text = (tmp_path / "good.bpsession").read_text(encoding="utf-8")
    message = refused(tmp_path, text[: len(text) // 2])
    assert "damaged or cut short" in message and "line" in message


def test_binary_junk_is_refused(tmp_path):
    junk = bytes(np.random.default_rng(3).integers(0, 256, 2048, dtype=np.uint8))
    assert "not a Backprop GUI session" in refused(tmp_path, junk)


def test_empty_file_is_refused(tmp_path):
    assert "empty" in refused(tmp_path, "")


@pytest.mark.parametrize("document", [{"hello": "world"}, [1, 2, 3], {"format": "other-app", "version": 1}, "just text"])
def test_foreign_json_is_refused(tmp_path, document):
    content = document if isinstance(document, (dict, str)) else json.dumps(document)
    assert "not a Backprop GUI session" in refused(tmp_path, content)


def test_a_csv_file_is_not_a_session(tmp_path):
    assert "not a Backprop GUI session" in refused(tmp_path, "IQ,CGPA,Package\n80,8,5\n")


def test_newer_version_is_refused_and_says_so(tmp_path):
    document = saved_document(tmp_path)
    document["version"] = FORMAT_VERSION + 1
    document["app_version"] = "9.0"
    message = refused(tmp_path, document)
    assert "newer version" in message and "9.0" in message


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_a_version_that_is_not_a_positive_integer_is_refused(tmp_path, version):
    document = saved_document(tmp_path)
    document["version"] = version
    assert "version" in refused(tmp_path, document)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused(tmp_path, constant):
    text = json.dumps(saved_document(tmp_path)).replace('"loss_history": [', f'"loss_history": [{constant}, ', 1)
    assert "finite" in refused(tmp_path, text)


def test_duplicate_keys_are_refused(tmp_path):
    text = json.dumps(saved_document(tmp_path)).replace(f'"version": {FORMAT_VERSION},', f'"version": {FORMAT_VERSION}, "version": 1,', 1)
    assert "twice" in refused(tmp_path, text)


def break_table_value(d):
    d["table"]["rows"][1][2] = "3"


def break_table_width(d):
    d["table"]["rows"][1] = [60, 5]


def bool_in_weights(d):
    d["network"]["weights"][0][0][0] = True


def wrong_weight_shape(d):
    d["network"]["weights"][1] = [[1.0, 2.0]]


def wrong_initial_bias_length(d):
    d["network"]["initial_biases"][0] = [0.0]


def missing_layer(d):
    d["network"]["biases"] = d["network"]["biases"][:1]


def inputs_do_not_match_table(d):
    d["network"]["layer_sizes"] = [3, 2, 1]


def hidden_do_not_match_settings(d):
    d["settings"]["hidden_layers"] = [3]


def unknown_setting(d):
    d["settings"]["dropout"] = 0.5


def wrong_kind_of_setting(d):
    d["settings"]["learning_rate"] = "0.1"


def bool_epochs(d):
    d["settings"]["epochs"] = True


def refused_setting_value(d):
    d["settings"]["learning_rate"] = -1


def unknown_choice(d):
    d["settings"]["init"] = "os.system('rm -rf /')"


def one_column(d):
    d["table"]["column_names"] = ["Package"]


def empty_column_name(d):
    d["table"]["column_names"][0] = " "


def missing_part(d):
    del d["network"]


def unknown_part(d):
    d["extra"] = {}


def history_of_text(d):
    d["loss_history"] = ["1.0"]


def table_not_an_object(d):
    d["table"] = [[1, 2, 3]]


def huge_integer(d):
    d["table"]["rows"][0][0] = 10**400


@pytest.mark.parametrize(
    "damage",
    [
        break_table_value, break_table_width, bool_in_weights, wrong_weight_shape, wrong_initial_bias_length,
        missing_layer, inputs_do_not_match_table, hidden_do_not_match_settings, unknown_setting,
        wrong_kind_of_setting, bool_epochs, unknown_choice, one_column, empty_column_name,
        missing_part, unknown_part, history_of_text, table_not_an_object,
    ],
)
def test_damaged_parts_are_refused_with_a_message(tmp_path, damage):
    document = saved_document(tmp_path)
    damage(document)
    message = refused(tmp_path, document)
    # One line that names the field (a path such as "network.weights[1]") and the reason.
    assert "cannot be opened: " in message and "\n" not in message
    field = message.split("cannot be opened: ")[1].split(":")[0]
    assert field.split(".")[0].split("[")[0] in {"table", "network", "settings", "loss_history", "extra"}


def test_a_version_1_file_without_the_settings_added_since_reads_with_defaults(tmp_path):
    document = saved_document(tmp_path)
    document["version"] = 1
    for key in ("optimizer", "patience", "l2"):
        del document["settings"][key]
    for key in ("app_version", "validation_loss_history", "optimizer_state", "kept_runs"):
        del document[key]
    path = tmp_path / "old.bpsession"
    path.write_text(json.dumps(document), encoding="utf-8")
    settings = load_session(path).settings
    assert (settings.optimizer, settings.patience, settings.l2) == ("sgd", 0, 0.0)


@pytest.mark.parametrize("key", ["loss", "optimizer", "learning_rate"])
def test_a_setting_missing_from_a_current_file_is_refused(tmp_path, key):
    document = saved_document(tmp_path)
    del document["settings"][key]
    assert f"settings.{key}: is missing" in refused(tmp_path, document)


def test_a_setting_of_version_1_missing_from_a_version_1_file_is_refused(tmp_path):
    document = saved_document(tmp_path)
    document["version"] = 1
    del document["settings"]["loss"]  # loss was a setting of format 1 from the start
    assert "settings.loss: is missing" in refused(tmp_path, document)


def test_a_missing_file_is_a_session_error(tmp_path):
    with pytest.raises(SessionFileError, match="Cannot read"):
        load_session(tmp_path / "gone.bpsession")


def test_deep_nesting_is_refused_not_crashed(tmp_path):
    message = refused(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "cannot be opened" in message or "not a Backprop GUI session" in message


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.bpsession"
    path.write_text(" " * 2000)
    with pytest.raises(SessionFileError, match="is 2,000 bytes, more than 1,000 bytes, the most"):
        load_session(path, max_bytes=1000)


# -- activations ----------------------------------------------------------------------
def test_one_activation_per_hidden_layer_round_trips(tmp_path):
    data = make_session(hidden=(3, 4))
    data = dataclasses.replace(data, settings=data.settings.replace(hidden_activation="gelu", hidden_activations=("elu", "silu")))
    path = tmp_path / "layers.bpsession"
    save_session(path, data)
    loaded = load_session(path)
    assert_same(loaded, data)
    assert loaded.settings.hidden_activation_names == ["elu", "silu"]
    assert json.loads(path.read_text(encoding="utf-8"))["settings"]["hidden_activations"] == ["elu", "silu"]


@pytest.mark.parametrize(
    "key, value",
    [("hidden_activation", "mish"), ("output_activation", "swish"), ("hidden_activations", ["mish"]), ("hidden_activations", [3])],
)
def test_an_activation_this_version_does_not_know_is_refused_by_name(tmp_path, key, value):
    document = saved_document(tmp_path)
    document["settings"][key] = value
    message = refused(tmp_path, document)
    assert f"cannot be opened: settings.{key}" in message
    assert str(value[0] if isinstance(value, list) else value) in message


def test_frozen_parameters_round_trip_and_one_the_network_lacks_is_refused(tmp_path):
    data = make_session(hidden=(3, 4))
    data = dataclasses.replace(data, settings=data.settings.replace(frozen=("w²₃₄", "b₃₁")))
    path = tmp_path / "frozen.bpsession"
    save_session(path, data)
    assert load_session(path).settings.frozen == ("b₃₁", "w²₃₄")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["settings"]["frozen"] = ["w⁴₁₁"]
    message = refused(tmp_path, document)
    assert "cannot be opened: settings.frozen" in message and "'w⁴₁₁'" in message
