"""Stepping through backpropagation in the window: phases, the derivation panel, Back, the step log, prediction."""

import re

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence

from backprop_gui.engine.explain.explainer import number
from backprop_gui.engine.notation import all_parameters
from backprop_gui.files.step_log_csv import as_arrays, read_step_log

NOTES_PARAMETERS = all_parameters([2, 2, 1])


DL_DYHAT = "∂L/∂ŷ = −2(y − ŷ) = −2(5 − 176) = 342"

def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def parameters(window):
    weights, biases = window.lesson.network.get_parameters()
    return weights + biases


def assert_bitwise_equal(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert a.tobytes() == b.tobytes()


def shown_gradient_and_update(text):
    """The result ∂L/∂p and the new value p as the derivation panel prints them."""
    lines = text.splitlines()
    update = next(i for i, line in enumerate(lines) if "←" in line)
    results = [m.group(1) for line in lines[:update] if (m := re.fullmatch(r"\s+= (\S+)", line))]
    new_value = re.search(r"= (\S+)$", lines[update + 1]).group(1)
    return results[-1], new_value


def engine_values(record, ref):
    if ref.kind == "w":
        return record.weight_grads[ref.layer][ref.i, ref.j], record.weights_after[ref.layer][ref.i, ref.j]
    return record.bias_grads[ref.layer][ref.i], record.biases_after[ref.layer][ref.i]


def test_one_step_with_the_notes_choices_shows_176_and_29241(notes_window):
    find(notes_window, "stepButton").click()
    on_screen = notes_window.network_view.phase_text() + "\n" + notes_window.statusBar().currentMessage()
    assert "ŷ = 176" in on_screen and "L = 29241" in on_screen
    assert notes_window.network_view.neuron(2, 0).value_text.text() == "176"


def test_the_derivation_of_each_of_the_nine_parameters_shows_the_engines_value(notes_window):
    find(notes_window, "stepButton").click()
    record = notes_window.lesson.last_record
    chooser = find(notes_window, "parameterChooser")
    panel = find(notes_window, "derivationPanel")
    assert chooser.count() == 9
    for index, ref in enumerate(NOTES_PARAMETERS):
        chooser.setCurrentIndex(index)
        text = panel.text()
        assert text.startswith(f"{DL_DYHAT}\n∂L/∂{ref.name} = ")  # ∂L/∂ŷ on its own line first (issue 24)
        gradient_text, new_text = shown_gradient_and_update(text)
        gradient, new_value = engine_values(record, ref)
        assert gradient_text == number(gradient) and new_text == number(new_value)
        assert float(gradient_text.replace("−", "-")) == pytest.approx(gradient, rel=1e-6)
        assert float(new_text.replace("−", "-")) == pytest.approx(new_value, rel=1e-6)
    chooser.setCurrentIndex(0)
    assert "= −2(5 − 176) · 1 · 80" in panel.text() and "= 27360" in panel.text()


def test_clicking_a_weight_on_the_diagram_explains_it(notes_window, qtbot):
    find(notes_window, "stepButton").click()
    view = notes_window.network_view
    edge = next(e for e in view.edges if e.parameter.name == "w²₂₁")
    point = view.mapFromScene(edge.label.scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert find(notes_window, "parameterChooser").currentText() == "w²₂₁"
    assert find(notes_window, "derivationPanel").text().startswith(f"{DL_DYHAT}\n∂L/∂w²₂₁ = ∂L/∂ŷ · ∂ŷ/∂w²₂₁")


def test_next_phase_walks_the_five_phases_in_order_and_ends_where_step_does(notes_window, window_factory):
    next_phase = find(notes_window, "nextPhaseButton")
    assert notes_window.actions.next_phase_action.shortcut() == QKeySequence("F11")
    titles = []
    for _ in range(7):  # pick, forward ×2 layers, loss, backward ×2 layers, update
        next_phase.click()
        titles.append(notes_window.network_view.phase_text().splitlines()[0])
    numbers = [int(re.search(r"(\d)\. ", title).group(1)) for title in titles]
    assert numbers == [1, 2, 2, 3, 4, 4, 5]
    assert "Backward pass, output layer" in titles[4] and "hidden layer 1" in titles[5]
    # The values on screen at each phase are the record's: the loss phase said 29241.
    assert notes_window.data_panel.highlight.rows == {0}

    other = window_factory()
    find(other, "stepButton").click()
    assert_bitwise_equal(parameters(notes_window), parameters(other))
    # The next press starts the next step, on the next row.
    next_phase.click()
    assert notes_window.lesson.last_record.rows.tolist() == [1]


def test_the_forward_phase_shows_only_what_has_been_computed(notes_window):
    notes_window.actions.next_phase()
    view = notes_window.network_view
    assert view.neuron(0, 0).value_text.text() == "80" and view.neuron(1, 0).value_text.text() == ""
    notes_window.actions.next_phase()
    assert view.neuron(1, 0).value_text.text() == "88" and view.neuron(2, 0).value_text.text() == ""
    assert "O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁ = 1·80 + 1·8 + 0 = 88" in view.phase_text()
    # Until the backward pass reaches a layer, its derivation has symbols and no numbers.
    assert "27360" not in find(notes_window, "derivationPanel").text()
    for _ in range(4):
        notes_window.actions.next_phase()
    assert "∂L/∂w¹₁₁ = 27360" in [e.label.text() for e in view.edges]
    assert "= 27360" in find(notes_window, "derivationPanel").text()


def test_back_goes_back_a_phase_then_takes_the_step_back(notes_window):
    initial = parameters(notes_window)
    for _ in range(3):
        notes_window.actions.next_phase()
    back = find(notes_window, "backButton")
    back.click()
    assert "2. Forward pass, hidden layer 1" in notes_window.network_view.phase_text()
    back.click()
    back.click()  # from the first phase, Back takes the step back
    assert_bitwise_equal(parameters(notes_window), initial)
    assert notes_window.lesson.step_log == []


def test_back_after_n_steps_restores_parameters_history_and_row_order_bit_for_bit(window):
    window.controls.order.setCurrentIndex(window.controls.order.findData("random"))
    states = []
    for _ in range(7):  # more than two epochs of the three rows, in random order
        states.append((parameters(window), window.lesson.loss_history.values.copy()))
        window.actions.step()
    forward_records = [e.record for e in window.lesson.step_log]
    assert len(window.lesson.loss_history) == 2
    for parameters_before, history_before in reversed(states):
        find(window, "backButton").click()
        assert_bitwise_equal(parameters(window), parameters_before)
        np.testing.assert_array_equal(window.lesson.loss_history.values, history_before)
    assert window.lesson.step_log == []
    # The trainer's place and its random row order came back too: the same steps happen again.
    for record in forward_records:
        window.actions.step()
        again = window.lesson.last_record
        assert again.rows.tolist() == record.rows.tolist() and again.loss == record.loss
    assert_bitwise_equal(
        parameters(window), forward_records[-1].weights_after + forward_records[-1].biases_after
    )


def test_back_takes_back_a_training_run_whole(notes_window, qtbot):
    notes_window.controls.epochs.setValue(50)
    notes_window.actions.step()
    after_step = parameters(notes_window)
    with qtbot.waitSignal(notes_window.runner.trainingFinished, timeout=30_000):
        notes_window.actions.train()
    assert len(notes_window.lesson.loss_history) == 50
    notes_window.actions.back()
    assert_bitwise_equal(parameters(notes_window), after_step)
    assert len(notes_window.lesson.loss_history) == 0


def test_jumping_to_a_step_in_the_log_shows_its_recorded_values(notes_window, qtbot):
    for _ in range(3):
        notes_window.actions.step()
    log = find(notes_window, "stepLog")
    assert log.model().rowCount() == 3
    second = notes_window.lesson.step_log[1].record
    qtbot.mouseClick(log.viewport(), Qt.MouseButton.LeftButton, pos=log.visualRect(log.model().index(1, 0)).center())
    assert "Step 2" in notes_window.network_view.phase_text() and "earlier step" in notes_window.network_view.phase_text()
    assert log.model().index(1, 4).data() == number(second.loss)
    gradient_text, new_text = shown_gradient_and_update(find(notes_window, "derivationPanel").text())
    assert gradient_text == number(second.weight_grads[0][0, 0]) and new_text == number(second.weights_after[0][0, 0])
    assert notes_window.network_view.neuron(2, 0).value_text.text() == number(second.y_hat[0, 0])
    assert notes_window.data_panel.highlight.rows == {1}
    # Looking does not change the network: it is still after step 3.
    latest = notes_window.lesson.step_log[-1].record
    assert_bitwise_equal(parameters(notes_window), latest.weights_after + latest.biases_after)


def test_the_exported_step_log_reloads_to_the_same_numbers(notes_window, tmp_path):
    for _ in range(4):
        notes_window.actions.step()
    path = tmp_path / "log.csv"
    assert notes_window.document.export_step_log(path)
    logged = read_step_log(path)
    records = [e.record for e in notes_window.lesson.step_log]
    assert [s.step for s in logged] == [r.step for r in records]
    for step, record in zip(logged, records):
        assert step.rows == record.rows.tolist() and step.epoch == record.epoch
        assert step.loss == record.loss and step.y_hat == record.y_hat[0, 0]
        weights, biases = as_arrays(step, [2, 2, 1])
        assert_bitwise_equal(weights + biases, record.weights_after + record.biases_after)
        for ref in NOTES_PARAMETERS:
            assert step.gradients[ref.name] == engine_values(record, ref)[0]


def test_exporting_with_no_steps_says_so(window, tmp_path, message_boxes):
    assert not window.document.export_step_log(tmp_path / "log.csv")
    assert not (tmp_path / "log.csv").exists()
    assert "no steps" in message_boxes[-1][2]


def test_stepping_on_the_selected_row(notes_window):
    find(notes_window, "rowSourceInput").setCurrentIndex(1)
    notes_window.actions.step()
    assert "Select a row" in notes_window.statusBar().currentMessage()
    assert notes_window.lesson.step_log == []
    notes_window.table.selectRow(2)
    notes_window.actions.step()
    assert notes_window.lesson.last_record.rows.tolist() == [2]
    assert notes_window.lesson.last_record.y_hat[0, 0] == 110 + 7 + 110 + 7


def test_the_prediction_panel_predicts_in_the_tables_units_and_follows_the_weights(notes_window, qtbot):
    panel = find(notes_window, "predictionPanel")
    output = panel.findChild(QObject, "predictionOutput")
    find(panel, "predictionInput0").setText("80")
    find(panel, "predictionInput1").setText("8")
    qtbot.waitUntil(lambda: output.text() == "176")  # weights 1, biases 0: 2·(80 + 8)
    notes_window.actions.step()
    expected = number(notes_window.lesson.network.predict(np.array([80.0, 8.0]))[0])
    assert expected != "176"
    qtbot.waitUntil(lambda: output.text() == expected)
    find(panel, "predictionInput0").setText("abc")
    assert "number" in output.text()


def test_standardised_inputs_are_predicted_from_the_users_units(window, qtbot):
    panel = find(window, "predictionPanel")
    find(panel, "predictionInput0").setText("110")
    find(panel, "predictionInput1").setText("7")
    row = window.lesson.scaler().transform(np.array([[110.0, 7.0]]))
    expected = number(window.lesson.network.predict(row)[0, 0])
    qtbot.waitUntil(lambda: panel.findChild(QObject, "predictionOutput").text() == expected)


def test_a_deep_sigmoid_network_steps_through_and_explains_with_the_delta_rule(window):
    window.lesson.update_settings(hidden_layers=(3, 2), hidden_activation="sigmoid")
    phases = 0
    while True:
        window.actions.next_phase()
        phases += 1
        if "5. Update" in window.network_view.phase_text():
            break
    assert phases == 1 + 3 + 1 + 3 + 1
    find(window, "parameterChooser").setCurrentIndex(0)
    text = find(window, "derivationPanel").text()
    assert "δ₁₁" in text and "O₁₁(1 − O₁₁)" in text
    record = window.lesson.last_record
    assert shown_gradient_and_update(text)[0] == number(record.weight_grads[0][0, 0])


def test_the_prediction_follows_a_training_run_while_it_runs(window, qtbot):
    output = find(window, "predictionPanel").findChild(QObject, "predictionOutput")
    before = output.text()
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    try:
        qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 200, timeout=10_000)
        qtbot.waitUntil(lambda: output.text() != before, timeout=2_000)
    finally:
        with qtbot.waitSignal(window.runner.trainingFinished, timeout=5_000):
            window.runner.stop()


def test_the_chain_rule_wraps_long_lines_at_operators_instead_of_scrolling_sideways(notes_window, qtbot):
    import re

    from PySide6.QtWidgets import QScrollArea

    def unwrapped(text):  # a break before an operator, and the indent after it, read as one space
        return re.sub(r"\s*\n\s*(?=[=·+−←→] )", " ", text)

    panel = notes_window.chain_rule_panel
    notes_window.step_button.click()
    whole = panel.text()
    scroll = panel.findChild(QScrollArea)
    for width in (900, 420, 300):
        panel.resize(width, 400)
        panel.show()
        qtbot.waitUntil(lambda: scroll.viewport().width() < width)
        assert scroll.horizontalScrollBar().maximum() == 0
        assert unwrapped(panel.derivation.text()) == unwrapped(whole)  # every number shown whole
    assert panel.derivation.text().count("\n") > whole.count("\n")  # 300 pixels is too narrow for its first line


def test_the_output_layers_backward_phase_shows_dl_dyhat_on_its_own_line(notes_window):
    view = notes_window.network_view
    for _ in range(5):  # pick, forward ×2, loss, backward (output layer)
        notes_window.actions.next_phase_action.trigger()
    assert "Backward pass, output layer" in view.phase_text()
    assert DL_DYHAT in view.phase_text().split("\n")
    notes_window.actions.next_phase_action.trigger()  # the hidden layer's: the line has been said
    assert DL_DYHAT not in view.phase_text().split("\n")
