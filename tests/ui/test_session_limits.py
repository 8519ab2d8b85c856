"""Issue 12, defects 8, 9 and 11: session values out of range or too large are refused with a
message naming the field and its range, nothing changes, and the messages read plainly."""

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.engine.limits import MAX_MAGNITUDE
from backprop_gui.engine.scaling import Standardizer
from backprop_gui.engine.targets import classification_problem
from backprop_gui.files import FORMAT_VERSION, SessionData, SessionFileError, load_session, save_session


def good_session() -> SessionData:
    settings = TrainingSettings()
    network = settings.build_network(2)
    w, b = network.get_parameters()
    values = np.array([[80.0, 8.0, 5.0], [60.0, 5.0, 3.0], [110.0, 7.0, 8.0]])
    return SessionData(["IQ", "CGPA", "Package"], values, settings, network.layer_sizes, w, b, w, b, np.array([2.0, 1.0]))


def write(tmp_path, change, name="bad.bpsession"):
    path = tmp_path / "good.bpsession"
    save_session(path, good_session())
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    bad = tmp_path / name
    # json.dumps writes 1e15 as 1000000000000000.0 and 2**70 as an integer, as a file would hold them
    bad.write_text(json.dumps(document), encoding="utf-8")
    return bad


def refusal(path) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow RuntimeWarning on the way
        with pytest.raises(SessionFileError) as caught:
            load_session(path)
    return str(caught.value)


def setting(key, value):
    return lambda d: d["settings"].__setitem__(key, value)


# -- defect 8 --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "range_text"),
    [
        ("epochs", 1e15, "from 1 to 10,000,000"),
        ("epochs", 10**15, "from 1 to 10,000,000"),
        ("epochs", 3e9, "from 1 to 10,000,000"),
        ("epochs", 3_000_000_000, "from 1 to 10,000,000"),
        ("epochs", 0, "from 1 to 10,000,000"),
        ("epochs", 12.5, "whole number"),
        ("epochs", 100.0, "whole number"),
        ("seed", 2**70, "from 0 to 2,147,483,647"),
        ("seed", -1, "from 0 to 2,147,483,647"),
        ("seed", 1.5, "whole number"),
        ("batch_size", 1e12, "from 1 to 100,000"),
        ("batch_size", 10**12, "from 1 to 100,000"),
        ("learning_rate", 1e9, "from 1e−06 to 10"),
        ("learning_rate", 1e-9, "from 1e−06 to 10"),
        ("convergence_tolerance", 0, "from 1e−12 to 1"),
        ("convergence_tolerance", 5, "from 1e−12 to 1"),
    ],
)
def test_a_setting_out_of_the_forms_range_is_refused_naming_field_and_range(tmp_path, key, value, range_text):
    message = refusal(write(tmp_path, setting(key, value)))
    assert f"settings.{key}: " in message and range_text in message, message
    assert message.startswith("bad.bpsession cannot be opened") and "\n" not in message


