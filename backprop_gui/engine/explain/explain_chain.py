"""The chain rule of one parameter of one step, written out (``Derivation``).

Along the one path from p to the loss the notes multiply the partial derivatives; where there are
several paths, the delta rule sums over them (seed 004). Every number is the step record's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from .explain_notation import SLOPE_NOTES, StepNotation, activation_slope, activation_slope_numbers, factor, number
from ..notation import ParameterRef, weight_name


@dataclass(frozen=True)
class Derivation:
    """∂L/∂p for one parameter p of one step, in symbols, with numbers, and its update."""

    parameter: ParameterRef
    chain: str
    """∂L/∂w¹₁₁ = ∂L/∂ŷ · ∂ŷ/∂O₁₁ · ∂O₁₁/∂w¹₁₁"""
    formula: list[str]
    """The factors in symbols: ["−2(y − ŷ) · w²₁₁ · IQ"], or the delta rule's lines."""
    numbers: list[str]
    """The same with the step's numbers substituted."""
    gradient: float
    """The engine's ∂L/∂p."""
    update: str
    """p ← p − η · ∂L/∂p, and on a second line the numbers ending in the engine's new value."""
    notes: list[str]
    where: tuple[tuple[str, str], ...] = ()
    """The output neuron's own derivatives as the notes write them out before the chain (seed
    001): (∂L/∂ŷ = its formula, " = the numbers = its value"), then ∂ŷ/∂z, then their product.
    Empty for a linear output, whose ∂ŷ/∂O is 1."""
    output_gradient: str | None = None
    """∂L/∂ŷ on its own line, with the numbers, for a linear output (where ``where`` is empty):
    "∂L/∂ŷ = −2(y − ŷ) = −2(5 − 176) = 342"."""

    def lines(self, with_numbers: bool = True, with_update: bool = True) -> list[str]:
        indent = " " * (len(self.chain.split(" = ")[0]) + 1)
        lines = [self.output_gradient] if with_numbers and self.output_gradient else []
        lines.append(self.chain)
        for k, (formula, numbers) in enumerate(self.where):
            lead = "where " if k == 0 else "      "
            lines.append(f"  {lead}{formula}{numbers if with_numbers else ''}")
        lines += [f"{indent}= {line}" if not line.startswith(" ") else line for line in self.formula]
        if with_numbers:
            lines += [f"{indent}= {line}" if not line.startswith(" ") else line for line in self.numbers]
            lines.append(f"{indent}= {number(self.gradient)}")
            if with_update:
                lines += self.update.split("\n")
        lines += self.notes
        return lines

    def text(self, with_numbers: bool = True, with_update: bool = True) -> str:
        return "\n".join(self.lines(with_numbers, with_update))


def derive(notation: StepNotation, ref: ParameterRef, update: str) -> Derivation:
    """∂L/∂p of ``ref`` by the chain rule, with ``update`` (the update phase's lines of p) after it."""
    layer = ref.layer
    j = ref.j if ref.kind == "w" else ref.i
    _, _, gradient = notation.values(ref)
    single_path = all(size == 1 for size in notation.layer_sizes[layer + 2 :])
    where: tuple[tuple[str, str], ...] = ()
    if single_path:
        chain, formula, numbers = _chain_along_path(notation, ref, layer, j)
        where = output_steps(notation, j if layer == notation.n_layers - 1 else 0)
    else:
        chain, formula, numbers = _delta_rule(notation, ref, layer, j)
    notes = []
    if notation.n_rows > 1:
        notes.append(
            f"(the batch's loss is the mean over its {notation.n_rows} rows, so ∂L/∂{ref.name} is the mean of each row's value;"
            " the numbers above are the first row's)"
        )
    along = dict.fromkeys(notation.activation(k) for k in range(layer, notation.n_layers))
    notes += [SLOPE_NOTES[name] for name in along if name in SLOPE_NOTES]
    if notation.scaled_inputs and layer == 0 and ref.kind == "w":
        notes.append(f"({notation.input_names[ref.i]} is the standardised input the network saw)")
    return Derivation(ref, chain, formula, numbers, gradient, update, notes, where, None if where else output_gradient_line(notation))


