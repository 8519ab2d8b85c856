"""The step log: every step and training run since the last reset; pick one to look at it again."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ...engine.notation import format_number
from ...lesson import Lesson, StepCursor

COLUMNS = ["Step", "Epoch", "Row", "ŷ", "Loss L"]


class StepLogModel(QAbstractTableModel):
    def __init__(self, lesson: Lesson, parent=None, cursor: StepCursor | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        lesson.step_log_changed.connect(self._on_log_changed)
        if cursor is not None:
            cursor.changed.connect(self._on_cursor_changed)
        self._shown = 0

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lesson.step_log)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.lesson.step_log[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.kind == "step":
                return "Click to see this step again"
            return f"Back takes back {entry.describe()}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        record, column = entry.record, index.column()
        if entry.kind == "rebuild":
            sizes = "-".join(str(n) for n in entry.replaced.network.layer_sizes)
            return ["Rebuilt", f"was {sizes}", "—", "—", "—"][column]
        if record is None:
            loss = format_number(entry.final_loss) if entry.final_loss is not None else "—"
            epochs = f"{entry.epochs:,} {'epoch' if entry.epochs == 1 else 'epochs'}"
            return ["Train", epochs, "all", "—", loss][column]
        rows = " ".join(str(int(r) + 1) for r in record.rows[:4]) + (" …" if len(record.rows) > 4 else "")
        y_hat, loss = format_number(record.y_hat[0, 0]), format_number(record.loss)
        cursor = self.cursor
        if cursor is not None and cursor.log_index == index.row():  # the step walked through: not before its phase
            y_hat = y_hat if cursor.reached("output") else "…"
            loss = loss if cursor.reached("loss") else "…"
        return [str(record.step), str(record.epoch), rows, y_hat, loss][column]

    @Slot()
    def _on_cursor_changed(self) -> None:
        last = min(self._shown, len(self.lesson.step_log)) - 1
        if last >= 0:
            self.dataChanged.emit(self.index(last, 3), self.index(last, 4), [Qt.ItemDataRole.DisplayRole])

    @Slot()
    def _on_log_changed(self) -> None:
        # Steps are added and taken back one at a time; anything else resets the view.
        new = len(self.lesson.step_log)
        if new == self._shown + 1:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown)
            self._shown = new
            self.endInsertRows()
        elif new == self._shown - 1:
            self.beginRemoveRows(QModelIndex(), new, new)
            self._shown = new
            self.endRemoveRows()
        else:
            self.beginResetModel()
            self._shown = new
            self.endResetModel()


class StepLogView(QWidget):
    exportRequested = Signal()

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.model = StepLogModel(lesson, self, cursor)
        self.table = QTableView()
        self.table.setObjectName("stepLog")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip("Every step since the last reset; click one to see it again on the diagram")
        self.table.clicked.connect(lambda index: cursor.show_log_entry(index.row()))
        self.table.activated.connect(lambda index: cursor.show_log_entry(index.row()))
        self.model.rowsInserted.connect(lambda *args: self.table.scrollToBottom())
        self.export_button = QPushButton("Export Log…")
        self.export_button.setObjectName("exportStepLogButton")
        self.export_button.setToolTip("Save every step with its loss, parameters and gradients as a CSV file")
        self.export_button.clicked.connect(self.exportRequested)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        lesson.step_log_changed.connect(self._update_summary)
        cursor.changed.connect(self._follow_cursor)
        self._update_summary()

    @Slot()
    def _update_summary(self) -> None:
        n = len(self.model.lesson.step_log)
        self.summary.setText("No steps yet" if n == 0 else f"{n} entr{'y' if n == 1 else 'ies'}")
        self.export_button.setEnabled(any(e.kind == "step" for e in self.model.lesson.step_log))

    def _follow_cursor(self) -> None:
        index = self.cursor.log_index
        if index is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(index)
