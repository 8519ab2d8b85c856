"""The loss landscape's surface, computed away from the GUI thread: the engine's ``loss_surface``
and its contour lines (``contour_segments``), traced in a pool thread (``widgets.background``) and
drawn by ``ContourItem`` without tracing again. (pyqtgraph's own tracing is a loop in Python: it held the GIL for
seconds, and once stalled a test run for minutes.)"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPainterPath

from ...engine import Network, loss_surface
from ...engine.measures.contours import contour_segments

CONTOURS = 8


class ContourItem(pg.IsocurveItem):
    """A contour line traced elsewhere (in the worker thread, ``engine.contour_segments``), so
    painting costs no tracing: its segments, an (n, 2, 2) array in the image's coordinates."""

    def set_lines(self, segments) -> None:
        segments = np.asarray(segments, dtype=float).reshape(-1, 2, 2)
        self.prepareGeometryChange()
        self.data = np.zeros((1, 1)) if len(segments) else None  # IsocurveItem draws nothing without data
        self.segments = segments
        self.path = None
        self.update()

    def generatePath(self) -> None:
        segments = getattr(self, "segments", np.empty((0, 2, 2)))
        if len(segments) == 0:
            self.path = QPainterPath()
            return
        self.path = pg.arrayToQPath(segments[:, :, 0].ravel(), segments[:, :, 1].ravel(), connect="pairs")


def compute_surface(network: Network, X, y, loss, refs, values, log_colour):
    """loss_surface and its contour lines, for a pool thread (``LatestJob``): (surface, the values
    coloured, [(level, segments)], refs, values, log_colour)."""
    surface = loss_surface(network, X, y, loss, refs[0], refs[1], values[0], values[1])
    shown = colour_values(surface, log_colour)
    finite = shown[np.isfinite(shown)]
    lines = []
    if finite.size and finite.max() > finite.min():
        lo, hi = float(finite.min()), float(finite.max())
        filled = np.where(np.isfinite(shown), shown, hi)
        for level in np.linspace(lo, hi, CONTOURS + 2)[1:-1]:
            # Value i is drawn in pixel i, whose middle is at i + 0.5 in the image's coordinates.
            lines.append((float(level), contour_segments(filled, level) + 0.5))
    return surface, shown, lines, refs, values, log_colour


def colour_values(surface: np.ndarray, log_colour: bool) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if log_colour:
            return np.log10(np.maximum(surface, np.finfo(float).tiny))
        return surface.astype(float)
