"""Guided lessons: the course notes as pages with checkpoints, and lessons a teacher writes.

A lesson file (lesson_file.py, docs/LESSONS.md) is Markdown with ``@`` directives; validation.py
builds every page headless before anything on screen changes; tutor.py walks a student through
it. Answers are quantities the engine computes on the page's state (quantities.py), never numbers
typed by the author. No Qt here: the window's panel lives in backprop_gui/ui/guided/.
"""

from .builtin import BUILTIN_FILES, builtin_lessons, builtin_paths, find_lesson
from .lesson_file import CONTROLS, GuidedLesson, LessonFileError, Page, load_lesson_file, parse_lesson, read_lesson_text
from .quantities import Asked, Checked, QuantityError, ask, check, evaluate
from .symbols import Quantity, parse_condition, parse_quantity
from .tutor import Tutor
from .validation import check_lesson, check_lesson_file, check_lesson_text


def load_builtin(name: str) -> GuidedLesson:
    """A built-in lesson, checked, by title or file name."""
    return check_lesson_file(find_lesson(name))


__all__ = [
    "BUILTIN_FILES", "CONTROLS", "Asked", "Checked", "GuidedLesson", "LessonFileError", "Page", "Quantity",
    "QuantityError", "Tutor", "ask", "builtin_lessons", "builtin_paths", "check", "check_lesson", "check_lesson_file",
    "check_lesson_text", "evaluate", "find_lesson", "load_builtin", "load_lesson_file", "parse_condition",
    "parse_lesson", "parse_quantity", "read_lesson_text",
]  # fmt: skip
