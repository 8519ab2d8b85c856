"""How a step's explanation writes things: its numbers, and the symbols and values of a step record.

``StepNotation`` names every quantity of one step the notes' way (O₁₁, z₁₁, ŷ, δ₁₁, w¹₁₁) and
reads its value from the record; ``StepExplainer`` (explainer.py) tells the phases with it and
explain_chain.py the chain rule.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from ..losses import Loss, get_loss
from ..notation import ParameterRef, format_number, subscript
from ..optimizers import UpdateTrace


class StepValues(Protocol):
    """What the explanations read of a step: the fields of ``engine.step_record.StepRecord`` they
    use. Named here so that no explanation imports step_record, whose notebook display is drawn
    by this package's renderers."""

    epoch: int
    step: int
    rows: np.ndarray
    inputs: np.ndarray
    targets: np.ndarray
    z: list[np.ndarray]
    outputs: list[np.ndarray]
    y_hat: np.ndarray
    loss: float
    deltas: list[np.ndarray]
    weight_grads: list[np.ndarray]
    bias_grads: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    learning_rate: float
    update: UpdateTrace | None

number = format_number
"""A number as the explanations print it: as every number on screen is printed."""


def factor(value: float) -> str:
    """A number used as a factor or term: negative ones go in brackets, 1·(−3)."""
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def activation_slope(activation: str, out_symbol: str, sum_symbol: str) -> str:
    """f′ written the notes' way, in terms of the neuron's output where it can be."""
    return {
        "sigmoid": f"{out_symbol}(1 − {out_symbol})",
        "tanh": f"(1 − {out_symbol}²)",
        "relu": f"(1 if {sum_symbol} > 0, else 0)",
    }[activation]


def activation_slope_numbers(activation: str, out: float, z: float) -> str:
    if activation == "sigmoid":
        return f"{factor(out)}(1 − {factor(out)})"
    if activation == "tanh":
        return f"(1 − {factor(out)}²)"
    return "1" if z > 0 else "0"


def parameter_values(record: StepValues, ref: ParameterRef) -> tuple[float, float, float]:
    """A parameter of a step: its value before the step, after it, and its gradient."""
    if ref.kind == "w":
        position = (ref.i, ref.j)
        before, after, grads = record.weights_before, record.weights_after, record.weight_grads
    else:
        position = ref.i
        before, after, grads = record.biases_before, record.biases_after, record.bias_grads
    return float(before[ref.layer][position]), float(after[ref.layer][position]), float(grads[ref.layer][position])


class StepNotation:
    """The symbols and values of one step record, in the notes' notation.

    ``hidden_activation`` and ``output_activation`` are the engine's names, ``loss`` a Loss or its name.
    """

    def __init__(
        self,
        record: StepValues,
        layer_sizes: Sequence[int],
        hidden_activation: str,
        output_activation: str,
        loss: str | Loss,
        input_names: Sequence[str],
        target_name: str = "y",
        scaled_inputs: bool = False,
    ) -> None:
        self.record = record
        self.layer_sizes = list(layer_sizes)
        self.n_layers = len(self.layer_sizes) - 1
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.loss = get_loss(loss)
        self.input_names = list(input_names)
        self.target_name = target_name
        self.scaled_inputs = scaled_inputs
        self.n_rows = len(record.rows)
        self.n_outputs = self.layer_sizes[-1]

    # -- symbols -----------------------------------------------------------
    def activation(self, layer: int) -> str:
        return self.output_activation if layer == self.n_layers - 1 else self.hidden_activation

    def out_symbol(self, layer: int, j: int) -> str:
        """The output of neuron j of weight layer ``layer``: O₁₁, …, and ŷ for the output."""
        if layer < 0:
            return self.input_names[j]
        if layer == self.n_layers - 1:
            return "ŷ" if self.n_outputs == 1 else f"ŷ{subscript(j + 1)}"
        return f"O{subscript(layer + 1, j + 1)}"

    def sum_symbol(self, layer: int, j: int) -> str:
        """The weighted sum of neuron j: the notes write O₁₁ for it when the neuron is linear."""
        if self.activation(layer) == "linear":
            return self.out_symbol(layer, j)
        return f"z{subscript(layer + 1, j + 1)}"

    def target_symbol(self, j: int) -> str:
        return "y" if self.n_outputs == 1 else f"y{subscript(j + 1)}"

    def delta_symbol(self, layer: int, j: int) -> str:
        return f"δ{subscript(layer + 1, j + 1)}"

    # -- values of the record ------------------------------------------------
    def out_value(self, layer: int, j: int, row: int = 0) -> float:
        source = self.record.inputs if layer < 0 else self.record.outputs[layer]
        return float(source[row, j])

    def weight_before(self, layer: int, i: int, j: int) -> float:
        return float(self.record.weights_before[layer][i, j])

    def values(self, ref: ParameterRef) -> tuple[float, float, float]:
        return parameter_values(self.record, ref)
