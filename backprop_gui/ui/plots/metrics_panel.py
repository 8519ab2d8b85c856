"""How well the network fits the table now, beside the loss plot: loss, RMSE and R² for
regression, loss and accuracy for classification. Every number is the engine's (engine.metrics)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget


from ...engine.notation import format_number
from ...lesson import Lesson, StepCursor
from ..widgets.throttle import Throttle

NOT_AVAILABLE = "—"
REFRESH_MS = 50
"""Parameter changes arrive up to ~20 times a second in a run; the metrics follow at most that often."""


def _value_field(name: str, tooltip: str) -> QLineEdit:
    # Read-only line edits rather than labels: a label's new text asks for a new layout,
    # which repaints the whole dock on every training snapshot (see loss_plot.py).
    field = QLineEdit(NOT_AVAILABLE)
    field.setObjectName(name)
    field.setReadOnly(True)
    field.setFrame(False)
    field.setStyleSheet("background: transparent;")
    field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    field.setAlignment(Qt.AlignmentFlag.AlignRight)
    field.setToolTip(tooltip)
    font = QFont(field.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    field.setFont(font)
    return field


def _text(value: float | None, percent: bool = False) -> str:
    if value is None or math.isnan(value):
        return NOT_AVAILABLE
    return f"{100 * value:.1f} %" if percent else format_number(value)  # ∞ when the weights overflow


class MetricsPanel(QWidget):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricsPanel")
        self.lesson = lesson
        self.cursor = cursor
        self.loss = _value_field("metricLoss", "The loss of the current weights over every row of the table")
        self.rmse = _value_field("metricRmse", "Root mean squared error √(mean (y − ŷ)²), in the target's units")
        self.r2 = _value_field(
            "metricR2", "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is a perfect fit, 0 is no better than predicting the mean"
        )
        self.accuracy = _value_field("metricAccuracy", "Share of rows whose ŷ is on the right side of 0.5")
        self.validation = {
            name: _value_field(f"metric{name}Validation", "The same on the validation rows, never trained on")
            for name in ("Loss", "Rmse", "R2", "Accuracy")
        }
        self.title = QLabel("<b>On the whole table</b>")
        self.validation_title = QLabel("<b>Validation</b>")
        self._loss_label = QLabel("Loss")
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title, 0, 1)
        layout.addWidget(self.validation_title, 0, 2)
        rows = [(self._loss_label, self.loss, "Loss"), (QLabel("RMSE"), self.rmse, "Rmse"), (QLabel("R²"), self.r2, "R2"),
                (QLabel("Accuracy"), self.accuracy, "Accuracy")]  # fmt: skip
        self._rows = {}
        for r, (label, field, name) in enumerate(rows, start=1):
            layout.addWidget(label, r, 0)
            layout.addWidget(field, r, 1)
            layout.addWidget(self.validation[name], r, 2)
            self._rows[name] = (label, field, self.validation[name])
        layout.setRowStretch(len(rows) + 1, 1)
        self.throttle = Throttle(self.refresh, self, REFRESH_MS)
        self.setMinimumWidth(190)
        for changed in (lesson.parameters_changed, lesson.settings_changed, lesson.structure_changed, lesson.table.changed):
            changed.connect(self.schedule_refresh)
        cursor.changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def schedule_refresh(self, *_args) -> None:
        self.throttle.schedule()

    @Slot()
    def refresh(self) -> None:
        # A step walked through before its update shows its old weights, and so do the metrics;
        # before its loss phase, none (they hold the row's loss).
        if self.cursor.reached("loss"):
            metrics, validation = self.lesson.metrics_split(self.cursor.shown_parameters())
        else:
            metrics, validation = None, None
        classification = self.lesson.settings.task == "classification"
        split = validation is not None or len(self.lesson.validation_rows()) > 0
        self.title.setText("<b>Training rows</b>" if split else "<b>On the whole table</b>")
        self.validation_title.setVisible(split)
        self._loss_label.setText("Loss (cross-entropy)" if classification else "Loss (MSE)")
        for name, (label, field, validation_field) in self._rows.items():
            shown = (name == "Accuracy") == classification or name == "Loss"
            label.setVisible(shown)
            field.setVisible(shown)
            validation_field.setVisible(shown and split)
        for which, fields in ((metrics, (self.loss, self.rmse, self.r2, self.accuracy)),
                              (validation, [self.validation[n] for n in ("Loss", "Rmse", "R2", "Accuracy")])):  # fmt: skip
            values = (None,) * 4 if which is None else (which.loss, which.rmse, which.r2, which.accuracy)
            for index, (field, value) in enumerate(zip(fields, values)):
                field.setText(_text(value, percent=index == 3))
