"""One step of training told as the notes tell it: phases, equations with the numbers, the chain rule.

Everything here is text built from a ``StepRecord``: every number shown is a value the
engine computed (or an input or target it used), formatted, never recomputed. So the
gradient at the end of a derivation is the engine's ∂L/∂w, not the product of the
rounded factors shown before it.

For the notes' 2-2-1 network with weights 1, biases 0 and the row (80, 8 → 5):

    ∂L/∂w¹₁₁ = ∂L/∂ŷ · ∂ŷ/∂O₁₁ · ∂O₁₁/∂w¹₁₁
             = −2(y − ŷ) · w²₁₁ · IQ
             = −2(5 − 176) · 1 · 80
             = 27360
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Sequence


from .notation import ParameterRef, all_parameters, format_number, subscript, weight_name
from .losses import Loss, get_loss
from .explain_update import update_lines
from .optimizers import OPTIMIZER_LABELS

if TYPE_CHECKING:  # a record renders itself through render_step, which imports this module
    from .step_record import StepRecord

"""Significant digits of every number in an explanation."""
MAX_ROWS_SPELLED_OUT = 8
"""A batch of more rows shows its per-row terms only up to here."""

PHASE_KINDS = ("pick", "forward", "loss", "backward", "update")
PHASE_TITLES = {
    "pick": "Pick the row",
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass",
    "update": "Update",
}


class Phase(NamedTuple):
    """A moment of a step: ``kind`` is one of PHASE_KINDS; ``layer`` is the 0-based weight
    layer being computed (forward) or differentiated (backward), else None."""

    kind: str
    layer: int | None = None

    @property
    def number(self) -> int:
        """1 to 5, the phase's place in the notes' order."""
        return PHASE_KINDS.index(self.kind) + 1


def phases(n_layers: int) -> list[Phase]:
    """The phases of one step through a network of ``n_layers`` weight layers: forward layer by
    layer from the first, backward from the output layer back to the first."""
    return (
        [Phase("pick")]
        + [Phase("forward", k) for k in range(n_layers)]
        + [Phase("loss")]
        + [Phase("backward", k) for k in reversed(range(n_layers))]
        + [Phase("update")]
    )


number = format_number
"""A number as the explanations print it: as every number on screen is printed."""


def factor(value: float) -> str:
    """A number used as a factor or term: negative ones go in brackets, 1·(−3)."""
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def _activation_slope(activation: str, out_symbol: str, sum_symbol: str) -> str:
    """f′ written the notes' way, in terms of the neuron's output where it can be."""
    return {
        "sigmoid": f"{out_symbol}(1 − {out_symbol})",
        "tanh": f"(1 − {out_symbol}²)",
        "relu": f"(1 if {sum_symbol} > 0, else 0)",
    }[activation]


def _activation_slope_numbers(activation: str, out: float, z: float) -> str:
    if activation == "sigmoid":
        return f"{factor(out)}(1 − {factor(out)})"
    if activation == "tanh":
        return f"(1 − {factor(out)}²)"
    return "1" if z > 0 else "0"


ACTIVATION_FORMULAS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}


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

    def lines(self, with_numbers: bool = True, with_update: bool = True) -> list[str]:
        indent = " " * (len(self.chain.split(" = ")[0]) + 1)
        lines = [self.chain]
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


def parameter_values(record: StepRecord, ref: ParameterRef) -> tuple[float, float, float]:
    """A parameter of a step: its value before the step, after it, and its gradient."""
    if ref.kind == "w":
        position = (ref.i, ref.j)
        before, after, grads = record.weights_before, record.weights_after, record.weight_grads
    else:
        position = ref.i
        before, after, grads = record.biases_before, record.biases_after, record.bias_grads
    return float(before[ref.layer][position]), float(after[ref.layer][position]), float(grads[ref.layer][position])


class StepExplainer:
    """Phases and derivations of one step record, in the notes' notation.

    ``hidden_activation`` and ``output_activation`` are the engine's names, ``loss`` a Loss or its name; the
    record's rows are explained one by one when a batch holds several.
    """

    def __init__(
        self,
        record: StepRecord,
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

    def _repr_markdown_(self) -> str:
        """In Jupyter, the explanation shows itself worked out, with its own names."""
        from .render_step import explainer_markdown  # render_step imports this module

        return explainer_markdown(self)

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

    # -- phases ------------------------------------------------------------
    def phases(self) -> list[Phase]:
        return phases(self.n_layers)

    def phase_title(self, phase: Phase) -> str:
        title = f"{phase.number}. {PHASE_TITLES[phase.kind]}"
        if phase.layer is not None:
            which = "output layer" if phase.layer == self.n_layers - 1 else f"hidden layer {phase.layer + 1}"
            title += f", {which}"
        return title

    def phase_lines(self, phase: Phase) -> list[str]:
        """What the phase computes, with the numbers, one equation per line."""
        if phase.kind == "pick":
            return self.pick_lines()
        if phase.kind == "forward":
            return self.forward_lines(phase.layer)
        if phase.kind == "loss":
            return self.loss_lines()
        if phase.kind == "backward":
            return self.backward_lines(phase.layer)
        return self.update_lines()

    def pick_lines(self) -> list[str]:
        record = self.record
        if self.n_rows > 1:
            shown = ", ".join(str(int(r) + 1) for r in record.rows[:MAX_ROWS_SPELLED_OUT])
            more = ", …" if self.n_rows > MAX_ROWS_SPELLED_OUT else ""
            lines = [f"A batch of {self.n_rows} rows: {shown}{more}. The diagram follows the first of them."]
        else:
            lines = [f"Row {int(record.rows[0]) + 1}"]
        values = [f"{name} = {number(v)}" for name, v in zip(self.input_names, record.inputs[0])]
        targets = [f"{self.target_symbol(j)} = {number(v)}" for j, v in enumerate(record.targets[0])]
        lines.append(", ".join(values + targets))
        if self.scaled_inputs:
            lines.append("(the inputs are standardised: z-scores of the table's columns)")
        return lines

    def forward_lines(self, layer: int) -> list[str]:
        lines = []
        for j in range(self.layer_sizes[layer + 1]):
            terms = [f"{weight_name(layer, i, j)}·{self.out_symbol(layer - 1, i)}" for i in range(self.layer_sizes[layer])]
            values = [
                f"{factor(self.weight_before(layer, i, j))}·{factor(self.out_value(layer - 1, i))}"
                for i in range(self.layer_sizes[layer])
            ]
            bias = f"b{subscript(layer + 1, j + 1)}"
            bias_value = factor(float(self.record.biases_before[layer][j]))
            z = float(self.record.z[layer][0, j])
            line = f"{self.sum_symbol(layer, j)} = {' + '.join(terms)} + {bias} = {' + '.join(values)} + {bias_value} = {number(z)}"
            activation = self.activation(layer)
            if activation != "linear":
                out = self.out_value(layer, j)
                line += f";   {self.out_symbol(layer, j)} = {ACTIVATION_FORMULAS[activation]}({self.sum_symbol(layer, j)}) = {number(out)}"
            lines.append(line)
        return lines

    def loss_lines(self) -> list[str]:
        record = self.record
        if self.n_rows > 1:
            formula = self.loss.formula
            return [f"L = mean over the batch's {self.n_rows} rows of {formula} = {number(record.loss)}"]
        lines = []
        for j in range(self.n_outputs):
            y, y_hat = float(record.targets[0, j]), float(record.y_hat[0, j])
            ys, yhs = self.target_symbol(j), self.out_symbol(self.n_layers - 1, j)
            symbols = self.loss.formula_with(ys, yhs)
            numbers = self.loss.formula_with(number(y), factor(y_hat), times="·")
            lines.append(f"{symbols} = {numbers}")
        if self.n_outputs == 1:
            return [f"L = {lines[0]} = {number(record.loss)}"]
        return ["L = mean over the outputs of"] + [f"    {line}" for line in lines] + [f"  = {number(record.loss)}"]

    def backward_lines(self, layer: int) -> list[str]:
        lines = []
        for j in range(self.layer_sizes[layer + 1]):
            for i in range(self.layer_sizes[layer]):
                name = weight_name(layer, i, j)
                lines.append(f"∂L/∂{name} = {number(self.record.weight_grads[layer][i, j])}")
            name = f"b{subscript(layer + 1, j + 1)}"
            lines.append(f"∂L/∂{name} = {number(self.record.bias_grads[layer][j])}")
        return lines

    def update_lines(self) -> list[str]:
        rate = number(self.record.learning_rate)
        trace = self.record.update
        if trace is not None:
            lines = [f"Every parameter by {OPTIMIZER_LABELS[trace.rule.optimizer]}, with η = {rate} (t = {trace.t}):"]
        else:
            lines = [f"Every parameter: p ← p − η · ∂L/∂p, with η = {rate}"]
        for ref in all_parameters(self.layer_sizes):
            lines.append(self.update_line(ref))
        return lines

    def update_line(self, ref: ParameterRef) -> str:
        """One parameter's update on one line: old → new with the rule's last equation."""
        before, after, gradient = self.values(ref)
        if self.record.update is not None:
            return self.optimizer_lines(ref)[-1]
        return (
            f"{ref.name} ← {factor(before)} − {factor(self.record.learning_rate)} · {factor(gradient)} = {number(after)}"
        )

    def optimizer_lines(self, ref: ParameterRef) -> list[str]:
        """The optimizer's update of ``ref`` with the step's numbers (explain_update.py)."""
        before, after, gradient = self.values(ref)
        return update_lines(self.record.update, self.layer_sizes, ref, before, after, gradient, self.record.learning_rate)

    def values(self, ref: ParameterRef) -> tuple[float, float, float]:
        return parameter_values(self.record, ref)

    # -- the chain rule ---------------------------------------------------------
    def derivation(self, ref: ParameterRef) -> Derivation:
        layer = ref.layer
        j = ref.j if ref.kind == "w" else ref.i
        before, after, gradient = self.values(ref)
        update = (
            f"{ref.name} ← {ref.name} − η · ∂L/∂{ref.name}\n"
            f"{' ' * len(ref.name)}  = {factor(before)} − {factor(self.record.learning_rate)} · {factor(gradient)} = {number(after)}"
        )
        if self.record.update is not None:
            update = "\n".join(self.optimizer_lines(ref))
        single_path = all(size == 1 for size in self.layer_sizes[layer + 2 :])
        if single_path:
            chain, formula, numbers = self._chain_along_path(ref, layer, j)
        else:
            chain, formula, numbers = self._delta_rule(ref, layer, j)
        notes = []
        if self.n_rows > 1:
            notes.append(
                f"(the batch's loss is the mean over its {self.n_rows} rows, so ∂L/∂{ref.name} is the mean of each row's value;"
                " the numbers above are the first row's)"
            )
        if self.scaled_inputs and layer == 0 and ref.kind == "w":
            notes.append(f"({self.input_names[ref.i]} is the standardised input the network saw)")
        return Derivation(ref, chain, formula, numbers, gradient, update, notes)

    def _output_factors(self, output: int, row: int = 0) -> list[tuple[str, str, str]]:
        """(symbol, formula, numbers) of ∂L/∂(the output neuron's weighted sum)."""
        ys, yhs = self.target_symbol(output), self.out_symbol(self.n_layers - 1, output)
        y = number(float(self.record.targets[row, output]))
        y_hat = factor(self.out_value(self.n_layers - 1, output, row))
        scale = "" if self.n_outputs == 1 else f"(1/{self.n_outputs})·"
        last = self.n_layers - 1
        symbol = f"∂L/∂{yhs}"
        if self.loss.combined_with_output:
            # The notes' simplification (seed 001): ∂L/∂ŷ · ∂ŷ/∂z = −(y − ŷ) for a sigmoid output.
            symbol += f" · ∂{yhs}/∂{self.sum_symbol(last, output)}"
        factors = [(symbol, self.loss.gradient_formula(ys, yhs, scale), self.loss.gradient_formula(y, y_hat, scale))]
        if self.loss.combined_with_output:
            return factors
        activation = self.output_activation
        if activation != "linear":
            z = float(self.record.z[last][row, output])
            factors.append(
                (
                    f"∂{yhs}/∂{self.sum_symbol(last, output)}",
                    _activation_slope(activation, yhs, self.sum_symbol(last, output)),
                    _activation_slope_numbers(activation, self.out_value(last, output, row), z),
                )
            )
        return factors

    def _hidden_slope(self, layer: int, j: int, row: int = 0) -> tuple[str, str, str] | None:
        """∂O/∂z of hidden neuron j, or None when it is linear (the notes skip the factor 1)."""
        activation = self.activation(layer)
        if activation == "linear":
            return None
        out, z = self.out_symbol(layer, j), self.sum_symbol(layer, j)
        return (
            f"∂{out}/∂{z}",
            _activation_slope(activation, out, z),
            _activation_slope_numbers(activation, self.out_value(layer, j, row), float(self.record.z[layer][row, j])),
        )

    def _local_factor(self, ref: ParameterRef, layer: int, j: int, row: int = 0) -> tuple[str, str, str]:
        """∂z/∂p: the input the weight multiplies, or 1 for a bias."""
        symbol = f"∂{self.sum_symbol(layer, j)}/∂{ref.name}"
        if ref.kind == "b":
            return symbol, "1", "1"
        return symbol, self.out_symbol(layer - 1, ref.i), factor(self.out_value(layer - 1, ref.i, row))

    def _chain_along_path(self, ref: ParameterRef, layer: int, j: int):
        """One path from p to the loss: the notes' product of partial derivatives."""
        output = j if layer == self.n_layers - 1 else 0
        factors = self._output_factors(output)
        for m in range(self.n_layers - 1, layer, -1):  # down the single path to p's neuron
            source = j if m == layer + 1 else 0
            factors.append(
                (
                    f"∂{self.sum_symbol(m, 0)}/∂{self.out_symbol(m - 1, source)}",
                    weight_name(m, source, 0),
                    factor(self.weight_before(m, source, 0)),
                )
            )
            slope = self._hidden_slope(m - 1, source)
            if slope is not None:
                factors.append(slope)
        factors.append(self._local_factor(ref, layer, j))
        chain = f"∂L/∂{ref.name} = " + " · ".join(symbol for symbol, _, _ in factors)
        formula = " · ".join(f for _, f, _ in factors)
        numbers = " · ".join(n for _, _, n in factors)
        return chain, [formula], [numbers]

    def _delta_rule(self, ref: ParameterRef, layer: int, j: int):
        """Several paths from p to the loss: the delta rule sums over them (seed 004)."""
        delta = self.delta_symbol(layer, j)
        local_symbol, local_formula, local_numbers = self._local_factor(ref, layer, j)
        chain = f"∂L/∂{ref.name} = {delta} · {local_symbol},   {delta} = ∂L/∂{self.sum_symbol(layer, j)}"
        next_size = self.layer_sizes[layer + 2]
        slope = self._hidden_slope(layer, j)
        slope_formula = f"{slope[1]} · " if slope else ""
        slope_numbers = f"{slope[2]} · " if slope else ""
        sum_formula = " + ".join(
            f"{weight_name(layer + 1, j, m)}·{self.delta_symbol(layer + 1, m)}" for m in range(next_size)
        )
        # The engine's deltas carry the batch's 1/n; a row's own delta is n times larger.
        row_deltas = [float(self.record.deltas[layer + 1][0, m]) * self.n_rows for m in range(next_size)]
        sum_numbers = " + ".join(
            f"{factor(self.weight_before(layer + 1, j, m))}·{factor(d)}" for m, d in enumerate(row_deltas)
        )
        own_delta = float(self.record.deltas[layer][0, j]) * self.n_rows
        formula = [
            f"{delta} · {local_formula},   where {delta} = {slope_formula}({sum_formula})",
            f"   (the sum over every path from {self.out_symbol(layer, j)} to the loss: the delta rule)",
        ]
        numbers = [
            f"{factor(own_delta)} · {local_numbers},   since {delta} = {slope_numbers}({sum_numbers}) = {number(own_delta)}",
        ]
        deltas = ", ".join(f"{self.delta_symbol(layer + 1, m)} = {number(d)}" for m, d in enumerate(row_deltas))
        numbers.append(f"   (the next layer's deltas, found the same way from the output back: {deltas})")
        return chain, formula, numbers
