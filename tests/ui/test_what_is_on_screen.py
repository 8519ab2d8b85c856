"""What a student checks is what is on screen (issue 35, points 5 and 7): Check Gradients on the row of
the step on show, and no number of that row before its phase."""

import pytest
from PySide6.QtCore import QObject

from backprop_gui.engine.notation import format_number


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def walk_to(window, kind, layer=None):
    """Next Phase until the phase on show is (kind, layer)."""
    for _ in range(20):
        window.actions.next_phase_action.trigger()
        phase = window.cursor.phase
        if phase.kind == kind and (layer is None or phase.layer == layer):
            return phase
    raise AssertionError(f"never reached {kind} {layer}")


def gradient_cells(dialog):
    table = dialog.table
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def test_check_gradients_during_the_walk_of_row_1_shows_27360(window):
    window.actions.notes_example_action.trigger()
    walk_to(window, "backward", 0)
    record = window.cursor.explainer.record
    assert list(record.rows) == [0]
    window.actions.gradient_check_action.trigger()
    dialog = window.actions.gradient_check_dialog
    assert dialog.isVisible()
    assert gradient_cells(dialog)["w¹₁₁"] == "27360"
    summary = dialog.summary.text()
    assert "row 1 (IQ 80, CGPA 8, Package (LPA) 5)" in summary and "step 1 on show" in summary
    # The step is made: the network holds the updated weights, yet the check is at those on screen.
    assert window.lesson.network.weights[0][0, 0] != 1.0
    # Finishing the step: the update is on screen, so the check moves to the row the next step uses.
    window.actions.step_action.trigger()
    assert "row 2" in dialog.summary.text() and "next step" in dialog.summary.text()


def test_check_gradients_otherwise_names_the_selected_row_and_why(window):
    window.actions.notes_example_action.trigger()
    window.table.selectRow(2)
    window.actions.gradient_check_action.trigger()
    dialog = window.actions.gradient_check_dialog
    assert "row 3 (IQ 110" in dialog.summary.text() and "selected" in dialog.summary.text()
    network = window.lesson.network
    _, weight_grads, _ = window.lesson._ensure_trainer().gradients([2], penalty=True)
    assert gradient_cells(dialog)["w¹₁₁"] == format_number(float(weight_grads[0][0, 0]), 10)
    assert network.weights[0][0, 0] == 1.0


def prediction(window):
    window.data_panel.prediction_panel.refresh()
    return window.data_panel.prediction_panel.prediction_text()


@pytest.mark.parametrize("phase_kind, layer, shows_y_hat, shows_loss", [
    ("pick", None, False, False), ("forward", 0, False, False), ("forward", 1, True, False),
    ("loss", None, True, True), ("backward", 1, True, True),
])  # fmt: skip
def test_no_answer_before_its_phase(window, phase_kind, layer, shows_y_hat, shows_loss):
    window.actions.notes_example_action.trigger()
    walk_to(window, phase_kind, layer)
    panel = window.data_panel.prediction_panel
    for field, value in zip(panel.inputs, ("80", "8")):
        field.setText(value)  # the row being walked
    text = prediction(window)
    assert ("176" in text) == shows_y_hat, text
    metrics = window.loss_panel.metrics
    metrics.refresh()
    loss_text = metrics.loss.text()
    assert (loss_text != "—") == shows_loss, loss_text
    log = window.step_log.model
    last = log.rowCount() - 1
    assert (log.data(log.index(last, 3)) == "176") == shows_y_hat
    assert (log.data(log.index(last, 4)) == "29241") == shows_loss
    # No tooltip of the window holds ŷ before the forward pass reaches it.
    if not shows_y_hat:
        tips = [w.toolTip() for w in window.findChildren(QObject) if hasattr(w, "toolTip")]
        tips += [item.toolTip() for item in window.network_view.scene().items()]
        assert not any("176" in tip for tip in tips)


def test_phase_2_of_the_notes_first_step_hides_176(window):
    window.actions.notes_example_action.trigger()
    window.actions.next_phase_action.trigger()
    window.actions.next_phase_action.trigger()
    assert window.cursor.phase_index == 1  # phase 2: the forward pass through the hidden layer
    assert "176" not in prediction(window)


def test_placement_with_cross_entropy_shows_the_notes_factors_of_w211(window):
    from backprop_gui.engine.explain import number

    window.document.open_example("placement.csv")
    controls = window.controls
    controls.task.setCurrentIndex(controls.task.findData("classification"))
    window.actions.step_action.trigger()
    chooser = find(window, "parameterChooser")
    chooser.setCurrentIndex(chooser.findText("w²₁₁"))
    text = window.chain_rule_panel.text()
    record = window.lesson.last_record
    y_hat = float(record.y_hat[0, 0])
    assert f"∂ŷ/∂z₂₁ = ŷ(1 − ŷ) = {number(y_hat)}(1 − {number(y_hat)}) = {number(y_hat * (1 - y_hat))}" in text
    assert "∂L/∂ŷ = −(y − ŷ)/(ŷ(1 − ŷ))" in text
    assert f"= {number(float(record.dloss_dyhat[0, 0]))}" in text
    assert "∂L/∂ŷ · ∂ŷ/∂z₂₁ = −(y − ŷ)" in text
