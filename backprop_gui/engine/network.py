"""A fully connected feed-forward network in the course notes' notation.

``weights[k][i, j]`` is the notes' w^(k+1)_(i+1)(j+1): the weight from neuron
i+1 of layer k to neuron j+1 of layer k+1 (the inputs are layer 0).
``biases[k][j]`` is b_(k+1)(j+1). So for the notes' 2-2-1 network

    O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁ = X @ weights[0][:, 0] + biases[0][0]
    ŷ = O₂₁ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .activations import OUTPUT_ONLY_ACTIVATIONS, Activation, activation_choice, get_activation, hidden_activation_names
from .backprop import ForwardPass, forward_pass

#: How each initialisation draws the weights; every one sets the biases to 0.
INITIALISATIONS = {
    "ones": "all weights 1, biases 0 (the notes' choice)",
    "zeros": "all weights and biases 0 (hidden neurons stay identical)",
    "random": "small random weights, uniform in [-0.5, 0.5], biases 0",
    "uniform": "random weights, uniform in [-1, 1], biases 0",
    "normal": "random weights, normal with mean 0 and standard deviation 1, biases 0",
    "xavier": "Xavier/Glorot uniform weights, ±√(6 / (fan_in + fan_out)), biases 0",
}

__all__ = ["INITIALISATIONS", "ForwardPass", "Network"]


class Network:
    def __init__(
        self,
        layer_sizes: Sequence[int] = (2, 2, 1),
        hidden_activation: str | Sequence[str] = "linear",
        output_activation: str = "linear",
        init: str = "ones",
        seed: int = 0,
    ) -> None:
        """``hidden_activation``: one activation's name for every hidden layer, or a sequence of
        names, one per hidden layer (the first hidden layer first)."""
        sizes = [int(n) for n in layer_sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer_sizes needs at least two layers of at least one neuron, got {sizes}")
        self.layer_sizes = sizes
        names = hidden_activation_names(hidden_activation, len(sizes) - 2)
        if any(name in OUTPUT_ONLY_ACTIVATIONS for name in names):
            raise ValueError("softmax is an output activation only; choose another hidden activation")
        self.hidden_activations: list[Activation] = [get_activation(name) for name in names]
        """Each hidden layer's activation, the first hidden layer first."""
        self.hidden_activation = get_activation(hidden_activation if isinstance(hidden_activation, str) else (names or ["linear"])[0])
        """The hidden layers' activation; with one per layer, the first hidden layer's."""
        self.output_activation = get_activation(output_activation)
        self.weights: list[np.ndarray] = [np.empty((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.biases: list[np.ndarray] = [np.empty(b) for b in sizes[1:]]
        self.initialize(init, seed)

    # -- structure -------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """Number of layers with weights (hidden layers + output layer)."""
        return len(self.weights)

    @property
    def n_parameters(self) -> int:
        """Every weight and bias."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    @property
    def n_inputs(self) -> int:
        return self.layer_sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    def activation(self, layer: int):
        """The activation of weight layer ``layer`` (0-based; the last is the output)."""
        return self.output_activation if layer == self.n_layers - 1 else self.hidden_activations[layer]

    @property
    def hidden_activation_choice(self) -> str | list[str]:
        """The hidden activations as Network takes them: one name, or a list with one per hidden layer."""
        return activation_choice([a.name for a in self.hidden_activations], self.hidden_activation.name)

    @property
    def activations(self) -> list[Activation]:
        """The activation of every weight layer, the first hidden layer first."""
        return [self.activation(k) for k in range(self.n_layers)]

    # -- parameters ------------------------------------------------------
    def initialize(self, init: str = "ones", seed: int = 0) -> None:
        """Re-draw every weight and bias in place; the same seed gives the same values."""
        if init not in INITIALISATIONS:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {sorted(INITIALISATIONS)}")
        self.init = init
        self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        for w, b in zip(self.weights, self.biases):
            fan_in, fan_out = w.shape
            if init == "ones":
                w[...] = 1.0
            elif init == "zeros":
                w[...] = 0.0
            elif init == "random":
                w[...] = rng.uniform(-0.5, 0.5, w.shape)
            elif init == "uniform":
                w[...] = rng.uniform(-1.0, 1.0, w.shape)
            elif init == "normal":
                w[...] = rng.normal(0.0, 1.0, w.shape)
            else:  # xavier
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                w[...] = rng.uniform(-limit, limit, w.shape)
            b[...] = 0.0

    def get_parameters(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of the weights and biases."""
        return [w.copy() for w in self.weights], [b.copy() for b in self.biases]

    def set_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
        """Copy values into the live parameter arrays (shapes must match)."""
        if len(weights) != len(self.weights) or len(biases) != len(self.biases):
            raise ValueError("parameter lists do not match the network's layers")
        for dst, src in zip(self.weights + self.biases, list(weights) + list(biases)):
            src = np.asarray(src, dtype=float)
            if src.shape != dst.shape:
                raise ValueError(f"parameter shape {src.shape} does not match {dst.shape}")
            dst[...] = src

    def copy(self) -> "Network":
        clone = Network(
            self.layer_sizes,
            self.hidden_activation_choice,
            self.output_activation.name,
            init=self.init,
            seed=self.seed,
        )
        clone.set_parameters(self.weights, self.biases)
        return clone

    def all_parameters_finite(self) -> bool:
        return all(np.isfinite(p).all() for p in self.weights + self.biases)

    # -- computation -----------------------------------------------------
    def forward_pass(self, X: np.ndarray) -> ForwardPass:
        """Run a batch (rows × inputs) through the network, keeping every layer (backprop.forward_pass)."""
        return forward_pass(self.weights, self.biases, self.activations, X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ for each row of X (a single row may be given as a 1-D array)."""
        X = np.asarray(X, dtype=float)
        single = X.ndim == 1
        y_hat = self.forward_pass(np.atleast_2d(X)).y_hat
        return y_hat[0] if single else y_hat

    def _repr_svg_(self) -> str:
        """In Jupyter, a network shows its diagram with every weight and bias."""
        from .explain.render import network_svg  # loaded when a notebook draws, not with every network

        return network_svg(self)

    def __repr__(self) -> str:
        return (
            f"Network(layer_sizes={self.layer_sizes}, hidden_activation={self.hidden_activation_choice!r}, "
            f"output_activation={self.output_activation.name!r}, init={self.init!r}, seed={self.seed})"
        )
