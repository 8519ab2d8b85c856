"""Issue 12, defect 7: the loss plot's axes label cleanly on a log scale, survive a divergence,
and start afresh when the history is cleared."""

import warnings

import numpy as np
import pytest

from backprop_gui.engine.notation import parse_number


@pytest.fixture
def plot(qtbot):
    from backprop_gui.ui.plots.loss_plot import LossPlot

    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(560, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def render(plot, tmp_path, name):
    """Paint the plot as a user would see it (and keep the picture for a look)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert plot.grab().save(str(tmp_path / f"{name}.png"))


def left_ticks(plot):
    axis = plot.plot_widget.getPlotItem().getAxis("left")
    low, high = plot.plot_widget.getPlotItem().getViewBox().viewRange()[1]
    levels = axis.tickValues(low, high, axis.geometry().height())
    values = [v for _, level in levels for v in level]
    return axis, values, axis.tickStrings(values, 1.0, None), (low, high)


CLASSIFICATION = 0.05 + 0.65 * np.exp(-np.arange(1, 1001) / 80)


def test_log_scale_near_0_05_is_labelled_in_plain_numbers_without_overlap(plot, tmp_path):
    plot.log_scale.setChecked(True)
    plot.show_history(CLASSIFICATION)
    render(plot, tmp_path, "log")

    axis, values, labels, (low, high) = left_ticks(plot)
    assert axis.labelString().count("x0.001") == 0 and "mean loss L" in axis.labelString()
    assert not any("·" in text or "10" in text and "e" not in text and "." not in text for text in labels), labels
    shown = [parse_number(text) for text in labels]
    assert shown == pytest.approx([10**v for v in values], rel=1e-6)
    assert any(text == "0.05" for text in labels) and any(text in ("0.5", "0.2", "0.1") for text in labels), labels
    assert all(low <= v <= high for v in values)  # no tick outside the plot, so none is clipped
    assert len(values) <= axis.geometry().height() / 32  # room for every label: no overlap
    assert axis.style["hideOverlappingLabels"] is True


def test_linear_scale_never_uses_an_si_prefix(plot, tmp_path):
    plot.show_history(CLASSIFICATION)
    render(plot, tmp_path, "linear")
    axis, _, labels, _ = left_ticks(plot)
    assert "(x" not in axis.labelString() and labels and all(parse_number(t) < 1 for t in labels)


DIVERGED = np.concatenate([np.linspace(30, 20, 50), 20 * 10.0 ** np.arange(1, 27), [np.inf, np.nan]])


@pytest.mark.parametrize("log", [False, True])
def test_after_a_divergence_the_finite_points_are_drawn_and_the_rest_reported(plot, tmp_path, log):
    plot.log_scale.setChecked(log)
    plot.show_history(DIVERGED)
    render(plot, tmp_path, f"diverged_{log}")

    x, y = plot.curve.getData()
    assert len(x) == 76 and np.all(np.isfinite(y))
    x_low, x_high = plot.plot_widget.getPlotItem().getViewBox().viewRange()[0]
    assert -10 < x_low < 2 and 70 < x_high < 90  # not −1000 … 1000
    axis, _, labels, _ = left_ticks(plot)
    assert "(x" not in axis.labelString() and "1e+27" not in axis.labelString()
    assert labels and all(np.isfinite(parse_number(t)) for t in labels)
    assert "Epoch 78: mean loss NaN" in plot.latest.text()
    assert "(2 epochs not drawn: not finite)" in plot.latest.text()
    assert "2 epochs with a loss above 1e+300 or not a finite number" in plot.latest.toolTip()


def test_a_cleared_history_resets_the_ranges_and_says_so(plot, tmp_path):
    plot.show_history(DIVERGED[:-2])  # the finite part, as a run that diverged keeps it
    render(plot, tmp_path, "before_clear")
    plot.show_history(np.array([]))
    render(plot, tmp_path, "cleared")

    assert plot.latest.text() == "No epochs yet"
    view = plot.plot_widget.getPlotItem().getViewBox()
    (x_low, x_high), (y_low, y_high) = view.viewRange()
    assert x_high <= 10 and y_high <= 1  # the divergence's 1e27 and 78 epochs are gone

    plot.show_history(np.array([3.0, 2.5, 2.0]))
    render(plot, tmp_path, "after_clear")
    (x_low, x_high), (y_low, y_high) = view.viewRange()
    assert 0 < x_low < 1.5 and 2.5 < x_high < 4 and 1.5 < y_low and y_high < 3.5


def test_a_zero_loss_on_a_log_scale_is_reported_not_drawn_at_the_smallest_double(plot, tmp_path):
    plot.log_scale.setChecked(True)
    plot.show_history(np.array([4.0, 1.0, 0.0]))
    render(plot, tmp_path, "zero")
    x, y = plot.curve.getData()
    assert list(x) == [1.0, 2.0] and np.all(np.isfinite(y))
    assert "(1 epoch not drawn: loss 0)" in plot.latest.text()
    assert "1 epoch with a loss of 0, which a log scale cannot show" in plot.latest.toolTip()
    _, _, labels, _ = left_ticks(plot)
    assert all(parse_number(t) >= 0.5 for t in labels)  # not 300 decades down to 1e−308


def test_the_legend_lists_validation_only_when_there_are_validation_rows_in_readable_ink(plot):
    from PySide6.QtGui import QPalette

    def entries():
        return [label.text for _, label in plot.legend.items]

    plot.show_history(CLASSIFICATION)
    assert entries() == ["training"]
    plot.show_history(CLASSIFICATION, CLASSIFICATION * 1.1)
    assert entries() == ["training", "validation"]
    plot.show_history(CLASSIFICATION)
    assert entries() == ["training"]
    ink = plot.plot_widget.palette().color(QPalette.ColorRole.Text).name()
    assert all(label.opts["color"].name() == ink for _, label in plot.legend.items)


@pytest.mark.parametrize("log", [False, True])
def test_the_view_steps_ahead_of_a_growing_run_instead_of_moving_every_epoch(plot, log):
    """Every change of the view redraws both axes: while a run grows, the view stays put until
    the curve leaves it, and it always shows every epoch."""
    plot.log_scale.setChecked(log)
    view = plot.plot_widget.getPlotItem().getViewBox()
    history = 5.0 * np.exp(-np.arange(1, 3001) / 400) + 0.1
    ranges = []
    for n in range(1000, 3001, 100):
        plot.show_history(history[:n])
        (x_low, x_high), (y_low, y_high) = view.viewRange()
        shown = np.log10(history[:n]) if log else history[:n]
        assert x_low <= 1 and x_high >= n and y_low <= shown.min() and y_high >= shown.max()
        ranges.append((x_high, y_high))
    assert len(set(ranges)) <= 5  # 21 frames, a handful of views


def test_a_zoom_by_hand_is_kept_while_the_run_goes_on_and_the_a_button_follows_again(plot):
    view = plot.plot_widget.getPlotItem().getViewBox()
    history = np.linspace(5.0, 1.0, 3000)
    plot.show_history(history[:1000])
    view.setRange(xRange=(100, 200), yRange=(3.0, 4.0), padding=0)  # as a wheel or a drag does
    view.sigRangeChangedManually.emit([True, True])
    plot.show_history(history[:2000])
    assert view.viewRange()[0] == pytest.approx([100, 200])
    view.enableAutoRange()  # the "A" button
    plot.show_history(history)
    (x_low, x_high), _ = view.viewRange()
    assert x_low <= 1 and x_high >= 3000


def test_nothing_drawable_anywhere_leaves_the_view_alone_without_an_error(plot):
    import pyqtgraph as pg

    kept = pg.PlotDataItem([1.0, 2.0], [np.nan, np.nan])
    kept.kept_extents = {}
    plot.plot_widget.getPlotItem().addItem(kept)
    plot.show_history(np.array([np.inf, np.nan]))  # pyqtgraph refused a range of [−inf, inf]
    assert "(2 epochs not drawn: not finite)" in plot.latest.text()
    plot.refit()


@pytest.mark.parametrize("width", [900, 420, 260])
def test_the_header_shows_the_longest_form_that_fits_never_a_number_cut_short(plot, qtbot, width):
    plot.resize(width, 300)
    qtbot.wait(10)
    history, validation = np.full(123_456, 6.73819e-29), np.full(123_456, 7.12345e-29)
    plot.show_history(history, validation)
    text = plot.latest.text()
    assert plot.latest.fontMetrics().horizontalAdvance(text) <= plot.latest.width() - 8 or text.startswith("123,456: L")
    assert "123,456" in text and "6.73819e−29" in text
    if width >= 900:
        assert text == "Epoch 123,456: mean loss 6.73819e−29, validation 7.12345e−29"
    assert plot.latest.toolTip().startswith("Epoch 123,456: mean loss 6.73819e−29, validation 7.12345e−29")


# -- issue 24: a plot that reads at any length ---------------------------------------------------
def test_the_log_scale_turns_on_by_itself_past_three_decades_and_the_users_choice_wins(plot):
    falling = 1e4 * np.exp(-np.arange(1, 2001) / 150)  # from 10⁴ to about 1.6e−2: six decades
    plot.show_history(falling[:100])  # 10⁴ to 5e3: not yet three decades
    assert not plot.log_scale.isChecked()
    plot.show_history(falling)
    assert plot.log_scale.isChecked() and plot.plot_widget.getPlotItem().getAxis("left").logMode
    plot.show_history(np.zeros(0))  # a reset: the scale chosen by itself goes with the history
    assert not plot.log_scale.isChecked()
    plot.log_scale.click()  # the user ticks it...
    plot.log_scale.click()  # ...and clears it: it stays cleared however wide the history
    plot.show_history(falling)
    assert not plot.log_scale.isChecked()


def test_a_divergence_is_marked_on_the_plot_with_its_message(plot):
    from backprop_gui.ui.plots.loss_marks import DIVERGED_COLOUR

    message = "Training diverged at epoch 3: the loss grew past a million times its start. Try a lower learning rate."
    plot.show_history(np.zeros(0))
    plot.mark(0, message, "diverged")
    assert plot.latest.text() != "No epochs yet" and "diverged" in plot.latest.toolTip()
    plot.show_history(np.array([5.0, 40.0]))
    plot.mark(2, message, "diverged")
    lines = [item for item in plot.plot_widget.getPlotItem().items if hasattr(item, "label") and item.label is not None]
    first = "Training diverged at epoch 3: the loss grew past a million times its start."
    assert any(line.label.toPlainText() == first and line.pen.color().name() == DIVERGED_COLOUR for line in lines)
    assert message in plot.latest.toolTip()


def test_a_change_of_input_scaling_mid_lesson_is_marked_on_the_curve(notes_window, qtbot):
    window = notes_window
    window.controls.epochs.setValue(5)
    window.controls.learning_rate.setValue(1e-6)
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=60_000):
        window.actions.train()
    plot = window.loss_panel.plot
    before = len(plot.marks.marks)
    window.controls.scaling.setCurrentIndex(window.controls.scaling.findData("standardize"))
    assert len(plot.marks.marks) == before + 1
    mark = plot.marks.marks[-1]
    assert mark.kind == "change" and mark.epoch == 5 and "input scaling" in mark.text
    window.reset_button.click()  # a cleared history takes its marks with it
    assert plot.marks.marks == []


def test_overlays_replace_each_other_and_the_view_takes_them_in(plot):
    """Kept runs reach the loss plot through set_overlays: the curves drawn are the losses given
    (zero at the smallest positive double, as the run's own), and a new set replaces the old."""
    item = plot.plot_widget.getPlotItem()
    first = plot.set_overlays([("slow", "#E69F00", np.array([4.0, 2.0, 0.0])), ("fast", "#009E73", np.linspace(9, 1, 60))])
    assert len(first) == 2 and all(curve in item.items for curve in first)
    np.testing.assert_array_equal(first[0].getOriginalDataset()[1], [4.0, 2.0, np.finfo(float).tiny])
    assert item.getViewBox().viewRange()[0][1] >= 60  # the longer overlay is in view
    (second,) = plot.set_overlays([("again", "#D55E00", np.array([3.0]))])
    assert all(curve not in item.items for curve in first) and second in item.items
    assert plot.set_overlays([]) == [] and second not in item.items