def output_steps(notation: StepNotation, output: int, row: int = 0) -> tuple[tuple[str, str], ...]:
    """The notes' derivation at a non-linear output (seed 001): ∂L/∂ŷ, then ∂ŷ/∂z, each with its
    number, then their product ∂L/∂z, the output's δ (−(y − ŷ) for a sigmoid with cross-entropy).

    The numbers are the engine's: ∂L/∂ŷ is the record's, ∂ŷ/∂z the activation's derivative at the
    record's z and ŷ, the product the record's δ (a batch's 1/n taken off: this row's values)."""
    last = notation.n_layers - 1
    activation = notation.output_activation
    if activation == "linear":
        return ()
    record, n = notation.record, notation.n_rows
    ys, yhs, zs = notation.target_symbol(output), notation.out_symbol(last, output), notation.sum_symbol(last, output)
    y = number(float(record.targets[row, output]))
    y_hat_value = notation.out_value(last, output, row)
    y_hat = factor(y_hat_value)
    z = float(record.z[last][row, output])
    scale = "" if notation.n_outputs == 1 else f"(1/{notation.n_outputs})·"
    loss = notation.loss
    slope = float(get_activation(activation).derivative(np.array(z), np.array(y_hat_value)))
    dl_dyhat = float(record.dloss_dyhat[row, output]) * n
    delta = float(record.deltas[last][row, output]) * n
    product = loss.gradient_formula(ys, yhs, scale) if loss.combined_with_output else f"{loss.gradient_formula(ys, yhs, scale)} · {activation_slope(activation, yhs, zs)}"
    product_numbers = (
        loss.gradient_formula(y, y_hat, scale)
        if loss.combined_with_output
        else f"{loss.gradient_formula(y, y_hat, scale)} · {activation_slope_numbers(activation, y_hat_value, z)}"
    )
    return (
        (f"∂L/∂{yhs} = {loss.output_gradient_formula(ys, yhs, scale)}",
         f" = {loss.output_gradient_formula(y, y_hat, scale)} = {number(dl_dyhat)}"),
        (f"∂{yhs}/∂{zs} = {activation_slope(activation, yhs, zs)}",
         f" = {activation_slope_numbers(activation, y_hat_value, z)} = {number(slope)}"),
        (f"∂L/∂{yhs} · ∂{yhs}/∂{zs} = {product}", f" = {product_numbers} = {number(delta)}"),
    )


def output_gradient_line(notation: StepNotation) -> str | None:
    """∂L/∂ŷ = −2(y − ŷ) = −2(5 − 176) = 342: the first factor of every chain, on its own line,
    the number the engine's (``dloss_dyhat``). None where the notes do not write it alone: a
    batch (its rows' values differ), several outputs, or a loss taken together with a sigmoid."""
    if notation.n_rows != 1 or notation.n_outputs != 1 or notation.loss.combined_with_output:
        return None
    symbol, formula, numbers = _output_factors(notation, 0)[0]
    return f"{symbol} = {formula} = {numbers} = {number(float(notation.record.dloss_dyhat[0, 0]))}"


def _output_factors(notation: StepNotation, output: int, row: int = 0) -> list[tuple[str, str, str]]:
    """(symbol, formula, numbers) of ∂L/∂(the output neuron's weighted sum)."""
    ys, yhs = notation.target_symbol(output), notation.out_symbol(notation.n_layers - 1, output)
    y = number(float(notation.record.targets[row, output]))
    y_hat = factor(notation.out_value(notation.n_layers - 1, output, row))
    scale = "" if notation.n_outputs == 1 else f"(1/{notation.n_outputs})·"
    last = notation.n_layers - 1
    symbol = f"∂L/∂{yhs}"
    if notation.loss.combined_with_output:
        # The notes' simplification (seed 001): ∂L/∂ŷ · ∂ŷ/∂z = −(y − ŷ) for a sigmoid output.
        symbol += f" · ∂{yhs}/∂{notation.sum_symbol(last, output)}"
    factors = [(symbol, notation.loss.gradient_formula(ys, yhs, scale), notation.loss.gradient_formula(y, y_hat, scale))]
    if notation.loss.combined_with_output:
        return factors
    activation = notation.output_activation
    if activation != "linear":
        z = float(notation.record.z[last][row, output])
        factors.append(
            (
                f"∂{yhs}/∂{notation.sum_symbol(last, output)}",
                activation_slope(activation, yhs, notation.sum_symbol(last, output)),
                activation_slope_numbers(activation, notation.out_value(last, output, row), z),
            )
        )
    return factors