@pytest.mark.parametrize(
    "bad",
    [
        {"epochs": 10**15},
        {"epochs": 3e9},
        {"seed": 2**70},
        {"batch_size": 10**12},
        {"learning_rate": 1e9},
        {"learning_rate": float("nan")},
        {"epochs": 3.0},
        {"seed": True},
        {"convergence_tolerance": 0.0},
    ],
)
def test_training_settings_check_every_number_against_the_limits(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        TrainingSettings(**bad)


def test_training_settings_accept_the_ends_of_every_range():
    s = TrainingSettings(
        learning_rate=1e-6, epochs=10_000_000, seed=2**31 - 1, batch_size=100_000, convergence_tolerance=1e-12
    )
    assert type(s.epochs) is int and type(s.learning_rate) is float
    TrainingSettings(learning_rate=10, epochs=1, seed=0, batch_size=1, convergence_tolerance=1)


def test_an_out_of_range_session_changes_nothing_in_the_window(window, tmp_path, message_boxes):
    window.controls.epochs.setValue(1234)
    before = window.lesson.settings
    weights = [w.copy() for w in window.lesson.network.weights]

    assert window.document.open_session(write(tmp_path, setting("epochs", 1e15))) is False

    assert window.lesson.settings == before
    assert window.controls.epochs.value() == 1234
    assert all(np.array_equal(a, b) for a, b in zip(weights, window.lesson.network.weights))
    assert "settings.epochs" in message_boxes[-1][2] and "10,000,000" in message_boxes[-1][2]


def run_app(*args, home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    return subprocess.run(
        [sys.executable, "-m", "backprop_gui", *map(str, args)], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize(("key", "value"), [("epochs", 1e15), ("seed", 2**70), ("batch_size", 1e12), ("learning_rate", 1e9)])
def test_screenshot_of_an_out_of_range_session_exits_2_with_one_line(tmp_path, key, value):
    path = write(tmp_path, setting(key, value))
    result = run_app("--screenshot", tmp_path / "out.png", path, home=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-gui: bad.bpsession cannot be opened"), result.stderr
    assert f"settings.{key}" in lines[0]
    assert not (tmp_path / "out.png").exists()


# -- defect 9 --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("network.weights[0][0][0]", lambda d: d["network"]["weights"][0][0].__setitem__(0, 1e308)),
        ("network.biases[1][0]", lambda d: d["network"]["biases"][1].__setitem__(0, -1e101)),
        ("network.initial_weights[1][1][0]", lambda d: d["network"]["initial_weights"][1][1].__setitem__(0, 1e200)),
        ("table.rows[1][0]", lambda d: d["table"]["rows"][1].__setitem__(0, 1e308)),
        ("table.rows[0][2]", lambda d: d["table"]["rows"][0].__setitem__(2, 10**400)),
    ],
)
def test_a_value_beyond_max_magnitude_is_refused_without_an_overflow_warning(tmp_path, where, change):
    message = refusal(write(tmp_path, change))
    assert where in message and "1e+100" in message, message


def test_a_value_of_exactly_max_magnitude_loads(tmp_path):
    path = write(tmp_path, lambda d: d["network"]["weights"][0][0].__setitem__(0, -MAX_MAGNITUDE))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_session(path).weights[0][0, 0] == -MAX_MAGNITUDE


def test_a_session_that_could_not_be_opened_again_is_not_saved(tmp_path):
    data = good_session()
    data.weights[0][0, 0] = 1e150  # a diverging step can leave such a finite weight
    with pytest.raises(SessionFileError, match="cannot be saved"):
        save_session(tmp_path / "x.bpsession", SessionData(**{**vars(data)}))
    assert not (tmp_path / "x.bpsession").exists()


@pytest.mark.parametrize("size", [1e100, 1e200, 1e308])
def test_standardizer_fits_huge_columns_without_overflow(size):
    X = np.array([[size, 1.0], [-size / 2, 2.0], [size / 3, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer.fit(X)
        z = scaler.transform(X)
    assert np.isfinite(scaler.std).all() and np.isfinite(z).all()
    assert z[:, 0] == pytest.approx([1.1769647, -1.26750044, 0.09053575], rel=1e-6)
    assert scaler.std[1] == pytest.approx(np.std([1.0, 2.0, 3.0]))


def test_standardizer_of_ordinary_columns_is_unchanged_bit_for_bit():
    X = np.random.default_rng(3).normal(100, 15, (50, 2))
    scaler = Standardizer.fit(X)
    assert np.array_equal(scaler.mean, X.mean(axis=0)) and np.array_equal(scaler.std, X.std(axis=0))


# -- defect 11 -------------------------------------------------------------------------
def test_a_future_format_says_which_format_it_has_and_which_this_version_reads(tmp_path):
    from backprop_gui import __version__

    def future(d):
        d["version"] = FORMAT_VERSION + 1
        d["app_version"] = __version__  # the confusing case: the same version number

    message = refusal(write(tmp_path, future))
    assert f"session format {FORMAT_VERSION + 1}" in message
    assert f"reads session formats 1 to {FORMAT_VERSION}" in message
    assert message.count(__version__) == 1, message


def test_the_target_message_counts_in_words():
    assert classification_problem([0, 1, 5]) == (
        "Classification needs a target column of 0s and 1s only, but it holds 5, which is neither 0 nor 1. "
        "Choose Regression, or put 0/1 classes in the last column."
    )
    message = classification_problem([5, 3, 8, 1, 0])
    assert "it holds 3 values other than 0 and 1, such as 5." in message
    assert "more values" not in message


def test_damaged_session_messages_use_singular_and_plural():
    from backprop_gui.engine.notation import counted

    assert counted(1, "row") == "1 row" and counted(2, "row") == "2 rows" and counted(1200, "value") == "1,200 values"


def test_a_file_over_the_size_limit_says_its_size_in_bytes(tmp_path):
    path = tmp_path / "big.bpsession"
    path.write_bytes(b" " * 1_048_620)
    with pytest.raises(SessionFileError) as caught:
        load_session(path, max_bytes=1_048_576)
    assert str(caught.value) == (
        "big.bpsession is 1,048,620 bytes, more than 1 MB (1,048,576 bytes), the most a Backprop GUI session can be."
    )
