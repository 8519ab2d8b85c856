"""The Loss tab: the mean loss of every epoch on the live plot, beside the metrics on the whole table."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from ..lesson import Lesson, StepCursor
from .loss_plot import LossPlot
from .metrics_panel import MetricsPanel


class LossPanel(QWidget):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.plot = LossPlot()
        self.metrics = MetricsPanel(lesson, cursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.metrics)
        lesson.history_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.plot.show_history(self.lesson.loss_history.values, self.lesson.validation_history.values)
