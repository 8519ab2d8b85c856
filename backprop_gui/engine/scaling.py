"""Input scaling. The network sees scaled inputs; the table keeps the user's units."""

from __future__ import annotations

import numpy as np

SCALINGS = ("none", "standardize")
SAFE_TO_SQUARE = 1e150
"""Columns with values up to this size are fitted directly (bit for bit as before); larger ones
are first divided by their largest value, so no square overflows."""


class Standardizer:
    """z = (x - mean) / std per column, with the statistics of the data it was fitted on."""

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=float)
        self.std = np.asarray(std, dtype=float)

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardizer":
        X = np.asarray(X, dtype=float)
        if X.shape[0] == 0:  # no rows: nothing to centre on (and no "mean of empty slice" warning)
            return cls.identity(X.shape[1])
        peak = np.abs(X).max(axis=0)
        if np.any(peak > SAFE_TO_SQUARE):
            # Squaring deviations beyond about 1e154 overflows to ∞ (and NumPy warns): work on
            # the columns divided by their largest |x|, where every square is at most 4.
            scale = np.where(peak > 0, peak, 1.0)
            unit = X / scale
            mean, std = unit.mean(axis=0) * scale, unit.std(axis=0) * scale
        else:
            mean, std = X.mean(axis=0), X.std(axis=0)
        # A constant column carries no information; leave it centred rather than dividing by 0.
        std[std == 0] = 1.0
        return cls(mean, std)

    @classmethod
    def identity(cls, n_columns: int) -> "Standardizer":
        return cls(np.zeros(n_columns), np.ones(n_columns))

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=float) - self.mean) / self.std


def make_scaler(scaling: str, X: np.ndarray) -> Standardizer:
    """The scaler for a scaling name: 'standardize' fits to X, 'none' changes nothing."""
    if scaling == "standardize":
        return Standardizer.fit(X)
    if scaling == "none":
        return Standardizer.identity(np.asarray(X).shape[1])
    raise ValueError(f"unknown scaling {scaling!r}; choose one of {SCALINGS}")
