"""Handouts: one worked step, and exercise sheets with answer keys, in the notes' notation.

A worked step is every phase of one step (the row, the forward pass, the loss, the chain rule
of every parameter with its numbers, the update) as Markdown with LaTeX math, as a LaTeX
document, or as HTML that ``ui/document/handout_pdf.py`` prints to PDF with Qt (no TeX needed). An
exercise sheet is N seeded variants of the same exercise (other weights, another row,
another η), each followed by its answer key on a page of its own.

No Qt here: the PDF module only lays the HTML made here onto pages.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine import Network, StepRecord, Trainer, format_number
from ..engine.activations import hidden_activation_text
from ..engine.explain.explainer import StepExplainer
from ..engine.explain.render import latex_escape, step_latex, step_markdown
from ..files import atomic_write_text
from .snapshot import LessonSnapshot

STEP_FORMATS = (".md", ".tex", ".pdf")
SHEET_FORMATS = (".md", ".pdf")
LEARNING_RATES = (0.1, 0.05, 0.01, 0.005, 0.001)
"""The η an exercise variant draws from."""
PAGE_BREAK_MARKDOWN = '\n<div style="page-break-after: always"></div>\n\n---\n'


def _n(value: float) -> str:
    """A number for a sentence: six significant digits, 1e−06 rather than 1.00000e−06."""
    return re.sub(r"\.?0+e", "e", format_number(value, 6)).replace("-", "−")


def step_summary(explainer: StepExplainer, with_rate: bool = True) -> str:
    """One sentence on the network and settings a step ran with: sizes, inputs, activations, loss, η."""
    sizes = "-".join(str(n) for n in explainer.layer_sizes)
    return (
        f"The {sizes} network: inputs {', '.join(explainer.input_names)}, target {explainer.target_name}; "
        f"{hidden_activation_text(explainer.hidden_activation)} hidden neurons, a {explainer.output_activation} output; L = {explainer.loss.formula}; "
        + (f"η = {_n(explainer.record.learning_rate)}; " if with_rate else "")
        + f"inputs {'standardised' if explainer.scaled_inputs else 'as in the table'}."
    )


# -- one worked step ----------------------------------------------------------------------
def next_step_explainer(snapshot: LessonSnapshot) -> StepExplainer:
    """The explanation of the step the app would make next on this snapshot."""
    return snapshot.explainer(snapshot.next_step())


def step_handout_markdown(explainer: StepExplainer, summary: str = "") -> str:
    """A worked step as a Markdown document with LaTeX math."""
    intro = f"{summary}\n\n" if summary else ""
    return "# A worked step of backpropagation\n\n" + intro + step_markdown(explainer, heading_level=2, title="The step")


def latex_document(body: str, title: str) -> str:
    """A complete, compilable LaTeX document (article, amsmath) around ``body``."""
    return "\n".join(
        [
            r"\documentclass[11pt,a4paper]{article}",
            r"\usepackage[utf8]{inputenc}",
            r"\usepackage[T1]{fontenc}",
            r"\usepackage{lmodern}",
            r"\usepackage{amsmath}",
            r"\usepackage[margin=2cm]{geometry}",
            r"\setlength{\parindent}{0pt}",
            r"\setlength{\parskip}{0.6em}",
            r"\allowdisplaybreaks",
            rf"\title{{{latex_escape(title)}}}",
            r"\date{}",
            r"\begin{document}",
            r"\maketitle",
            body,
            r"\end{document}",
            "",
        ]
    )


def step_handout_latex(explainer: StepExplainer, summary: str = "") -> str:
    """A worked step as a LaTeX document (pdflatex compiles it as it is)."""
    from ..engine.explain.render import latex_escape_keep_unicode_math

    intro = latex_escape_keep_unicode_math(summary).replace("ŷ", r"$\hat{y}$").replace("²", r"$^2$").replace("η", r"$\eta$")
    return latex_document(intro + "\n\n" + step_latex(explainer, title="The step"), "A worked step of backpropagation")


def _pre(lines: list[str]) -> str:
    return "<pre>" + html.escape("\n".join(lines)) + "</pre>"


def step_html(explainer: StepExplainer, title: str = "The step") -> str:
    """A worked step as HTML for QTextDocument, the notes' Unicode notation (w¹₁₁, ŷ, ∂L/∂w¹₁₁)."""
    from ..engine.notation import all_parameters

    parts = [f"<h2>{html.escape(title)}</h2>"]
    for phase in explainer.phases():
        parts.append(f"<h3>{html.escape(explainer.phase_title(phase))}</h3>")
        if phase.kind == "backward":
            for ref in all_parameters(explainer.layer_sizes):
                if ref.layer == phase.layer:
                    parts.append(_pre(explainer.derivation(ref).lines()))
        else:
            parts.append(_pre(explainer.phase_lines(phase)))
    return "\n".join(parts)


