"""One step typeset for documents: every phase as Markdown with LaTeX math, or as LaTeX.

The text is the explanation the app shows (``explain.StepExplainer``): the same equations with
the same numbers, cut into blocks (headings, sentences, aligned equations) and typeset by
``render_latex``. The functions here take a StepExplainer; ``render.step_markdown`` also takes a
StepRecord and builds its explainer. (No import of ``explain``: its ``_repr_markdown_`` calls
``explainer_markdown``, and the engine's modules never import each other both ways.)
"""

from __future__ import annotations

from ..notation import all_parameters, format_number
from .render_latex import Typesetter, latex_escape, latex_escape_keep_unicode_math, markdown_escape_prose

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

    def __init__(self, explainer) -> None:
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


def _derivation_rows(derivation) -> list[tuple[str, str]]:
    """The rows of one parameter's chain rule (an ``explain.Derivation``): symbols, numbers, update."""
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


def _heading_text(explainer) -> str:
    record = explainer.record
    return f"One step of backpropagation (epoch {record.epoch:,}, update {record.step:,})"


def explainer_markdown(explainer, *, heading_level: int = 2, title: str | None = None, names_are_symbols: bool = False) -> str:
    """Markdown with LaTeX math ($$ … $$) of every phase of the step ``explainer`` explains.

    ``names_are_symbols``: the input names are the notes' x₁, x₂ (set as symbols), not words.
    """
    typeset = Typesetter(explainer.input_names, names_are_symbols)
    hashes = "#" * heading_level
    parts = [f"{hashes} {title or _heading_text(explainer)}"]
    for kind, content in _Blocks(explainer).blocks:
        if kind == "heading":
            parts.append(f"{hashes}# {content}")
        elif kind == "prose":
            parts.append(markdown_escape_prose(typeset.inline_tokens(content, lambda m: f"${m}$")))
        else:
            parts.append(f"$$\n{_display(kind, content, typeset)}\n$$")
    return "\n\n".join(parts) + "\n"


def explainer_latex(explainer, *, title: str | None = None, names_are_symbols: bool = False) -> str:
    """The same as ``explainer_markdown``, as LaTeX body text (\\subsection*, aligned displays) for
    a document that loads amsmath; ``export.handout.latex_document`` wraps it into one."""
    typeset = Typesetter(explainer.input_names, names_are_symbols)
    parts = [rf"\section*{{{latex_escape(title or _heading_text(explainer))}}}"]
    for kind, content in _Blocks(explainer).blocks:
        if kind == "heading":
            parts.append(rf"\subsection*{{{latex_escape(content)}}}")
        elif kind == "prose":
            parts.append(typeset.inline_tokens(latex_escape_keep_unicode_math(content), lambda m: f"${m}$"))
        else:
            parts.append(f"\\[\n{_display(kind, content, typeset)}\n\\]")
    return "\n\n".join(parts) + "\n"


def _display(kind: str, content, typeset: Typesetter) -> str:
    """A displayed block's LaTeX: one line of math, or rows of equations aligned on = and ←."""
    return typeset.math(content) if kind == "math" else _aligned(content, typeset)


def _aligned(rows: list[tuple[str, str]], typeset: Typesetter) -> str:
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
