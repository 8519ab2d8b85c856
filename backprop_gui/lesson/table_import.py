"""A CSV table into the lesson: which column is the target, and the limits on what is taken."""

from __future__ import annotations

import numpy as np

from ..files import CsvTable

MAX_INPUTS = 50
"""More input columns than this are refused (a table saved sideways, say): the diagram of even
16 inputs is crowded, though it draws and trains quickly up to hundreds."""


class ImportRefused(ValueError):
    """A table that cannot be imported as asked; the message says why and what to do."""


def target_index(table: CsvTable, target: int | str | None) -> int | None:
    """The column chosen as target: the last by default, or one named or numbered (negative from the end)."""
    if target is None:
        return table.n_columns - 1
    if isinstance(target, str):
        return table.column_names.index(target) if target in table.column_names else None
    index = int(target)
    if -table.n_columns <= index < table.n_columns:
        return index % table.n_columns
    return None


def target_last(table: CsvTable, target: int) -> tuple[list[str], np.ndarray]:
    """Column names and values reordered so the target column comes last, as the lesson expects."""
    order = [i for i in range(table.n_columns) if i != target] + [target]
    return [table.column_names[i] for i in order], table.values[:, order]


def columns_for_lesson(table: CsvTable, target: int | str | None, file_name: str) -> tuple[list[str], np.ndarray]:
    """The names and values to put in the lesson's table, target last; ImportRefused if it cannot."""
    index = target_index(table, target)
    if index is None:
        raise ImportRefused(f"{file_name} has no column {target!r}; its columns are {', '.join(table.column_names)}.")
    if table.n_columns - 1 > MAX_INPUTS:
        raise ImportRefused(
            f"{file_name} has {table.n_columns - 1} input columns; Backprop GUI takes up to {MAX_INPUTS} inputs. "
            "Keep the columns you need in a spreadsheet and import again."
        )
    return target_last(table, index)
