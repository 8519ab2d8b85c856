"""Ask the network: type IQ and CGPA (or whatever the inputs are) and read its prediction."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from ..engine.notation import format_number
from ..files.csv_table import format_exact
from ..lesson import Lesson, StepCursor

REFRESH_MS = 50
INPUTS_PER_ROW = 3


class PredictionPanel(QGroupBox):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent=None) -> None:
        super().__init__("Predict", parent)
        self.setObjectName("predictionPanel")
        self.setToolTip("The network's prediction for any inputs, with the current weights, in the table's units")
        self.lesson = lesson
        self.cursor = cursor
        self.inputs: list[QLineEdit] = []
        self.output: QLineEdit | None = None
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        lesson.parameters_changed.connect(self._schedule_refresh)
        lesson.settings_changed.connect(self._schedule_refresh)
        lesson.table.changed.connect(self._schedule_refresh)  # new statistics for the scaling
        lesson.structure_changed.connect(self.rebuild)
        lesson.table.reset.connect(self.rebuild)
        cursor.changed.connect(self.refresh)
        self.rebuild()

    @Slot()
    def _schedule_refresh(self) -> None:
        # Not a restart: snapshots every 50 ms of a run would push the refresh back for ever.
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def rebuild(self) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)  # gone from the panel now, not at the next event loop pass
                widget.deleteLater()
        self.inputs = []
        dataset = self.lesson.table
        first_row = dataset.values()[0] if dataset.n_rows else np.zeros(dataset.n_columns)
        for column, name in enumerate(dataset.input_names):
            field = QLineEdit(format_exact(first_row[column]))
            field.setObjectName(f"predictionInput{column}")
            field.setToolTip(f"{name}, in the table's units")
            field.textChanged.connect(self.refresh)
            row, place = divmod(column, INPUTS_PER_ROW)
            self._layout.addWidget(QLabel(name), row, 2 * place)
            self._layout.addWidget(field, row, 2 * place + 1)
            self.inputs.append(field)
        self.output = QLineEdit()
        self.output.setObjectName("predictionOutput")
        self.output.setReadOnly(True)
        self.output.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = QFont(self.output.font())
        font.setBold(True)
        self.output.setFont(font)
        last_row = (len(self.inputs) - 1) // INPUTS_PER_ROW + 1
        self._layout.addWidget(QLabel(f"Predicted {dataset.target_name}"), last_row, 0, 1, 2)
        self._layout.addWidget(self.output, last_row, 2, 1, 2 * INPUTS_PER_ROW - 2)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        values = []
        for field, name in zip(self.inputs, self.lesson.table.input_names):
            try:
                value = float(field.text())
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                self.output.setText(f"type a number for {name}")
                return
            values.append(value)
        # A step walked through before its update shows its old weights, and so does the prediction.
        prediction = None
        if len(values) == self.lesson.network.n_inputs:
            prediction = self.lesson.predict(np.array(values), self.cursor.shown_parameters())
        if prediction is None:
            self.output.setText("—")  # no table to scale by, or a network being rebuilt
            return
        prediction = float(prediction[0, 0])
        if self.lesson.settings.task == "classification":
            self.output.setText(f"{format_number(prediction)}  (probability of 1)")
        else:
            self.output.setText(format_number(prediction))

    def prediction_text(self) -> str:
        return self.output.text()
