"""The lesson's table in a QTableView: a Qt model that reads ``lesson.table`` and sends edits to it."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ...engine.notation import format_number, subscript
from ...files.csv_table import format_exact
from ...lesson import CellError, Table

Index = QModelIndex | QPersistentModelIndex


class TableModel(QAbstractTableModel):
    """Rows are students; the last column is the target the network learns to predict."""

    editRefused = Signal(str)
    """A message saying which edit was refused and why; the old value is kept."""

    def __init__(self, table: Table, parent=None) -> None:
        super().__init__(parent)
        self.table = table
        self.validation_rows: frozenset[int] = frozenset()
        """Rows kept out of training (a validation share): shown in italics, named in the header."""
        table.cells_changed.connect(self._on_cells_changed)
        table.rows_inserted.connect(self._on_rows_inserted)
        table.rows_removed.connect(self._on_rows_removed)
        table.reset.connect(self._on_reset)
        table.about_to_change.connect(self._before_change)

    def value(self, row: int, column: int) -> float:
        return self.table.value(row, column)

    def values(self):
        """A copy of the whole table."""
        return self.table.values()

    # -- Qt model interface ----------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.table.n_rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.table.n_columns

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.table.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(value)
        if role == Qt.ItemDataRole.EditRole:
            return format_exact(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        validation = index.row() in self.validation_rows
        if role == Qt.ItemDataRole.ToolTipRole:
            note = " (a validation row: never trained on)" if validation else ""
            return f"{self.table.column_names[index.column()]} of row {index.row() + 1}: {format_exact(value)}{note}"
        if role == Qt.ItemDataRole.FontRole and validation:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def set_validation_rows(self, rows) -> None:
        """Mark these rows as the validation share (italics, "val" in the row header)."""
        rows = frozenset(int(r) for r in rows)
        if rows == self.validation_rows:
            return
        self.validation_rows = rows
        if self.rowCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole])
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            validation = section in self.validation_rows
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{section + 1} val" if validation else str(section + 1)
            if role == Qt.ItemDataRole.ToolTipRole and validation:
                return f"Row {section + 1} is in the validation share: never trained on, its loss is the second curve"
            return None
        names = self.table.column_names
        if not 0 <= section < len(names):
            return None
        is_target = section == len(names) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            symbol = "y  (target)" if is_target else f"x{subscript(section + 1)}  (input)"
            return f"{names[section]}\n{symbol}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if is_target:
                return f"{names[section]}: the target y the network learns to predict"
            return f"{names[section]}: input x{subscript(section + 1)} of the network"
        if role == Qt.ItemDataRole.FontRole and is_target:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = index.row(), index.column()
        try:
            self.table.edit_cell(row, column, value)
        except CellError as error:
            old = format_number(self.table.value(row, column))
            self.editRefused.emit(f"Refused: {error}. {self.table.column_names[column]} of row {row + 1} stays {old}.")
            return False
        return True

    # -- the table's events ------------------------------------------------
    def _on_cells_changed(self, top: int, left: int, bottom: int, right: int) -> None:
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole]
        self.dataChanged.emit(self.index(top, left), self.index(bottom, right), roles)

    def _before_change(self, kind: str, first: int, count: int) -> None:
        if kind == "insert":
            self.beginInsertRows(QModelIndex(), first, first + count - 1)
        elif kind == "remove":
            self.beginRemoveRows(QModelIndex(), first, first + count - 1)
        else:
            self.beginResetModel()

    def _on_rows_inserted(self, first: int, count: int) -> None:
        self.endInsertRows()

    def _on_rows_removed(self, first: int, count: int) -> None:
        self.endRemoveRows()

    def _on_reset(self) -> None:
        self.endResetModel()
