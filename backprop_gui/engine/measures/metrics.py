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
    """The share of rows whose ŷ falls on the side of 0.5 of their 0/1 target (classification), or
    whose most probable class is their class (multi-class)."""
    confusion: np.ndarray | None = None
    """Multi-class: the k × k counts, confusion[true class, predicted class] (the argmax of ŷ)."""


def confusion_matrix(true_classes: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    """counts[i, j]: the rows of class i predicted as class j (int64, k × k)."""
    return np.bincount(np.asarray(true_classes) * k + np.asarray(predicted), minlength=k * k).reshape(k, k)


def evaluate(network: Network, X: np.ndarray, y: np.ndarray, loss: str | Loss = "mse") -> Metrics:
    """The metrics of ``network`` on inputs ``X`` (as the network sees them, i.e. scaled) and targets ``y``;
    ``loss`` is a Loss or its name, and its task says which metrics."""
    loss = get_loss(loss)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if loss.task == "multiclass" and y.ndim == 1:
        y = np.eye(network.n_outputs)[y.astype(np.int64)]  # class labels as one-hot rows
    y = y.reshape(len(X), -1)
    with np.errstate(over="ignore", invalid="ignore"):
        forward = network.forward_pass(X)
        y_hat = forward.y_hat
        value = loss.value(y, y_hat, forward.z[-1])
        if loss.task == "multiclass":
            true_classes, predicted = y.argmax(axis=1), y_hat.argmax(axis=1)
            confusion = confusion_matrix(true_classes, predicted, network.n_outputs)
            return Metrics("multiclass", value, accuracy=float(np.mean(predicted == true_classes)), confusion=confusion)
        if loss.task == "classification":
            predicted = (y_hat >= CLASSIFICATION_THRESHOLD).astype(float)
            return Metrics("classification", value, accuracy=float(np.mean(predicted == y)))
        rmse = math.sqrt(value) if math.isfinite(value) else math.inf
        total = float(np.sum((y - y.mean(axis=0)) ** 2))
        residual = float(np.sum((y - y_hat) ** 2))
        r2 = 1.0 - residual / total if total > 0 and math.isfinite(residual) else None
        return Metrics("regression", value, rmse=rmse, r2=r2)
