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

from typing import NamedTuple

from .explain_chain import Derivation, derive
from .explain_notation import (  # noqa: F401  (parameter_values: named from here before)
    StepNotation,
    factor,
    number,
    parameter_values,
)
from .explain_update import update_lines
from ..notation import ParameterRef, all_parameters, subscript, weight_name
from ..optimizers import OPTIMIZER_LABELS

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
ACTIVATION_FORMULAS = {
    "sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU", "softplus": "softplus",
    "gelu": "GELU", "silu": "SiLU",
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


def frozen_line(ref: ParameterRef, value: float) -> str:
    """The update of a frozen parameter: none."""
    return f"{ref.name} is frozen: the update leaves it at {number(value)} (its gradient is shown, not applied)"


class StepExplainer(StepNotation):
    """Phases and derivations of one step record, in the notes' notation (explain_notation.py).

    ``hidden_activation`` and ``output_activation`` are the engine's names, ``loss`` a Loss or its name; the
    record's rows are explained one by one when a batch holds several.
    """

    loss_remark: list[str] = []
    """Lines said after the loss phase's equation (the lesson's: the notes' supposed ŷ = 17)."""

    def _repr_markdown_(self) -> str:
        """In Jupyter, the explanation shows itself worked out, with its own names."""
        from .render_step import explainer_markdown  # loaded when a notebook shows it, not to explain

        return explainer_markdown(self)

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
            return self.loss_lines() + list(self.loss_remark)
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
        if ref.name in self.record.frozen:
            return frozen_line(ref, before)
        if self.record.update is not None:
            return self.optimizer_lines(ref)[-1]
        return (
            f"{ref.name} ← {factor(before)} − {factor(self.record.learning_rate)} · {factor(gradient)} = {number(after)}"
        )

    def optimizer_lines(self, ref: ParameterRef) -> list[str]:
        """The optimizer's update of ``ref`` with the step's numbers (explain_update.py)."""
        before, after, gradient = self.values(ref)
        return update_lines(self.record.update, self.layer_sizes, ref, before, after, gradient, self.record.learning_rate)

    # -- the chain rule ---------------------------------------------------------
    def derivation(self, ref: ParameterRef) -> Derivation:
        """∂L/∂p of ``ref`` by the chain rule (explain_chain.py), then its update."""
        before, after, gradient = self.values(ref)
        update = (
            f"{ref.name} ← {ref.name} − η · ∂L/∂{ref.name}\n"
            f"{' ' * len(ref.name)}  = {factor(before)} − {factor(self.record.learning_rate)} · {factor(gradient)} = {number(after)}"
        )
        if self.record.update is not None:
            update = "\n".join(self.optimizer_lines(ref))
        if ref.name in self.record.frozen:
            update = frozen_line(ref, before)
        return derive(self, ref, update)
