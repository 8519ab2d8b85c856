"""Why an activation's slope matters: each hidden neuron's f′(z) over the table's rows.

The chain rule multiplies every gradient that passes through a hidden neuron by f′(z): where
|f′(z)| is below 1% (a sigmoid or tanh driven far from 0, a ReLU whose sum is negative) almost no
gradient passes, and the weights into the neuron barely learn. ``neuron_slopes`` measures each
hidden neuron's z and f′(z) on every row; a neuron whose |f′(z)| is below ``FLAT_SLOPE`` on more
than half of them is "saturated", or "dead" when its activation is ReLU (whose slope there is 0).
``activation_curve`` gives f and f′ over a range of z, as the activation explorer plots them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from ..network import Network

FLAT_SLOPE = 0.01
"""|f′(z)| below this passes almost no gradient."""
MOST_ROWS = 0.5
"""A neuron is flagged when its slope is flat on more than this share of the rows."""
MAX_ROWS = 20_000
"""A larger table is measured on this many rows, evenly spaced through it."""


@dataclass(frozen=True)
class NeuronSlope:
    """Hidden neuron ``j`` of weight layer ``layer`` (0-based) on the rows measured."""

    layer: int
    j: int
    activation: str
    z: np.ndarray
    """The weighted sum on each row."""
    slope: np.ndarray
    """f′(z) on each row."""

    @property
    def flat_share(self) -> float:
        """The share of the rows on which |f′(z)| < FLAT_SLOPE."""
        if self.slope.size == 0:
            return 0.0
        with np.errstate(invalid="ignore"):
            return float(np.mean(np.abs(self.slope) < FLAT_SLOPE))

    @property
    def verdict(self) -> str | None:
        """"dead" (ReLU) or "saturated" when the slope is flat on most rows; else None."""
        if self.flat_share <= MOST_ROWS:
            return None
        return "dead" if self.activation == "relu" else "saturated"


def measured_rows(n_rows: int) -> np.ndarray:
    """The rows measured: all of them, or MAX_ROWS evenly spaced ones of a larger table."""
    if n_rows <= MAX_ROWS:
        return np.arange(n_rows)
    return np.unique(np.linspace(0, n_rows - 1, MAX_ROWS).astype(np.int64))


def neuron_slopes(network: Network, inputs: np.ndarray) -> list[NeuronSlope]:
    """Every hidden neuron's z and f′(z) on the rows of ``inputs`` (as the network sees them:
    scaled), measured on ``measured_rows`` of them; the first hidden layer first."""
    inputs = np.atleast_2d(np.asarray(inputs, dtype=float))
    inputs = inputs[measured_rows(inputs.shape[0])]
    with np.errstate(over="ignore", invalid="ignore"):
        forward = network.forward_pass(inputs)
        slopes = []
        for layer in range(network.n_layers - 1):
            activation = network.activation(layer)
            z, out = forward.z[layer], forward.outputs[layer]
            slope = activation.derivative(z, out)
            for j in range(z.shape[1]):
                slopes.append(NeuronSlope(layer, j, activation.name, z[:, j].copy(), np.asarray(slope[:, j], dtype=float)))
    return slopes


def activation_curve(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f′(z) of the activation ``name``, as the engine computes them."""
    activation = get_activation(name)
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        value = activation.forward(z)
        return value, activation.derivative(z, value)
