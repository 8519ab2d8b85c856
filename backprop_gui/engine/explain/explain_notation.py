"""How a step's explanation writes things: its numbers, and the symbols and values of a step record.

``StepNotation`` names every quantity of one step the notes' way (O₁₁, z₁₁, ŷ, δ₁₁, w¹₁₁) and
reads its value from the record; ``StepExplainer`` (explainer.py) tells the phases with it and
explain_chain.py the chain rule.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from ..activations import LEAKY_SLOPE, SOFTPLUS_THRESHOLD, hidden_activation_names, logistic, normal_cdf, normal_density

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
    frozen: frozenset[str]

number = format_number
"""A number as the explanations print it: as every number on screen is printed."""


def factor(value: float) -> str:
    """A number used as a factor or term: negative ones go in brackets, 1·(−3)."""
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def activation_slope(activation: str, out_symbol: str, sum_symbol: str) -> str:
    """f′ written the notes' way, in terms of the neuron's output where it can be."""
    z = sum_symbol
    return {
        "sigmoid": f"{out_symbol}(1 − {out_symbol})",
        "tanh": f"(1 − {out_symbol}²)",
        "relu": f"(1 if {z} > 0, else 0)",
        "leaky_relu": f"(1 if {z} > 0, else 0.01)",
        "elu": f"(1 if {z} > 0, else {out_symbol} + 1)",  # e^z = ELU(z) + 1 for z ≤ 0
        "softplus": f"1/(1 + exp(−{z}))",
        "gelu": f"(Φ({z}) + {z}·φ({z}))",
        "silu": f"σ({z})(1 + {z}(1 − σ({z})))",
    }[activation]


def activation_slope_numbers(activation: str, out: float, z: float) -> str:
    """f′ with the step's numbers: the output's and the sum's, and σ(z), Φ(z), φ(z) as the engine
    computes them where the slope needs them."""
    if activation == "sigmoid":
        return f"{factor(out)}(1 − {factor(out)})"
    if activation == "tanh":
        return f"(1 − {factor(out)}²)"
    if activation == "leaky_relu":
        return "1" if z > 0 else number(LEAKY_SLOPE)
    if activation == "elu":
        return "1" if z > 0 else f"({factor(out)} + 1)"
    if activation == "softplus":
        return "1" if z > SOFTPLUS_THRESHOLD else f"1/(1 + exp({number(-z)}))"
    if activation == "gelu":
        return f"({number(float(normal_cdf(z)))} + {factor(z)}·{number(float(normal_density(z)))})"
    if activation == "silu":
        s = factor(float(logistic(z)))
        return f"{s}(1 + {factor(z)}(1 − {s}))"
    return "1" if z > 0 else "0"


SLOPE_NOTES = {
    "gelu": "(Φ(z) = ½(1 + erf(z/√2)) is the normal distribution's CDF and φ(z) = exp(−z²/2)/√(2π) its density)",
    "silu": "(σ(z) = 1/(1 + exp(−z)), the sigmoid)",
    "softplus": f"(softplus(z) = log(1 + exp(z)), and z itself above z = {SOFTPLUS_THRESHOLD:g}, as PyTorch computes it)",
}
"""A line under a chain rule that passes through one of these activations, saying what its symbols are."""


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

    ``hidden_activation`` and ``output_activation`` are the engine's names (``hidden_activation``
    one name, or a list with one per hidden layer), ``loss`` a Loss or its name.
    """

    def __init__(
        self,
        record: StepValues,
        layer_sizes: Sequence[int],
        hidden_activation: str | Sequence[str],
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
        self.hidden_activations = hidden_activation_names(hidden_activation, self.n_layers - 1)
        self.output_activation = output_activation
        self.loss = get_loss(loss)
        self.input_names = list(input_names)
        self.target_name = target_name
        self.scaled_inputs = scaled_inputs
        self.n_rows = len(record.rows)
        self.n_outputs = self.layer_sizes[-1]

    # -- symbols -----------------------------------------------------------
    def activation(self, layer: int) -> str:
        return self.output_activation if layer == self.n_layers - 1 else self.hidden_activations[layer]

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
