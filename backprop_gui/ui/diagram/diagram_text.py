"""The network diagram's words: text sizes, headings, the labels a step shows, and line wrapping.

Sizes are screen pixels at zoom 1 (the window's text zoom multiplies them); no text of the diagram
is ever drawn smaller than ``MIN_PX``.
"""

from __future__ import annotations

from typing import Callable

from ...engine.explain.explainer import Phase, StepExplainer
from ...engine.explain.explain_chain import output_gradient_line
from ...engine.notation import ParameterRef, format_number

BASE_PX = {
    "name": 20, "crowded_name": 15, "value": 15, "label": 15, "heading": 16, "caption": 14,
    "legend": 14, "phase_title": 17, "phase": 15, "marker": 14,
}  # fmt: skip
BOLD = {"name", "crowded_name", "heading", "phase_title"}
MIN_PX = 11
PHASE_MIN_PX = 13
"""The equations under the diagram shrink with the labels on a small pane, but not below this."""
LABEL_FACTORS = (1.0, 0.87, 0.74)
"""Weight and bias labels try these sizes (15, 13, 11 px at zoom 1) before a pane too narrow shows them on hover."""
PHASE_LINES = 4
"""Lines of equations under the diagram during a step (more are summed up in one line); their room
is always kept (one more for a wrapped line, more if a phase of the step on show needs them, see
NetworkView), so the diagram does not jump in size from phase to phase."""
VALUE_TEMPLATE = "−0000.00"
"""Neurons are made wide enough for a value this wide at least, so ordinary values never resize them."""
LABEL_TEMPLATE = "−0.000000"
HINT = "Step (F10) sends one row through the network; Next Phase (F11) walks through it one phase at a time."


def pixel_size(kind: str, scale: float) -> int:
    return max(MIN_PX, round(BASE_PX[kind] * scale))


def heading(layer: int, n_layers: int, short: bool) -> str:
    if layer == 0:
        return "Inputs"
    if layer == n_layers - 1:
        return "Output"
    return f"Hidden\nlayer {layer}" if short else f"Hidden layer {layer}"


def weight_texts(explainer: StepExplainer, ref: ParameterRef) -> list[str]:
    """Every text the label of ``ref`` shows across the phases of a step, and after it."""
    before, after, gradient = explainer.values(ref)
    return [
        f"{ref.name} = {format_number(before)}",
        f"∂L/∂{ref.name} = {format_number(gradient)}",
        f"{ref.name}: {format_number(before)} → {format_number(after)}",
        f"{ref.name} = {format_number(after)}",
    ]


def phase_summary(explainer: StepExplainer, phase: Phase) -> list[str]:
    record = explainer.record
    summary = f"ŷ = {format_number(record.y_hat[0, 0])}, L = {format_number(record.loss)}"
    remark = list(explainer.loss_remark)  # the notes' supposed ŷ = 17, beside the step's own ŷ
    if phase.kind == "backward":
        first = output_gradient_line(explainer) if phase.layer == len(explainer.layer_sizes) - 2 else None
        if first:  # the output layer's: ∂L/∂ŷ on its own line, the chain's first factor (one line less after it)
            return [first, f"Each highlighted edge shows ∂L/∂w, each bias ∂L/∂b ({summary}; click one for its chain rule)"] + remark
        return [
            "The chain rule, from the loss back: each highlighted edge shows ∂L/∂w, each bias ∂L/∂b.",
            f"({summary}; click a weight or bias to see its derivation)",
        ] + remark
    return [
        f"Every weight and bias moves against its gradient: p ← p − η · ∂L/∂p, η = {format_number(record.learning_rate)}.",
        f"{summary}; each label shows old → new.",
    ] + remark


def phase_lines(explainer: StepExplainer, phase: Phase) -> list[str]:
    """The equations shown under the diagram at this phase, at most PHASE_LINES of them."""
    lines = explainer.phase_lines(phase) if phase.kind not in ("backward", "update") else phase_summary(explainer, phase)
    if len(lines) > PHASE_LINES:
        lines = lines[: PHASE_LINES - 1] + [f"… and {len(lines) - PHASE_LINES + 1} more (hover a neuron or an edge)"]
    return lines  # long lines are wrapped where they are shown (wrap_lines), never cut short


def wrap_caption(text: str, width: float, measure: Callable[[str], float], separator: str = "  ·  ") -> str:
    """Break a caption between its " · " parts so that each line fits ``width``."""
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for part in paragraph.split(separator):
            joined = f"{line}{separator}{part}" if line else part
            if line and measure(joined) > width:
                out.append(line)
                line = part
            else:
                line = joined
        out.append(line)
    return "\n".join(out)


def wrap_lines(lines: list[str], width: float, measure: Callable[[str], float], max_lines: int) -> list[str]:
    """Wrap each line at spaces to ``width`` (continuations indented); at most ``max_lines``, the last
    ending in "…" if some had to go."""
    out: list[str] = []
    for line in lines:
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}" if current else word
            if current.strip() and measure(candidate) > width:
                out.append(current)
                current = "    " + word
            else:
                current = candidate
        out.append(current)
    if len(out) > max_lines:
        out = out[: max_lines - 1] + [out[max_lines - 1].rstrip() + " …"]
    return out
