"""A step and a network rendered for documents: Markdown with LaTeX math, LaTeX, and SVG.

``step_markdown`` writes every phase of one step (the row, the forward pass, the loss, the
chain rule of every parameter with its numbers, the update) in the notes' notation, from the
explanation the app shows (``explain.StepExplainer``): the same equations, with the same
numbers, typeset. ``network_svg`` draws a network with every weight and bias labelled.

Both are what Jupyter shows for a ``StepRecord`` and a ``Network``:

    >>> from backprop_gui.engine import Network, Trainer
    >>> record = Trainer(Network([2, 2, 1], init="ones"), [[80, 8]], [5], learning_rate=1e-6).step()
    >>> "= 29241" in step_markdown(record, input_names=["IQ", "CGPA"])
    True

NumPy and the engine only; no Qt.
"""

from __future__ import annotations

import html
import re
from typing import Sequence

import numpy as np

from .activations import ACTIVATIONS
from .explain import Derivation, StepExplainer
from .network import Network
from .notation import all_parameters, bias_name, format_number, weight_name
from .notation import output_name as neuron_name

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
_DIGITS = str.maketrans(_SUPERSCRIPTS + _SUBSCRIPTS + "₋", "0123456789" * 2 + "-")
_SYMBOL = re.compile(rf"([wbOzδyŷxLp])([{_SUPERSCRIPTS}]*)((?:[{_SUBSCRIPTS}]+(?:,[{_SUBSCRIPTS}]+)*)?)")
"""One of the notes' symbols: w¹₁₁, b₂₁, O₁₁, z₁₂, δ₂₁, ŷ, y, x₁, L, p."""
_BASES = {"ŷ": r"\hat{y}", "δ": r"\delta"}
_WORDS = {"log": r"\log", "tanh": r"\tanh", "ReLU": r"\operatorname{ReLU}", "σ": r"\sigma"}
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


class _Typesetter:
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


# -- the step as a document -----------------------------------------------------------------
def explainer_for(
    step,
    *,
    layer_sizes: Sequence[int] | None = None,
    hidden_activation: str | None = None,
    output_activation: str | None = None,
    loss: str | None = None,
    input_names: Sequence[str] | None = None,
    target_name: str = "y",
    scaled_inputs: bool = False,
) -> StepExplainer:
    """A StepExplainer for ``step``: returned as it is, or built from a StepRecord.

    What a record does not say is worked out from its numbers: the layer sizes from its
    weights, each activation from the layer's outputs against its weighted sums, the loss
    from its value (binary cross-entropy only on a sigmoid output). A ReLU layer whose sums
    were all positive is indistinguishable from a linear one (and has the same slopes); give
    the names to be sure. Inputs without names are called x₁, x₂, ….
    """
    if isinstance(step, StepExplainer):
        return step
    record = step
    weights = record.weights_before
    sizes = list(layer_sizes) if layer_sizes is not None else [w.shape[0] for w in weights] + [weights[-1].shape[1]]
    n_layers = len(sizes) - 1
    if hidden_activation is None:
        hidden_activation = _infer_activation(record, range(n_layers - 1)) if n_layers > 1 else "linear"
    if output_activation is None:
        output_activation = _infer_activation(record, [n_layers - 1])
    if loss is None:
        loss = "bce" if output_activation == "sigmoid" and _looks_like_bce(record) else "mse"
    names = list(input_names) if input_names is not None else [f"x{i + 1}".translate(str.maketrans("0123456789", _SUBSCRIPTS)) for i in range(sizes[0])]
    return StepExplainer(record, sizes, hidden_activation, output_activation, loss, names, target_name, scaled_inputs)


def _infer_activation(record, layers) -> str:
    # Linear first: where another activation gives the same outputs (ReLU on positive sums, tanh
    # at 0) it has the same slopes too, so the explanation's numbers are the same either way.
    for name in ("linear", "sigmoid", "tanh", "relu"):
        activation = ACTIVATIONS[name]
        with np.errstate(all="ignore"):
            if all(np.array_equal(activation.forward(record.z[k]), record.outputs[k]) for k in layers):
                return name
    return "linear"


