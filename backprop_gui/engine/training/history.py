"""A growable float64 array for the loss history, so a million epochs cost one buffer."""

from __future__ import annotations

import numpy as np


class LossHistory:
    def __init__(self, values=()) -> None:
        values = np.asarray(values, dtype=float).reshape(-1)
        self._buffer = np.empty(max(1024, 2 * values.size))
        self._size = 0
        self.extend(values)

    def __len__(self) -> int:
        return self._size

    @property
    def values(self) -> np.ndarray:
        """A read-only view of the history (no copy)."""
        view = self._buffer[: self._size]
        view.flags.writeable = False
        return view

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=float).reshape(-1)
        needed = self._size + values.size
        if needed > self._buffer.size:
            grown = np.empty(max(needed, 2 * self._buffer.size))
            grown[: self._size] = self._buffer[: self._size]
            self._buffer = grown
        self._buffer[self._size : needed] = values
        self._size = needed

    def append(self, value: float) -> None:
        self.extend([value])

    def truncate(self, size: int) -> None:
        """Keep the first ``size`` values (used to go back in time)."""
        self._size = max(0, min(size, self._size))

    def clear(self) -> None:
        self._size = 0