HTML_STYLE = """
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 14px; } h3 { font-size: 11pt; margin-top: 10px; }
pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; margin-left: 8px; }
td, th { padding: 2px 8px; }
"""


def html_document(body: str, title: str) -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{HTML_STYLE}</style></head><body>{body}</body></html>"
    )


def step_handout_html(explainer: StepExplainer, summary: str = "") -> str:
    intro = f"<p>{html.escape(summary)}</p>" if summary else ""
    return html_document("<h1>A worked step of backpropagation</h1>" + intro + step_html(explainer), "A worked step")


def write_step_handout(path: str | os.PathLike, snapshot: LessonSnapshot, write_pdf=None) -> None:
    """Write the lesson's next step to ``path``, as its suffix says: .md, .tex, or .pdf (see ``write_worked_step``)."""
    check_suffix(path, STEP_FORMATS, "a worked step")
    write_worked_step(path, next_step_explainer(snapshot), write_pdf=write_pdf)


def write_worked_step(path: str | os.PathLike, explainer: StepExplainer, write_pdf=None) -> None:
    """Write the step ``explainer`` explains, every phase worked, as the suffix of ``path`` says: .md, .tex, or .pdf.

    For .pdf, ``write_pdf(path, html)`` does the printing (``ui.handout_pdf.write_pdf``: Qt).
    Raises ValueError for another suffix, OSError when the file cannot be written.
    """
    suffix = check_suffix(path, STEP_FORMATS, "a worked step")
    summary = step_summary(explainer)
    if suffix == ".md":
        atomic_write_text(path, step_handout_markdown(explainer, summary))
    elif suffix == ".tex":
        atomic_write_text(path, step_handout_latex(explainer, summary))
    else:
        _require(write_pdf)(path, step_handout_html(explainer, summary))


def check_suffix(path: str | os.PathLike, formats: tuple[str, ...], what: str) -> str:
    """The suffix of ``path`` in lower case if it is one of ``formats``; ValueError saying which are otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        raise ValueError(f"{what} is written as {', '.join(formats)}, not {suffix or 'a file without a suffix'}")
    return suffix


def _require(write_pdf):
    if write_pdf is None:
        raise ValueError("writing a PDF needs Qt: use backprop_gui.ui.handout_pdf")
    return write_pdf


# -- exercise sheets --------------------------------------------------------------------------
@dataclass(frozen=True)
class Exercise:
    number: int
    row: int
    """0-based row of the lesson's table."""
    learning_rate: float
    network: Network
    """The variant's network before the step."""
    record: StepRecord
    explainer: StepExplainer


def exercise_variants(snapshot: LessonSnapshot, count: int, seed: int = 0) -> list[Exercise]:
    """``count`` variants of one step on the lesson's network: each draws (from ``seed`` and its
    number) weights and biases of one decimal in [−1, 1], a row of the table and an η."""
    if count < 1:
        raise ValueError(f"an exercise sheet needs at least one variant, got {count}")
    inputs, y = snapshot.scaled_inputs(), snapshot.y
    variants = []
    for number in range(1, count + 1):
        rng = np.random.default_rng([seed, number])
        network = snapshot.network()
        weights = [np.round(rng.integers(-10, 11, w.shape) / 10, 1) for w in network.weights]
        biases = [np.round(rng.integers(-10, 11, b.shape) / 10, 1) for b in network.biases]
        network.set_parameters(weights, biases)
        row = int(rng.integers(len(inputs)))
        rate = float(rng.choice(LEARNING_RATES))
        before = network.copy()
        try:
            trainer = Trainer(network, inputs, y, learning_rate=rate, loss=snapshot.settings.loss)
        except ValueError as error:
            raise ValueError(f"cannot make an exercise of this lesson: {error}") from None
        record = trainer.step(rows=[row])
        explainer = snapshot.explainer(record)
        variants.append(Exercise(number, row, rate, before, record, explainer))
    return variants


