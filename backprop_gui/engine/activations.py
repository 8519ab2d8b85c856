"""Activation functions and their derivatives.

Each derivative is written in terms of the neuron's weighted sum ``z`` and its
output ``out = f(z)``, because that is how the notes write them: the sigmoid's
slope is O(1 - O), tanh's is 1 - O². The newer ones (leaky ReLU, ELU, softplus, GELU, SiLU)
are written as PyTorch computes them in float64, so that the engine's gradients equal autograd's:
ELU with expm1, softplus as z itself above z = 20 (PyTorch's threshold, where the two differ by
less than 2·10⁻⁹), GELU in its exact form with the error function.

The compiled kernel (backprop_compiled.py) writes each of them again as scalar
arithmetic, numbered by ``ACTIVATION_CODES`` there.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple, Sequence

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


LEAKY_SLOPE = 0.01
"""Leaky ReLU's slope for z ≤ 0 (PyTorch's default)."""
SOFTPLUS_THRESHOLD = 20.0
"""Above it softplus is z itself and its slope 1, as PyTorch computes it."""
SQRT_HALF = math.sqrt(0.5)
NORMAL_DENSITY = 1.0 / math.sqrt(2.0 * math.pi)
"""φ(z) = NORMAL_DENSITY · e^(−z²/2)."""

_erf = np.vectorize(math.erf, otypes=[float])
"""The error function, element by element (NumPy has none; math.erf is the C library's)."""


def _softplus(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.where(z > SOFTPLUS_THRESHOLD, z, np.log1p(np.exp(np.minimum(z, SOFTPLUS_THRESHOLD))))


def logistic(z):
    """σ(z) = 1 / (1 + e^−z) as PyTorch's SiLU computes it (e^−z may overflow to ∞: then 0)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def normal_cdf(z):
    """Φ(z) = ½(1 + erf(z/√2)), GELU's weight of z."""
    return 0.5 * (1.0 + _erf(z * SQRT_HALF))


def normal_density(z):
    """φ(z) = e^(−z²/2) / √(2π)."""
    return np.exp(-0.5 * z * z) * NORMAL_DENSITY


def _softplus_slope(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """e^z / (e^z + 1), PyTorch's form of σ(z): exact to the last bits for very negative z too."""
    e = np.exp(np.minimum(z, SOFTPLUS_THRESHOLD))
    return np.where(z > SOFTPLUS_THRESHOLD, 1.0, e / (e + 1.0))


def _silu(z: np.ndarray) -> np.ndarray:
    """z / (1 + e^−z), as PyTorch computes it (e^−z may overflow to ∞: then −0)."""
    with np.errstate(over="ignore"):
        return z / (1.0 + np.exp(-z))


def _silu_slope(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """σ(z)·(1 + z·(1 − σ(z)))."""
    s = logistic(z)
    return s * (1.0 + z * (1.0 - s))


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation("linear", lambda z: z, lambda z, out: np.ones_like(z), True),
    "sigmoid": Activation("sigmoid", _sigmoid, lambda z, out: out * (1.0 - out)),
    "tanh": Activation("tanh", np.tanh, lambda z, out: 1.0 - out * out),
    "relu": Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, out: (z > 0.0).astype(float)),
    "leaky_relu": Activation(
        "leaky_relu", lambda z: np.where(z > 0.0, z, LEAKY_SLOPE * z), lambda z, out: np.where(z > 0.0, 1.0, LEAKY_SLOPE)
    ),
    "elu": Activation("elu", lambda z: np.where(z > 0.0, z, np.expm1(np.minimum(z, 0.0))), lambda z, out: np.where(z > 0.0, 1.0, np.exp(np.minimum(z, 0.0)))),
    "softplus": Activation("softplus", _softplus, _softplus_slope),
    "gelu": Activation("gelu", lambda z: z * normal_cdf(z), lambda z, out: normal_cdf(z) + z * normal_density(z)),
    "silu": Activation("silu", _silu, _silu_slope),
}
"""Every activation by its name; the compiled kernel numbers them (backprop_compiled.ACTIVATION_CODES)."""

ACTIVATION_TITLES = {
    "linear": "linear",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "softplus": "softplus",
    "gelu": "GELU",
    "silu": "SiLU (swish)",
}
"""How the form and the explanations name each activation."""


def softmax(z: np.ndarray) -> np.ndarray:
    """ŷₖ = e^zₖ / Σⱼ e^zⱼ along each row, with the row's largest z subtracted first so e^z never
    overflows (the quotient is unchanged)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log ŷₖ = zₖ − m − log Σⱼ e^(zⱼ − m), m the row's largest z: finite however small ŷₖ is."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax_slope(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    raise ValueError(
        "the softmax's slope is a matrix (every ŷ depends on every z): it is only used with the "
        "categorical cross-entropy, whose ∂L/∂zₖ = ŷₖ − yₖ needs no slope"
    )


SOFTMAX = Activation("softmax", softmax, _softmax_slope)
"""The multi-class output: probabilities over the k output neurons. Not in ``ACTIVATIONS`` (the
element-wise ones a hidden layer may use): only an output layer trained on the categorical
cross-entropy can have it."""
OUTPUT_ONLY_ACTIVATIONS: dict[str, Activation] = {"softmax": SOFTMAX}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name] if name in ACTIVATIONS else OUTPUT_ONLY_ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = sorted(ACTIVATIONS) + sorted(OUTPUT_ONLY_ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose one of {known}") from None


def hidden_activation_names(choice: str | Sequence[str], n_hidden: int) -> list[str]:
    """Each hidden layer's activation name, the first hidden layer first, from ``choice``: one name
    for every hidden layer, or a sequence of names with one per hidden layer. Unknown names and a
    sequence of the wrong length are refused with ValueError."""
    if isinstance(choice, str):
        names = [choice] * n_hidden
        get_activation(choice)
    else:
        names = list(choice)
        if len(names) != n_hidden:
            raise ValueError(f"{len(names)} hidden activations given for {n_hidden} hidden layers")
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"an activation is named by a string, not {name!r}")
            get_activation(name)
    return names


def activation_choice(names: Sequence[str], default: str = "linear") -> str | list[str]:
    """The shortest way to give ``names`` back to Network: one name when every hidden layer has it
    (``default`` when there are no hidden layers), else the list."""
    if not names:
        return default
    return names[0] if all(name == names[0] for name in names) else list(names)


def hidden_activation_text(choice: str | Sequence[str]) -> str:
    """The hidden activations in a few words: "tanh", or each layer's "elu/gelu"."""
    return choice if isinstance(choice, str) else "/".join(choice)
