"""Help > Lessons and Help > Add Lesson Page: the window's entry to the guided lessons.

Light on purpose: the window makes this at start-up, and the lessons' code (the file format, the
engine's checks, the panel) is imported only when a lesson is first wanted (lesson_session.py).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from ..window.app_settings import settings_store

OFFERED_KEY = "guidedLessons/offered"


class GuidedLessons(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._session = None
        self.lessons_action = QAction("&Lessons…", window)
        self.lessons_action.setObjectName("lessonsAction")
        self.lessons_action.setStatusTip("Guided lessons on the course notes, with questions the app checks")
        self.lessons_action.triggered.connect(self.show_lessons)
        self.add_page_action = QAction("Add Lesson &Page from Current Setup…", window)
        self.add_page_action.setObjectName("addLessonPageAction")
        self.add_page_action.setStatusTip("Write the table, settings and weights on screen as a new page of a lesson file")
        self.add_page_action.triggered.connect(lambda: self.session.add_page_dialog())

    @property
    def session(self):
        """The LessonSession, made (and the lessons' code imported) when first wanted."""
        if self._session is None:
            from .lesson_session import LessonSession

            self._session = LessonSession(self.window)
        return self._session

    # -- what the window and the command line call -------------------------------------------
    def open_lesson(self, name_or_path) -> bool:
        return self.session.open_lesson(name_or_path)

    def close_lesson(self) -> None:
        if self._session is not None:
            self._session.close_lesson()

    def show_lessons(self) -> None:
        self.session.show_lessons()

    def offer_once(self) -> None:
        """On a fresh profile's first start, the list of lessons is on screen."""
        store = settings_store()
        if not store.value(OFFERED_KEY, False, type=bool):
            store.setValue(OFFERED_KEY, True)
            self.show_lessons()

    def add_page(self, path, title: str) -> bool:
        return self.session.add_page(path, title)

    def export_handout(self, path) -> bool:
        return self.session.export_handout(path)

    @property
    def is_open(self) -> bool:
        return self._session is not None and self._session.is_open

    # -- for tests and scripts: the session's parts ------------------------------------------
    @property
    def tutor(self):
        return self._session.tutor if self._session is not None else None

    @property
    def gate(self):
        return self.session.gate

    @property
    def panel(self):
        return self.session.panel

    @property
    def dock(self):
        return self.session.dock
