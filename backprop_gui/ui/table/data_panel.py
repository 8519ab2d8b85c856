"""The data dock: the table of students, the buttons under it and the prediction panel."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...lesson import Lesson, StepCursor
from ..widgets.actions import button_for
from .prediction_panel import PredictionPanel
from .table_actions import TableActions
from .table_model import TableModel


STRETCHED_COLUMNS = 6
"""Up to this many columns share the table's width; more scroll sideways."""


class _RowHighlight(QStyledItemDelegate):
    """Paints the rows of the step on show, without touching the data or the selection."""

    COLOUR = QColor("#fefcbf")
    TEXT = QColor("#1a202c")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: set[int] = set()

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        if index.row() in self.rows:
            option.backgroundBrush = self.COLOUR
            option.palette.setColor(QPalette.ColorRole.Text, self.TEXT)  # readable on a dark palette too


class DataPanel(QWidget):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        self.model = TableModel(lesson.table, self)
        self.view = QTableView()
        self.view.setObjectName("datasetTable")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)  # rectangles to copy and paste
        self.model.modelReset.connect(self._fit_columns)
        self._fit_columns()
        self.view.verticalHeader().setDefaultSectionSize(28)
        self.view.setToolTip("Double-click a cell to edit it; the last column is the target the network learns")
        self.highlight = _RowHighlight(self.view)
        self.view.setItemDelegate(self.highlight)
        self.actions = TableActions(self.view, lesson.table, self)
        self.prediction_panel = PredictionPanel(lesson, cursor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(button_for(self.actions.add_row_action, "addRowButton"))
        buttons.addWidget(button_for(self.actions.delete_rows_action, "deleteRowsButton"))
        layout.addLayout(buttons)
        layout.addWidget(self.prediction_panel)
        self.model.editRefused.connect(self.show_refusal)
        self.actions.refused.connect(self.show_refusal)
        cursor.changed.connect(self._follow_cursor)
        for changed in (lesson.settings_changed, lesson.table.changed):
            changed.connect(self._mark_validation_rows)
        self._mark_validation_rows()

    def _fit_columns(self) -> None:
        """A few columns share the width; many (a 40-column CSV) keep a readable width and scroll."""
        header = self.view.horizontalHeader()
        if self.model.columnCount() <= STRETCHED_COLUMNS:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            width = header.fontMetrics().horizontalAdvance("0000000.00") + 16
            header.setDefaultSectionSize(width)
            for column in range(self.model.columnCount()):
                header.resizeSection(column, width)

    def selected_rows(self) -> list[int]:
        return self.actions.selected_rows()

    def show_refusal(self, message: str) -> None:
        """Say why an edit was refused right at the table, where the student is looking."""
        index = self.view.currentIndex()
        rect = self.view.visualRect(index) if index.isValid() else self.view.viewport().rect()
        QToolTip.showText(self.view.viewport().mapToGlobal(rect.bottomLeft()), message, self.view, rect, 10000)

    def _mark_validation_rows(self) -> None:
        self.model.set_validation_rows(self.lesson.validation_rows())

    def _follow_cursor(self) -> None:
        record = self.cursor.explainer.record if self.cursor.active else None
        self.highlight.rows = {int(r) for r in record.rows} if record is not None else set()
        self.view.viewport().update()
        if record is not None and len(record.rows) and int(record.rows[0]) < self.lesson.table.n_rows:
            self.view.scrollTo(self.model.index(int(record.rows[0]), 0))
