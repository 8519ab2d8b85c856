"""Input scaling. The network sees scaled inputs; the table keeps the user's units."""

from __future__ import annotations

import numpy as np

SCALINGS = ("none", "standardize")


class Standardizer:
    """z = (x - mean) / std per column, with the statistics of the data it was fitted on."""

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=float)
        self.std = np.asarray(std, dtype=float)

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardizer":
        X = np.asarray(X, dtype=float)
        std = X.std(axis=0)
        # A constant column carries no information; leave it centred rather than dividing by 0.
        std[std == 0] = 1.0
        return cls(X.mean(axis=0), std)

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
