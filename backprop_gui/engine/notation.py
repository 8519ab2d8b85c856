"""Names and numbers as the course notes write them: w²₁₁, b₂₁, O₁₁, ŷ."""

from __future__ import annotations

import math
from typing import NamedTuple

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def subscript(*indices: int) -> str:
    """Indices as subscripts; separated by commas once any needs two digits."""
    parts = [str(i) for i in indices]
    separator = "," if any(len(p) > 1 for p in parts) else ""
    return separator.join(parts).translate(_SUB)


def superscript(index: int) -> str:
    return str(index).translate(_SUP)


def weight_name(layer: int, i: int, j: int) -> str:
    """The notes' name of ``weights[layer][i, j]`` (all 0-based): w^(layer+1)_(i+1)(j+1)."""
    return f"w{superscript(layer + 1)}{subscript(i + 1, j + 1)}"


def bias_name(layer: int, j: int) -> str:
    """The notes' name of ``biases[layer][j]``: b_(layer+1)(j+1)."""
    return f"b{subscript(layer + 1, j + 1)}"


def output_name(layer: int, j: int) -> str:
    """The notes' name of neuron j's output in weight layer ``layer`` (0-based): O_(layer+1)(j+1)."""
    return f"O{subscript(layer + 1, j + 1)}"


def format_number(value: float, digits: int = 4) -> str:
    """A compact, exact-looking number: 29241, 0.1235, -2.5e-05, 1.234e+08.

    Integers of up to seven digits print whole (the notes' 29241, not 2.924e+04);
    other values keep ``digits`` significant digits.
    """
    value = float(value)
    if not math.isfinite(value):
        return "∞" if value > 0 else ("-∞" if value < 0 else "NaN")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if value == round(value) and magnitude < 1e7:
        return str(int(value))
    if magnitude >= 1e7 or magnitude < 1e-4:
        return f"{value:.{digits - 1}e}"
    decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class ParameterRef(NamedTuple):
    """One weight or bias: kind "w" is ``weights[layer][i, j]``, kind "b" is ``biases[layer][i]``."""

    kind: str
    layer: int
    i: int
    j: int = 0

    @property
    def name(self) -> str:
        return weight_name(self.layer, self.i, self.j) if self.kind == "w" else bias_name(self.layer, self.i)


def all_parameters(layer_sizes) -> list[ParameterRef]:
    """Every weight and bias of a network, neuron by neuron as the notes list them:
    w¹₁₁, w¹₂₁, b₁₁, then w¹₁₂, w¹₂₂, b₁₂, and so on to the output."""
    refs = []
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        for j in range(n_out):
            refs += [ParameterRef("w", layer, i, j) for i in range(n_in)]
            refs.append(ParameterRef("b", layer, j))
    return refs
