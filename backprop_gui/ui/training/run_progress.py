"""How far a training run has got: epochs done, the rate, and the time left."""

from __future__ import annotations

import time

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QProgressBar

SHOW_AFTER_SECONDS = 1.0
"""Shorter runs finish before a bar could tell anything; it appears once a run lasts this long."""


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class RunProgress(QProgressBar):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingProgress")
        self.setToolTip("Epochs done in this run, the training speed and the time left")
        self.setTextVisible(True)
        self._started = 0.0
        self._total = 0
        self.hide()

    @Slot(int)
    def start(self, epochs: int) -> None:
        self._started = time.perf_counter()
        self._total = max(1, epochs)
        self.setRange(0, self._total)
        self.setValue(0)
        self.hide()

    @Slot(int)
    def advance(self, epochs_done: int) -> None:
        elapsed = time.perf_counter() - self._started
        if elapsed < SHOW_AFTER_SECONDS and not self.isVisible():
            return
        self.setValue(min(epochs_done, self._total))
        rate = epochs_done / elapsed if elapsed > 0 else 0.0
        left = (self._total - epochs_done) / rate if rate > 0 else float("inf")
        left_text = _duration(left) if left != float("inf") else "…"
        self.setFormat(f"{epochs_done:,} / {self._total:,} epochs  ·  {rate:,.0f} epochs/s  ·  {left_text} left")
        self.show()

    @Slot()
    def finish(self) -> None:
        self.hide()

    def text_shown(self) -> str:
        return self.text()
