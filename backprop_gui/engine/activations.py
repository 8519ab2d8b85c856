"""Activation functions and their derivatives.

Each derivative is written in terms of the neuron's weighted sum ``z`` and its
output ``out = f(z)``, because that is how the notes write them: the sigmoid's
slope is O(1 - O), tanh's is 1 - O².

The compiled kernel (backprop_compiled.py) writes each of them again as scalar
arithmetic, numbered by ``ACTIVATION_CODES`` there.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


class Activation(NamedTuple):
    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    """derivative(z, out) -> f'(z)"""
    is_linear: bool = False


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) overflows e^-z for large negative z; tanh form is exact and safe.
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation("linear", lambda z: z, lambda z, out: np.ones_like(z), True),
    "sigmoid": Activation("sigmoid", _sigmoid, lambda z, out: out * (1.0 - out)),
    "tanh": Activation("tanh", np.tanh, lambda z, out: 1.0 - out * out),
    "relu": Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, out: (z > 0.0).astype(float)),
}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None
