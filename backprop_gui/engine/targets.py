"""What the target column allows: classification needs 0/1, a sigmoid output cannot leave (0, 1)."""

from __future__ import annotations

import numpy as np

from .notation import format_number


def classification_problem(y: np.ndarray) -> str | None:
    """Why these targets cannot be classified with binary cross-entropy, or None if they can."""
    y = np.asarray(y, dtype=float).reshape(-1)
    not_binary = y[(y != 0.0) & (y != 1.0)]
    if not_binary.size == 0:
        return None
    first = format_number(not_binary[0])
    if not_binary.size == 1:
        holds = f"it holds {first}, which is neither 0 nor 1"
    else:
        holds = f"it holds {not_binary.size:,} values other than 0 and 1, such as {first}"
    return f"Classification needs a target column of 0s and 1s only, but {holds}. Choose Regression, or put 0/1 classes in the last column."


def one_hot(y, k: int) -> np.ndarray:
    """Multi-class targets as one-hot rows (n × k): integer labels 0…k−1 (n,) become one-hot, one-hot
    rows stay as they are (checked by the loss). ValueError for a label outside 0…k−1 or not whole."""
    y = np.array(y, dtype=float)
    if y.ndim != 1:
        return y
    if not np.isfinite(y).all():
        raise ValueError("the data holds a value that is not a finite number")
    bad = y[(y != np.round(y)) | (y < 0) | (y >= k)]
    if bad.size:
        raise ValueError(f"a class label is a whole number from 0 to {k - 1} (the network has {k} outputs), got {bad[0]:g}")
    return np.eye(k)[y.astype(np.int64)]


def output_range_warning(output_activation: str, y: np.ndarray) -> str | None:
    """A warning when the output activation cannot reach some targets, or None."""
    y = np.asarray(y, dtype=float).reshape(-1)
    if y.size == 0:
        return None
    low, high = float(y.min()), float(y.max())
    if output_activation == "sigmoid" and (low < 0.0 or high > 1.0):
        return (
            f"A sigmoid output stays between 0 and 1, so it cannot fit targets from {format_number(low)} "
            f"to {format_number(high)}: choose a linear output."
        )
    if output_activation == "tanh" and (low < -1.0 or high > 1.0):
        return (
            f"A tanh output stays between −1 and 1, so it cannot fit targets from {format_number(low)} "
            f"to {format_number(high)}: choose a linear output."
        )
    if output_activation == "relu" and low < 0.0:
        return f"A ReLU output is never negative, so it cannot fit the target {format_number(low)}: choose a linear output."
    if output_activation in LOWEST_OUTPUTS:
        lowest, title = LOWEST_OUTPUTS[output_activation]
        if low < lowest:
            return (
                f"{'An' if title[0] in 'AEIOU' else 'A'} {title} output never goes below {format_number(lowest, 4)}, so it cannot fit the target "
                f"{format_number(low)}: choose a linear output."
            )
    return None


LOWEST_OUTPUTS = {"softplus": (0.0, "softplus"), "elu": (-1.0, "ELU"), "gelu": (-0.17, "GELU"), "silu": (-0.2785, "SiLU")}
"""The least value each of these activations takes (GELU's −0.16997 and SiLU's −0.27846, rounded
down): a target below it is out of the output's reach."""