def _looks_like_bce(record) -> bool:
    y, z = record.targets, record.z[-1]
    with np.errstate(all="ignore"):
        bce = float(np.mean(np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))))
        mse = float(np.mean((y - record.y_hat) ** 2))
    return bool(np.isclose(bce, record.loss, rtol=1e-12, atol=0)) and not bool(np.isclose(mse, record.loss, rtol=1e-12, atol=0))


_PROSE_STARTS = ("(", "Row ", "A batch", "Every parameter")


def _split_equation(line: str) -> tuple[str, str]:
    """'O₁₁ = a = b' → ('O₁₁', 'a = b'); '= a' → ('', 'a')."""
    stripped = line.strip()
    if stripped.startswith("= "):
        return "", stripped[2:]
    left, sep, right = stripped.partition(" = ")
    return (left, right) if sep else ("", stripped)


class _Blocks:
    """The step as a list of blocks: ("heading", text), ("prose", text), ("equations", [(lhs, rhs)])."""

    def __init__(self, explainer: StepExplainer) -> None:
        self.explainer = explainer
        self.blocks: list[tuple[str, object]] = []
        for phase in explainer.phases():
            self.blocks.append(("heading", explainer.phase_title(phase)))
            if phase.kind == "pick":
                self._pick(explainer.phase_lines(phase))
            elif phase.kind == "backward":
                self._backward(phase.layer)
            elif phase.kind == "update":
                self._update()
            else:
                self._lines(explainer.phase_lines(phase))

    def _pick(self, lines: list[str]) -> None:
        """The row: a sentence, its values as one line of math, and a remark on scaling."""
        for line in lines:
            kind = "prose" if line.strip().startswith(_PROSE_STARTS) else "math"
            self.blocks.append((kind, line.strip()))

    def _lines(self, lines: list[str]) -> None:
        equations: list[tuple[str, str]] = []
        # One equation a row, and one step of it a row: "z₁₁ = w·x + b;   O₁₁ = σ(z₁₁)" is two
        # equations, and "O₁₁ = w·x + b = 1·80 + 0 = 80" is written down the page.
        lines = [part for line in lines for part in line.split(";   ")]
        for line in lines:
            if line.strip().startswith(_PROSE_STARTS) and " = " not in line.split(":")[0]:
                if equations:
                    self.blocks.append(("equations", equations))
                    equations = []
                self.blocks.append(("prose", line.strip()))
            elif line.lstrip().startswith("= ") and equations:
                equations.append(_split_equation(line))
            elif " = " in line:
                left, right = _split_equation(line)
                steps = right.split(" = ")
                equations.append((left, steps[0]))
                equations += [("", step) for step in steps[1:]]
            else:
                equations.append(("", line.strip()))
        if equations:
            self.blocks.append(("equations", equations))

    def _backward(self, layer: int) -> None:
        explainer = self.explainer
        refs = [ref for ref in all_parameters(explainer.layer_sizes) if ref.layer == layer]
        for ref in refs:
            derivation = explainer.derivation(ref)
            self.blocks.append(("equations", _derivation_rows(derivation)))
            for note in derivation.notes:
                self.blocks.append(("prose", note))

    def _update(self) -> None:
        explainer = self.explainer
        rate = explainer.record.learning_rate
        self.blocks.append(("prose", "Every weight and bias moves against its gradient:"))
        self.blocks.append(("math", f"p ← p − η · ∂L/∂p,   η = {format_number(rate, 6).replace('-', '−')}"))
        rows = []
        for ref in all_parameters(explainer.layer_sizes):
            line = explainer.update_line(ref)  # "w¹₁₁ ← 1 − 0.001 · 27360 = −26.36"
            left, _, right = line.partition(" ← ")
            rows.append((left + " ←", right))
        self.blocks.append(("equations", rows))


_REMARK, _CONDITION = "\x01", "\x02"
"""Row markers: a remark in words, and the "where δ = …" that goes with the row above."""


def _derivation_rows(derivation: Derivation) -> list[tuple[str, str]]:
    lhs, _, rhs = derivation.chain.partition(" = ")
    rows = [(lhs, rhs)]
    for line in derivation.formula + derivation.numbers:
        if line.startswith(" "):
            rows.append((_REMARK, line.strip()))  # the delta rule's remark, set as text
            continue
        for joint in (",   where ", ",   since "):
            if joint in line:
                head, tail = line.split(joint, 1)
                rows += [("", head), (_CONDITION, f"{joint.strip(', ')} {tail}")]
                break
        else:
            rows.append(("", line))
    rows.append(("", format_number(derivation.gradient, 6).replace("-", "−")))
    first, _, second = derivation.update.partition("\n")
    name, _, rule = first.partition(" ← ")
    rows.append((f"{name} ←", rule))
    rows.append(("", second.strip().removeprefix("= ")))
    return rows