def _hidden_slope(notation: StepNotation, layer: int, j: int, row: int = 0) -> tuple[str, str, str] | None:
    """∂O/∂z of hidden neuron j, or None when it is linear (the notes skip the factor 1)."""
    activation = notation.activation(layer)
    if activation == "linear":
        return None
    out, z = notation.out_symbol(layer, j), notation.sum_symbol(layer, j)
    return (
        f"∂{out}/∂{z}",
        activation_slope(activation, out, z),
        activation_slope_numbers(activation, notation.out_value(layer, j, row), float(notation.record.z[layer][row, j])),
    )

def _local_factor(notation: StepNotation, ref: ParameterRef, layer: int, j: int, row: int = 0) -> tuple[str, str, str]:
    """∂z/∂p: the input the weight multiplies, or 1 for a bias."""
    symbol = f"∂{notation.sum_symbol(layer, j)}/∂{ref.name}"
    if ref.kind == "b":
        return symbol, "1", "1"
    return symbol, notation.out_symbol(layer - 1, ref.i), factor(notation.out_value(layer - 1, ref.i, row))

def _chain_along_path(notation: StepNotation, ref: ParameterRef, layer: int, j: int):
    """One path from p to the loss: the notes' product of partial derivatives."""
    output = j if layer == notation.n_layers - 1 else 0
    factors = _output_factors(notation, output)
    for m in range(notation.n_layers - 1, layer, -1):  # down the single path to p's neuron
        source = j if m == layer + 1 else 0
        factors.append(
            (
                f"∂{notation.sum_symbol(m, 0)}/∂{notation.out_symbol(m - 1, source)}",
                weight_name(m, source, 0),
                factor(notation.weight_before(m, source, 0)),
            )
        )
        slope = _hidden_slope(notation, m - 1, source)
        if slope is not None:
            factors.append(slope)
    factors.append(_local_factor(notation, ref, layer, j))
    chain = f"∂L/∂{ref.name} = " + " · ".join(symbol for symbol, _, _ in factors)
    formula = " · ".join(f for _, f, _ in factors)
    numbers = " · ".join(n for _, _, n in factors)
    return chain, [formula], [numbers]

def _delta_rule(notation: StepNotation, ref: ParameterRef, layer: int, j: int):
    """Several paths from p to the loss: the delta rule sums over them (seed 004)."""
    delta = notation.delta_symbol(layer, j)
    local_symbol, local_formula, local_numbers = _local_factor(notation, ref, layer, j)
    chain = f"∂L/∂{ref.name} = {delta} · {local_symbol},   {delta} = ∂L/∂{notation.sum_symbol(layer, j)}"
    next_size = notation.layer_sizes[layer + 2]
    slope = _hidden_slope(notation, layer, j)
    slope_formula = f"{slope[1]} · " if slope else ""
    slope_numbers = f"{slope[2]} · " if slope else ""
    sum_formula = " + ".join(
        f"{weight_name(layer + 1, j, m)}·{notation.delta_symbol(layer + 1, m)}" for m in range(next_size)
    )
    # The engine's deltas carry the batch's 1/n; a row's own delta is n times larger.
    row_deltas = [float(notation.record.deltas[layer + 1][0, m]) * notation.n_rows for m in range(next_size)]
    sum_numbers = " + ".join(
        f"{factor(notation.weight_before(layer + 1, j, m))}·{factor(d)}" for m, d in enumerate(row_deltas)
    )
    own_delta = float(notation.record.deltas[layer][0, j]) * notation.n_rows
    formula = [
        f"{delta} · {local_formula},   where {delta} = {slope_formula}({sum_formula})",
        f"   (the sum over every path from {notation.out_symbol(layer, j)} to the loss: the delta rule)",
    ]
    numbers = [
        f"{factor(own_delta)} · {local_numbers},   since {delta} = {slope_numbers}({sum_numbers}) = {number(own_delta)}",
    ]
    deltas = ", ".join(f"{notation.delta_symbol(layer + 1, m)} = {number(d)}" for m, d in enumerate(row_deltas))
    numbers.append(f"   (the next layer's deltas, found the same way from the output back: {deltas})")
    return chain, formula, numbers
