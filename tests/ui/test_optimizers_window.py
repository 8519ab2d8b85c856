"""Issue 14 in the window: the form's new inputs, the validation share marked in the table, the
second loss curve and the metrics of training and validation rows side by side."""

import numpy as np
from PySide6.QtCore import QObject, Qt

from backprop_gui.engine import evaluate
from backprop_gui.engine.notation import format_number


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, name
    return widget


def test_the_form_offers_every_optimizer_and_option_with_a_tooltip(window):
    optimizer = find(window, "optimizerInput")
    assert [optimizer.itemData(i) for i in range(optimizer.count())] == ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
    for name in ("optimizerInput", "momentumInput", "l2Input", "l1Input", "validationInput", "patienceInput"):
        assert find(window, name).toolTip()
    optimizer.setCurrentIndex(optimizer.findData("adam"))
    assert window.lesson.settings.optimizer == "adam"


def test_validation_rows_are_marked_and_measured_apart(window, qtbot):
    assert window.document.open_example("package_regression.csv")
    find(window, "validationInput").setValue(20)
    rows = set(int(r) for r in window.lesson.validation_rows())
    assert len(rows) == 60
    model = window.table_model
    marked = {r for r in range(model.rowCount()) if "val" in model.headerData(r, Qt.Orientation.Vertical)}
    assert marked == rows
    row = min(rows)
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).italic()
    assert "never trained on" in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    window.controls.epochs.setValue(20)
    window.train_and_wait()
    assert len(window.lesson.validation_history) == len(window.lesson.loss_history) == 20
    panel = window.loss_panel.metrics
    qtbot.waitUntil(lambda: not panel.throttle.pending)
    lesson = window.lesson
    scaled = lesson.scaler().transform(lesson.table.inputs())
    validation = np.array(sorted(rows))
    training = np.setdiff1d(np.arange(lesson.table.n_rows), validation)
    expected_train = evaluate(lesson.network, scaled[training], lesson.table.targets()[training], "mse")
    expected_validation = evaluate(lesson.network, scaled[validation], lesson.table.targets()[validation], "mse")
    assert find(window, "metricLoss").text() == format_number(expected_train.loss)
    assert find(window, "metricLossValidation").text() == format_number(expected_validation.loss)
    assert find(window, "metricLossValidation").isVisible()
    find(window, "validationInput").setValue(0)
    qtbot.waitUntil(lambda: not panel.throttle.pending)
    assert not find(window, "metricLossValidation").isVisible()
    assert not any("val" in model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount()))
