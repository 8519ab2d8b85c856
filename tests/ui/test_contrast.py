"""Issue 31, point 3: the themes' contrast by WCAG 2.x, computed from each theme's palette, and
meaning never carried by colour alone (negative weights dashed, the validation loss dashed)."""

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from backprop_gui.ui.widgets.contrast import contrast_ratio, legible, relative_luminance

PAIRS = [("WindowText", "Window"), ("Text", "Base"), ("ButtonText", "Button"), ("HighlightedText", "Highlight")]


def ratios(palette: QPalette):
    role = QPalette.ColorRole
    return {(a, b): contrast_ratio(palette.color(getattr(role, a)), palette.color(getattr(role, b))) for a, b in PAIRS}


def test_the_wcag_formula_on_known_pairs():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)  # WebAIM's figure
    assert relative_luminance(QColor("white")) == pytest.approx(1.0)
    assert contrast_ratio(legible(QColor("#2b6cb0"), QColor("black"), 4.5), QColor("black")) >= 4.5


@pytest.mark.parametrize("theme, least", [("contrast", 7.0), ("light", 4.5), ("dark", 4.5)])
def test_each_themes_text_meets_its_ratio(theme, least, qapp):
    from backprop_gui.ui.window.theme import PALETTES

    found = ratios(PALETTES[theme]())
    assert all(value >= least for value in found.values()), found


def lines_on(window):
    colours = window.network_view.colours  # what the diagram draws with
    return colours, [colours.positive, colours.negative, colours.neutral, colours.highlight, colours.selected, colours.muted]


def test_high_contrast_draws_the_diagram_and_the_loss_plot_legibly(window, qtbot):
    from backprop_gui.ui.plots import plotting_loader
    import pyqtgraph as pg

    window.theme.actions["contrast"].trigger()
    try:
        assert window.theme.theme == "contrast"
        qtbot.waitUntil(lambda: window.network_view.colours.background == QColor("black"))
        colours, lines = lines_on(window)
        assert all(contrast_ratio(line, colours.background) >= 4.5 for line in lines), [(l.name(), colours.background.name()) for l in lines]
        assert all(contrast_ratio(colours.ink, fill) >= 7 for fill in colours.neuron_fill.values())
        plotting_loader.load()
        qtbot.waitUntil(plotting_loader.loaded, timeout=60_000)
        window.lesson_tabs.setCurrentWidget(window.loss_panel)
        qtbot.waitUntil(lambda: window.findChild(pg.GraphicsView, "lossPlot") is not None, timeout=10_000)
        plot = window.findChild(pg.GraphicsView, "lossPlot")
        background = plot.palette().color(QPalette.ColorRole.Base)
        curves = [i for i in plot.scene().items() if isinstance(i, pg.PlotDataItem)]
        assert curves
        for curve in curves:
            pen = pg.mkPen(curve.opts["pen"])
            assert contrast_ratio(pen.color(), background) >= 4.5
    finally:
        window.theme.set_theme("system")
    assert not QApplication.instance().property("highContrast")


def test_negative_weights_are_dashed_and_the_validation_loss_too(window, qtbot):
    window.actions.notes_example_action.trigger()
    window.actions.step_action.trigger()  # the notes' step, η = 0.1: the weights go negative
    edges = window.network_view.edges
    negative = [e for e in edges if e._value < 0 and not e.frozen]
    positive = [e for e in edges if e._value > 0 and not e.frozen]
    assert negative, "the notes' first step makes weights negative"
    assert all(e.pen().dashPattern() for e in negative)
    assert all(e.pen().style().name == "SolidLine" for e in positive)
    from backprop_gui.ui.plots import plotting_loader

    plotting_loader.load()
    qtbot.waitUntil(plotting_loader.loaded, timeout=60_000)
    window.lesson_tabs.setCurrentWidget(window.loss_panel)
    import pyqtgraph as pg
    from PySide6.QtCore import Qt

    qtbot.waitUntil(lambda: window.findChild(pg.GraphicsView, "lossPlot") is not None, timeout=10_000)
    plot = window.findChild(pg.GraphicsView, "lossPlot")
    plot_owner = plot.parent()
    while plot_owner is not None and not hasattr(plot_owner, "validation_curve"):
        plot_owner = plot_owner.parent()
    assert plot_owner is not None
    assert pg.mkPen(plot_owner.validation_curve.opts["pen"]).style() == Qt.PenStyle.DashLine
    assert pg.mkPen(plot_owner.curve.opts["pen"]).style() == Qt.PenStyle.SolidLine
