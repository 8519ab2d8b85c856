"""The lesson panel in the window: lesson 1 walked by Next with the notes' numbers, a wrong number
refused with its slip, closed controls out of reach (menus and shortcuts too) and back after the
lesson, the user's session restored, progress resumed, a broken file refused with nothing changed."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTextBrowser

from backprop_gui.engine import Network, Trainer
from backprop_gui.lesson.guided import CONTROLS, load_lesson_file

NOTES_ANSWERS = {"O₁₁": "88", "ŷ": "176", "L": "29241", "∂L/∂ŷ": "342", "∂L/∂w²₁₁": "30096", "∂L/∂w¹₁₁": "27360",
                 "w¹₁₁ after the update": "−26.36"}  # fmt: skip
"""The notes' numbers (seed 000 and the README's worked step with η = 0.001)."""


def panel_widgets(window):
    names = {"lessonPanel": None, "lessonTitle": QLabel, "lessonText": QTextBrowser, "lessonNextButton": QPushButton,
             "lessonBackButton": QPushButton, "lessonAnswerInput": QLineEdit, "lessonCheckButton": QPushButton,
             "lessonFeedback": QLabel, "lessonProgress": QLabel}  # fmt: skip
    found = {}
    for name, kind in names.items():
        widget = window.findChild(kind or object, name) if kind else window.findChild(type(window.guided.panel), name)
        assert widget is not None, name
        found[name] = widget
    return found


def answer(qtbot, widgets, text):
    widgets["lessonAnswerInput"].setText(text)
    qtbot.mouseClick(widgets["lessonCheckButton"], Qt.MouseButton.LeftButton)


def test_lesson_one_walked_by_next_with_the_notes_numbers(window, qtbot):
    assert window.open_lesson("The notes' first step")
    w = panel_widgets(window)
    tutor = window.guided.tutor
    assert w["lessonProgress"].text() == f"page 1 of {tutor.n_pages}"
    asked = []
    while True:
        if tutor.asked is not None:
            asked.append(tutor.asked.symbol)
            assert w["lessonAnswerInput"].isEnabled() and not w["lessonNextButton"].isEnabled()
            answer(qtbot, w, NOTES_ANSWERS[tutor.asked.symbol])
            assert w["lessonFeedback"].property("correct") is True, w["lessonFeedback"].text()
        if tutor.page.wait is not None:
            assert not w["lessonNextButton"].isEnabled()
            qtbot.mouseClick(window.step_button, Qt.MouseButton.LeftButton)
        if tutor.page_index == tutor.n_pages - 1:
            break
        assert w["lessonNextButton"].isEnabled()
        qtbot.mouseClick(w["lessonNextButton"], Qt.MouseButton.LeftButton)
        assert w["lessonProgress"].text() == f"page {tutor.page_index + 1} of {tutor.n_pages}"
    assert set(asked) == set(NOTES_ANSWERS) and len(asked) >= 4
    assert not w["lessonNextButton"].isEnabled()
    network = Network([2, 2, 1], init="ones")  # the notes' first step, computed afresh
    Trainer(network, [[80, 8]], [5], learning_rate=0.001).step()
    for mine, expected in zip(window.lesson.network.get_parameters(), network.get_parameters()):
        for a, b in zip(mine, expected):
            np.testing.assert_allclose(a, b)
    # The diagram shows the engine's numbers: the last page shows the step's update, w¹₁₁ 1 → −26.36.
    edge = next(e for e in window.network_view.edges if e.parameter.name == "w¹₁₁")
    assert edge.label.text() in ("w¹₁₁: 1 → −26.36", "w¹₁₁ = −26.36")


def _go_to(window, symbol):
    tutor = window.guided.tutor
    for k in range(tutor.n_pages):
        tutor.open_page(k)
        if tutor.asked is not None and tutor.asked.symbol == symbol:
            return
    raise AssertionError(symbol)


def test_a_wrong_number_is_refused_with_a_diagnosis_then_the_worked_answer(window, qtbot):
    window.open_lesson("notes-first-step")
    w = panel_widgets(window)
    _go_to(window, "∂L/∂ŷ")
    answer(qtbot, w, "-342")
    assert w["lessonFeedback"].property("correct") is False
    assert "sign is flipped" in w["lessonFeedback"].text() and "= 342" not in w["lessonFeedback"].text()
    assert not w["lessonNextButton"].isEnabled() and w["lessonAnswerInput"].isEnabled()
    answer(qtbot, w, "17")
    assert w["lessonFeedback"].property("correct") is False
    assert "∂L/∂ŷ = 342" in w["lessonFeedback"].text()
    assert w["lessonNextButton"].isEnabled() and not w["lessonAnswerInput"].isEnabled()


def _closed_actions(window):
    gate = window.guided.gate
    return [action for name in gate.closed for action in gate.controls[name][1]]


def test_closed_controls_are_out_of_reach_and_come_back(window, qtbot):
    window.controls.learning_rate.setValue(0.02)
    before = window.lesson.session_data()
    window.open_lesson("notes-first-step")
    assert window.guided.gate.closed == [*CONTROLS, "undo"]  # page 1 offers none
    for action in _closed_actions(window):
        assert not action.isEnabled()
    for widget in (window.step_button, window.train_button, window.controls.learning_rate, window.controls.init,
                   window.nudge_panel):  # fmt: skip
        assert not widget.isEnabled()
    assert not window.data_panel.prediction_panel.isVisible() and not window.nudge_panel.isVisible()
    log = len(window.lesson.step_log)
    for key in (Qt.Key.Key_F10, Qt.Key.Key_F11, Qt.Key.Key_F5):  # Step, Next Phase, Train
        qtbot.keyClick(window, key)
    window.actions.step_action.trigger()  # a disabled action does nothing, even triggered
    assert len(window.lesson.step_log) == log and not window.lesson.is_running
    # The window's own code re-enables boxes as settings change: the gate closes them again.
    window.controls.refresh()
    window.actions._on_running_changed(False)
    assert not window.controls.learning_rate.isEnabled() and not window.actions.step_action.isEnabled()
    assert not window.parameter_editing.set_value(window.chain_rule_panel.parameter, 5.0)
    # A page that offers Step opens it, and only it.
    window.guided.tutor.open_page(8)
    assert window.actions.step_action.isEnabled() and not window.actions.train_action.isEnabled()
    window.guided.close_lesson()
    assert window.guided.gate.closed == []
    for widget in (window.step_button, window.train_button, window.controls.learning_rate, window.nudge_panel):
        assert widget.isEnabled()
    assert window.data_panel.prediction_panel.isVisible()
    after = window.lesson.session_data()
    assert after.settings == before.settings and after.settings.learning_rate == 0.02
    assert all(np.array_equal(a, b) for a, b in zip(after.weights, before.weights))
    assert np.array_equal(after.values, before.values) and after.column_names == before.column_names


def test_the_users_undo_history_survives_a_lesson(window, qtbot):
    window.lesson.table.edit_cell(0, 0, "90")
    ref = window.chain_rule_panel.parameter
    old = window.parameter_editing.value(ref)
    window.parameter_editing.set_value(ref, 0.25)
    assert window.undo_stack.count() == 2
    window.open_lesson("per-sample-and-batch")
    window.lesson.table.edit_cell(1, 1, "6")  # the lesson's table: its own history
    assert not window.undo_action.isEnabled()
    window.guided.close_lesson()
    assert window.lesson.table.value(0, 0) == 90 and window.lesson.table.value(1, 1) == 5
    assert window.undo_action.isEnabled() and window.undo_stack.count() == 2
    assert window.parameter_editing.value(ref) == 0.25
    window.undo_action.trigger()
    assert window.parameter_editing.value(ref) == old
    window.undo_action.trigger()
    assert window.lesson.table.value(0, 0) == 80
    assert window.document.is_modified()


def test_back_takes_the_users_own_steps_back_after_a_lesson(window):
    start = [w.copy() for w in window.lesson.network.weights]
    window.step_button.click()
    window.step_button.click()
    after_two = [w.copy() for w in window.lesson.network.weights]
    window.open_lesson("notes-first-step")
    window.guided.tutor.open_page(8)
    window.step_button.click()  # a step of the lesson's, not the user's
    window.guided.close_lesson()
    assert all(np.array_equal(a, b) for a, b in zip(window.lesson.network.weights, after_two))
    assert len(window.lesson.step_log) == 2
    window.actions.back_action.trigger()
    window.actions.back_action.trigger()
    assert all(np.array_equal(a, b) for a, b in zip(window.lesson.network.weights, start))


def test_a_lesson_never_saves_over_the_users_session_file(window, tmp_path):
    session = tmp_path / "mine.bpsession"
    assert window.document.save_session(session)
    window.open_lesson("notes-first-step")
    assert window.document.path is None
    window.guided.close_lesson()
    assert window.document.path == session and not window.document.is_modified()


def test_hidden_controls_are_not_on_screen_and_stay_hidden(window, qtbot, tmp_path):
    path = tmp_path / "hidden.md"
    path.write_text("# Hidden\n## Only Step\n@controls step\n@others hidden\n", encoding="utf-8")
    assert window.open_lesson(str(path))
    assert window.step_button.isVisible() and window.actions.step_action.isVisible()
    assert not window.train_button.isVisible() and not window.actions.train_action.isVisible()
    assert not window.controls.learning_rate.isVisible() and not window.controls.architecture.isVisible()
    window.controls.architecture.set_layers((2,))  # shows its boxes again: the gate hides them
    window.controls.architecture.show()
    assert not window.controls.architecture.isVisible()
    window.guided.close_lesson()
    assert window.train_button.isVisible() and window.controls.learning_rate.isVisible()
    assert window.actions.train_action.isVisible() and window.actions.train_action.isEnabled()


def test_reopening_resumes_at_the_page_left(window, qtbot):
    window.open_lesson("notes-first-step")
    w = panel_widgets(window)
    answer(qtbot, w, "1") if window.guided.tutor.asked else None
    qtbot.mouseClick(w["lessonNextButton"], Qt.MouseButton.LeftButton)
    answer(qtbot, w, "88")
    qtbot.mouseClick(w["lessonNextButton"], Qt.MouseButton.LeftButton)
    assert window.guided.tutor.page_index == 2
    window.guided.close_lesson()
    assert window.open_lesson("notes-first-step")
    tutor = window.guided.tutor
    assert tutor.page_index == 2 and w["lessonProgress"].text() == "page 3 of 10"
    assert window.cursor.active and tutor.asked.symbol == "ŷ"  # the page's own state, rebuilt


def test_a_broken_lesson_changes_nothing(window, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("# Broken\n## P\n@set init = ones\n@ask What?\n@answer O₉₁ row 1\n", encoding="utf-8")
    before = window.lesson.session_data()
    window.interactive = False
    assert not window.open_lesson(str(path))
    assert "broken.md:5:" in window.last_error
    assert window.guided.tutor is None and window.guided.gate.closed == []
    assert window.lesson.settings == before.settings and window.actions.step_action.isEnabled()


def test_help_menu_lists_the_lessons(window):
    action = window.findChild(type(window.guided.lessons_action), "lessonsAction")
    assert action is not None
    action.trigger()
    chooser = window.guided.panel.chooser
    assert chooser.list.count() == 7 and chooser.isVisible()
    chooser.list.setCurrentRow(1)
    chooser.open_button.click()
    assert window.guided.tutor.guided.title == "All nine derivatives"


@pytest.mark.parametrize("name", ["notes-first-step", "nine-derivatives"])
def test_closing_the_window_puts_the_users_session_back_first(window, name):
    window.open_lesson(name)
    window.close()
    assert window.guided.tutor is None


def test_the_command_line_opens_a_lesson_or_refuses_a_broken_one(tmp_path):
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    png = tmp_path / "lesson.png"
    command = [sys.executable, "-m", "backprop_gui", "--lesson", "notes-first-step", "--screenshot", str(png)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert QImage(str(png)).width() >= 1000
    broken = tmp_path / "broken.md"
    broken.write_text("# Broken\n## P\n@nope\n", encoding="utf-8")
    command[4] = str(broken)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert "broken.md:3: unknown directive '@nope'" in result.stderr and "Traceback" not in result.stderr


def test_add_page_from_current_setup_offers_the_open_controls(window, tmp_path):
    path = tmp_path / "class.md"
    assert window.guided.add_page(str(path), "Everything open")
    window.open_lesson("notes-first-step")
    window.guided.tutor.open_page(8)  # offers step, next_phase, back
    assert window.guided.add_page(str(path), "From the lesson")
    window.guided.close_lesson()
    pages = load_lesson_file(path).pages
    assert pages[0].controls == tuple(CONTROLS) and pages[1].controls == ("step", "next_phase", "back")


def test_a_lesson_handout_as_pdf_and_markdown(window, tmp_path):
    window.open_lesson("notes-first-step")
    page = window.guided.tutor.page_index
    assert window.guided.export_handout(tmp_path / "lesson.pdf")
    assert (tmp_path / "lesson.pdf").read_bytes().startswith(b"%PDF")
    assert window.guided.export_handout(tmp_path / "lesson.md")
    text = (tmp_path / "lesson.md").read_text(encoding="utf-8")
    assert "## Answers" in text and "∂L/∂w¹₁₁ = 27360" in text and "−2(5 − 176) = 342" in text
    assert window.guided.tutor.page_index == page  # built on a lesson of its own


def test_a_fresh_profile_is_offered_the_lessons_once(window):
    window.guided.offer_once()
    assert window.guided.dock.isVisible() and window.guided.panel.chooser.isVisible()
    window.guided.dock.hide()
    window.guided.offer_once()  # the second start: the user's layout as it was
    assert not window.guided.dock.isVisible()


@pytest.mark.parametrize("control", list(CONTROLS))
def test_a_page_offering_one_control_opens_it_and_only_it(window, tmp_path, control):
    path = tmp_path / "one.md"
    path.write_text(f"# One\n## Only {control}\n@controls {control}\n", encoding="utf-8")
    assert window.open_lesson(str(path))
    gate = window.guided.gate
    widgets, actions = gate.controls[control]
    assert widgets or actions
    # The control's first widget is open; the others may be off for their own reasons (Stop with no
    # run, the batch size with per-sample updates, μ with plain gradient descent), as outside a lesson.
    assert not widgets or widgets[0].isEnabled(), control
    assert all(w.isVisible() for w in widgets), control
    assert not gate.is_closed(control)
    for other in CONTROLS:
        if other != control:
            other_widgets, other_actions = gate.controls[other]
            assert not any(w.isEnabled() for w in other_widgets if w not in widgets), other
            assert not any(a.isEnabled() for a in other_actions if a not in actions), other
    window.guided.close_lesson()
    assert window.actions.step_action.isEnabled() and window.controls.learning_rate.isEnabled()


def test_a_weight_typed_on_the_diagram_while_weights_are_locked_is_refused_with_a_message(window):
    window.open_lesson("notes-first-step")
    ref = window.chain_rule_panel.parameter
    before = window.parameter_editing.value(ref)
    assert not window.parameter_editing.set_value(ref, 3.0)
    assert window.parameter_editing.value(ref) == before
    assert "set by the lesson" in window.statusBar().currentMessage()


def test_the_lessons_code_is_not_imported_until_a_lesson_is_wanted():
    import subprocess
    import sys

    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
        "from backprop_gui.ui import MainWindow; w = MainWindow()\n"
        "print(any(m.startswith('backprop_gui.lesson.guided') for m in sys.modules))\n"
        "w.guided.lessons_action.trigger()\n"
        "print(any(m.startswith('backprop_gui.lesson.guided') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_closing_the_window_during_a_lessons_training_run(window, qtbot):
    before = window.lesson.session_data()
    window.open_lesson("epochs-and-learning-rate")
    tutor = window.guided.tutor
    tutor.open_page(next(k for k, page in enumerate(tutor.guided.pages) if "train" in page.controls))
    window.lesson.update_settings(epochs=10_000_000)
    window.train_button.click()
    qtbot.waitUntil(lambda: window.lesson.is_running, timeout=5000)
    assert not window.guided.panel.next_button.isEnabled() and not window.guided.panel.back_button.isEnabled()
    window.close()  # stops the run, puts the user's session back, then closes
    assert window.guided.tutor is None and not window.lesson.is_running
    assert window.lesson.settings == before.settings


@pytest.mark.parametrize("width, area", [(1024, Qt.DockWidgetArea.RightDockWidgetArea), (1440, Qt.DockWidgetArea.LeftDockWidgetArea)])
def test_the_lesson_list_leaves_the_window_inside_a_small_screen(window, qtbot, width, area):
    """A fresh profile starts with the list of lessons: on a 1024-pixel screen a third column made
    the window wider than the screen and the diagram dropped its weights' labels; there the list is
    a tab in the right column."""
    window.resize(width, 740)
    qtbot.waitUntil(lambda: window.width() == width)
    window.guided.show_lessons()
    dock = window.guided.session.dock
    assert window.dockWidgetArea(dock) == area
    assert window.minimumSizeHint().width() <= width
    assert dock.isVisible()
