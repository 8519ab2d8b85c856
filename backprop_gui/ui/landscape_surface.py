"""The loss landscape's surface, computed away from the GUI thread: the engine's ``loss_surface``
and its contour lines, traced in a pool thread and drawn by ``ContourItem`` without tracing again."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QFileDialog, QWidget

from ..engine import Network, loss_surface

CONTOURS = 8


def export_widget_png(widget: QWidget, name: str) -> None:
    """Ask for a file name and save a picture of ``widget``, as on screen."""
    path, _ = QFileDialog.getSaveFileName(widget, "Export PNG", f"{name}.png", "PNG images (*.png)")
    if path:
        if not path.lower().endswith(".png"):
            path += ".png"
        widget.grab().save(path, "PNG")


class ContourItem(pg.IsocurveItem):
    """An isocurve whose lines were traced elsewhere (in the worker thread), so painting costs no tracing."""

    def set_lines(self, lines) -> None:
        self.prepareGeometryChange()
        self.data = np.zeros((1, 1)) if lines else None  # IsocurveItem draws nothing without data
        self._lines = lines
        self.path = None
        self.update()

    def generatePath(self) -> None:
        self.path = QPainterPath()
        for line in getattr(self, "_lines", ()):
            self.path.moveTo(*line[0])
            for point in line[1:]:
                self.path.lineTo(*point)


class SurfaceSignals(QObject):
    done = Signal(int, object)


def compute_surface(number: int, signals: SurfaceSignals, network: Network, X, y, loss, refs, values, log_colour) -> None:
    """loss_surface and its contour lines, in a pool thread; the result goes back by a queued signal.

    A plain function handed to QThreadPool.start: Qt owns the runnable that wraps it, so nothing of
    ours is freed while the pool thread still holds it."""
    try:
        surface = loss_surface(network, X, y, loss, refs[0], refs[1], values[0], values[1])
        shown = colour_values(surface, log_colour)
        finite = shown[np.isfinite(shown)]
        lines = []
        if finite.size and finite.max() > finite.min():
            lo, hi = float(finite.min()), float(finite.max())
            filled = np.where(np.isfinite(shown), shown, hi)
            coarse = filled[::2, ::2]  # contours on every other point: a quarter of the tracing
            for level in np.linspace(lo, hi, CONTOURS + 2)[1:-1]:
                traced = pg.functions.isocurve(coarse, level, connected=True, extendToEdge=True)
                # pyqtgraph puts value i at i + 0.5, the middle of pixel i; coarse point c is fine point 2c.
                lines.append((float(level), [[(2 * x - 0.5, 2 * y - 0.5) for x, y in line] for line in traced]))
        result = (surface, shown, lines, refs, values, log_colour)
    except Exception as error:  # shown in the view rather than lost in a thread
        result = error
    signals.done.emit(number, result)


def colour_values(surface: np.ndarray, log_colour: bool) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if log_colour:
            return np.log10(np.maximum(surface, np.finfo(float).tiny))
        return surface.astype(float)
