"""A number typed outside its box's range is answered with a message naming the range, and the
box shows the value in force; a cell that would underflow to 0 is refused with a message."""

import pytest
from PySide6.QtCore import Qt

from backprop_gui.engine.settings import range_text


def type_into(qtbot, box, text):
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


@pytest.mark.parametrize(
    "attribute, name, typed",
    [
        ("learning_rate", "learning_rate", "0"),
        ("learning_rate", "learning_rate", "-1"),
        ("learning_rate", "learning_rate", "1e10"),
        ("epochs", "epochs", "20000000"),
        ("seed", "seed", "9999999999"),
        ("momentum", "momentum", "5"),
        ("l2", "l2", "11"),
        ("tolerance", "convergence_tolerance", "2"),
        ("validation", "validation_percent", "80"),
    ],
)
def test_a_typed_value_out_of_range_is_said_and_the_box_shows_the_value_in_force(window, qtbot, attribute, name, typed):
    box = getattr(window.controls, attribute)
    if attribute == "tolerance":
        window.controls.stop_at_convergence.setChecked(True)
    if attribute == "momentum":
        window.lesson.update_settings(optimizer="momentum")  # the box is enabled for momentum and Nesterov
    before = getattr(window.lesson.settings, name)
    type_into(qtbot, box, typed)
    message = window.statusBar().currentMessage()
    assert message.startswith("Refused: ") and range_text(name) in message and f"not {typed}" in message, message
    assert box.value() == before and getattr(window.lesson.settings, name) == before


def test_a_value_in_range_is_taken_without_a_refusal(window, qtbot):
    type_into(qtbot, window.controls.learning_rate, "0.25")
    assert window.lesson.settings.learning_rate == 0.25
    assert not window.statusBar().currentMessage().startswith("Refused")


def test_a_cell_that_would_underflow_to_zero_is_refused_with_a_message(window, qtbot):
    model = window.table_model
    assert model.setData(model.index(0, 0), "1e-400") is False
    assert window.lesson.table.value(0, 0) == 80
    assert "would become 0" in window.statusBar().currentMessage()
    assert model.setData(model.index(0, 0), "1e-300") is True  # small, but a number a float holds
