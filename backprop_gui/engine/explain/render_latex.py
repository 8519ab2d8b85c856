"""The notes' Unicode equations (w¹₁₁, ∂L/∂ŷ, −2(5 − 176) · 1 · 80) typeset as LaTeX math.

``Typesetter.math`` turns one line of an explanation into LaTeX; ``Typesetter.inline_tokens``
sets the symbols of a sentence as inline math. ``latex_escape`` makes text safe in LaTeX's
text mode. Used by ``render_step`` for Markdown ($$ … $$) and LaTeX documents alike.
"""

from __future__ import annotations

import re
from typing import Sequence

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_DIGITS = str.maketrans(_SUPERSCRIPTS + _SUBSCRIPTS + "₋", "0123456789" * 2 + "-")
_SYMBOL = re.compile(rf"([wbOzδyŷxLp])([{_SUPERSCRIPTS}]*)((?:[{_SUBSCRIPTS}]+(?:,[{_SUBSCRIPTS}]+)*)?)")
"""One of the notes' symbols: w¹₁₁, b₂₁, O₁₁, z₁₂, δ₂₁, ŷ, y, x₁, L, p."""
_BASES = {"ŷ": r"\hat{y}", "δ": r"\delta"}
_WORDS = {"log": r"\log", "exp": r"\exp", "erf": r"\operatorname{erf}", "tanh": r"\tanh", "σ": r"\sigma", "Φ": r"\Phi", "φ": r"\phi"}
_WORDS |= {name: rf"\operatorname{{{name}}}" for name in ("ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "softplus")}
_OPERATORS = [
    ("·", r" \cdot "),
    ("−", "-"),
    ("←", r" \leftarrow "),
    ("η", r"\eta "),
    ("²", "^{2}"),
    ("…", r"\ldots "),
    ("∞", r"\infty "),
    ("Σ", r"\sum "),
    ("⊙", r"\odot "),
]
_EXPONENT = re.compile(r"(\d(?:\.\d+)?)e([-+])0*(\d+)")
_PROSE_RUN = re.compile(
    rf"[A-Za-z][A-Za-z']+(?![{_SUPERSCRIPTS}{_SUBSCRIPTS}])(?:[ ,:]+(?:[A-Za-z][A-Za-z']+|\d+)(?![{_SUPERSCRIPTS}{_SUBSCRIPTS}]))*[,:]?"
)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex_escape(text: str) -> str:
    """Text safe inside LaTeX's text mode (and \\text{...})."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


class Typesetter:
    """Turns the explanation's Unicode equations into LaTeX math.

    The input names (IQ, CGPA) are words set upright; every other word of a line ("where",
    "mean over the batch's rows of") is \\text; the notes' symbols get their indices.
    """

    def __init__(self, input_names: Sequence[str], names_are_symbols: bool = False) -> None:
        names = [] if names_are_symbols else sorted(set(input_names), key=len, reverse=True)
        self._names = [(name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")) for name in names if name]

    # -- math -------------------------------------------------------------------
    def math(self, text: str) -> str:
        saved: list[str] = []

        def keep(latex: str) -> str:
            saved.append(latex)
            return f"\x00{len(saved) - 1}\x00"

        for name, pattern in self._names:
            text = pattern.sub(lambda m: keep(rf"\text{{{latex_escape(name)}}}"), text)
        for word, latex in _WORDS.items():
            text = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", lambda m, latex=latex: keep(latex), text)
        # ∂A/∂B as a fraction
        text = re.sub(
            rf"∂({_SYMBOL.pattern})/∂({_SYMBOL.pattern})",
            lambda m: keep(rf"\frac{{\partial {_symbol(m.group(1))}}}{{\partial {_symbol(m.group(5))}}}"),
            text,
        )
        text = _PROSE_RUN.sub(lambda m: keep(rf"\text{{ {latex_escape(m.group(0))} }}"), text)
        text = _SYMBOL.sub(lambda m: keep(_symbol(m.group(0))), text)
        text = text.replace(",   ", keep(r",\quad "))
        for character, latex in _OPERATORS:
            text = text.replace(character, latex)
        text = _EXPONENT.sub(_power_of_ten, text)
        text = re.sub(r" {2,}", " ", text).strip()
        while _PLACEHOLDER.search(text):
            text = _PLACEHOLDER.sub(lambda m: saved[int(m.group(1))], text)
        return text

    def inline_tokens(self, text: str, wrap) -> str:
        """Prose with the notes' symbols (and ∂L/∂w) set as math by ``wrap(latex)``."""
        pattern = re.compile(rf"∂{_SYMBOL.pattern}/∂{_SYMBOL.pattern}|{_SYMBOL.pattern}(?=[^A-Za-z]|$)|η")
        out, last = [], 0
        for m in pattern.finditer(text):
            token = m.group(0)
            if len(token) == 1 and token in "wbOzyxLp" and not _standalone(text, m.start(), m.end()):
                continue  # a letter of a word, not a symbol
            out.append(("text", text[last : m.start()]))
            out.append(("math", self.math(token)))
            last = m.end()
        out.append(("text", text[last:]))
        return "".join(wrap(part) if kind == "math" else part for kind, part in out)


def _power_of_ten(m: re.Match) -> str:
    """2.50000e-05 → 2.5\\times 10^{-5}; 1e-06 → 10^{-6}."""
    mantissa = m.group(1).rstrip("0").rstrip(".") if "." in m.group(1) else m.group(1)
    power = f"10^{{{'-' if m.group(2) == '-' else ''}{m.group(3)}}}"
    return power if mantissa == "1" else rf"{mantissa}\times {power}"


def _standalone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()


def _symbol(token: str) -> str:
    m = _SYMBOL.fullmatch(token)
    base, sup, sub = m.group(1), m.group(2), m.group(3)
    latex = _BASES.get(base, base)
    if sup:
        latex += "^{" + sup.translate(_DIGITS) + "}"
    if sub:
        latex += "_{" + sub.translate(_DIGITS) + "}"
    return latex


def latex_escape_keep_unicode_math(text: str) -> str:
    """Escape LaTeX's special characters in prose, leaving the Unicode symbols for inline_tokens."""
    return latex_escape(text).replace("−", "-").replace("←", r"$\leftarrow$").replace("·", r"$\cdot$")


def markdown_escape_prose(text: str) -> str:
    out, math = [], False
    for part in re.split(r"(\$)", text):
        if part == "$":
            math = not math
            out.append(part)
        else:
            out.append(part if math else re.sub(r"([*_`\\])", r"\\\1", part))
    return "".join(out)
