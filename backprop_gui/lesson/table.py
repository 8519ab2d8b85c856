"""The table of students: its numbers, its column names, and every edit as an undoable command.

Rows are students; the last column is the target the network learns to predict, the others are
its inputs. Nothing here knows about Qt: ui/table/table_model.py shows a ``Table`` in a QTableView and
listens to its events to tell the view what changed.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import counted, format_number
from ..files.csv_table import format_exact
from .events import Event
from .undo import Command, History, UndoHistory

NOTES_COLUMNS = ["IQ", "CGPA", "Package (LPA)"]
NOTES_ROWS = [[80.0, 8.0, 5.0], [60.0, 5.0, 3.0], [110.0, 7.0, 8.0]]


class CellError(ValueError):
    """A cell's text that is not a number the table can hold; the message says why."""


class PasteError(ValueError):
    """A paste that was refused; nothing was changed. The message names the first bad cell."""


def parse_cell(text) -> float:
    """The number in a cell's text, or CellError with a message a student understands."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        stripped = str(text).strip()
        if not stripped:
            raise CellError("a cell cannot be empty")
        try:
            value = float(stripped.replace("−", "-"))
        except ValueError:
            raise CellError(f"“{stripped}” is not a number") from None
        if value == 0 and any(d in "123456789" for d in stripped.lower().split("e")[0]):
            # 1e-400 reads as 0: said, not done in silence
            raise CellError(f"“{stripped}” is closer to 0 than a number can be and would become 0; type 0 if you mean 0")
    if not math.isfinite(value):
        raise CellError(f"“{text}” is not a finite number")
    if abs(value) > MAX_MAGNITUDE:
        raise CellError(f"{format_number(value)} is too large (the limit is ±{format_number(MAX_MAGNITUDE)})")
    return value


def parse_pasted_text(text: str) -> list[list[str]]:
    """Tab-separated rows, as spreadsheets put them on the clipboard (a final line break is ignored)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


