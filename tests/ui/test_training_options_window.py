"""Every training option from the controls, as a student reaches it, and what it changes in the engine."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from backprop_gui.engine import Network, make_scaler
from backprop_gui.engine.explain.explainer import number
from backprop_gui.engine.notation import format_number, parse_number


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def choose(window, name, data):
    combo = find(window, name)
    index = combo.findData(data)
    assert index >= 0, f"{name} offers no {data!r}"
    combo.setCurrentIndex(index)


def train_and_wait(window, qtbot, timeout=60_000):
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=timeout) as finished:
        find(window, "trainButton").click()
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0)
    return finished.args[0]


def shown_texts(window):
    """Every piece of text on the diagram, the metrics and the loss header."""
    view = window.network_view
    texts = [edge.label.text() for edge in view.edges] + [tag.text() for tag in view.bias_tags.values()]
    texts += [n.value_text.text() for column in view.neurons for n in column]
    texts += [f.text() for f in (window.loss_panel.metrics.loss, window.loss_panel.metrics.rmse, window.loss_panel.metrics.r2)]
    texts += [window.loss_panel.plot.latest.text(), window.statusBar().currentMessage()]
    return texts


@pytest.fixture
def placement_window(window):
    assert window.document.open_example("placement.csv")
    return window


# -- one test per control ----------------------------------------------------------------


def test_task_control_sets_up_classification_in_one_action(placement_window):
    window = placement_window
    choose(window, "taskInput", "classification")
    settings = window.lesson.settings
    assert (settings.loss, settings.output_activation) == ("bce", "sigmoid")
    assert window.lesson.network.output_activation.name == "sigmoid"
    assert not find(window, "outputActivationInput").isEnabled()  # classification always has a sigmoid output
    record = window.lesson.step()
    y, y_hat = record.targets[0, 0], record.y_hat[0, 0]
    assert record.loss == pytest.approx(-y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat), rel=1e-12)
    choose(window, "taskInput", "regression")
    assert window.lesson.settings.loss == "mse" and window.lesson.network.output_activation.name == "linear"


def test_hidden_layer_controls_rebuild_the_network_and_the_diagram(window):
    find(window, "hiddenLayersInput").setValue(3)
    find(window, "neuronsInput2").setValue(5)
    assert window.lesson.network.layer_sizes == [2, 2, 5, 2, 1]
    assert [len(column) for column in window.network_view.neurons] == [2, 2, 5, 2, 1]
    assert not find(window, "neuronsInput4").isVisibleTo(window.controls)
    record = window.lesson.step()
    assert [z.shape[1] for z in record.z] == [2, 5, 2, 1]
    find(window, "hiddenLayersInput").setValue(0)
    assert window.lesson.network.layer_sizes == [2, 1]
    assert [len(column) for column in window.network_view.neurons] == [2, 1]


def test_hidden_activation_control_changes_the_forward_pass(window):
    choose(window, "hiddenActivationInput", "tanh")
    record = window.lesson.step()
    np.testing.assert_allclose(record.outputs[0], np.tanh(record.z[0]), rtol=1e-15)
    choose(window, "hiddenActivationInput", "relu")
    record = window.lesson.step()
    np.testing.assert_array_equal(record.outputs[0], np.maximum(record.z[0], 0))


def test_output_activation_control_changes_the_prediction(window):
    choose(window, "outputActivationInput", "sigmoid")
    record = window.lesson.step()
    np.testing.assert_allclose(record.y_hat, 1 / (1 + np.exp(-record.z[-1])), rtol=1e-12)


def test_update_mode_controls_set_how_many_rows_a_step_uses(window):
    choose(window, "orderInput", "sequential")
    assert not find(window, "batchSizeInput").isEnabled()
    assert len(window.lesson.step().rows) == 1
    choose(window, "modeInput", "minibatch")
    assert find(window, "batchSizeInput").isEnabled()
    find(window, "batchSizeInput").setValue(2)
    window.reset_button.click()
    assert window.lesson.step().rows.tolist() == [0, 1]
    assert window.lesson.step().rows.tolist() == [2]  # the last batch is shorter
    choose(window, "modeInput", "batch")
    record = window.lesson.step()
    assert sorted(record.rows.tolist()) == [0, 1, 2]
    assert record.epoch_loss == record.loss  # one update per epoch


def test_initialisation_seed_and_new_weights_controls(window):
    choose(window, "initInput", "normal")
    find(window, "seedInput").setValue(7)
    window.reset_button.click()
    expected = Network([2, 2, 1], init="normal", seed=7)
    for shown, fresh in zip(window.lesson.network.weights, expected.weights):
        np.testing.assert_array_equal(shown, fresh)
    window.lesson.step()
    window.reset_button.click()  # the same seed re-creates the same weights
    for shown, fresh in zip(window.lesson.network.weights, expected.weights):
        np.testing.assert_array_equal(shown, fresh)

    find(window, "newWeightsButton").click()
    seed = window.lesson.settings.seed
    assert find(window, "seedInput").value() == seed != 7
    redrawn = Network([2, 2, 1], init="normal", seed=seed)
    for shown, fresh in zip(window.lesson.network.weights, redrawn.weights):
        np.testing.assert_array_equal(shown, fresh)
    assert str(seed) in window.statusBar().currentMessage()
    choose(window, "initInput", "ones")
    assert not find(window, "newWeightsButton").isEnabled()  # nothing random to redraw


def test_scaling_control_shows_the_statistics_and_keeps_the_table_in_user_units(window):
    values = window.lesson.table.inputs()
    scaler = make_scaler("standardize", values)
    text = find(window, "scalingStatistics").text()
    for name, mean, std in zip(window.lesson.table.input_names, scaler.mean, scaler.std):
        assert f"{name}: mean {format_number(mean)}, std {format_number(std)}" in text
    record = window.lesson.step(rows=[0])
    np.testing.assert_allclose(record.inputs[0], scaler.transform(values[:1])[0])
    assert window.lesson.table.value(0, 0) == 80  # the table stays in IQ points
    choose(window, "scalingInput", "none")
    assert "raw values" in find(window, "scalingStatistics").text()
    assert window.lesson.step(rows=[0]).inputs[0].tolist() == [80.0, 8.0]
    window.table_model.setData(window.table_model.index(0, 0), "90")
    choose(window, "scalingInput", "standardize")
    assert format_number(np.mean([90, 60, 110])) in find(window, "scalingStatistics").text()


def test_convergence_controls_stop_training_early_and_say_at_which_epoch(window, qtbot):
    find(window, "learningRateInput").setValue(0.05)
    find(window, "epochsInput").setValue(100_000)
    assert not find(window, "toleranceInput").isEnabled()
    find(window, "convergenceToggle").setChecked(True)
    find(window, "toleranceInput").setValue(1e-7)
    assert window.lesson.settings.convergence_tolerance == 1e-7
    outcome = train_and_wait(window, qtbot)
    assert outcome.reason == "converged" and outcome.epochs_run < 100_000
    assert f"Converged at epoch {outcome.epochs_run:,}" in window.statusBar().currentMessage()
    assert len(window.lesson.loss_history) == outcome.epochs_run


def test_gradient_check_button_shows_both_gradients_side_by_side(window, qtbot):
    choose(window, "hiddenActivationInput", "tanh")
    window.table.selectRow(1)
    find(window, "gradientCheckButton").click()
    dialog = window.actions.gradient_check_dialog
    qtbot.waitExposed(dialog)
    table = dialog.table
    network = window.lesson.network
    assert table.rowCount() == sum(p.size for p in network.weights + network.biases) == 9
    _, weight_grads, bias_grads = window.lesson._ensure_trainer().gradients([1])
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("w²₂₁")
    assert table.item(row, 1).text() == format_number(weight_grads[1][1, 0], 10)
    for r in range(table.rowCount()):
        analytical, numerical = parse_number(table.item(r, 1).text()), parse_number(table.item(r, 2).text())
        assert numerical == pytest.approx(analytical, rel=1e-6, abs=1e-12)
        assert parse_number(table.item(r, 3).text().split()[0]) < 1e-6
    assert "row 2" in dialog.summary.text() and "agree" in dialog.summary.text()
    dialog.close()


# -- classification, warnings, divergence --------------------------------------------------


def test_classification_defaults_reach_ninety_percent_on_the_placement_example(placement_window, qtbot):
    window = placement_window
    choose(window, "taskInput", "classification")
    outcome = train_and_wait(window, qtbot)
    assert outcome.reason == "completed"
    window.loss_panel.metrics.refresh()
    accuracy = window.lesson.metrics().accuracy
    assert accuracy >= 0.9
    assert window.loss_panel.metrics.accuracy.text() == f"{100 * accuracy:.1f} %"
    assert window.loss_panel.metrics.accuracy.isVisibleTo(window) and not window.loss_panel.metrics.r2.isVisibleTo(window)
    X, y = window.lesson.table.inputs(), window.lesson.table.targets()
    predicted = window.lesson.predict(X)[:, 0] >= 0.5  # predictions from the table's own units
    assert np.mean(predicted == y) == accuracy


def test_classification_on_a_target_that_is_not_zero_or_one_says_why(window):
    choose(window, "taskInput", "classification")  # the notes' packages: 5, 3, 8
    assert "0s and 1s" in window.statusBar().currentMessage()
    warning = find(window, "targetWarning")
    assert warning.isVisibleTo(window) and "0s and 1s" in warning.text()
    assert window.lesson.step() is None
    assert "Cannot train" in window.statusBar().currentMessage()
    assert not window.runner.start()


def test_a_sigmoid_output_on_targets_outside_zero_one_is_warned_about(window):
    warning = find(window, "targetWarning")
    assert not warning.isVisibleTo(window)
    choose(window, "outputActivationInput", "sigmoid")
    assert warning.isVisibleTo(window) and "cannot fit" in warning.text()
    window.lesson.table.remove_rows([0, 1, 2])
    assert not warning.isVisibleTo(window)


def test_regression_metrics_are_the_engines_and_follow_each_step(window):
    from backprop_gui.engine import evaluate

    window.lesson.step()
    window.loss_panel.metrics.refresh()
    scaled = window.lesson.scaler().transform(window.lesson.table.inputs())
    metrics = evaluate(window.lesson.network, scaled, window.lesson.table.targets(), "mse")
    assert window.loss_panel.metrics.loss.text() == format_number(metrics.loss)
    assert window.loss_panel.metrics.rmse.text() == format_number(metrics.rmse)
    assert window.loss_panel.metrics.r2.text() == format_number(metrics.r2)
    assert not window.loss_panel.metrics.accuracy.isVisibleTo(window)


def test_notes_start_on_raw_inputs_diverges_stops_with_advice_and_shows_no_nan(notes_window, qtbot):
    window = notes_window
    find(window, "learningRateInput").setValue(0.001)
    outcome = train_and_wait(window, qtbot)
    assert outcome.reason == "diverged"
    assert window.lesson.network.all_parameters_finite()
    message = window.statusBar().currentMessage()
    assert "diverged" in message and "Standardising the inputs" in message  # raw inputs: it applies
    qtbot.waitUntil(lambda: window.divergence_advisor.last_advice is not None, timeout=20_000)
    message = window.divergence_advisor.last_advice  # said in the status bar (another message may follow)
    assert "diverged" in message and "Try η = " in message and "Standardising the inputs" in message
    window.loss_panel.metrics.refresh()
    QApplication.processEvents()
    for text in shown_texts(window):
        assert "nan" not in text.lower(), text
    assert np.all(np.isfinite(window.lesson.loss_history.values))


def test_zeros_initialisation_keeps_the_hidden_neurons_identical_after_training(window, qtbot):
    choose(window, "initInput", "zeros")
    choose(window, "hiddenActivationInput", "sigmoid")
    find(window, "neuronsInput1").setValue(3)
    window.reset_button.click()
    train_and_wait(window, qtbot)
    w1, w2 = window.lesson.network.weights
    assert np.abs(w2).min() > 0  # training did move the weights
    np.testing.assert_array_equal(w1, w1[:, :1].repeat(3, axis=1))
    assert len(set(window.lesson.network.biases[0].tolist())) == 1
    labels = {edge.parameter.name: edge.label.text().split(" = ")[1] for edge in window.network_view.edges}
    assert labels["w¹₁₁"] == labels["w¹₁₂"] == labels["w¹₁₃"]


# -- sessions and the diagram ---------------------------------------------------------------


def test_every_new_option_is_saved_and_restored_with_the_session(window, tmp_path, qtbot):
    from backprop_gui.ui import MainWindow

    assert window.document.open_example("placement.csv")
    choose(window, "taskInput", "classification")
    choose(window, "hiddenActivationInput", "tanh")
    find(window, "hiddenLayersInput").setValue(2)
    find(window, "neuronsInput1").setValue(4)
    find(window, "neuronsInput2").setValue(3)
    choose(window, "modeInput", "minibatch")
    find(window, "batchSizeInput").setValue(7)
    find(window, "convergenceToggle").setChecked(True)
    find(window, "toleranceInput").setValue(3e-8)
    choose(window, "initInput", "xavier")
    window.lesson.step()
    saved = window.lesson.settings
    assert window.document.save_session(tmp_path / "options.bpsession")

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.document.open_session(tmp_path / "options.bpsession")
    assert other.lesson.settings == saved
    assert other.lesson.network.layer_sizes == [2, 4, 3, 1]
    assert find(other, "taskInput").currentData() == "classification"
    assert find(other, "hiddenActivationInput").currentData() == "tanh"
    assert find(other, "neuronsInput1").value() == 4 and find(other, "batchSizeInput").value() == 7
    assert find(other, "convergenceToggle").isChecked() and find(other, "toleranceInput").value() == 3e-8
    for a, b in zip(other.lesson.network.weights, window.lesson.network.weights):
        np.testing.assert_array_equal(a, b)
    other.close()


def test_the_largest_network_is_drawn_without_overlapping_labels(window):
    find(window, "hiddenLayersInput").setValue(4)
    for k in range(1, 5):
        find(window, f"neuronsInput{k}").setValue(8)
    view = window.network_view
    assert [len(column) for column in view.neurons] == [2, 8, 8, 8, 8, 1]
    tags = [tag for tag in view.bias_tags.values() if tag.isVisible()]
    tags += [edge.label for edge in view.edges if edge.label.isVisible()]
    boxes = [tag.sceneBoundingRect() for tag in tags]
    neurons = [n.sceneBoundingRect() for column in view.neurons for n in column]
    for i, box in enumerate(boxes):
        assert not any(box.intersects(other) for other in boxes[i + 1 :])
        assert not any(box.intersects(n) for n in neurons)
    for edge in view.edges:  # every weight still has its name and value, on hover
        name = edge.parameter.name
        assert edge.toolTip().startswith(name)


def test_a_classification_step_shows_the_cross_entropy_not_the_squared_error(placement_window):
    window = placement_window
    choose(window, "taskInput", "classification")
    window.actions.step()
    record = window.lesson.last_record
    message = window.statusBar().currentMessage()
    assert "log" in message and "(y − ŷ)²" not in message
    assert message.endswith(f"= {number(record.loss)}")  # as the equations print it


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "softplus", "gelu", "silu"])
def test_each_new_activation_is_offered_and_used_by_the_step(window, name):
    from backprop_gui.engine import ACTIVATIONS

    choose(window, "hiddenActivationInput", name)
    record = window.lesson.step()
    np.testing.assert_array_equal(record.outputs[0], ACTIVATIONS[name].forward(record.z[0]))
    choose(window, "outputActivationInput", name)
    assert window.lesson.network.output_activation.name == name


def test_each_hidden_layer_can_have_its_own_activation(window):
    find(window, "hiddenLayersInput").setValue(2)
    per_layer = [find(window, f"hiddenActivationInput{k}") for k in (1, 2, 3)]
    assert per_layer[0].isVisibleTo(window) and per_layer[1].isVisibleTo(window) and not per_layer[2].isVisibleTo(window)
    choose(window, "hiddenActivationInput1", "gelu")
    choose(window, "hiddenActivationInput2", "elu")
    assert [a.name for a in window.lesson.network.activations] == ["gelu", "elu", "linear"]
    assert find(window, "hiddenActivationInput").currentData() == "per_layer"
    record = window.lesson.step()
    np.testing.assert_array_equal(record.outputs[1], np.where(record.z[1] > 0, record.z[1], np.expm1(np.minimum(record.z[1], 0))))
    # One choice for all hidden layers replaces the layers' own.
    choose(window, "hiddenActivationInput", "tanh")
    assert [a.name for a in window.lesson.network.activations] == ["tanh", "tanh", "linear"]
    assert [find(window, f"hiddenActivationInput{k}").currentData() for k in (1, 2)] == ["tanh", "tanh"]
    # Back to one hidden layer: the row of the layers' own choices goes.
    find(window, "hiddenLayersInput").setValue(1)
    assert not per_layer[0].isVisibleTo(window)


def test_the_per_layer_choices_close_with_the_choice_for_every_layer(window):
    find(window, "hiddenLayersInput").setValue(2)
    every, first = find(window, "hiddenActivationInput"), find(window, "hiddenActivationInput1")
    assert first.isEnabled()
    every.setEnabled(False)  # as a lesson page that does not offer the activations closes it
    assert not first.isEnabled()
    every.setEnabled(True)
    assert first.isEnabled()
