"""Ask the network: type IQ and CGPA (or whatever the inputs are) and read its prediction.

The input fields sit in a grid of a few to a row; with many inputs (a 40-column CSV) the grid
scrolls, a few rows high, so the table above keeps its room. The prediction stays in view under it.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ...engine.notation import format_number
from ...files.csv_table import format_exact
from ...lesson import Lesson, StepCursor
from ..widgets.throttle import Throttle

REFRESH_MS = 50
INPUTS_PER_ROW = 3
VISIBLE_ROWS = 2
"""Rows of input fields shown at once; more scroll (the table above needs the height more)."""


class PredictionPanel(QGroupBox):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent=None) -> None:
        super().__init__("Predict", parent)
        self.setObjectName("predictionPanel")
        self.setToolTip("The network's prediction for any inputs, with the current weights, in the table's units")
        self.lesson = lesson
        self.cursor = cursor
        self.inputs: list[QLineEdit] = []
        self.output = QLineEdit()
        self.output.setObjectName("predictionOutput")
        self.output.setReadOnly(True)
        self.output.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = QFont(self.output.font())
        font.setBold(True)
        self.output.setFont(font)
        self.output_label = QLabel()
        self.fields = QWidget()
        self._layout = QGridLayout(self.fields)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("predictionInputs")
        self.scroll.setWidget(self.fields)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_label)
        output_row.addWidget(self.output, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.addWidget(self.scroll)
        outer.addLayout(output_row)
        self.throttle = Throttle(self.refresh, self, REFRESH_MS)
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
        self.throttle.schedule()

    @Slot()
    def rebuild(self) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                # Hidden first: a field made by a rebuild just before has a show queued by the layout,
                # which would otherwise open it as a window of its own once it has no parent.
                widget.hide()
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
        for place in range(INPUTS_PER_ROW):
            self._layout.setColumnStretch(2 * place + 1, 1)  # the fields share the width, not the names
        self.output_label.setText(f"Predicted {dataset.target_name}")
        self._fit_height()
        self.refresh()

    def _fit_height(self) -> None:
        """As high as the fields, up to VISIBLE_ROWS rows of them; the rest scroll."""
        rows = max(1, math.ceil(len(self.inputs) / INPUTS_PER_ROW))
        shown = min(rows, VISIBLE_ROWS)
        # From the fields' own size: a field just added is not shown yet, so the grid's hint is empty.
        row_height = max([field.sizeHint().height() for field in self.inputs[:1]] + [self.fontMetrics().height()])
        spacing = max(self._layout.verticalSpacing(), 0)
        self.scroll.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if rows > VISIBLE_ROWS else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.scroll.setFixedHeight(shown * row_height + (shown - 1) * spacing)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()  # zoomed: taller fields

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
        # A step walked through before its update shows its old weights, and so does the prediction;
        # before the forward pass has reached ŷ, it shows none (it would give the row's ŷ away).
        if not self.cursor.reached("output"):
            self.output.setText("— (shown once the forward pass reaches ŷ)")
            return
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
            self.output.setText(format_number(prediction) + ("" if math.isfinite(prediction) else "  (the weights have grown too large)"))

    def prediction_text(self) -> str:
        return self.output.text()
