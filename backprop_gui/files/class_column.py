"""A class column for multi-class classification: whole numbers 0…k−1 or text labels, 2 ≤ k ≤ 10.

``read_class_column`` turns a column's cells (text as read from a CSV file, or numbers) into
integer labels and the classes' names, or raises ``ClassColumnError`` with one message a teacher
can act on: a blank cell, one class only, more than ``MAX_CLASSES``, or a numeric target (a
measurement such as 3.7 or 8.25) chosen for this task. Nothing is changed by a refused column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

MAX_CLASSES = 10
MIN_CLASSES = 2


class ClassColumnError(ValueError):
    """A column that cannot be the class column; the message says why."""


@dataclass(frozen=True)
class ClassColumn:
    labels: np.ndarray
    """Each row's class, 0…k−1 (int64)."""
    names: tuple[str, ...]
    """Class i's name: "0", "1", … for a numeric column, else the text labels sorted."""

    @property
    def n_classes(self) -> int:
        return len(self.names)

    def one_hot(self) -> np.ndarray:
        """The rows as one-hot targets (n × k)."""
        return np.eye(self.n_classes)[self.labels]

    def counts(self) -> np.ndarray:
        """How many rows each class has."""
        return np.bincount(self.labels, minlength=self.n_classes)


def _number(cell) -> float | None:
    try:
        value = float(cell)
    except (TypeError, ValueError):
        return None
    return value


def read_class_column(cells: Sequence, column_name: str = "the class column") -> ClassColumn:
    """The classes of ``cells`` (one per row); ClassColumnError saying what is wrong otherwise."""
    texts = ["" if cell is None else str(cell).strip() for cell in cells]
    if not texts:
        raise ClassColumnError(f"{column_name} has no rows")
    blank = next((i for i, text in enumerate(texts) if text == "" or text.lower() == "nan"), None)
    if blank is not None:
        raise ClassColumnError(f"{column_name} is blank in row {blank + 1}: every row needs a class")
    numbers = [_number(text) for text in texts]
    if all(n is not None for n in numbers):
        return _numeric_classes(np.array(numbers), column_name)
    names = tuple(sorted(set(texts)))
    _check_count(len(names), column_name, names)
    index = {name: i for i, name in enumerate(names)}
    return ClassColumn(np.array([index[t] for t in texts], dtype=np.int64), names)


def _numeric_classes(values: np.ndarray, column_name: str) -> ClassColumn:
    not_class = values[~np.isfinite(values) | (values != np.round(values)) | (values < 0)]
    if not_class.size:
        raise ClassColumnError(
            f"{column_name} holds {not_class[0]:g}, a measurement rather than a class: multi-class classification "
            "needs whole numbers 0, 1, 2, … or text labels. Choose Regression for a numeric target."
        )
    k = int(values.max()) + 1
    if k > MAX_CLASSES:
        raise ClassColumnError(
            f"{column_name} holds {int(values.max())}, so it would have {k} classes; at most {MAX_CLASSES} are allowed "
            "(is it a numeric target? Choose Regression for one)"
        )
    present = np.unique(values)
    _check_count(present.size, column_name, tuple(f"{v:g}" for v in present))
    return ClassColumn(values.astype(np.int64), tuple(str(i) for i in range(k)))


def _check_count(k: int, column_name: str, names: tuple[str, ...]) -> None:
    if k < MIN_CLASSES:
        raise ClassColumnError(f"{column_name} has one class only ({names[0]}): there is nothing to tell apart")
    if k > MAX_CLASSES:
        raise ClassColumnError(f"{column_name} has {k} classes; at most {MAX_CLASSES} are allowed")
