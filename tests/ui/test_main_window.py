"""The main window as a student uses it: open, edit the table, Step, Train, Stop, close."""

import sys
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QTableView

from backprop_gui.engine.explain.explainer import number
from backprop_gui.engine.notation import format_number

NAMED_WIDGETS = {
    "networkView": object,
    "datasetTable": QTableView,
    "learningRateInput": QDoubleSpinBox,
    "epochsInput": QSpinBox,
    "stepButton": QAbstractButton,
    "trainButton": QAbstractButton,
    "stopButton": QAbstractButton,
    "resetButton": QAbstractButton,
    "initInput": QComboBox,
    "scalingInput": QComboBox,
    "orderInput": QComboBox,
}


def find(window, name):
    from PySide6.QtCore import QObject

    widget = window.findChild(QObject, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def edge_label(window, name):
    return next(e.label.text() for e in window.network_view.edges if e.parameter.name == name)


def test_window_opens_with_the_notes_table_and_every_named_control(window):
    for name, kind in NAMED_WIDGETS.items():
        assert isinstance(find(window, name), kind)
    model = find(window, "datasetTable").model()
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    np.testing.assert_array_equal(model.values(), [[80, 8, 5], [60, 5, 3], [110, 7, 8]])
    assert "IQ" in model.headerData(0, Qt.Orientation.Horizontal)
    assert "Package (LPA)" in model.headerData(2, Qt.Orientation.Horizontal)
    combos = {name: [find(window, name).itemData(i) for i in range(find(window, name).count())] for name in ("initInput", "scalingInput", "orderInput")}
    assert {"ones", "random"} <= set(combos["initInput"])
    assert set(combos["scalingInput"]) == {"none", "standardize"}
    assert set(combos["orderInput"]) == {"sequential", "random"}
    assert find(window, "stopButton").isEnabled() is False


def test_diagram_names_every_weight_and_bias_with_its_value(window):
    network = window.lesson.network
    names = {edge.parameter.name for edge in window.network_view.edges}
    assert names == {"w¹₁₁", "w¹₁₂", "w¹₂₁", "w¹₂₂", "w²₁₁", "w²₂₁"}
    assert edge_label(window, "w²₂₁") == f"w²₂₁ = {format_number(network.weights[1][1, 0])}"
    assert [tag.text().split(" =")[0] for tag in window.network_view.bias_tags.values()] == ["b₁₁", "b₁₂", "b₂₁"]
    neuron_names = [[n.name_text.text() for n in layer] for layer in window.network_view.neurons]
    assert neuron_names == [["IQ", "CGPA"], ["O₁₁", "O₁₂"], ["ŷ"]]


def test_defaults_in_force_are_shown_on_the_diagram(window):
    caption = window.network_view.caption()
    assert "η = 0.001" in caption and "standardised" in caption and "seed 0" in caption


@pytest.mark.parametrize("value", [1e-6, 1.2345e-6, 0.003, 10.0])
def test_learning_rate_input_keeps_every_digit(window, qtbot, value):
    box = find(window, "learningRateInput")
    box.clear()
    qtbot.keyClicks(box, repr(value))
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    assert box.value() == value
    assert window.lesson.settings.learning_rate == value


def test_learning_rate_arrows_walk_one_two_five(window):
    box = find(window, "learningRateInput")
    box.setValue(0.001)
    box.stepBy(1)
    assert box.value() == 0.002
    box.stepBy(2)
    assert box.value() == 0.01
    box.setValue(0.003)
    box.stepBy(-1)
    assert box.value() == 0.002


def test_epochs_input_reaches_ten_million(window):
    box = find(window, "epochsInput")
    box.setValue(10_000_000)
    assert window.lesson.settings.epochs == 10_000_000


def test_editing_a_cell_changes_the_data_the_next_step_trains_on(notes_window, qtbot):
    table = find(notes_window, "datasetTable")
    index = table.model().index(0, 0)
    table.setCurrentIndex(index)
    assert table.edit(index, QAbstractItemView.EditTrigger.DoubleClicked, None)
    editor = table.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "90")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop pass
    qtbot.waitUntil(lambda: table.model().value(0, 0) == 90)
    record = notes_window.lesson.step()
    np.testing.assert_array_equal(record.inputs, [[90, 8]])
    assert record.y_hat[0, 0] == 2 * (90 + 8)


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "-inf", "1,2"])
def test_a_refused_cell_keeps_its_old_value_with_a_visible_message(window, text):
    model = window.table_model
    accepted = model.setData(model.index(1, 1), text)
    assert accepted is False
    assert model.value(1, 1) == 5
    message = window.statusBar().currentMessage()
    assert "Refused" in message and "row 2" in message and "stays 5" in message


