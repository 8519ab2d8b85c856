"""Every number on screen agrees with the engine, whatever was done before (issue 12's defects 1–6 and 11)."""

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QToolTip

from backprop_gui.engine import evaluate
from backprop_gui.engine.explain.explainer import number
from backprop_gui.engine.notation import format_number


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def shown_prediction(window, qtbot):
    """The prediction panel's number once its refresh has run."""
    panel = window.data_panel.prediction_panel
    qtbot.wait(80)  # the panel refreshes at most every 50 ms
    return panel.prediction_text()


def engine_prediction(window, parameters=None):
    fields = window.data_panel.prediction_panel.inputs
    values = np.array([[float(f.text()) for f in fields]])
    return format_number(float(window.lesson.predict(values, parameters)[0, 0]))


def plotted_epochs(window):
    """The epoch the loss curve ends at (a long history is drawn as fewer points)."""
    x = window.loss_panel.plot.curve.getOriginalDataset()[0]
    return 0 if x is None or len(x) == 0 else int(x[-1])


def diagram_matches_network(window):
    view = window.network_view
    sizes = window.lesson.network.layer_sizes
    return [len(column) for column in view.neurons] == sizes


# 1 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["Step", "Next Phase"])
def test_changing_the_architecture_after_a_step_redraws_the_diagram(window, qtbot, how):
    (find(window, "stepButton") if how == "Step" else find(window, "nextPhaseButton")).click()
    find(window, "hiddenLayersInput").setValue(3)
    assert window.lesson.network.layer_sizes == [2, 2, 2, 2, 1]
    assert diagram_matches_network(window)
    assert not window.cursor.active and window.network_view.phase_text() == ""
    find(window, "stepButton").click()
    assert "Step 1" in window.network_view.phase_text()


# 2 -------------------------------------------------------------------------------------------
def test_the_prediction_follows_a_cell_edit_deleting_every_row_and_undo(window, qtbot):
    before = shown_prediction(window, qtbot)
    window.table_model.setData(window.table_model.index(1, 0), "100")  # new standardisation statistics
    after = shown_prediction(window, qtbot)
    assert after == engine_prediction(window) and after != before
    window.table.selectAll()
    window.table_actions.delete_rows_action.trigger()
    assert window.lesson.table.n_rows == 0
    assert shown_prediction(window, qtbot) == "—"
    window.undo_action.trigger()
    assert shown_prediction(window, qtbot) == after


# 3 -------------------------------------------------------------------------------------------
def test_walking_a_step_shows_no_number_of_a_later_phase(notes_window, qtbot):
    window = notes_window
    find(window, "nextPhaseButton").click()
    record = window.lesson.last_record
    assert window.cursor.phase.kind == "pick"
    status = window.statusBar().currentMessage()
    assert "ŷ" not in status and "29241" not in status and "176" not in status
    # The row's ŷ would show in the prediction (the inputs are row 1's): none until the forward pass reaches it.
    assert "176" not in shown_prediction(window, qtbot) and "forward pass reaches ŷ" in shown_prediction(window, qtbot)
    metrics = evaluate(window.lesson.network.copy(), window.lesson.table.inputs(), window.lesson.table.targets())
    assert find(window, "metricLoss").text() != number(metrics.loss)  # not the updated network's loss
    assert find(window, "metricLoss").text() == "—"  # nor the old one, which holds the row's loss
    for _ in range(10):
        find(window, "nextPhaseButton").click()
        if window.cursor.phase.kind == "update":
            break
    assert shown_prediction(window, qtbot) == engine_prediction(window)
    assert "ŷ = 176" in window.statusBar().currentMessage()


# 4 -------------------------------------------------------------------------------------------
def test_the_caption_describes_the_weights_on_show(window):
    controls = window.controls
    labels = [edge.label.text() for edge in window.network_view.edges]
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    caption = window.network_view.caption()
    assert "started from random weights, seed 0" in caption
    assert "Reset applies the new choice: weights 1, biases 0" in caption
    assert [edge.label.text() for edge in window.network_view.edges] == labels
    find(window, "resetButton").click()
    caption = window.network_view.caption()
    assert "started from weights 1, biases 0" in caption and "Reset applies" not in caption


