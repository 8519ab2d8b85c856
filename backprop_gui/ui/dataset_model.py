"""The table of students: a Qt model over a NumPy array, where every edit is undoable."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QUndoCommand, QUndoStack

from ..engine.notation import format_number, subscript
from .table_edits import PasteCells, ReplaceTable, check_paste, parse_pasted_text, table_text

NOTES_COLUMNS = ["IQ", "CGPA", "Package (LPA)"]
NOTES_ROWS = [[80.0, 8.0, 5.0], [60.0, 5.0, 3.0], [110.0, 7.0, 8.0]]

Index = QModelIndex | QPersistentModelIndex


def parse_cell(text) -> float:
    """The number in a cell's text, or ValueError with a message a student understands."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        stripped = str(text).strip()
        if not stripped:
            raise ValueError("a cell cannot be empty")
        try:
            value = float(stripped)
        except ValueError:
            raise ValueError(f"“{stripped}” is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"“{text}” is not a finite number")
    return value


class DatasetModel(QAbstractTableModel):
    """Rows are students; the last column is the target the network learns to predict."""

    editRejected = Signal(str)
    """A message saying which edit was refused and why; the old value is kept."""

    def __init__(
        self,
        values: Sequence[Sequence[float]] | np.ndarray = NOTES_ROWS,
        column_names: Sequence[str] = NOTES_COLUMNS,
        undo_stack: QUndoStack | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._values = np.array(values, dtype=float).reshape(-1, len(column_names))
        self._column_names = list(column_names)
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)

    # -- data access for the rest of the app -----------------------------
    @property
    def column_names(self) -> list[str]:
        return list(self._column_names)

    @property
    def input_names(self) -> list[str]:
        return self._column_names[:-1]

    @property
    def target_name(self) -> str:
        return self._column_names[-1]

    def values(self) -> np.ndarray:
        """A copy of the whole table."""
        return self._values.copy()

    def inputs(self) -> np.ndarray:
        return self._values[:, :-1].copy()

    def targets(self) -> np.ndarray:
        return self._values[:, -1].copy()

    def value(self, row: int, column: int) -> float:
        return float(self._values[row, column])

    # -- Qt model interface ----------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._values.shape[0]

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._column_names)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._values[index.row(), index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(value, digits=6)
        if role == Qt.ItemDataRole.EditRole:
            return repr(float(value)).removesuffix(".0") if value == int(value) else repr(float(value))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._column_names[index.column()]} of row {index.row() + 1}: {float(value)!r}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self._column_names):
            return None
        is_target = section == len(self._column_names) - 1
        if role == Qt.ItemDataRole.DisplayRole:
            symbol = "y  (target)" if is_target else f"x{subscript(section + 1)}  (input)"
            return f"{self._column_names[section]}\n{symbol}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if is_target:
                return f"{self._column_names[section]}: the target y the network learns to predict"
            return f"{self._column_names[section]}: input x{subscript(section + 1)} of the network"
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
        old = self._values[row, column]
        try:
            new = parse_cell(value)
        except ValueError as error:
            self.editRejected.emit(
                f"Refused: {error}. {self._column_names[column]} of row {row + 1} stays {format_number(old, 6)}."
            )
            return False
        if new == old:
            return True
        self.undo_stack.push(_EditCell(self, row, column, old, new))
        return True

    # -- row operations (undoable) ---------------------------------------
    def insert_rows(self, row: int, values: np.ndarray, description: str | None = None) -> None:
        values = np.asarray(values, dtype=float).reshape(-1, self.columnCount())
        text = description or (f"Add row" if len(values) == 1 else f"Add {len(values)} rows")
        self.undo_stack.push(_InsertRows(self, row, values, text))

    def remove_rows(self, rows: Sequence[int]) -> None:
        rows = sorted(set(int(r) for r in rows))
        if rows:
            text = "Delete row" if len(rows) == 1 else f"Delete {len(rows)} rows"
            self.undo_stack.push(_RemoveRows(self, rows, text))

    # -- whole-table and range edits (see table_edits.py) ----------------
    def set_table(self, values: np.ndarray, column_names: Sequence[str]) -> None:
        """Replace everything and forget the undo history (opening a session, New)."""
        self._reset(np.array(values, dtype=float).reshape(-1, len(column_names)), column_names)
        self.undo_stack.clear()

    def replace_table(self, values: np.ndarray, column_names: Sequence[str], description: str) -> None:
        """Replace everything as one undoable edit (importing a CSV file)."""
        self.undo_stack.push(ReplaceTable(self, values, column_names, description))

    def clear(self) -> None:
        """Delete every row, keeping the columns; undoable."""
        self.undo_stack.push(ReplaceTable(self, np.empty((0, self.columnCount())), self._column_names, "Clear table"))

    def paste_text(self, row: int, column: int, text: str) -> int:
        """Paste tab-separated text with its top-left cell at (row, column), adding rows as needed.

        Returns the number of rows pasted; raises PasteError, changing nothing, if any cell is bad.
        """
        block = check_paste(self, row, column, parse_pasted_text(text))
        self.undo_stack.push(PasteCells(self, row, column, block))
        return block.shape[0]

    def copy_text(self, top: int, left: int, bottom: int, right: int) -> str:
        """The rectangle's cells as tab-separated text for a spreadsheet."""
        return table_text(self, top, left, bottom, right)

    # -- raw mutations, called only by undo commands ---------------------
    def _set_block(self, row: int, column: int, block: np.ndarray) -> None:
        rows, columns = block.shape
        self._values[row : row + rows, column : column + columns] = block
        self.dataChanged.emit(
            self.index(row, column),
            self.index(row + rows - 1, column + columns - 1),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole],
        )

    def _reset(self, values: np.ndarray, column_names: Sequence[str]) -> None:
        self.beginResetModel()
        self._values = np.array(values, dtype=float).reshape(-1, len(column_names))
        self._column_names = list(column_names)
        self.endResetModel()

    def _set_cell(self, row: int, column: int, value: float) -> None:
        self._values[row, column] = value
        index = self.index(row, column)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])

    def _insert(self, row: int, values: np.ndarray) -> None:
        self.beginInsertRows(QModelIndex(), row, row + len(values) - 1)
        self._values = np.insert(self._values, row, values, axis=0)
        self.endInsertRows()

    def _remove_block(self, first: int, count: int) -> np.ndarray:
        removed = self._values[first : first + count].copy()
        self.beginRemoveRows(QModelIndex(), first, first + count - 1)
        self._values = np.delete(self._values, np.s_[first : first + count], axis=0)
        self.endRemoveRows()
        return removed


