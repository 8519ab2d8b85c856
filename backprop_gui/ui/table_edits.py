"""Edits of the data table beyond single cells: paste a range, replace or clear the whole table.

Each is one QUndoCommand on the model's undo stack, so Ctrl+Z puts back exactly what was
there; a paste is checked cell by cell first and refused as a whole if any cell is bad.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
from PySide6.QtGui import QUndoCommand

from ..files.csv_table import format_exact

if TYPE_CHECKING:
    from .dataset_model import DatasetModel


class PasteError(ValueError):
    """A paste that was refused; nothing was changed. The message names the first bad cell."""


def parse_pasted_text(text: str) -> list[list[str]]:
    """Tab-separated rows, as spreadsheets put them on the clipboard (a final line break is ignored)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


def table_text(model: "DatasetModel", top: int, left: int, bottom: int, right: int) -> str:
    """The cells of a rectangle as tab-separated text, every number written exactly."""
    values = model._values[top : bottom + 1, left : right + 1]
    return "\n".join("\t".join(format_exact(v) for v in row) for row in values.tolist())


def check_paste(model: "DatasetModel", row: int, column: int, cells: Sequence[Sequence[str]]) -> np.ndarray:
    """The numbers of a paste at (row, column), or PasteError naming the first cell that is wrong."""
    from .dataset_model import parse_cell

    if not cells or not any(cell.strip() for line in cells for cell in line):
        raise PasteError("Nothing to paste: the clipboard holds no cells.")
    width = len(cells[0])
    for i, line in enumerate(cells):
        if len(line) != width:
            raise PasteError(
                f"Paste refused: line {i + 1} of the copied range has {len(line)} cells but line 1 has {width}; "
                "copy a rectangular range. Nothing was changed."
            )
    names = model.column_names
    if column + width > len(names):
        fit = len(names) - column
        raise PasteError(
            f"Paste refused: the copied range is {width} columns wide, but only {fit} "
            f"{'column fits' if fit == 1 else 'columns fit'} from {names[column]} to the right. Nothing was changed."
        )
    block = np.empty((len(cells), width))
    for i, line in enumerate(cells):
        for j, text in enumerate(line):
            try:
                block[i, j] = parse_cell(text)
            except ValueError as error:
                raise PasteError(
                    f"Paste refused: {names[column + j]} of row {row + i + 1}: {error}. Nothing was changed."
                ) from None
    return block


def paste_description(block: np.ndarray) -> str:
    rows = block.shape[0]
    if block.size == 1:
        return "Paste 1 cell"
    return "Paste 1 row" if rows == 1 else f"Paste {rows} rows"


class PasteCells(QUndoCommand):
    """Write a block of numbers at (row, column), adding rows at the end when it runs past the last."""

    def __init__(self, model: "DatasetModel", row: int, column: int, block: np.ndarray) -> None:
        super().__init__(paste_description(block))
        self._model, self._row, self._column, self._block = model, row, column, block
        existing = max(0, min(block.shape[0], model.rowCount() - row))
        self._added = block.shape[0] - existing
        self._old = model._values[row : row + existing, column : column + block.shape[1]].copy()

    def redo(self) -> None:
        if self._added:
            # New rows start at 0 outside the pasted columns, then the paste fills its part.
            self._model._insert(self._model.rowCount(), np.zeros((self._added, self._model.columnCount())))
        self._model._set_block(self._row, self._column, self._block)

    def undo(self) -> None:
        if self._added:
            self._model._remove_block(self._row + len(self._old), self._added)
        if len(self._old):
            self._model._set_block(self._row, self._column, self._old)


class ReplaceTable(QUndoCommand):
    """Swap the whole table (values and column names) for another: import, clear."""

    def __init__(self, model: "DatasetModel", values: np.ndarray, column_names: Sequence[str], text: str) -> None:
        super().__init__(text)
        self._model = model
        self._new = (np.array(values, dtype=float).reshape(-1, len(column_names)), list(column_names))
        self._old = (model.values(), model.column_names)

    @property
    def changes_columns(self) -> bool:
        return self._new[1] != self._old[1]

    def redo(self) -> None:
        self._model._reset(*self._new)

    def undo(self) -> None:
        self._model._reset(*self._old)
