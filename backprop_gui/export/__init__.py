"""Exports of a lesson, no Qt: code (NumPy, PyTorch, a notebook), worked steps and exercise sheets.

    from backprop_gui.export import load_lesson_snapshot, write_code, write_step_handout
    snapshot = load_lesson_snapshot("lesson.bpsession")   # or a CSV table, as the app opens it
    write_code("numpy", snapshot, "lesson.py")             # python lesson.py [--train]
    write_step_handout("step.md", snapshot)                # .md or .tex; .pdf through ui.handout_pdf

A window's lesson is exported through ``LessonSnapshot.from_session(lesson.session_data())``.
"""

from .code.export_code import KINDS, SUFFIXES, export_code, notebook, numpy_script, pytorch_script, write_code
from .handout import (
    Exercise,
    exercise_sheet_html,
    exercise_sheet_markdown,
    exercise_variants,
    latex_document,
    next_step_explainer,
    step_handout_html,
    step_handout_latex,
    step_handout_markdown,
    step_summary,
    write_exercise_sheet,
    write_step_handout,
    write_worked_step,
)
from .snapshot import LessonError, LessonSnapshot, load_lesson_snapshot

__all__ = [
    "KINDS",
    "SUFFIXES",
    "Exercise",
    "LessonError",
    "LessonSnapshot",
    "exercise_sheet_html",
    "exercise_sheet_markdown",
    "exercise_variants",
    "export_code",
    "latex_document",
    "load_lesson_snapshot",
    "next_step_explainer",
    "notebook",
    "numpy_script",
    "pytorch_script",
    "step_handout_html",
    "step_handout_latex",
    "step_handout_markdown",
    "step_summary",
    "write_code",
    "write_exercise_sheet",
    "write_step_handout",
    "write_worked_step",
]
