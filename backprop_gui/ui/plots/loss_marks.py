"""Marks on the loss plot: where a run diverged (with the message) and where a setting that changes
what the loss measures (input scaling, task, loss, activations) was changed in the middle of a
lesson, so a jump of the curve is read as the change it is, not as learning.

A mark stands at an epoch of the loss history: a dashed vertical line with a short text at its top.
It stays while the history reaches its epoch; a history cut back before it (Back, Reset) drops it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt

DIVERGED_COLOUR = "#c53030"
CHANGE_COLOUR = "#6b46c1"


@dataclass(frozen=True)
class Mark:
    epoch: int
    """The last epoch before the change (0: before the first)."""
    text: str
    kind: str
    """"diverged" or "change"."""

    @property
    def short(self) -> str:
        """The text's first sentence, drawn at the mark (the whole text is its tooltip)."""
        first, dot, rest = self.text.partition(". ")
        return first + "." if dot and rest else self.text


class LossMarks:
    """The marks drawn on one pyqtgraph plot item."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.plot_item = plot_item
        self.marks: list[Mark] = []
        self._items: list[tuple[pg.InfiniteLine, Mark]] = []

    def add(self, mark: Mark) -> None:
        self.marks.append(mark)
        self._draw()

    def follow_history(self, epochs: int) -> None:
        """Drop the marks past the history's end (it was cut back)."""
        kept = [mark for mark in self.marks if mark.epoch <= epochs and (epochs > 0 or mark.kind == "diverged")]
        if kept != self.marks:
            self.marks = kept
            self._draw(epochs)

    def clear_divergence(self) -> None:
        """A new run starts: the last one's divergence is history, told by the status bar's log."""
        kept = [mark for mark in self.marks if mark.kind != "diverged"]
        if kept != self.marks:
            self.marks = kept
            self._draw()

    def diverged(self) -> Mark | None:
        return next((mark for mark in reversed(self.marks) if mark.kind == "diverged"), None)

    def texts(self) -> list[str]:
        return [mark.text for mark in self.marks]

    def _draw(self, epochs: int | None = None) -> None:
        for line, _ in self._items:
            self.plot_item.removeItem(line)
        self._items = []
        last = max([epochs or 0] + [mark.epoch for mark in self.marks])
        width = max(160.0, 0.45 * self.plot_item.getViewBox().width())
        for mark in self.marks:
            colour = DIVERGED_COLOUR if mark.kind == "diverged" else CHANGE_COLOUR
            # The text on the side of the line with the room: left of a mark near the end of the run.
            anchor = (1, 0) if mark.epoch > 0.5 * last else (0, 0)
            line = pg.InfiniteLine(
                pos=max(mark.epoch, 0) + 0.5,
                angle=90,
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                label=mark.short,
                labelOpts={"position": 0.95, "color": colour, "anchors": [anchor, anchor], "fill": (255, 255, 255, 210)},
            )
            line.label.setTextWidth(width)  # a long message wraps inside the plot, whole
            line.setToolTip(mark.text)
            line.setZValue(5)
            self.plot_item.addItem(line, ignoreBounds=True)
            self._items.append((line, mark))
