"""Issue 31: every interactive widget says what it is to a screen reader; the diagram reads in words."""

import re

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGraphicsView,
    QLineEdit,
    QTabBar,
    QTableView,
    QWidget,
)

from backprop_gui.engine.notation import all_parameters, format_number
from backprop_gui.ui.plots import plotting_loader

CHECKED = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox, QTableView, QTabBar, QGraphicsView)


def name_of(widget):
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, CHECKED) and widget.isVisible() and not name_of(widget).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parentWidget()).__name__}")
    return missing


def test_every_visible_control_of_the_window_has_a_name_with_every_tab_shown(window, qtbot):
    plotting_loader.load()
    qtbot.waitUntil(plotting_loader.loaded, timeout=60_000)
    tabs = window.lesson_tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert unnamed(window) == [], tabs.tabText(index)
    for dock in window.docks.values():
        dock.show()
        dock.raise_()
        qtbot.wait(10)
        assert unnamed(window) == [], dock.windowTitle()
    assert name_of(window.findChild(QWidget, "learningRateInput")) == "Learning rate η"
    assert "1e-6 to 10" in window.findChild(QWidget, "learningRateInput").accessibleDescription()
    assert name_of(window.network_view) == "Network diagram"
    headers = window.table.horizontalHeader()
    assert name_of(headers) == "Column headers"


def dialogs_of(window):
    """Each dialog the window opens, through its own actions."""
    actions = window.actions
    actions.practice_action.trigger()
    yield actions.practice_dialog
    actions.gradient_check_action.trigger()
    yield actions.gradient_check_dialog
    actions.known_answer_action.trigger()
    yield next(w for w in QApplication.topLevelWidgets() if w.objectName() == "knownAnswerDialog" and w.isVisible())


def test_every_visible_control_of_each_dialog_has_a_name(window, qtbot):
    seen = 0
    for dialog in dialogs_of(window):
        assert isinstance(dialog, QDialog)
        qtbot.waitUntil(dialog.isVisible)
        assert unnamed(dialog) == [], dialog.objectName()
        seen += 1
        dialog.close()
    assert seen == 3


def test_the_import_dialog_names_its_controls(window, qtbot, tmp_path):
    from backprop_gui.files import read_csv_table
    from backprop_gui.ui.dialogs.import_dialog import ImportDialog

    path = tmp_path / "t.csv"
    path.write_text("Package;IQ;CGPA\n5;80;8\n", encoding="utf-8")
    dialog = ImportDialog(read_csv_table(path), "t.csv", window)  # as the window opens it
    dialog.show()
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    # On Linux Qt reads a combo box's current choice as its name (its label through a relation);
    # the name given is what other platforms read.
    assert dialog.target.accessibleName() == "Target column"
    dialog.close()


def parameter_values(weights, biases, layer_sizes):
    for ref in all_parameters(layer_sizes):
        value = weights[ref.layer][ref.i, ref.j] if ref.kind == "w" else biases[ref.layer][ref.i]
        yield ref.name, format_number(float(value))


def test_the_diagram_reads_each_parameter_and_follows_the_step(notes_window, qtbot):
    window = notes_window
    view, network = window.network_view, window.lesson.network
    description = view.accessibleDescription()
    for name, value in parameter_values(network.weights, network.biases, network.layer_sizes):
        assert f"{name} = {value}" in description
    window.actions.step_action.trigger()  # a whole step: the update on show
    record = window.cursor.explainer.record
    description = view.accessibleDescription()
    before = dict(parameter_values(record.weights_before, record.biases_before, network.layer_sizes))
    after = dict(parameter_values(record.weights_after, record.biases_after, network.layer_sizes))
    for name in before:
        assert f"{name} = {before[name]}, after the step {after[name]}" in description
    assert window.cursor.explainer.phase_title(window.cursor.phase) in window.accessibility.speech.last_announcement
    window.actions.next_phase_action.trigger()  # the next step, at its first phase
    assert window.cursor.phase.kind == "pick"
    title = window.cursor.explainer.phase_title(window.cursor.phase)
    assert title in window.accessibility.speech.last_announcement
    assert "after the step" not in view.accessibleDescription()
    assert re.search(r"Step \d+", view.accessibleDescription())


