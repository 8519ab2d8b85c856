"""Training > Practice in the window: answer, feedback naming the slip, score, phases, new exercises."""

from PySide6.QtCore import QObject, Qt


def find(widget, name):
    found = widget.findChild(QObject, name)
    assert found is not None, name
    return found


def test_practice_checks_answers_names_slips_and_keeps_score(window, qtbot):
    window.actions.practice_action.trigger()
    dialog = window.actions.practice_dialog
    assert dialog.isVisible()
    practice = dialog.practice
    answer, feedback, score = find(dialog, "practiceAnswerInput"), find(dialog, "practiceFeedback"), find(dialog, "practiceScore")
    right = practice.question.value
    qtbot.keyClicks(answer, repr(right))
    qtbot.keyClick(answer, Qt.Key.Key_Return)
    assert feedback.text().startswith("✓ Right") and score.text() == "1 of 1 right"
    answer.setText(repr(-right if right else 1.0))
    dialog.check()
    assert feedback.text().startswith("✗ Not quite") and score.text() == "1 of 2 right"
    assert practice.question.symbol in feedback.text()  # with the right value and how it is found
    phases = len(practice.exercise.phases())
    for _ in range(phases - 1):
        dialog.next_phase()
    assert practice.phase.kind == "update"
    assert "after the update" not in dialog.worked.toPlainText()  # the answers of the phase asked stay hidden
    assert "←" not in dialog.worked.toPlainText()
    dialog.next_phase()  # the last phase: its worked lines appear
    assert "←" in dialog.worked.toPlainText()
    dialog.new_exercise()
    assert practice.phase.kind == "forward" and score.text() == "1 of 2 right"
    answer.setText("abc")
    dialog.check()
    assert "Type a number" in feedback.text() and score.text() == "1 of 2 right"


def test_practice_on_an_empty_table_says_why(window):
    window.lesson.table.clear()
    window.actions.practice_action.trigger()
    assert not window.actions.practice_dialog.isVisible()
    assert "empty" in window.statusBar().currentMessage()


def test_the_step_by_step_example_opens_from_open_example(window):
    action = window.actions.known_answer_action
    assert action in window.document.examples_menu.actions()
    action.trigger()
    from PySide6.QtWidgets import QApplication

    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "knownAnswerDialog")
    table = dialog.table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "E_total" in names and "w5" in names
    row = names.index("E_total")
    assert table.item(row, 2).text() == "0.298371109" and table.item(row, 3).text().startswith("0.29837110")
    dialog.close()
