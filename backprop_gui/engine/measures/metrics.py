"""How well the network fits the whole table: loss, RMSE and R² for regression, loss and accuracy
for classification. Computed from the network's current parameters, never from a run's history."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..losses import Loss, get_loss
from ..network import Network

CLASSIFICATION_THRESHOLD = 0.5
"""A row counts as class 1 when ŷ is at least this."""


@dataclass(frozen=True)
class Metrics:
    task: str
    """"regression" or "classification"."""
    loss: float
    """The training loss over every row (MSE, or binary cross-entropy)."""
    rmse: float | None = None
    """Root mean squared error, in the target's units (regression)."""
    r2: float | None = None
    """1 - SS_res / SS_tot; None when the targets are all equal (regression)."""
    accuracy: float | None = None
    """The share of rows whose ŷ falls on the side of 0.5 of their 0/1 target (classification)."""


def evaluate(network: Network, X: np.ndarray, y: np.ndarray, loss: str | Loss = "mse") -> Metrics:
    """The metrics of ``network`` on inputs ``X`` (as the network sees them, i.e. scaled) and targets ``y``;
    ``loss`` is a Loss or its name, and its task says which metrics."""
    loss = get_loss(loss)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(X), -1)
    with np.errstate(over="ignore", invalid="ignore"):
        forward = network.forward_pass(X)
        y_hat = forward.y_hat
        value = loss.value(y, y_hat, forward.z[-1])
        if loss.task == "classification":
            predicted = (y_hat >= CLASSIFICATION_THRESHOLD).astype(float)
            return Metrics("classification", value, accuracy=float(np.mean(predicted == y)))
        rmse = math.sqrt(value) if math.isfinite(value) else math.inf
        total = float(np.sum((y - y.mean(axis=0)) ** 2))
        residual = float(np.sum((y - y_hat) ** 2))
        r2 = 1.0 - residual / total if total > 0 and math.isfinite(residual) else None
        return Metrics("regression", value, rmse=rmse, r2=r2)