def _heading_text(explainer: StepExplainer) -> str:
    record = explainer.record
    return f"One step of backpropagation (epoch {record.epoch}, update {record.step})"


def step_markdown(step, *, heading_level: int = 2, title: str | None = None, **names) -> str:
    """Markdown with LaTeX math ($$ … $$) of every phase of one step, in the notes' notation.

    ``step`` is a StepExplainer, or a StepRecord with the optional keywords of
    ``explainer_for`` (layer_sizes, hidden_activation, output_activation, loss,
    input_names, target_name, scaled_inputs).
    """
    explainer = explainer_for(step, **names)
    typeset = _Typesetter(explainer.input_names, names_are_symbols="input_names" not in names and not isinstance(step, StepExplainer))
    hashes = "#" * heading_level
    parts = [f"{hashes} {title or _heading_text(explainer)}"]
    for kind, content in _Blocks(explainer).blocks:
        if kind == "heading":
            parts.append(f"{hashes}# {content}")
        elif kind == "prose":
            parts.append(_markdown_escape_prose(typeset.inline_tokens(content, lambda m: f"${m}$")))
        elif kind == "math":
            parts.append(f"$$\n{typeset.math(content)}\n$$")
        else:
            parts.append("$$\n" + _aligned(content, typeset) + "\n$$")
    return "\n\n".join(parts) + "\n"


def step_latex(step, *, title: str | None = None, **names) -> str:
    """The same as ``step_markdown``, as LaTeX body text (\\subsection*, aligned displays) for
    a document that loads amsmath; ``handout.latex_document`` wraps it into one."""
    explainer = explainer_for(step, **names)
    typeset = _Typesetter(explainer.input_names, names_are_symbols="input_names" not in names and not isinstance(step, StepExplainer))
    parts = [rf"\section*{{{latex_escape(title or _heading_text(explainer))}}}"]
    for kind, content in _Blocks(explainer).blocks:
        if kind == "heading":
            parts.append(rf"\subsection*{{{latex_escape(content)}}}")
        elif kind == "prose":
            parts.append(typeset.inline_tokens(latex_escape_keep_unicode_math(content), lambda m: f"${m}$"))
        elif kind == "math":
            parts.append(f"\\[\n{typeset.math(content)}\n\\]")
        else:
            parts.append("\\[\n" + _aligned(content, typeset) + "\n\\]")
    return "\n\n".join(parts) + "\n"


def latex_escape_keep_unicode_math(text: str) -> str:
    """Escape LaTeX's special characters in prose, leaving the Unicode symbols for inline_tokens."""
    return latex_escape(text).replace("−", "-").replace("←", r"$\leftarrow$").replace("·", r"$\cdot$")


def _markdown_escape_prose(text: str) -> str:
    out, math = [], False
    for part in re.split(r"(\$)", text):
        if part == "$":
            math = not math
            out.append(part)
        else:
            out.append(part if math else re.sub(r"([*_`\\])", r"\\\1", part))
    return "".join(out)


def _aligned(rows: list[tuple[str, str]], typeset: _Typesetter) -> str:
    lines = []
    for lhs, rhs in rows:
        if lhs == _REMARK:
            lines.append(f"&\\quad {typeset.math(rhs)}")
        elif lhs == _CONDITION:
            lines.append(f"&\\qquad {typeset.math(rhs)}")
        elif lhs.endswith(" ←"):
            lines.append(f"{typeset.math(lhs[:-2])} &\\leftarrow {typeset.math(rhs)}")
        elif lhs:
            lines.append(f"{typeset.math(lhs)} &= {typeset.math(rhs)}")
        else:
            lines.append(f"&= {typeset.math(rhs)}")
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


# -- the network as SVG ---------------------------------------------------------------------
_LAYER_GAP = 230
_NEURON_GAP = 110
_RADIUS = 26
_MARGIN_X = 110
_MARGIN_Y = 40


