"""Plots that follow the window's light, dark or high-contrast palette: background, axes and their labels.

pyqtgraph draws with colours of its own; a ``PaletteFollower`` sets them from the palette when the
plot is made and again whenever the palette changes (View > Theme, or the system's).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette

from ..widgets.contrast import high_contrast, legible

LINE_CONTRAST = 4.5
"""In high contrast, every curve at least this ratio against the plot's background (WCAG's for text, kept for lines)."""

PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)


def apply_palette(view: pg.GraphicsView) -> None:
    palette = view.palette()
    view.setBackground(palette.color(QPalette.ColorRole.Base))
    ink = palette.color(QPalette.ColorRole.Text)
    contrast = high_contrast()
    for item in view.scene().items():
        if contrast and isinstance(item, pg.PlotDataItem):
            _legible_pens(item, palette.color(QPalette.ColorRole.Base))
        if isinstance(item, pg.AxisItem):
            item.setPen(ink)
            item.setTextPen(ink)
        elif isinstance(item, pg.LegendItem):  # pyqtgraph's own grey was faint on white
            item.setLabelTextColor(ink)
            for _, label in item.items:
                label.setText(label.text, color=ink)  # a label takes a new colour when set again


def _legible_pens(item: pg.PlotDataItem, background) -> None:
    """The curve's line and symbols lightened (or darkened) until they read on ``background``."""
    opts = item.opts
    pen = pg.mkPen(opts.get("pen"))
    if pen.style() != pg.QtCore.Qt.PenStyle.NoPen:
        pen.setColor(legible(pen.color(), background, LINE_CONTRAST))
        item.setPen(pen)
    if opts.get("symbol") is not None and opts.get("symbolBrush") is not None:
        brush = pg.mkBrush(opts["symbolBrush"])
        brush.setColor(legible(brush.color(), background, LINE_CONTRAST))
        item.setSymbolBrush(brush)


class PaletteFollower(QObject):
    def __init__(self, view: pg.GraphicsView) -> None:
        super().__init__(view)
        self._view = view
        view.installEventFilter(self)
        apply_palette(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in PALETTE_EVENTS:
            apply_palette(self._view)
        return False