def test_cell_edits_and_row_changes_undo_and_redo(window):
    model = window.table_model
    model.setData(model.index(2, 2), "9.5")
    window.table.selectRow(0)
    window.table_actions.add_row_action.trigger()
    assert model.rowCount() == 4
    window.table.clearSelection()
    window.table.selectRow(1)
    window.table.selectRow(0)
    window.table_actions.delete_rows_action.trigger()
    assert model.rowCount() == 3
    assert window.undo_action.text().startswith("&Undo Delete")
    for expected_rows in (4, 3):
        window.undo_action.trigger()
        assert model.rowCount() == expected_rows
    window.undo_action.trigger()
    assert model.value(2, 2) == 8
    window.redo_action.trigger()
    assert model.value(2, 2) == 9.5


def test_step_shows_the_notes_numbers_and_moves_the_weights_shown(notes_window):
    before = edge_label(notes_window, "w²₁₁")
    find(notes_window, "stepButton").click()
    record = notes_window.lesson.last_record
    assert record.y_hat[0, 0] == 176 and record.loss == 29241
    message = notes_window.statusBar().currentMessage()
    assert "ŷ = 176" in message and "29241" in message
    after = edge_label(notes_window, "w²₁₁")
    assert after != before
    # The step is shown at its update: old → new, the new value being the network's.
    new = notes_window.lesson.network.weights[1][0, 0]
    assert after == f"w²₁₁: 1 → {number(new)}"
    assert notes_window.network_view.neuron(1, 0).value_text.text() == "88"
    assert notes_window.network_view.neuron(2, 0).value_text.text() == "176"
    assert "29241" in notes_window.network_view.phase_text()
    assert notes_window.data_panel.highlight.rows == {0}


def wait_for_training(qtbot, window, timeout=60_000):
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


def test_train_with_defaults_fills_the_plot_and_converges(window, qtbot):
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=60_000) as finished:
        find(window, "trainButton").click()
    assert finished.args[0].reason == "completed"
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0)
    x, y = window.loss_panel.plot.curve.getOriginalDataset()
    assert len(y) == window.lesson.settings.epochs
    assert np.all(np.isfinite(y))
    assert y[-1] < 0.01 * y[0]
    shown = edge_label(window, "w¹₁₁")
    assert shown == f"w¹₁₁ = {format_number(window.lesson.network.weights[0][0, 0])}"


def test_stop_mid_run_keeps_the_state_reached(window, qtbot):
    find(window, "epochsInput").setValue(10_000_000)
    find(window, "trainButton").click()
    assert find(window, "stopButton").isEnabled()
    qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 10, timeout=10_000)
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=5_000) as finished:
        find(window, "stopButton").click()
    outcome = finished.args[0]
    assert outcome.reason == "stopped"
    assert outcome.epochs_run < 10_000_000
    assert len(window.lesson.loss_history) == outcome.epochs_run
    x, y = window.loss_panel.plot.curve.getOriginalDataset()
    history = window.lesson.loss_history.values
    assert x[-1] == outcome.epochs_run and y[-1] == history[-1]  # the curve ends at the last epoch
    assert y.min() == history.min() and y.max() == history.max()
    assert edge_label(window, "w²₂₁") == f"w²₂₁ = {format_number(window.lesson.network.weights[1][1, 0])}"
    assert find(window, "trainButton").isEnabled() and not find(window, "stopButton").isEnabled()
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0)


def test_closing_mid_run_stops_the_thread(window, qtbot):
    find(window, "epochsInput").setValue(10_000_000)
    find(window, "trainButton").click()
    qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 0, timeout=10_000)
    window.close()
    assert window.runner.running_threads() == 0


def test_training_works_on_a_copy_so_edits_during_a_run_wait_for_the_next(window, qtbot):
    find(window, "epochsInput").setValue(10_000_000)
    find(window, "trainButton").click()
    window.table_model.setData(window.table_model.index(0, 2), "6")
    assert window.lesson.table.value(0, 2) == 6
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=5_000):
        window.runner.stop()
    record = window.lesson.step(rows=[0])
    assert record.targets[0, 0] == 6


def test_reset_restores_the_chosen_initialisation_and_clears_the_plot(window, qtbot):
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=60_000):
        window.actions.train()
    first = [w.copy() for w in window.lesson.network.weights]
    window.reset_button.click()
    assert len(window.lesson.loss_history) == 0
    x, y = window.loss_panel.plot.curve.getOriginalDataset()
    assert y is None or len(y) == 0
    from backprop_gui.engine import Network

    expected = Network([2, 2, 1], init="random", seed=0)
    for shown, fresh in zip(window.lesson.network.weights, expected.weights):
        np.testing.assert_array_equal(shown, fresh)
    assert not all(np.array_equal(a, b) for a, b in zip(first, expected.weights))