def network_svg(network: Network, input_names: Sequence[str] | None = None, output_name: str | None = None) -> str:
    """An SVG diagram of ``network``: inputs on the left, ŷ on the right, each neuron named
    (O₁₁, …, ŷ = O₂₁), each edge labelled with its weight (w¹₁₁ = 1) and each neuron with its
    bias (b₁₁ = 0), in the notes' notation."""
    sizes = network.layer_sizes
    n_layers = len(sizes) - 1
    names = list(input_names) if input_names is not None else [f"x{subscript_digits(i + 1)}" for i in range(sizes[0])]
    tallest = max(sizes)
    width = 2 * _MARGIN_X + _LAYER_GAP * n_layers
    height = 2 * _MARGIN_Y + _NEURON_GAP * tallest + 30

    def position(layer: int, j: int) -> tuple[float, float]:
        top = _MARGIN_Y + 20 + (tallest - sizes[layer]) * _NEURON_GAP / 2
        return _MARGIN_X + layer * _LAYER_GAP, top + j * _NEURON_GAP + _NEURON_GAP / 2

    def text(x, y, content, size=13, anchor="middle", weight="normal", halo=False, fill="#222") -> str:
        def one(fill: str, extra: str = "") -> str:
            return (
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" dominant-baseline="middle" '
                f'font-weight="{weight}" fill="{fill}"{extra}>{html.escape(content)}</text>'
            )

        # A halo: the same text drawn first in a thick white outline, so the label reads over the edges.
        halo_text = one("white", ' stroke="white" stroke-width="5" stroke-linejoin="round"') if halo else ""
        return halo_text + one(fill)

    edges, labels, neurons = [], [], []
    for k in range(n_layers):
        n_in, n_out = sizes[k], sizes[k + 1]
        for i in range(n_in):
            for j in range(n_out):
                (x1, y1), (x2, y2) = position(k, i), position(k + 1, j)
                edges.append(
                    f'<line x1="{x1 + (12 if k == 0 else _RADIUS):.1f}" y1="{y1:.1f}" x2="{x2 - _RADIUS:.1f}" y2="{y2:.1f}" stroke="#8a94a6" stroke-width="1.2"/>'
                )
                # Each label sits just before the neuron the weight feeds, on its edge: the edges into one
                # neuron fan out from it, so their labels stack a third of a row apart.
                lx = x2 - _RADIUS - 8
                t = (lx - 40 - x1) / (x2 - x1)
                ly = y1 + (y2 - y1) * t
                value = format_number(float(network.weights[k][i, j]), 4).replace("-", "−")
                labels.append(text(lx, ly - 7, f"{weight_name(k, i, j)} = {value}", size=12, anchor="end", halo=True, fill="#1f3f77"))
    for i, name in enumerate(names):
        x, y = position(0, i)
        neurons.append(f'<rect x="{x - 12:.1f}" y="{y - 12:.1f}" width="24" height="24" rx="4" fill="#eef3f8" stroke="#51627a"/>')
        neurons.append(text(x - 20, y, name, anchor="end", weight="bold"))
    for k in range(n_layers):
        activation = network.activation(k).name
        for j in range(sizes[k + 1]):
            x, y = position(k + 1, j)
            is_output = k == n_layers - 1
            neurons.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_RADIUS}" fill="{"#fdf1e3" if is_output else "#eef3f8"}" stroke="#51627a" stroke-width="1.5"/>'
            )
            label = neuron_name(k, j)
            above = activation if activation != "linear" else ""
            if is_output and sizes[-1] == 1:
                above = f"ŷ = {label}" + (f" ({activation})" if above else "")
                label = "ŷ"
            neurons.append(text(x, y, label, size=14, weight="bold"))
            bias = format_number(float(network.biases[k][j]), 4).replace("-", "−")
            neurons.append(text(x, y + _RADIUS + 12, f"{bias_name(k, j)} = {bias}", size=12, fill="#7a3b00"))
            if above:
                neurons.append(text(x, y - _RADIUS - 10, above, size=12, fill="#444"))
        if k == n_layers - 1 and output_name is not None:
            x, y = position(n_layers, 0)
            neurons.append(text(x + _RADIUS + 8, y, output_name, anchor="start", weight="bold"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        + "\n".join(edges + labels + neurons)
        + "\n</svg>\n"
    )


def subscript_digits(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", _SUBSCRIPTS))