class Table:
    """A NumPy array of floats with named columns. Read it freely; change it through its edit
    methods, which go through the undo history, so every change can be taken back."""

    def __init__(
        self,
        values: Sequence[Sequence[float]] | np.ndarray = NOTES_ROWS,
        column_names: Sequence[str] = NOTES_COLUMNS,
        history: History | None = None,
    ) -> None:
        self._values = np.array(values, dtype=float).reshape(-1, len(column_names))
        self._column_names = list(column_names)
        self.history: History = history if history is not None else UndoHistory()
        self.cells_changed = Event()
        """(top, left, bottom, right): those cells have new values."""
        self.rows_inserted = Event()
        """(first, count): rows were inserted at first."""
        self.rows_removed = Event()
        """(first, count): rows first … first + count − 1 were removed."""
        self.reset = Event()
        """Everything may have changed, column names included."""
        self.about_to_change = Event()
        """("insert" | "remove", first, count) or ("reset", 0, 0), just before rows or everything change,
        for views (Qt's models) that must be told before."""
        self.changed = Event()
        """After any of the above: for views that only care that the data changed."""

    # -- reading -----------------------------------------------------------
    @property
    def column_names(self) -> list[str]:
        return list(self._column_names)

    @property
    def input_names(self) -> list[str]:
        return self._column_names[:-1]

    @property
    def target_name(self) -> str:
        return self._column_names[-1]

    @property
    def n_rows(self) -> int:
        return self._values.shape[0]

    @property
    def n_columns(self) -> int:
        return len(self._column_names)

    def values(self) -> np.ndarray:
        """A copy of the whole table."""
        return self._values.copy()

    def inputs(self) -> np.ndarray:
        return self._values[:, :-1].copy()

    def targets(self) -> np.ndarray:
        return self._values[:, -1].copy()

    def value(self, row: int, column: int) -> float:
        return float(self._values[row, column])

    def text(self, top: int, left: int, bottom: int, right: int) -> str:
        """The cells of a rectangle as tab-separated text for a spreadsheet, every number exact."""
        block = self._values[top : bottom + 1, left : right + 1]
        return "\n".join("\t".join(format_exact(v) for v in row) for row in block.tolist())

    # -- editing (each one undoable) ------------------------------------------
    def edit_cell(self, row: int, column: int, text) -> bool:
        """Set one cell from its text; CellError (nothing changed) if it is not a number.
        Returns False when the value is the same as before (no command is made)."""
        new = parse_cell(text)
        old = float(self._values[row, column])
        if new == old:
            return False
        self.history.push(EditCell(self, row, column, old, new))
        return True

    def insert_rows(self, row: int, values, text: str | None = None) -> None:
        values = np.asarray(values, dtype=float).reshape(-1, self.n_columns)
        for value in values.flat:
            parse_cell(float(value))
        text = text or ("Add row" if len(values) == 1 else f"Add {len(values)} rows")
        self.history.push(InsertRows(self, row, values, text))

    def remove_rows(self, rows: Sequence[int]) -> None:
        rows = sorted({int(r) for r in rows if 0 <= int(r) < self.n_rows})
        if rows:
            self.history.push(RemoveRows(self, rows, "Delete row" if len(rows) == 1 else f"Delete {len(rows)} rows"))

    def paste(self, row: int, column: int, text: str) -> int:
        """Paste tab-separated text with its top-left cell at (row, column), adding rows as needed.
        Returns the number of rows pasted; PasteError, changing nothing, if any cell is bad."""
        block = self.check_paste(row, column, parse_pasted_text(text))
        self.history.push(PasteCells(self, row, column, block))
        return block.shape[0]

    def replace(self, values, column_names: Sequence[str], text: str) -> None:
        """Replace everything as one undoable edit (importing a CSV file, clearing)."""
        values = np.array(values, dtype=float).reshape(-1, len(column_names))
        if values.size and not (np.isfinite(values).all() and np.abs(values).max() <= MAX_MAGNITUDE):
            raise CellError(f"the table holds a value beyond ±{format_number(MAX_MAGNITUDE)} or one that is not finite")
        self.history.push(ReplaceTable(self, values, column_names, text))

    def clear(self) -> None:
        """Delete every row, keeping the columns; undoable."""
        self.replace(np.empty((0, self.n_columns)), self._column_names, "Clear table")

    def check_paste(self, row: int, column: int, cells: Sequence[Sequence[str]]) -> np.ndarray:
        """The numbers of a paste at (row, column), or PasteError naming the first cell that is wrong."""
        if not cells or not any(cell.strip() for line in cells for cell in line):
            raise PasteError("Nothing to paste: the clipboard holds no cells.")
        width = len(cells[0])
        for i, line in enumerate(cells):
            if len(line) != width:
                raise PasteError(
                    f"Paste refused: line {i + 1} of the copied range has {counted(len(line), 'cell')} but line 1 has "
                    f"{width}; copy a rectangular range. Nothing was changed."
                )
        names = self._column_names
        if column + width > len(names):
            fit = len(names) - column
            raise PasteError(
                f"Paste refused: the copied range is {counted(width, 'column')} wide, but only {fit} "
                f"{'column fits' if fit == 1 else 'columns fit'} from {names[column]} to the right. Nothing was changed."
            )
        block = np.empty((len(cells), width))
        for i, line in enumerate(cells):
            for j, text in enumerate(line):
                try:
                    block[i, j] = parse_cell(text)
                except CellError as error:
                    raise PasteError(
                        f"Paste refused: {names[column + j]} of row {row + i + 1}: {error}. Nothing was changed."
                    ) from None
        return block

    # -- without undo: a new lesson starts a new history ------------------------
    def load(self, values, column_names: Sequence[str]) -> None:
        """Replace everything and forget the undo history (opening a session, New)."""
        self._reset(np.array(values, dtype=float).reshape(-1, len(column_names)), column_names)
        if hasattr(self.history, "clear"):
            self.history.clear()

    # -- raw changes, made only by the commands below ----------------------------
    def _set_block(self, row: int, column: int, block: np.ndarray) -> None:
        rows, columns = block.shape
        self._values[row : row + rows, column : column + columns] = block
        self.cells_changed.emit(row, column, row + rows - 1, column + columns - 1)
        self.changed.emit()

    def _reset(self, values: np.ndarray, column_names: Sequence[str]) -> None:
        self.about_to_change.emit("reset", 0, 0)
        self._values = np.array(values, dtype=float).reshape(-1, len(column_names))
        self._column_names = list(column_names)
        self.reset.emit()
        self.changed.emit()

    def _insert(self, row: int, values: np.ndarray) -> None:
        self.about_to_change.emit("insert", row, len(values))
        self._values = np.insert(self._values, row, values, axis=0)
        self.rows_inserted.emit(row, len(values))
        self.changed.emit()

    def _remove_block(self, first: int, count: int) -> np.ndarray:
        removed = self._values[first : first + count].copy()
        self.about_to_change.emit("remove", first, count)
        self._values = np.delete(self._values, np.s_[first : first + count], axis=0)
        self.rows_removed.emit(first, count)
        self.changed.emit()
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