def test_log_scale_toggle_shows_a_zero_loss_without_warnings(window, qtbot):
    window.loss_panel.plot.log_scale.setChecked(True)
    window.loss_panel.plot.show_history(np.array([4.0, 1.0, 0.0]))
    x, y = window.loss_panel.plot.curve.getData()
    assert np.all(np.isfinite(y))
    assert window.loss_panel.plot.plot_widget.getPlotItem().ctrl.logYCheck.isChecked()


def test_empty_table_refuses_to_train_with_a_message(window):
    window.lesson.table.remove_rows([0, 1, 2])
    assert window.lesson.step() is None
    assert not window.runner.start()
    assert "empty" in window.statusBar().currentMessage()


def test_a_slow_kernel_compilation_is_announced_and_its_end_too(window, qtbot, monkeypatch):
    from backprop_gui.ui.training import training_runner

    monkeypatch.setattr(training_runner, "_warm_up_started", False)
    monkeypatch.setattr(training_runner, "_warm_up_stopped", False)
    monkeypatch.setattr(training_runner, "jit_available", lambda: True)
    loading = threading.Event()

    def load_kernel(may_compile=True, kind="rows"):
        assert not may_compile  # the app's own process never compiles
        loading.wait(30)  # loads once the test has seen the first message

    monkeypatch.setattr(training_runner, "load_kernel", load_kernel)
    monkeypatch.setattr(training_runner, "kernel_loaded", lambda: False)  # as in a process that has not loaded it
    monkeypatch.setattr(training_runner, "WARM_UP_COMMAND", [sys.executable, "-c", "pass"])
    window.runner.warm_up()
    qtbot.waitUntil(lambda: "Preparing the fast training kernel" in window.statusBar().currentMessage(), timeout=3000)
    assert "speeds up when it is ready" in window.statusBar().currentMessage()
    loading.set()
    qtbot.waitUntil(lambda: "ready (prepared in" in window.statusBar().currentMessage(), timeout=10_000)


def test_quitting_ends_a_kernel_compilation_still_running(window, qtbot, monkeypatch):
    """The compiler runs in a child process; quitting must not leave it running, nor compile
    in the app's own process instead."""
    from PySide6.QtCore import QCoreApplication

    from backprop_gui.ui.training import training_runner

    compiled_here = []
    monkeypatch.setattr(training_runner, "_warm_up_started", False)
    monkeypatch.setattr(training_runner, "_warm_up_stopped", False)
    monkeypatch.setattr(training_runner, "jit_available", lambda: True)
    monkeypatch.setattr(training_runner, "load_kernel", lambda may_compile=True, kind="rows": not_cached(compiled_here, may_compile))
    monkeypatch.setattr(training_runner, "WARM_UP_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(training_runner, "_warm_up_child", None)
    earlier = set(threading.enumerate())
    window.runner.warm_up()
    (thread,) = [t for t in threading.enumerate() if t.name == "kernel warm-up" and t not in earlier]
    qtbot.waitUntil(lambda: training_runner._warm_up_child is not None, timeout=3000)
    child = training_runner._warm_up_child
    assert child.poll() is None
    QCoreApplication.instance().aboutToQuit.emit()
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=3000)
    thread.join(3)
    assert not thread.is_alive() and compiled_here == []  # nothing loaded, let alone compiled, here


def not_cached(calls: list, may_compile: bool):
    """A load_kernel that finds numba's cache empty."""
    from backprop_gui.engine.compiled.backprop_compiled import KernelNotCached

    calls.append(may_compile)
    raise KernelNotCached("empty")


def test_quitting_before_the_compilation_starts_starts_none(window, qtbot, monkeypatch):
    """A window closed the instant it opened: the warm-up thread must not start a compiler after."""
    from backprop_gui.ui.training import training_runner

    compiled_here = []
    monkeypatch.setattr(training_runner, "_warm_up_started", False)
    monkeypatch.setattr(training_runner, "_warm_up_stopped", False)
    monkeypatch.setattr(training_runner, "_warm_up_child", None)
    monkeypatch.setattr(training_runner, "jit_available", lambda: True)
    monkeypatch.setattr(training_runner, "load_kernel", lambda may_compile=True, kind="rows": not_cached(compiled_here, may_compile))
    monkeypatch.setattr(training_runner, "WARM_UP_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"])
    training_runner.stop_warm_up()  # the app quits first
    earlier = set(threading.enumerate())
    window.runner.warm_up()
    for thread in [t for t in threading.enumerate() if t.name == "kernel warm-up" and t not in earlier]:
        thread.join(3)
        assert not thread.is_alive()
    assert training_runner._warm_up_child is None and True not in compiled_here

