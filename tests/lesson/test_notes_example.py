"""The notes' example as one undoable command, without Qt (lesson/notes_example.py)."""

import numpy as np

from backprop_gui.engine import TrainingSettings
from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS, Lesson
from backprop_gui.lesson.notes_example import NOTES_SETTINGS, is_notes_example, loss_remark


def state(lesson):
    weights, biases = lesson.network.get_parameters()
    return (lesson.settings, lesson.table.column_names, lesson.table.values().tolist(), [a.tolist() for a in weights + biases],
            lesson.loss_history.values.tolist(), lesson.validation_history.values.tolist(), len(lesson.step_log))  # fmt: skip


def test_one_command_sets_the_notes_up_and_undo_puts_everything_back():
    lesson = Lesson(TrainingSettings(hidden_layers=(3,), hidden_activation="tanh", learning_rate=0.05, validation_percent=20))
    lesson.table.replace([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1], [2, 2, 2]], ["a", "b", "y"], "a table")
    lesson.train(5)
    lesson.step()
    before = state(lesson)
    history = lesson.table.history
    depth = len(history)
    assert lesson.use_notes_example()
    assert len(history) == depth + 1  # one command
    assert is_notes_example(lesson) and lesson.table.column_names == NOTES_COLUMNS
    assert lesson.table.values().tolist() == NOTES_ROWS
    assert all(getattr(lesson.settings, k) == v for k, v in NOTES_SETTINGS.items()) and lesson.settings.learning_rate == 0.001
    assert lesson.step().loss == 29241.0
    history.undo()
    assert state(lesson) == before
    history.redo()
    assert is_notes_example(lesson) and len(lesson.step_log) == 0


def test_the_remark_is_for_the_notes_first_row_with_their_settings_only():
    lesson = Lesson()
    lesson.use_notes_example()
    first = lesson.step()
    assert [line for line in loss_remark(lesson.settings, first) if "17" in line and "144" in line]
    assert "give ŷ = 176, so L = 29241" in loss_remark(lesson.settings, first)[1]
    second = lesson.step()  # row 2 (60, 5 → 3)
    assert loss_remark(lesson.settings, second) == []
    assert loss_remark(lesson.settings.replace(scaling="standardize"), first) == []
    assert not is_notes_example(Lesson())
    lesson.update_settings(init="random")
    assert not is_notes_example(lesson)
    assert np.isfinite(first.loss)
