"""The loss plot's axes: tick labels in the app's number format, never overlapping."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from ...engine.notation import format_number

LABEL_SPACING = 32
"""Pixels of axis per tick label at least, so labels never overlap."""


class LossAxis(pg.AxisItem):
    """Tick labels written by format_number, never with an SI prefix ("(x0.001)", "(x1e+27)");
    on a log scale, labels at 1, 2 and 5 of each decade (or decades only when the range is wide),
    each written in full ("0.05", "1e+27"), never "5·10¹"."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)
        # Labels that would stick out past the ends of the axis are hidden, not clipped.
        self.setStyle(hideOverlappingLabels=True)

    room = False
    """Presentation mode (set_room_ticks): major ticks only, each label clear of the next."""

    def _label_pitch(self) -> float:
        """Pixels of axis a label needs on the left axis: a line and a quarter in presentation mode."""
        if not self.room:
            return LABEL_SPACING
        return max(LABEL_SPACING, 1.25 * QFontMetricsF(self.style["tickFont"]).height())

    def tickSpacing(self, minVal, maxVal, size):
        span = abs(maxVal - minVal)
        if not self.room or self.logMode or not (np.isfinite(span) and span > 0 and size > 0):
            return super().tickSpacing(minVal, maxVal, size)
        metrics, low = QFontMetricsF(self.style["tickFont"]), min(minVal, maxVal)
        power = 10.0 ** np.floor(np.log10(span / max(size, 1.0)))
        for step in (m * power * 10**k for k in range(0, 30) for m in (1, 2, 5)):
            pixels = step * size / span  # between two ticks
            if self.orientation in ("left", "right"):
                fits = pixels >= self._label_pitch()
            else:  # every label of this step, as it will read, and half a line's height between two
                values = np.arange(np.ceil(low / step), np.floor(max(minVal, maxVal) / step) + 1)[:50] * step
                strings = self.tickStrings(list(values), 1.0, step)
                fits = pixels >= max((metrics.horizontalAdvance(t) for t in strings), default=0.0) + metrics.height() / 2
            if fits:
                return [(step, 0.0)]
        return super().tickSpacing(minVal, maxVal, size)

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        low, high = sorted((minVal, maxVal))  # log10 of the range's ends
        if not (np.isfinite(low) and np.isfinite(high)):
            return []
        room = max(int(size // self._label_pitch()), 2)
        decades = range(int(np.floor(low)), int(np.ceil(high)) + 1)
        for mantissas in ((1, 2, 5), (1, 2, 3, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
            values = [d + np.log10(m) for d in decades for m in mantissas if low <= d + np.log10(m) <= high]
            if len(values) >= 3 or len(values) * 2 > room:
                break
        if len(values) > room:  # a wide range: whole decades only, every k-th one
            whole = [float(d) for d in decades if low <= d <= high]
            step = max(int(np.ceil(len(whole) / room)), 1)
            values = whole[::step]
        return [(None, values)]

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return [format_number(float(f"{10.0 ** v:.12g}")) for v in values]
        return [format_number(float(f"{v * scale:.12g}")) for v in values]
