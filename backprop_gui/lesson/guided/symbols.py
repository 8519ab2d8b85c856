"""What a lesson file may ask about and wait for, read from the notes' notation.

A checkpoint's answer is a *quantity* the engine evaluates on the page's state (quantities.py);
a page that waits for the student waits for a *condition* on such a quantity. Both are written
as the notes write them, or in plain ASCII:

    O₁₁ row 1            O11 row 1            the output of neuron O₁₁ for row 1 of the table
    x₁ row 1             x1 row 1             row 1's first input as the network sees it (scaled)
    ∂L/∂w²₁₁ row 1       dL/dw2_11 row 1      a gradient on row 1, with the page's weights
    ∂L/∂b₂₁ batch        dL/db21 batch        the same averaged over every training row
    L                                          with no row: the step on show (after "@do step")
    new w¹₁₁ row 1                             w¹₁₁ − η·∂L/∂w¹₁₁ on row 1
    mean loss, epoch loss, epochs, steps, η    the whole table, the loss history, the settings

A condition is ``QUANTITY OP NUMBER`` (OP one of < <= > >= =), several joined by ``and``:
``epoch loss < 0.01``, ``steps >= 1``, ``η = 0.5 and epoch loss > 1000``, or ``diverged``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ...engine.notation import ParameterRef, format_number, parse_number

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")

ROW_KINDS = ("output", "sum", "loss", "dloss", "gradient", "delta", "new", "target", "input")
"""Quantities of one step: they need a row, a batch, or a step on show."""
STATE_KINDS = ("weight", "bias", "mean loss", "epoch loss", "epochs", "steps", "learning rate", "diverged", "phase")
"""Quantities of the page's state as it is."""
OPERATORS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__, "=": None}

_STATE_WORDS = {
    "mean loss": "mean loss", "epoch loss": "epoch loss", "epochs": "epochs", "steps": "steps",
    "η": "learning rate", "eta": "learning rate", "learning rate": "learning rate", "diverged": "diverged",
    "phase": "phase",
}  # fmt: skip


class SymbolError(ValueError):
    """A quantity or condition that cannot be read; the message says why, for the file's line."""


@dataclass(frozen=True)
class Quantity:
    kind: str
    """One of ROW_KINDS or STATE_KINDS."""
    layer: int | None = None
    """0-based weight layer of a neuron (output, sum, delta); None for ŷ, meaning the output layer."""
    j: int = 0
    ref: ParameterRef | None = None
    """The weight or bias of a gradient, new value or current value."""
    row: int | None = None
    """0-based table row; None with ``batch`` False: the step on show."""
    batch: bool = False
    text: str = ""

    @property
    def needs_step(self) -> bool:
        return self.kind in ROW_KINDS

    def symbol(self, n_layers: int) -> str:
        """How the question names it, in the notes' notation."""
        if self.kind in ("output", "sum", "delta"):
            layer = n_layers - 1 if self.layer is None else self.layer
            if self.kind == "output" and layer == n_layers - 1:
                return "ŷ"
            letter = {"output": "O", "sum": "z", "delta": "Δ"}[self.kind]
            return f"{letter}{str(layer + 1).translate(_SUB)}{str(self.j + 1).translate(_SUB)}"
        names = {"loss": "L", "dloss": "∂L/∂ŷ", "target": "y", "input": f"x{str(self.j + 1).translate(_SUB)}"}
        if self.kind in names:
            return names[self.kind]
        if self.kind == "gradient":
            return f"∂L/∂{self.ref.name}"
        if self.kind == "new":
            return f"{self.ref.name} after the update"
        if self.kind in ("weight", "bias"):
            return self.ref.name
        return {"learning rate": "η"}.get(self.kind, self.kind)


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Comparison:
    quantity: Quantity
    operator: str
    value: float

    def holds(self, actual: float) -> bool:
        if not math.isfinite(actual) and self.operator in ("<", "<="):
            return False
        if self.operator == "=":
            return abs(actual - self.value) <= 1e-9 * max(1.0, abs(self.value))
        return OPERATORS[self.operator](float(actual), self.value)


