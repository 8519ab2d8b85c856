"""The notes' example in one action (issue 35, point 1 and 2): their setup, undoable, and the notes'
supposed ŷ = 17 said beside the ŷ = 176 their weights give."""

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS
from backprop_gui.lesson.notes_example import is_notes_example


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def setup_of(window):
    lesson = window.lesson
    weights, biases = lesson.network.get_parameters()
    return (lesson.settings, lesson.table.column_names, lesson.table.values().tolist(),
            [w.tolist() for w in weights + biases], lesson.loss_history.values.tolist(), len(lesson.step_log))


def test_one_action_then_step_shows_176_29241_and_the_notes_17_and_144(window, qtbot):
    window.controls.learning_rate.setValue(0.05)  # something the notes' example sets back
    window.step_button.click()
    before = setup_of(window)
    action = window.actions.notes_example_action
    assert action.shortcut().toString() == "Ctrl+Shift+E"
    training_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    assert action in training_menu.actions()
    action.trigger()
    lesson = window.lesson
    assert is_notes_example(lesson)
    assert lesson.table.column_names == NOTES_COLUMNS and lesson.table.values().tolist() == NOTES_ROWS
    assert (lesson.settings.init, lesson.settings.scaling, lesson.settings.order, lesson.settings.loss) == ("ones", "none", "sequential", "mse")
    assert all(np.all(w == 1) for w in lesson.network.weights) and all(np.all(b == 0) for b in lesson.network.biases)
    assert "notes' example" in window.statusBar().currentMessage() and "Undo" in window.statusBar().currentMessage()
    assert window.network_view.caption().startswith("The notes' example")
    assert window.undo_stack.count() >= 1 and window.undo_action.isEnabled()
    QApplication.processEvents()  # the layouts' queued shows run: no field of the old prediction panel opens as a window
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window] == []

    window.actions.step_action.trigger()  # F10
    on_screen = window.network_view.phase_text() + "\n" + window.statusBar().currentMessage()
    assert "ŷ = 176" in on_screen and "L = 29241" in on_screen
    assert "The notes suppose ŷ = 17" in on_screen and "144" in on_screen
    # The loss phase itself says it too.
    window.actions.back_action.trigger()  # takes the step back: the notes' weights again
    for _ in range(4):  # pick, forward to the hidden layer, forward to ŷ, loss
        window.actions.next_phase_action.trigger()
    assert window.cursor.phase.kind == "loss"
    assert "(5 − 17)² = 144" in window.network_view.phase_text() and "give ŷ = 176" in window.network_view.phase_text()
    panel = window.chain_rule_panel.text()  # also under the tabs, in case the diagram's equations are scrolled away
    assert "L = (y − ŷ)² = (5 − 176)² = 29241" in panel and "The notes suppose ŷ = 17" in panel

    window.undo_action.trigger()
    assert setup_of(window) == before
    assert not window.network_view.caption().startswith("The notes' example")
    window.redo_action.trigger()
    assert is_notes_example(lesson) and len(lesson.step_log) == 0


def test_the_remark_is_not_shown_off_the_notes_example(window):
    window.step_button.click()  # the defaults: standardised inputs, random weights
    assert "suppose" not in window.network_view.phase_text()
    window.actions.notes_example_action.trigger()
    window.lesson.update_settings(scaling="standardize")
    window.step_button.click()
    assert "suppose" not in window.network_view.phase_text()


def test_a_fresh_profile_is_offered_the_notes_example(qtbot):
    from backprop_gui.ui import MainWindow

    main_window = MainWindow()
    qtbot.addWidget(main_window)
    main_window.show()  # the fixture's fresh settings folder: a first start
    qtbot.waitExposed(main_window)
    bar = find(main_window, "notesOfferBar")
    assert bar.isVisible()
    bar.use_action.trigger()
    assert is_notes_example(main_window.lesson) and not bar.isVisible()
    main_window.window_settings.save()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.notes_offer is None  # offered on the first start only
    again.close()
    main_window.close()


def test_undoing_the_notes_example_during_a_run_changes_nothing_and_says_why(window, qtbot):
    window.actions.notes_example_action.trigger()
    window.lesson.update_settings(learning_rate=1e-6, epochs=10_000_000)
    settings = window.lesson.settings
    assert window.runner.start()
    qtbot.waitUntil(lambda: window.lesson.is_running)
    window.undo_action.trigger()
    assert window.lesson.settings == settings and window.lesson.table.column_names == ["IQ", "CGPA", "Package (LPA)"]
    assert "can no longer be undone" in window.statusBar().currentMessage()
    window.runner.stop()
    qtbot.waitUntil(lambda: not window.lesson.is_running, timeout=10_000)
    assert is_notes_example(window.lesson)
