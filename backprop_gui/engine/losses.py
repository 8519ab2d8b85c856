"""Loss functions.

Per-sample loss is averaged over the outputs; a batch loss is the mean over its
rows. For one row and one output the MSE is exactly the notes' L = (y - ŷ)².
"""

from __future__ import annotations

import numpy as np

LOSSES = ("mse", "bce")


def mse(y: np.ndarray, y_hat: np.ndarray) -> float:
    diff = y - y_hat
    return float(np.mean(diff * diff))


def mse_gradient(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂ŷ = -2(y - ŷ), divided by the number of values averaged."""
    return (-2.0 / y.size) * (y - y_hat)


def bce_from_logits(y: np.ndarray, z: np.ndarray) -> float:
    """Binary cross-entropy of sigmoid(z), computed from z so log(0) never occurs.

    -y log σ(z) - (1 - y) log(1 - σ(z)) = max(z, 0) - y z + log(1 + e^-|z|)
    """
    per_value = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(per_value))


def bce_gradient_wrt_output(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂ŷ = -(y/ŷ) + (1 - y)/(1 - ŷ), for display; infinite where ŷ saturates."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (-(y / y_hat) + (1.0 - y) / (1.0 - y_hat)) / y.size


def bce_gradient_wrt_logits(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂z through a sigmoid output: -(y - ŷ), as in the notes (seed 001)."""
    return (y_hat - y) / y.size