class EditCell(Command):
    def __init__(self, table: Table, row: int, column: int, old: float, new: float) -> None:
        self.text = f"Edit {table.column_names[column]} of row {row + 1}"
        self._table, self._row, self._column, self._old, self._new = table, row, column, old, new

    def redo(self) -> None:
        self._table._set_block(self._row, self._column, np.array([[self._new]]))

    def undo(self) -> None:
        self._table._set_block(self._row, self._column, np.array([[self._old]]))


class InsertRows(Command):
    def __init__(self, table: Table, row: int, values: np.ndarray, text: str) -> None:
        self.text = text
        self._table, self._row, self._values = table, row, values

    def redo(self) -> None:
        self._table._insert(self._row, self._values)

    def undo(self) -> None:
        self._table._remove_block(self._row, len(self._values))


class RemoveRows(Command):
    def __init__(self, table: Table, rows: list[int], text: str) -> None:
        self.text = text
        self._table = table
        self._blocks = _contiguous_blocks(rows)
        self._removed: list[np.ndarray] = []

    def redo(self) -> None:
        # Bottom block first, so the row numbers of the blocks above stay valid.
        self._removed = [self._table._remove_block(first, count) for first, count in reversed(self._blocks)]

    def undo(self) -> None:
        for (first, _), values in zip(self._blocks, reversed(self._removed)):
            self._table._insert(first, values)


class PasteCells(Command):
    """Write a block of numbers at (row, column), adding rows at the end when it runs past the last."""

    def __init__(self, table: Table, row: int, column: int, block: np.ndarray) -> None:
        rows = block.shape[0]
        self.text = "Paste 1 cell" if block.size == 1 else ("Paste 1 row" if rows == 1 else f"Paste {rows} rows")
        self._table, self._row, self._column, self._block = table, row, column, block
        existing = max(0, min(rows, table.n_rows - row))
        self._added = rows - existing
        self._old = table._values[row : row + existing, column : column + block.shape[1]].copy()

    def redo(self) -> None:
        if self._added:
            # New rows start at 0 outside the pasted columns, then the paste fills its part.
            self._table._insert(self._table.n_rows, np.zeros((self._added, self._table.n_columns)))
        self._table._set_block(self._row, self._column, self._block)

    def undo(self) -> None:
        if self._added:
            self._table._remove_block(self._row + len(self._old), self._added)
        if len(self._old):
            self._table._set_block(self._row, self._column, self._old)


class ReplaceTable(Command):
    """Swap the whole table (values and column names) for another: import, clear."""

    def __init__(self, table: Table, values: np.ndarray, column_names: Sequence[str], text: str) -> None:
        self.text = text
        self._table = table
        self._new = (values, list(column_names))
        self._old = (table.values(), table.column_names)

    def redo(self) -> None:
        self._table._reset(*self._new)

    def undo(self) -> None:
        self._table._reset(*self._old)