# -- keyboard only (point 2) --------------------------------------------------------------
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from backprop_gui.ui.window.keyboard import menu_actions, mnemonic  # noqa: E402


def test_every_menu_action_has_a_mnemonic_unique_in_its_menu(window):
    letters: dict[int, list[str]] = {}
    for menu, action in menu_actions(window.menuBar()):
        assert mnemonic(action.text()), action.text()
        letters.setdefault(id(menu), []).append(mnemonic(action.text()))
    for taken in letters.values():
        assert len(taken) == len(set(taken)), taken
    for frequent in (window.actions.step_action, window.actions.next_phase_action, window.actions.train_action,
                     window.actions.stop_action, window.actions.reset_action, window.undo_action):  # fmt: skip
        assert not frequent.shortcut().isEmpty(), frequent.text()


def test_arrow_keys_on_the_diagram_choose_the_parameter_the_chain_rule_explains(notes_window, qtbot):
    window = notes_window
    view, panel = window.network_view, window.chain_rule_panel
    refs = all_parameters(window.lesson.network.layer_sizes)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert window.accessibility.keys.focus_ring.isVisible()  # focus shown
    chosen = []
    for key in (Qt.Key.Key_Right,) * len(refs) + (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Down):
        QTest.keyClick(view, key)
        assert panel.parameter == view.selected_parameter
        chosen.append(panel.parameter)
    start = refs.index(chosen[0])
    assert chosen[: len(refs)] == [refs[(start + k) % len(refs)] for k in range(len(refs))]  # every one, in order
    assert chosen[len(refs)] == chosen[len(refs) - 2] and chosen[-1] == chosen[len(refs) - 2]
    QTest.keyClick(view, Qt.Key.Key_Return)  # Enter edits the chosen value
    editor = view.editor
    qtbot.waitUntil(editor.isVisible)
    assert editor.ref == panel.parameter


def test_the_notes_first_step_from_reset_to_the_update_with_keys_only(window, qtbot):
    window.activateWindow()
    window.network_view.setFocus()
    qtbot.waitUntil(window.network_view.hasFocus)
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    network = window.lesson.network
    assert all((w == 1).all() for w in network.weights) and all((b == 0).all() for b in network.biases)
    assert not window.cursor.active
    kinds = []
    while not kinds or kinds[-1] != "update":
        QTest.keyClick(window, Qt.Key.Key_F11)  # Next Phase
        kinds.append(window.cursor.phase.kind)
        assert len(kinds) <= 10
    assert kinds == [p.kind for p in window.cursor.explainer.phases()]
    record = window.cursor.explainer.record
    assert record.step == 1
    assert all((a == b).all() for a, b in zip(record.weights_after, window.lesson.network.weights))
    description = window.network_view.accessibleDescription()
    after = dict(parameter_values(record.weights_after, record.biases_after, network.layer_sizes))
    assert all(f"after the step {value}" in description for value in after.values())
    QTest.keyClick(window.network_view, Qt.Key.Key_Right)  # choose a parameter with the keys
    assert window.chain_rule_panel.parameter == window.network_view.selected_parameter
    assert "∂L/∂" in window.chain_rule_panel.text()


def test_a_large_network_is_described_up_to_a_limit():
    from types import SimpleNamespace

    import numpy as np

    from backprop_gui.ui.window.diagram_speech import MAX_SPOKEN, describe

    sizes = [2, 20, 20, 1]
    weights = [np.full((a, b), 0.5) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(b) for b in sizes[1:]]
    lesson = SimpleNamespace(
        network=SimpleNamespace(layer_sizes=sizes, weights=weights, biases=biases),
        table=SimpleNamespace(input_names=["x1", "x2"], target_name="y"),
    )
    text = describe(lesson, SimpleNamespace(active=False))
    total = len(all_parameters(sizes))
    assert text.count(" = ") == MAX_SPOKEN and f"And {total - MAX_SPOKEN} more parameters." in text
