"""Files as a teacher uses them in the window: import and export CSV, save and open sessions,
never lose work. Message boxes and file dialogs are answered by the autouse fixture in conftest."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from backprop_gui.files import load_session, read_csv_table, write_csv_table
from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS
from backprop_gui.ui.dialogs.import_dialog import ImportDialog
from backprop_gui.files.resources import resource_path

NOTES = np.array(NOTES_ROWS)


def snapshot(window):
    """Everything a failed file operation must leave alone."""
    session = window.lesson
    return {
        "values": window.lesson.table.values(),
        "names": window.lesson.table.column_names,
        "settings": session.settings,
        "weights": [p.copy() for p in session.network.weights + session.network.biases],
        "history": session.loss_history.values.copy(),
        "undo": (window.undo_stack.count(), window.undo_stack.index()),
        "path": window.document.path,
        "title": window.windowTitle(),
        "modified": window.isWindowModified(),
    }


def assert_unchanged(window, before):
    after = snapshot(window)
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(after[key], value), key
        elif key == "weights":
            assert all(np.array_equal(a, b) for a, b in zip(after[key], value)), key
        else:
            assert after[key] == value, key


def train_a_little(window, qtbot, epochs=30):
    window.controls.epochs.setValue(epochs)
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=30_000):
        window.actions.train()
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0)


def answer_question(monkeypatch, button):
    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


# -- CSV import and export ----------------------------------------------------
def test_import_replaces_the_table_and_the_diagram_follows_the_inputs(window, tmp_path):
    path = tmp_path / "four.csv"
    path.write_text("Age;IQ;Hours studied;CGPA\n20;80;5;8\n21;60;2;5\n22;110;9;7\n23;95;4;6.5\n", encoding="utf-8")
    assert window.document.import_csv(path)
    assert window.lesson.table.column_names == ["Age", "IQ", "Hours studied", "CGPA"]
    assert window.lesson.network.layer_sizes == [3, 2, 1]
    names = [n.name_text.text() for n in window.network_view.neurons[0]]
    assert names == ["Age", "IQ", "Hours studied"]
    assert "Import four.csv" in window.undo_action.text()
    window.undo_action.trigger()
    assert np.array_equal(window.lesson.table.values(), NOTES)
    assert window.lesson.network.layer_sizes == [2, 2, 1]
    assert [n.name_text.text() for n in window.network_view.neurons[0]] == ["IQ", "CGPA"]


def test_import_with_another_target_puts_it_last(window, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Package,IQ,CGPA\n5,80,8\n3,60,5\n", encoding="utf-8")
    assert window.document.import_csv(path, target_column="Package")
    assert window.lesson.table.column_names == ["IQ", "CGPA", "Package"]
    assert window.lesson.table.values().tolist() == [[80, 8, 5], [60, 5, 3]]
    assert window.document.import_csv(path, target_column=1)
    assert window.lesson.table.column_names == ["Package", "CGPA", "IQ"]


def test_renamed_columns_with_the_same_inputs_relabel_the_diagram(window, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Maths,Physics,Score\n1,2,3\n4,5,6\n", encoding="utf-8")
    weights = [w.copy() for w in window.lesson.network.weights]
    assert window.document.import_csv(path)
    assert [n.name_text.text() for n in window.network_view.neurons[0]] == ["Maths", "Physics"]
    # The same number of inputs: the weights stay, as for any edit (Reset starts afresh).
    assert all(np.array_equal(a, b) for a, b in zip(weights, window.lesson.network.weights))


def test_the_import_dialog_offers_every_column_as_target(qtbot, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Package;IQ;CGPA\n5;80;8\n", encoding="utf-8")
    dialog = ImportDialog(read_csv_table(path), "t.csv")
    qtbot.addWidget(dialog)
    assert dialog.target.count() == 3 and dialog.target_column() == 2
    dialog.target.setCurrentIndex(0)
    assert dialog.target_column() == 0
    assert "Package" in dialog.roles.text() and "IQ, CGPA" in dialog.roles.text()
    assert "target" in dialog.preview.horizontalHeaderItem(0).text()


def test_import_through_the_menu_asks_for_the_target(window, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("Package,IQ,CGPA\n5,80,8\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    monkeypatch.setattr(window.document, "choose_target", lambda table, name: 0)
    window.document.import_action.trigger()
    assert window.lesson.table.column_names == ["IQ", "CGPA", "Package"]


@pytest.mark.parametrize(
    "content, expected",
    [
        ("IQ,CGPA,Package\n80,8,5\n60,5\n", "line 3"),
        ("IQ,CGPA,Package\n80,eight,5\n", "line 2, column 2 (CGPA)"),
        ("IQ,CGPA,Package\n", "no rows"),
        ("Package\n5\n3\n", "only one column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("", "empty"),
    ],
    ids=["ragged", "non-numeric", "no-rows", "one-column", "binary", "empty"],
)
def test_a_malformed_csv_shows_its_message_and_changes_nothing(window, tmp_path, message_boxes, content, expected):
    window.table_model.setData(window.table_model.index(0, 0), "81")  # some work that must survive
    before = snapshot(window)
    path = tmp_path / "bad.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert window.document.import_csv(path) is False
    assert message_boxes and message_boxes[-1][0] == "warning" and expected in message_boxes[-1][2]
    assert expected in window.last_error
    assert_unchanged(window, before)


def test_a_file_over_the_size_limit_is_refused(window, tmp_path, message_boxes):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as file:
        file.truncate(100 * 1024 * 1024)
    before = snapshot(window)
    assert window.document.import_csv(path) is False
    assert "100 MB" in message_boxes[-1][2]
    assert_unchanged(window, before)


def test_export_then_import_gives_the_same_table(window, tmp_path):
    window.table_model.setData(window.table_model.index(1, 1), "5.123456789012345")
    window.lesson.table.insert_rows(3, [[1e-12, 2 / 3, -7]])
    path = tmp_path / "out.csv"
    assert window.document.export_csv(path)
    table = read_csv_table(path)
    assert table.column_names == NOTES_COLUMNS
    assert np.array_equal(table.values, window.lesson.table.values())
    exported = window.lesson.table.values()
    window.table_actions.clear_action.trigger()
    assert window.document.import_csv(path)
    assert np.array_equal(window.lesson.table.values(), exported)


def test_export_to_a_missing_folder_shows_an_error(window, tmp_path, message_boxes):
    assert window.document.export_csv(tmp_path / "no" / "out.csv") is False
    assert "Could not write" in message_boxes[-1][2]


def test_open_example_lists_and_imports_the_shipped_tables(window):
    texts = [a.text() for a in window.document.examples_menu.actions()]
    assert len(texts) == 5 and any("Placement" in t for t in texts) and any("Step-by-step" in t for t in texts)
    placement = next(a for a in window.document.examples_menu.actions() if "Placement" in a.text())
    placement.trigger()
    assert window.lesson.table.target_name == "Placed (0/1)"
    assert 20 <= window.table_model.rowCount() <= 50
    assert set(np.unique(window.lesson.table.targets())) == {0.0, 1.0}
    assert window.document.open_example("package_regression.csv")
    assert 200 <= window.table_model.rowCount() <= 1000


# -- sessions ------------------------------------------------------------------
def test_session_round_trip_restores_everything_exactly(window, qtbot, tmp_path, qapp):
    from backprop_gui.ui import MainWindow

    controls = window.controls
    controls.learning_rate.setValue(0.0123)
    controls.seed.setValue(7)
    controls.order.setCurrentIndex(controls.order.findData("sequential"))
    window.actions.reset()
    window.table_model.setData(window.table_model.index(2, 2), "8.25")
    train_a_little(window, qtbot)
    window.lesson.step()
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    assert not window.isWindowModified()
    assert window.windowTitle() == "lesson.bpsession[*] — Backprop GUI"
    saved = snapshot(window)
    initial = window.lesson.initial_parameters

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.document.open_session(path)
    restored = snapshot(other)
    for key in ("values", "history"):
        assert np.array_equal(restored[key], saved[key])
    assert restored["names"] == saved["names"] and restored["settings"] == saved["settings"]
    assert all(np.array_equal(a, b) for a, b in zip(restored["weights"], saved["weights"]))
    for a, b in zip(initial[0] + initial[1], other.lesson.initial_parameters[0] + other.lesson.initial_parameters[1]):
        assert np.array_equal(a, b)
    # The widgets show what was restored.
    assert other.controls.learning_rate.value() == 0.0123 and other.controls.seed.value() == 7
    assert other.controls.order.currentData() == "sequential"
    x, y = other.loss_panel.plot.curve.getOriginalDataset()
    assert np.array_equal(y, saved["history"])
    assert not other.isWindowModified() and other.undo_stack.count() == 0
    assert "η = 0.0123" in other.network_view.caption()
    other.close()


def test_a_restored_session_trains_on(window, qtbot, tmp_path):
    train_a_little(window, qtbot, epochs=20)
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    assert window.document.new_session()
    assert window.document.open_session(path)
    train_a_little(window, qtbot, epochs=20)
    assert len(window.lesson.loss_history) == 40


def test_a_session_with_another_architecture_restores_it(window, tmp_path):
    window.lesson.update_settings(hidden_layers=(3, 2), hidden_activation="tanh")
    path = tmp_path / "deep.bpsession"
    assert window.document.save_session(path)
    window.lesson.update_settings(hidden_layers=(2,), hidden_activation="linear")
    assert window.document.open_session(path)
    assert window.lesson.network.layer_sizes == [2, 3, 2, 1]
    assert window.lesson.network.hidden_activation.name == "tanh"
    assert len(window.network_view.neurons) == 4


def test_an_empty_table_saves_and_opens(window, tmp_path):
    window.table_actions.clear_action.trigger()
    path = tmp_path / "empty.bpsession"
    assert window.document.save_session(path)
    assert window.document.open_session(path)
    assert window.table_model.rowCount() == 0 and window.table_model.columnCount() == 3


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{"format": "backprop-gui-session", "version": 1, "table": {"column_na', "damaged or cut short"),
        ('{"format": "backprop-gui-session", "version": 99}', "newer version"),
        ('{"name": "something else"}', "not a Backprop GUI session"),
        (b"\x00\x01\x02\xff\xfe binary", "not a Backprop GUI session"),
    ],
    ids=["truncated", "newer", "foreign", "binary"],
)
def test_a_bad_session_file_is_refused_and_changes_nothing(window, qtbot, tmp_path, message_boxes, content, expected):
    train_a_little(window, qtbot, epochs=5)
    before = snapshot(window)
    path = tmp_path / "bad.bpsession"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert window.document.open_session(path) is False
    assert expected in message_boxes[-1][2]
    assert not any(kind == "question" for kind, _, _ in message_boxes)  # no pointless prompt
    assert_unchanged(window, before)


def test_a_damaged_part_of_a_session_is_refused(window, tmp_path, message_boxes):
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["network"]["weights"][0] = [[1.0, 2.0]]
    path.write_text(json.dumps(document), encoding="utf-8")
    window.table_model.setData(window.table_model.index(0, 0), "70")
    before = snapshot(window)
    assert window.document.open_session(path) is False
    assert "cannot be opened: network.weights" in message_boxes[-1][2]
    assert_unchanged(window, before)


def test_a_failed_save_keeps_the_old_file_and_says_so(window, tmp_path, monkeypatch, message_boxes):
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    old = path.read_bytes()
    window.table_model.setData(window.table_model.index(0, 0), "70")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    import backprop_gui.files.atomic as atomic

    monkeypatch.setattr(atomic.os, "replace", refuse)
    assert window.document.save_session(path) is False
    assert path.read_bytes() == old
    assert "Permission denied" in message_boxes[-1][2] and "previous lesson.bpsession is unchanged" in message_boxes[-1][2]
    assert window.isWindowModified()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.bpsession"]


def test_save_to_a_missing_folder_shows_an_error(window, tmp_path, message_boxes):
    assert window.document.save_session(tmp_path / "missing" / "x.bpsession") is False
    assert "Could not save" in message_boxes[-1][2]


def test_save_as_adds_the_extension_and_save_reuses_the_file(window, tmp_path, monkeypatch):
    chosen = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(chosen), "")))
    window.document.save_action.trigger()  # untitled: Save asks for a name
    assert (tmp_path / "mine.bpsession").exists()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked again")))
    window.table_model.setData(window.table_model.index(0, 0), "70")
    window.document.save_action.trigger()
    assert load_session(tmp_path / "mine.bpsession").values[0, 0] == 70


def test_open_through_the_menu(window, tmp_path, monkeypatch):
    path = tmp_path / "lesson.bpsession"
    window.table_model.setData(window.table_model.index(0, 0), "70")
    assert window.document.save_session(path)
    assert window.document.new_session()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    window.document.open_action.trigger()
    assert window.lesson.table.value(0, 0) == 70 and window.document.path == path.resolve()


# -- modified state and the unsaved-changes prompt --------------------------------
def test_title_shows_the_file_and_an_asterisk_when_modified(window, qtbot, tmp_path):
    assert window.windowTitle() == "Untitled[*] — Backprop GUI" and not window.isWindowModified()
    window.table_model.setData(window.table_model.index(0, 0), "70")
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert not window.isWindowModified()  # back to the saved table
    window.actions.step()
    assert window.isWindowModified()  # training changes count too
    assert window.document.save_session(tmp_path / "a.bpsession")
    assert not window.isWindowModified() and window.windowTitle().startswith("a.bpsession")
    window.controls.learning_rate.setValue(0.5)
    assert window.isWindowModified()


@pytest.mark.parametrize("change", ["edit", "train", "settings", "reset"])
def test_close_asks_when_modified_and_cancel_keeps_the_window(window, qtbot, monkeypatch, change):
    if change == "edit":
        window.table_model.setData(window.table_model.index(0, 0), "70")
    elif change == "train":
        train_a_little(window, qtbot, epochs=3)
    elif change == "settings":
        window.controls.seed.setValue(3)
    else:
        window.actions.reset()
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.close() is False
    assert len(asked) == 1 and "Untitled" in asked[0]
    assert window.isVisible()
    answer_question(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.close() is True


def test_close_without_changes_does_not_ask(window, monkeypatch):
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.close() is True
    assert asked == []


def test_close_with_save_saves_first(window, tmp_path, monkeypatch):
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    window.table_model.setData(window.table_model.index(0, 0), "70")
    answer_question(monkeypatch, QMessageBox.StandardButton.Save)
    assert window.close() is True
    assert load_session(path).values[0, 0] == 70


def test_close_with_save_but_no_file_chosen_stays_open(window, monkeypatch):
    window.table_model.setData(window.table_model.index(0, 0), "70")
    answer_question(monkeypatch, QMessageBox.StandardButton.Save)  # and the Save As dialog is cancelled
    assert window.close() is False
    answer_question(monkeypatch, QMessageBox.StandardButton.Discard)


def test_new_asks_when_modified_and_not_otherwise(window, monkeypatch):
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    window.document.import_csv(resource_path("placement.csv"))
    window.document.new_action.trigger()
    assert len(asked) == 1 and window.lesson.table.target_name == "Placed (0/1)"  # cancelled: nothing changed
    answer_question(monkeypatch, QMessageBox.StandardButton.Discard)
    window.document.new_action.trigger()
    assert np.array_equal(window.lesson.table.values(), NOTES) and window.lesson.table.column_names == NOTES_COLUMNS
    assert not window.isWindowModified() and window.undo_stack.count() == 0
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.document.new_session()
    assert asked == []


def test_open_asks_when_modified_and_not_otherwise(window, tmp_path, monkeypatch):
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.document.open_session(path) and asked == []
    window.table_model.setData(window.table_model.index(0, 0), "70")
    assert window.document.open_session(path) is False
    assert len(asked) == 1 and window.lesson.table.value(0, 0) == 70
    answer_question(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.document.open_session(path) and window.lesson.table.value(0, 0) == 80


# -- training and files ---------------------------------------------------------
def test_files_that_replace_the_table_are_refused_while_training(window, qtbot, tmp_path, message_boxes):
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    try:
        assert not window.document.open_action.isEnabled() and not window.document.import_action.isEnabled()
        assert window.document.open_session(path) is False
        assert window.document.import_csv(resource_path("placement.csv")) is False
        assert window.document.new_session() is False
        assert all("Stop training" in text for _, _, text in message_boxes[-3:])
        assert window.document.save_session(tmp_path / "during.bpsession")  # saving a snapshot is fine
    finally:
        with qtbot.waitSignal(window.runner.trainingFinished, timeout=10_000):
            window.runner.stop()
    assert window.document.open_action.isEnabled()


def test_undoing_an_import_during_a_run_ends_the_run_and_rebuilds_after(window, qtbot, tmp_path):
    path = tmp_path / "four.csv"
    path.write_text("a,b,c,y\n1,2,3,4\n5,6,7,8\n", encoding="utf-8")
    assert window.document.import_csv(path)
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=10_000):
        window.undo_action.trigger()  # back to two inputs under a running network of three
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0)
    assert window.lesson.network.layer_sizes == [2, 2, 1]
    assert [n.name_text.text() for n in window.network_view.neurons[0]] == ["IQ", "CGPA"]
    assert window.lesson.step() is not None


def test_edits_during_a_run_wait_for_the_next_run(window, qtbot):
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    window.lesson.table.paste(0, 0, "1\t2\t3\n4\t5\t6\n7\t8\t9\n10\t11\t12\n")
    window.table_actions.clear_action.trigger()
    window.undo_action.trigger()
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=10_000):
        window.runner.stop()
    record = window.lesson.step(rows=[3])
    assert record.targets[0, 0] == 12


# -- recent files ------------------------------------------------------------------
def test_recent_files_remember_saves_opens_and_imports(window, tmp_path):
    a, b = tmp_path / "a.bpsession", tmp_path / "b.bpsession"
    assert window.document.save_session(a) and window.document.save_session(b)
    csv_path = tmp_path / "t.csv"
    write_csv_table(csv_path, ["x", "y"], [[1, 2]])
    assert window.document.import_csv(csv_path)
    assert window.document.recent.paths()[:3] == [str(csv_path.resolve()), str(b.resolve()), str(a.resolve())]
    window.document.recent_menu.aboutToShow.emit()
    texts = [act.text() for act in window.document.recent_menu.actions()]
    assert texts[:3] == ["&1 t.csv", "&2 b.bpsession", "&3 a.bpsession"]


def test_a_recent_file_that_has_gone_is_dropped(window, tmp_path, message_boxes):
    path = tmp_path / "gone.bpsession"
    assert window.document.save_session(path)
    path.unlink()
    assert window.document.open_recent(str(path.resolve())) is False
    assert "no longer exists" in message_boxes[-1][2]
    assert str(path.resolve()) not in window.document.recent.paths()


# -- the command line -------------------------------------------------------------
def run_app(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "backprop_gui", *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd
    )


@pytest.mark.parametrize("name, expected", [("bad.csv", "line 3"), ("bad.bpsession", "damaged or cut short")])
def test_command_line_with_a_bad_file_prints_the_message_and_exits_2(tmp_path, name, expected):
    path = tmp_path / name
    path.write_text("IQ,CGPA,Package\n80,8,5\n60,x,3\n" if name.endswith(".csv") else '{"format": "backprop-gui-session", "vers')
    result = run_app(path, "--screenshot", tmp_path / "out.png", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_command_line_opens_a_session_and_trains_on(tmp_path, window, qtbot):
    train_a_little(window, qtbot, epochs=10)
    path = tmp_path / "lesson.bpsession"
    assert window.document.save_session(path)
    result = run_app(path, "--screenshot", tmp_path / "out.png", "--train-epochs", 15, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Trained 15 epochs" in result.stdout
    assert (tmp_path / "out.png").stat().st_size > 10_000


def test_command_line_imports_a_csv(tmp_path):
    result = run_app(resource_path("placement.csv"), "--screenshot", tmp_path / "out.png", "--train-epochs", 5, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.png").exists()


def test_open_path_tells_sessions_from_tables_by_content(window, tmp_path):
    session = tmp_path / "lesson"
    assert window.document.save_session(session)
    table = tmp_path / "data"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    assert window.open_path(table) and window.lesson.table.column_names == ["a", "b"]
    assert window.open_path(session) and window.lesson.table.column_names == NOTES_COLUMNS


def test_too_many_input_columns_are_refused(window, tmp_path, message_boxes):
    from backprop_gui.lesson.table_import import MAX_INPUTS

    path = tmp_path / "wide.csv"
    write_csv_table(path, [f"x{i}" for i in range(MAX_INPUTS + 1)] + ["y"], np.ones((2, MAX_INPUTS + 2)))
    before = snapshot(window)
    assert window.document.import_csv(path) is False
    assert f"up to {MAX_INPUTS} inputs" in message_boxes[-1][2]
    assert_unchanged(window, before)
    write_csv_table(path, [f"x{i}" for i in range(MAX_INPUTS)] + ["y"], np.ones((2, MAX_INPUTS + 1)))
    assert window.document.import_csv(path)
    assert window.lesson.network.n_inputs == MAX_INPUTS
    assert f"({MAX_INPUTS})" in window.statusBar().currentMessage()


def test_a_session_with_more_inputs_restores_its_columns_and_network(window, tmp_path):
    path = tmp_path / "four.csv"
    path.write_text("Age,IQ,CGPA,Package\n20,80,8,5\n21,60,5,3\n", encoding="utf-8")
    assert window.document.import_csv(path)
    window.lesson.step()
    weights = [w.copy() for w in window.lesson.network.weights]
    session = tmp_path / "four.bpsession"
    assert window.document.save_session(session)
    assert window.document.new_session()
    assert window.lesson.network.layer_sizes == [2, 2, 1]
    assert window.document.open_session(session)
    assert window.lesson.network.layer_sizes == [3, 2, 1]
    assert window.lesson.table.input_names == ["Age", "IQ", "CGPA"]
    assert [n.name_text.text() for n in window.network_view.neurons[0]] == ["Age", "IQ", "CGPA"]
    assert all(np.array_equal(a, b) for a, b in zip(weights, window.lesson.network.weights))


def test_opening_a_session_keeps_the_optimizers_update_count(window, tmp_path):
    """The saved state reaches the trainer a view builds while the session is being opened (t was lost)."""
    window.lesson.update_settings(optimizer="adam", epochs=7, validation_percent=34)
    window.train_and_wait()
    path = tmp_path / "adam.bpsession"
    assert window.document.save_session(path)
    saved = load_session(path).optimizer_state
    assert saved.t > 0
    window.controls.epochs.setValue(3)  # another lesson on show first, as when a second file is opened
    window.train_and_wait()
    assert window.document.open_session(path)
    state = window.lesson.optimizer_state()
    assert state.t == saved.t and np.array_equal(state.m, saved.m) and np.array_equal(state.s, saved.s)