@dataclass(frozen=True)
class Condition:
    parts: tuple[Comparison, ...]
    text: str

    def describe(self) -> str:
        """The condition in words, for the student: "take a step", "an epoch's average loss below 0.01"."""
        return "; ".join(_describe(part) for part in self.parts)


_WORDS = {
    ("steps", ">="): "take {n} step{s} (Step or Next Phase)",
    ("epochs", ">="): "train {n} epoch{s}",
    ("epoch loss", "<"): "train until an epoch's average loss is below {v}",
    ("epoch loss", "<="): "train until an epoch's average loss is at most {v}",
    ("mean loss", "<"): "bring the loss over the table below {v}",
    ("learning rate", "="): "set the learning rate η to {v}",
    ("phase", ">="): "walk the step on to phase {n} of 5 (Next Phase)",
}


def _describe(part: Comparison) -> str:
    kind = part.quantity.kind
    if kind == "diverged":
        return "train until the run diverges"
    template = _WORDS.get((kind, part.operator))
    if template is None:
        return f"{part.quantity.text or kind} {part.operator} {format_number(part.value)}"
    n = int(part.value) if part.value == int(part.value) else part.value
    return template.format(n=n, s="" if n == 1 else "s", v=format_number(part.value))


def _plain(text: str) -> str:
    """Superscripts become ^d, subscripts _dd; spaces squeezed; ASCII spellings kept."""
    out = []
    for ch in text.strip():
        if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹":
            out.append("^" + ch.translate(_SUPERSCRIPTS))
        elif ch in "₀₁₂₃₄₅₆₇₈₉":
            out.append("_" + ch.translate(_SUBSCRIPTS))
        else:
            out.append(ch)
    plain = "".join(out).replace("∂", "d").replace("−", "-")
    plain = re.sub(r"_(\d)_(\d)", r"_\1\2", plain)
    return " ".join(plain.split())


_WEIGHT = re.compile(r"^w\^?(\d)_?(\d)(\d)$")
_BIAS = re.compile(r"^b_?(\d)(\d)$")
_NEURON = re.compile(r"^([OzΔδ])_?(\d)(\d)$")
_YHAT = ("ŷ", "yhat", "y_hat", "O_out")


def parse_parameter(name: str) -> ParameterRef:
    """w¹₁₁ / w1_11 / w^1_11 → ParameterRef("w", 0, 0, 0); b₂₁ / b21 → ParameterRef("b", 1, 0)."""
    plain = _plain(name)
    match = _WEIGHT.match(plain)
    if match:
        layer, i, j = (int(g) for g in match.groups())
        if min(layer, i, j) < 1:
            raise SymbolError(f"{name!r}: the notes count layers and neurons from 1")
        return ParameterRef("w", layer - 1, i - 1, j - 1)
    match = _BIAS.match(plain)
    if match:
        layer, j = (int(g) for g in match.groups())
        if min(layer, j) < 1:
            raise SymbolError(f"{name!r}: the notes count layers and neurons from 1")
        return ParameterRef("b", layer - 1, j - 1)
    raise SymbolError(f"{name!r} is not a weight (w¹₁₁, w1_11) or a bias (b₂₁, b21)")


