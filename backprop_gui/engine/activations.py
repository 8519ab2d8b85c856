"""Activation functions and their derivatives.

Each derivative is written in terms of the neuron's weighted sum ``z`` and its
output ``out = f(z)``, because that is how the notes write them: the sigmoid's
slope is O(1 - O), tanh's is 1 - O².

Each activation also has buffer-writing twins, ``forward_into`` and
``derivative_into``, for the training loop of ``Trainer.run_epoch``: they make
the same NumPy calls in the same order, so they give the same floats bit for
bit, but write into arrays allocated once instead of new ones.
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
    forward_into: Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None = None
    """forward_into(z, out, scratch) writes f(z) into out; scratch is a spare array of z's shape."""
    derivative_into: Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None = None
    """derivative_into(z, out, result) writes f'(z) into result."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) overflows e^-z for large negative z; tanh form is exact and safe.
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


# The buffer-writing twins. The transcendental functions (np.tanh) always write to an array other
# than their input, as the originals do: NumPy may choose another (SIMD or scalar) loop, with other
# rounding, for an operation done in place. Plain + - * are exactly rounded whichever loop runs.
def _sigmoid_into(z: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    np.multiply(0.5, z, scratch)
    np.tanh(scratch, out)
    np.add(out, 1.0, out)
    np.multiply(0.5, out, out)


def _sigmoid_derivative_into(z: np.ndarray, out: np.ndarray, result: np.ndarray) -> None:
    np.subtract(1.0, out, result)
    np.multiply(out, result, result)


def _tanh_into(z: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    np.tanh(z, out)


def _tanh_derivative_into(z: np.ndarray, out: np.ndarray, result: np.ndarray) -> None:
    np.multiply(out, out, result)
    np.subtract(1.0, result, result)


def _relu_into(z: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    np.maximum(z, 0.0, out=out)


def _relu_derivative_into(z: np.ndarray, out: np.ndarray, result: np.ndarray) -> None:
    np.greater(z, 0.0, result)  # True/False stored as 1.0/0.0, as astype(float) gives


def _linear_into(z: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    np.copyto(out, z)


def _linear_derivative_into(z: np.ndarray, out: np.ndarray, result: np.ndarray) -> None:
    result.fill(1.0)


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation(
        "linear", lambda z: z, lambda z, out: np.ones_like(z), True, _linear_into, _linear_derivative_into
    ),
    "sigmoid": Activation(
        "sigmoid", _sigmoid, lambda z, out: out * (1.0 - out), False, _sigmoid_into, _sigmoid_derivative_into
    ),
    "tanh": Activation("tanh", np.tanh, lambda z, out: 1.0 - out * out, False, _tanh_into, _tanh_derivative_into),
    "relu": Activation(
        "relu", lambda z: np.maximum(z, 0.0), lambda z, out: (z > 0.0).astype(float), False, _relu_into,
        _relu_derivative_into,
    ),
}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None
