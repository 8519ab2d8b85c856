"""The guided lessons in the window: the lesson panel beside the diagram, the gate that locks or
hides the controls a page does not offer, and Help > Lessons. The lessons themselves, their file
format and the checking of answers are Qt-free, in backprop_gui/lesson/guided/.

A layer of its own, over the rooms (pyproject.toml): it may import the lesson, the files, the
window's settings and the document's PDF printer; it reaches the other rooms' widgets only through
the window it is given. Nothing but main_window imports it."""

from .control_gate import ControlGate
from .guided_lessons import GuidedLessons
from .lesson_panel import LessonPanel

__all__ = ["ControlGate", "GuidedLessons", "LessonPanel"]
