"""Issue 24, presentation mode: the loss plot's tick labels are larger than in the window and
never overlap, whatever the run's length, on a linear or a log axis."""

import numpy as np
import pytest
from PySide6.QtGui import QFontMetricsF, QImage, QPainter


def drawn_tick_labels(axis):
    """The tick labels pyqtgraph would draw, with their rectangles, as it lays them out to paint."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(axis.style["tickFont"] or axis.font())
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return [(rect, text) for rect, _, text in texts]


@pytest.mark.parametrize("epochs", [37, 1000, 123_457, 1_000_000])
@pytest.mark.parametrize("log", [False, True])
def test_the_loss_plots_ticks_are_larger_and_never_overlap_in_presentation_mode(window, qtbot, epochs, log):
    window.lesson_tabs.setCurrentWidget(window.loss_panel)
    plot = window.loss_panel.plot
    item = plot.plot_widget.getPlotItem()
    normal_height = QFontMetricsF(item.getAxis("bottom").style["tickFont"] or plot.font()).height()
    window.presentation.action.trigger()
    qtbot.waitUntil(lambda: window.presentation.active)
    window.lesson_tabs.setCurrentWidget(window.loss_panel)
    plot.choose_log_scale(log)
    plot.show_history(np.geomspace(29241.0, 0.5, epochs))
    qtbot.wait(50)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        assert QFontMetricsF(axis.style["tickFont"]).height() > normal_height
        labels = drawn_tick_labels(axis)
        assert labels, side  # at least one (the offscreen screen is small: an axis of ~300 px at 1.3× text)
        overlapping = [(a, b) for k, (ra, a) in enumerate(labels) for rb, b in labels[k + 1:] if ra.intersects(rb)]
        assert overlapping == [], (side, overlapping)
    window.presentation.set_active(False)
    assert item.getAxis("bottom").style["tickFont"] is None  # the window's own tick labels again