def _parse_symbol(word: str) -> Quantity:
    """One symbol of a step: O₁₁, z₁₁, Δ₁₁, ŷ, y, L, ∂L/∂ŷ, ∂L/∂w¹₁₁, ∂L/∂b₁₁."""
    plain = _plain(word)
    if plain in _YHAT:
        return Quantity("output", None)
    if plain == "y":
        return Quantity("target")
    match = re.match(r"^x_?(\d)$", plain)
    if match:
        if int(match.group(1)) < 1:
            raise SymbolError(f"{word!r}: the notes count inputs from 1")
        return Quantity("input", j=int(match.group(1)) - 1)
    if plain == "L":
        return Quantity("loss")
    if plain.startswith("dL/d"):
        of = plain[4:]
        if of in _YHAT:
            return Quantity("dloss")
        match = _NEURON.match(of)
        if match and match.group(1) == "z":
            return Quantity("delta", int(match.group(2)) - 1, int(match.group(3)) - 1)
        return Quantity("gradient", ref=parse_parameter(of))
    match = _NEURON.match(plain)
    if match:
        letter, layer, j = match.group(1), int(match.group(2)), int(match.group(3))
        if min(layer, j) < 1:
            raise SymbolError(f"{word!r}: the notes count layers and neurons from 1")
        kind = {"O": "output", "z": "sum"}.get(letter, "delta")
        return Quantity(kind, layer - 1, j - 1)
    raise SymbolError(
        f"{word!r} is not a quantity a lesson can ask about (O₁₁, z₁₁, Δ₁₁, x₁, ŷ, y, L, ∂L/∂ŷ, ∂L/∂w¹₁₁, ∂L/∂b₂₁, "
        "new w¹₁₁, w¹₁₁, mean loss, epoch loss, epochs, steps, η)"
    )


def parse_quantity(text: str) -> Quantity:
    """A quantity as a checkpoint's answer or a condition names it (see the module's docstring)."""
    words = text.split()
    if not words:
        raise SymbolError("an empty quantity: write what the engine should compute, e.g. 'O₁₁ row 1'")
    joined = " ".join(words).lower()
    if joined in _STATE_WORDS:
        return Quantity(_STATE_WORDS[joined], text=text)
    row, batch = None, False
    if len(words) >= 3 and words[-2].lower() == "row":
        try:
            row = int(words[-1]) - 1
        except ValueError:
            raise SymbolError(f"'row {words[-1]}': a row is a whole number from 1") from None
        if row < 0:
            raise SymbolError(f"'row {words[-1]}': rows count from 1")
        words = words[:-2]
    elif len(words) >= 2 and words[-1].lower() == "batch":
        batch, words = True, words[:-1]
    new = words[0].lower() == "new"
    if new:
        words = words[1:]
    if len(words) != 1:
        raise SymbolError(f"{text!r}: expected one symbol, optionally with 'row N' or 'batch' after it")
    if new:
        return Quantity("new", ref=parse_parameter(words[0]), row=row, batch=batch, text=text)
    try:
        ref = parse_parameter(words[0])
    except SymbolError:
        quantity = _parse_symbol(words[0])
        return Quantity(quantity.kind, quantity.layer, quantity.j, quantity.ref, row, batch, text)
    if row is not None or batch:
        raise SymbolError(f"{text!r}: {ref.name} is a weight of the network, the same for every row")
    return Quantity("weight" if ref.kind == "w" else "bias", ref=ref, text=text)


def parse_condition(text: str) -> Condition:
    """``epoch loss < 0.01``, ``steps >= 1 and η = 0.5``, ``diverged``."""
    parts = []
    for part in re.split(r"\s+and\s+", text.strip()):
        if part.strip().lower() == "diverged":
            parts.append(Comparison(Quantity("diverged"), ">=", 1.0))
            continue
        match = re.match(r"^(.*?)\s*(<=|>=|<|>|=)\s*(\S+)$", part.strip())
        if not match:
            raise SymbolError(f"{part!r} is not a condition: write QUANTITY OP NUMBER, e.g. 'epoch loss < 0.01'")
        quantity = parse_quantity(match.group(1))
        try:
            value = parse_number(match.group(3))
        except ValueError:
            raise SymbolError(f"{match.group(3)!r} is not a number") from None
        if not math.isfinite(value):
            raise SymbolError(f"{match.group(3)!r}: a condition compares with a finite number")
        parts.append(Comparison(quantity, match.group(2), value))
    return Condition(tuple(parts), text.strip())

