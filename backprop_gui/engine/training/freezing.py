"""Frozen parameters: weights and biases that training leaves exactly as they are.

A parameter is named as the notes write it (``notation.weight_name``/``bias_name``: "w¹₁₁",
"b₂₁"). A frozen parameter's gradient is still computed and shown; the update skips it: its
value and its optimizer state (v, m, s) stay as they were, bit for bit, and no penalty moves it.
Every other parameter moves as it would with the frozen one's gradient zeroed (with v, m and s
at 0, a zero gradient moves nothing under any of the optimizers; a penalty would).

The compiled kernel skips a frozen parameter in its update loop (``FrozenParameters.flat``);
the readable path makes the update and puts the frozen values and state back (``hold``,
``restore``), which leaves the same numbers.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from ..notation import all_parameters
from ..optimizers import OptimizerState


def parameter_names(layer_sizes: Sequence[int]) -> list[str]:
    """Every weight's and bias's name, as the notes list them (notation.all_parameters)."""
    return [ref.name for ref in all_parameters(layer_sizes)]


def check_frozen_names(names: Iterable[str], layer_sizes: Sequence[int]) -> frozenset[str]:
    """``names`` as a frozenset, or ValueError naming the first that no parameter of a network of
    ``layer_sizes`` has."""
    if isinstance(names, str):
        raise ValueError(f"frozen takes a collection of parameter names, such as {{{names!r}}}, not one string")
    known = set(parameter_names(layer_sizes))
    names = frozenset(names)
    for name in sorted(names, key=str):
        if name not in known:
            sizes = "-".join(str(n) for n in layer_sizes)
            raise ValueError(f"a {sizes} network has no parameter {name!r} to freeze (its parameters are w¹₁₁, b₁₁ and so on)")
    return names


class FrozenParameters:
    """Which parameters of a network of ``layer_sizes`` are frozen, as masks in its layouts."""

    def __init__(self, names: Iterable[str], layer_sizes: Sequence[int]) -> None:
        self.layer_sizes = [int(n) for n in layer_sizes]
        self.names = check_frozen_names(names, self.layer_sizes)
        pairs = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.weight_masks = [np.zeros((a, b), np.bool_) for a, b in pairs]
        self.bias_masks = [np.zeros(b, np.bool_) for _, b in pairs]
        for ref in all_parameters(self.layer_sizes):
            if ref.name in self.names:
                if ref.kind == "w":
                    self.weight_masks[ref.layer][ref.i, ref.j] = True
                else:
                    self.bias_masks[ref.layer][ref.i] = True
        parts = [p for w, b in zip(self.weight_masks, self.bias_masks) for p in (w.reshape(-1), b)]
        self.flat = np.concatenate(parts) if parts else np.zeros(0, np.bool_)
        """The mask in the layout of ``backprop_compiled.flatten`` (and of the optimizer's state)."""

    def fitted(self, layer_sizes: Sequence[int]) -> "FrozenParameters":
        """These, or for a network of other ``layer_sizes`` those of the names that it has."""
        if list(layer_sizes) == self.layer_sizes:
            return self
        return FrozenParameters(self.names & set(parameter_names(layer_sizes)), layer_sizes)

    def __bool__(self) -> bool:
        return bool(self.names)

    def hold(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], state: OptimizerState | None):
        """The frozen parameters' values and optimizer state, to ``restore`` after an update."""
        values = [w[m] for w, m in zip(weights, self.weight_masks)] + [b[m] for b, m in zip(biases, self.bias_masks)]
        averages = None if state is None else [a[self.flat] for a in (state.v, state.m, state.s)]
        return values, averages

    def restore(self, held, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], state: OptimizerState | None) -> None:
        """Put back what ``hold`` kept: the frozen parameters as they were before the update."""
        values, averages = held
        masks = self.weight_masks + self.bias_masks
        for array, mask, value in zip(list(weights) + list(biases), masks, values):
            array[mask] = value
        if state is not None and averages is not None:
            for array, value in zip((state.v, state.m, state.s), averages):
                array[self.flat] = value