def _contiguous_blocks(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, count) runs."""
    blocks: list[tuple[int, int]] = []
    for row in rows:
        if blocks and blocks[-1][0] + blocks[-1][1] == row:
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + 1)
        else:
            blocks.append((row, 1))
    return blocks


class _EditCell(QUndoCommand):
    def __init__(self, model: DatasetModel, row: int, column: int, old: float, new: float) -> None:
        super().__init__(f"Edit {model.column_names[column]} of row {row + 1}")
        self._model, self._row, self._column, self._old, self._new = model, row, column, old, new

    def redo(self) -> None:
        self._model._set_cell(self._row, self._column, self._new)

    def undo(self) -> None:
        self._model._set_cell(self._row, self._column, self._old)


class _InsertRows(QUndoCommand):
    def __init__(self, model: DatasetModel, row: int, values: np.ndarray, text: str) -> None:
        super().__init__(text)
        self._model, self._row, self._values = model, row, values

    def redo(self) -> None:
        self._model._insert(self._row, self._values)

    def undo(self) -> None:
        self._model._remove_block(self._row, len(self._values))


class _RemoveRows(QUndoCommand):
    def __init__(self, model: DatasetModel, rows: list[int], text: str) -> None:
        super().__init__(text)
        self._model = model
        self._blocks = _contiguous_blocks(rows)
        self._removed: list[np.ndarray] = []

    def redo(self) -> None:
        # Bottom block first, so the row numbers of the blocks above stay valid.
        self._removed = [self._model._remove_block(first, count) for first, count in reversed(self._blocks)]

    def undo(self) -> None:
        for (first, _), values in zip(self._blocks, reversed(self._removed)):
            self._model._insert(first, values)
