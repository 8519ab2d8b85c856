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


SIGNIFICANT_DIGITS = 6
"""How many significant digits every number on screen keeps: labels, equations, tooltips, status."""

MINUS = "−"
"""U+2212, the minus sign of the notes, everywhere a number is shown (never the ASCII hyphen)."""


def format_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """The one way a number is shown: 29241, 0.123457, −2.5e−05, 8.56701e+09.

    Whole numbers of up to seven digits print whole (the notes' 29241, not 2.9241e+04); other
    values keep ``digits`` significant digits with trailing zeros dropped, in scientific
    notation below 1e−04 and from 1e+07 on. Negative numbers take the true minus sign "−"
    (also in the exponent); zero is "0", never "−0"; the infinities are "∞" and "−∞".
    ``parse_number`` reads any of these back.
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    if value == 0:
        return "0"  # also for −0.0
    magnitude = abs(value)
    sign = MINUS if value < 0 else ""
    if magnitude == round(magnitude) and magnitude < 1e7:
        return sign + str(int(magnitude))
    if magnitude >= 1e7 or magnitude < 1e-4:
        mantissa, exponent = f"{magnitude:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{sign}{mantissa}e{exponent.replace('-', MINUS)}"
    decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
    text = f"{magnitude:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return sign + text


def parse_number(text: str) -> float:
    """A number typed or shown, with either minus sign: parse_number(format_number(v)) ≈ v."""
    cleaned = str(text).strip().replace(MINUS, "-")
    if cleaned in ("∞", "-∞"):
        return math.inf if cleaned == "∞" else -math.inf
    return float(cleaned)


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: "1 row", "3 rows", "1,200 values"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


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