# 5 -------------------------------------------------------------------------------------------
def test_a_new_table_starts_afresh_and_the_gradient_check_follows(window, qtbot):
    window.train_and_wait()
    assert plotted_epochs(window) > 0
    find(window, "gradientCheckButton").click()
    dialog = window.actions.gradient_check_dialog
    assert dialog.isVisible() and "Package (LPA)" in dialog.summary.text()
    assert window.document.open_example("placement.csv")
    assert len(window.lesson.loss_history) == 0
    assert plotted_epochs(window) == 0
    fresh = window.lesson.settings.build_network(2)
    assert all(np.array_equal(a, b) for a, b in zip(window.lesson.network.weights, fresh.weights))
    assert dialog.isVisible() and "Package (LPA)" not in dialog.summary.text()
    assert "Placed (0/1)" in dialog.summary.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


# 6 -------------------------------------------------------------------------------------------
def test_back_brings_back_a_network_replaced_by_another_architecture(window, qtbot):
    window.train_and_wait()
    trained = [w.copy() for w in window.lesson.network.weights]
    history = window.lesson.loss_history.values.copy()
    find(window, "hiddenLayersInput").setValue(2)
    assert len(window.lesson.loss_history) == 0
    find(window, "backButton").click()
    assert find(window, "hiddenLayersInput").value() == 1
    assert all(np.array_equal(a, b) for a, b in zip(window.lesson.network.weights, trained))
    assert np.array_equal(window.lesson.loss_history.values, history)
    assert diagram_matches_network(window)
    assert "change of network" in window.statusBar().currentMessage()


# 11 ------------------------------------------------------------------------------------------
def test_a_refused_cell_says_so_at_the_table_and_an_accepted_edit_clears_it(window, qtbot):
    window.table.setCurrentIndex(window.table_model.index(0, 0))
    assert not window.table_model.setData(window.table_model.index(0, 0), "abc")
    assert "IQ of row 1 stays 80" in QToolTip.text()
    assert window.statusBar().currentMessage().startswith("Refused")
    assert window.table_model.setData(window.table_model.index(1, 0), "65")
    assert not window.statusBar().currentMessage().startswith("Refused")


def test_a_refused_huge_value_keeps_the_table_finite(window):
    assert not window.table_model.setData(window.table_model.index(0, 0), "1e308")
    assert "too large" in window.statusBar().currentMessage()
    assert np.isfinite(window.lesson.scaler().std).all()


def test_the_nudge_strip_waits_for_the_update_of_a_step_on_show(notes_window, qtbot):
    window = notes_window
    find(window, "nextPhaseButton").click()
    panel = find(window, "nudgePanel")
    assert "176" not in panel.result.text() and "=" not in panel.parameter_label.text()
    assert not panel.up_action.isEnabled()
    find(window, "stepButton").click()  # finishes the step: its update is on show
    assert panel.up_action.isEnabled()
    new = window.lesson.network.weights[0][0, 0]
    assert panel.parameter_label.text() == f"w¹₁₁ = {format_number(new)}"


def test_an_accepted_edit_clears_a_refusal_only_while_it_is_the_message_on_show(window):
    """The window knows a refusal by the signal that brought it, not by how its text begins."""
    status = window.statusBar()
    assert not window.table_model.setData(window.table_model.index(0, 0), "abc")
    refusal = status.currentMessage()
    window.feedback.status("Refused is only a word here, in a message of another kind")
    assert window.table_model.setData(window.table_model.index(1, 0), "65")
    assert status.currentMessage() == "Refused is only a word here, in a message of another kind" != refusal
    window.controls.refused.emit("A choice the form turned down.")
    assert window.table_model.setData(window.table_model.index(1, 0), "66")
    assert status.currentMessage() == ""