def _given_lines(exercise: Exercise) -> list[str]:
    from ..engine.notation import all_parameters

    explainer = exercise.explainer
    lines = explainer.pick_lines()
    lines.append(f"η = {_n(exercise.learning_rate)}")
    values = []
    for ref in all_parameters(explainer.layer_sizes):
        before, _, _ = explainer.values(ref)
        values.append(f"{ref.name} = {_n(before)}")
    per_line = 6
    lines += ["   ".join(values[i : i + per_line]) for i in range(0, len(values), per_line)]
    return lines


def _tasks(exercise: Exercise) -> list[str]:
    explainer = exercise.explainer
    outputs = [explainer.out_symbol(k, j) for k in range(explainer.n_layers) for j in range(explainer.layer_sizes[k + 1])]
    return [
        f"Forward pass: compute {', '.join(outputs)}.",
        "The loss: compute L.",
        "Backward pass: compute ∂L/∂p for every weight and bias p by the chain rule.",
        "Update: compute the new value of every weight and bias, p ← p − η · ∂L/∂p.",
    ]


def _sheet_summary(exercises: list[Exercise], seed: int) -> str:
    return (
        f"{step_summary(exercises[0].explainer, with_rate=False)} Each exercise has its own weights, row and η. "
        f"Seed {seed}, {len(exercises)} variants."
    )


def exercise_sheet_markdown(snapshot: LessonSnapshot, count: int, seed: int = 0) -> str:
    """N variants as Markdown: each exercise, then its answer key after a page break."""
    exercises = exercise_variants(snapshot, count, seed)
    parts = [f"# Exercise sheet: one step of backpropagation\n\n{_sheet_summary(exercises, seed)}\n"]
    for exercise in exercises:
        given = "\n".join(f"- {line}" for line in _given_lines(exercise))
        tasks = "\n".join(f"{i}. {task}" for i, task in enumerate(_tasks(exercise), 1))
        parts.append(f"## Exercise {exercise.number}\n\nGiven:\n\n{given}\n\n{tasks}\n")
        parts.append(PAGE_BREAK_MARKDOWN)
        parts.append(step_markdown(exercise.explainer, heading_level=2, title=f"Answer key to exercise {exercise.number}"))
        parts.append(PAGE_BREAK_MARKDOWN)
    return "\n".join(parts[:-1]) + "\n"


def exercise_sheet_html(snapshot: LessonSnapshot, count: int, seed: int = 0) -> str:
    """N variants as HTML for the PDF: each exercise and each answer key on pages of their own."""
    page_break = '<div style="page-break-before: always"></div>'
    exercises = exercise_variants(snapshot, count, seed)
    parts = [
        "<h1>Exercise sheet: one step of backpropagation</h1>",
        f"<p>{html.escape(_sheet_summary(exercises, seed))}</p>",
    ]
    for index, exercise in enumerate(exercises):
        if index:
            parts.append(page_break)
        parts.append(f"<h2>Exercise {exercise.number}</h2><p>Given:</p>")
        parts.append(_pre(_given_lines(exercise)))
        parts.append("<ol>" + "".join(f"<li>{html.escape(task)}</li>" for task in _tasks(exercise)) + "</ol>")
        parts.append(page_break)
        parts.append(step_html(exercise.explainer, f"Answer key to exercise {exercise.number}"))
    return html_document("\n".join(parts), "Exercise sheet")


def write_exercise_sheet(path: str | os.PathLike, snapshot: LessonSnapshot, count: int, seed: int = 0, write_pdf=None) -> None:
    """Write an exercise sheet as .md, or as .pdf through ``write_pdf(path, html)``."""
    if check_suffix(path, SHEET_FORMATS, "an exercise sheet") == ".md":
        atomic_write_text(path, exercise_sheet_markdown(snapshot, count, seed))
    else:
        _require(write_pdf)(path, exercise_sheet_html(snapshot, count, seed))
