"""Plots that follow the window's light or dark palette: background, axes and their labels.

pyqtgraph draws with colours of its own; a ``PaletteFollower`` sets them from the palette when the
plot is made and again whenever the palette changes (View > Theme, or the system's).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette

PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)


def apply_palette(view: pg.GraphicsView) -> None:
    palette = view.palette()
    view.setBackground(palette.color(QPalette.ColorRole.Base))
    ink = palette.color(QPalette.ColorRole.Text)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(ink)
            item.setTextPen(ink)
        elif isinstance(item, pg.LegendItem):  # pyqtgraph's own grey was faint on white
            item.setLabelTextColor(ink)
            for _, label in item.items:
                label.setText(label.text, color=ink)  # a label takes a new colour when set again


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
