"""The guided lessons in the window: the lesson panel beside the diagram, the gate that locks or
hides the controls a page does not offer, and Help > Lessons. The lessons themselves, their file
format and the checking of answers are Qt-free, in backprop_gui/lesson/guided/.

``guided_lessons.py`` is all the window imports at start-up; ``lesson_session.py`` (with
``lesson_panel.py`` and ``control_gate.py``) is imported when a lesson is first wanted.

A layer of its own, over the rooms (pyproject.toml): it may import the lesson, the files, the
window's settings and the document's PDF printer; it reaches the other rooms' widgets only through
the window it is given. Nothing but main_window imports it."""

from .guided_lessons import GuidedLessons

__all__ = ["GuidedLessons"]
