"""A long loss history drawn as a few thousand points: each bucket of epochs as its lowest and
its highest loss, so no spike and no dip disappears from the curve.

A run of minutes has millions of epochs; handing them all to pyqtgraph made every repaint during
training walk all of them (bounds, downsampling, clipping), so a frame took longer the longer the
run. ``PeakEnvelope`` keeps the buckets it has reduced and only reduces the epochs new since the
last frame.
"""

from __future__ import annotations

import numpy as np

MAX_BUCKETS = 2048
"""Buckets across the plot: about one per pixel column of a wide window."""


class PeakEnvelope:
    """The points to draw for a history that grows at its end (and is replaced now and then)."""

    def __init__(self, max_buckets: int = MAX_BUCKETS) -> None:
        self.max_buckets = max_buckets
        self._size = 0  # epochs per bucket: a power of two
        self._lows = np.empty(0)
        self._highs = np.empty(0)
        self._first = self._last_covered = self._middle = np.nan

    def points(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(epoch numbers, losses) to draw for the history ``values`` (epoch 1 first). A short
        history is drawn as it is; a long one as each bucket's lowest then highest loss, both at
        the bucket's middle epoch, then the epochs after the last full bucket (at least the last
        epoch) as they are."""
        values = np.asarray(values, dtype=float)
        n = values.size
        if n <= 2 * self.max_buckets:
            return np.arange(1, n + 1, dtype=float), values
        size = 1
        while n // size > self.max_buckets:
            size *= 2
        self._reduce(values, size)
        buckets = self._lows.size
        middles = np.arange(buckets) * size + (size + 1) / 2
        tail = np.arange(min(buckets * size, n - 1), n)  # at least the last epoch: the curve ends at the present
        x = np.concatenate([np.repeat(middles, 2), tail + 1.0])
        y = np.concatenate([np.column_stack([self._lows, self._highs]).reshape(-1), values[tail]])
        return x, y

    def _reduce(self, values: np.ndarray, size: int) -> None:
        done = self._lows.size
        covered = done * size
        same_history = (  # the epochs reduced so far, as they were: checked at three of them
            size == self._size
            and covered <= values.size
            and values[0] == self._first
            and (done == 0 or (values[covered - 1] == self._last_covered and values[covered // 2] == self._middle))
        )
        if not same_history:
            done = 0
            self._lows, self._highs = np.empty(0), np.empty(0)
        full = values.size // size
        if full > done:
            blocks = values[done * size : full * size].reshape(-1, size)
            self._lows = np.concatenate([self._lows, blocks.min(axis=1)])
            self._highs = np.concatenate([self._highs, blocks.max(axis=1)])
        self._size, self._first = size, values[0]
        self._last_covered, self._middle = values[full * size - 1], values[(full * size) // 2]
