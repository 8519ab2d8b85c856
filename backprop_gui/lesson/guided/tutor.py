"""A student's walk through a guided lesson: the page on show, its checkpoint, what it waits for.

No Qt: the window's lesson panel (ui/guided/) shows a ``Tutor`` and listens to its ``changed``
event; a test or a notebook can walk a lesson with it alone.

    >>> from backprop_gui.lesson import Lesson, StepCursor
    >>> from backprop_gui.lesson.guided import Tutor, load_builtin
    >>> lesson = Lesson(); tutor = Tutor(load_builtin("notes-first-step"), lesson, StepCursor(lesson))
    >>> tutor.open_page(0); tutor.progress_text()
    'page 1 of 9'
"""

from __future__ import annotations

from ...engine.explain.explainer import number
from ...engine.notation import parse_number
from ..cursor import StepCursor
from ..events import Event
from ..lesson import Lesson
from .lesson_file import CONTROLS, GuidedLesson, Page
from .page_state import PageError, build_page, run_actions
from .quantities import MAX_ATTEMPTS, Asked, Checked, PageFacts, ask, check, condition_holds, evaluate, page_facts


class Tutor:
    def __init__(self, guided: GuidedLesson, lesson: Lesson, cursor: StepCursor) -> None:
        self.guided, self.lesson, self.cursor = guided, lesson, cursor
        self.page_index = -1
        self.asked: Asked | None = None
        self.attempts = 0
        self.resolved = True
        """The checkpoint is answered (right, or shown worked after the last try), or there is none."""
        self.last_check: Checked | None = None
        self.waited = True
        """What the page waits for has happened (it stays so once it has)."""
        self._facts = PageFacts()
        self._text = ""
        self._building = False
        self.changed = Event()
        """The page, its checkpoint or its wait changed."""
        for event in (lesson.parameters_changed, lesson.history_changed, lesson.settings_changed, lesson.step_log_changed,
                      cursor.changed):  # fmt: skip
            event.connect(self._on_state_changed)
        lesson.running_changed.connect(self._on_running_changed)

    # -- reading --------------------------------------------------------------
    @property
    def n_pages(self) -> int:
        return len(self.guided.pages)

    @property
    def page(self) -> Page | None:
        return self.guided.pages[self.page_index] if 0 <= self.page_index < self.n_pages else None

    def page_text(self) -> str:
        """The page's Markdown with every {{quantity}} as the engine computed it when the page opened."""
        return self._text

    def progress_text(self) -> str:
        return f"page {self.page_index + 1} of {self.n_pages}"

    @property
    def can_go_next(self) -> bool:
        return self.resolved and self.waited and self.page_index < self.n_pages - 1

    @property
    def can_go_back(self) -> bool:
        return self.page_index > 0

    @property
    def at_end(self) -> bool:
        return self.page_index == self.n_pages - 1 and self.resolved and self.waited

    def closed_controls(self) -> list[str]:
        """The controls the page locks or hides, in the order CONTROLS lists them."""
        page = self.page
        return [name for name in CONTROLS if page is None or name not in page.controls]

    # -- walking --------------------------------------------------------------
    def open_page(self, index: int) -> None:
        """Build page ``index`` (0-based) from the file and ask its checkpoint."""
        if not 0 <= index < self.n_pages:
            raise IndexError(f"the lesson has pages 1 to {self.n_pages}, not {index + 1}")
        if self.lesson.is_running:
            raise RuntimeError("stop training before changing the page")
        page = self.guided.pages[index]
        self._building = True
        try:
            build_page(page, self.lesson, self.cursor)
        finally:
            self._building = False
        self.page_index = index
        self._facts = page_facts(self.lesson)
        self._text = page.filled_text(lambda quantity: number(evaluate(quantity, self.lesson, self.cursor, self._facts)))
        self.asked = ask(page.answer, self.lesson, self.cursor, self._facts) if page.answer is not None else None
        self.attempts, self.last_check = 0, None
        self.resolved = self.asked is None
        self.waited = page.wait is None or condition_holds(page.wait, self.lesson, self.cursor, self._facts)
        self.changed.emit()

    def next(self) -> bool:
        if not self.can_go_next:
            return False
        self.open_page(self.page_index + 1)
        return True

    def back(self) -> bool:
        if not self.can_go_back or self.lesson.is_running:
            return False
        self.open_page(self.page_index - 1)
        return True

    def check_answer(self, text: str) -> Checked:
        """Check a typed answer: right, a named slip and another try, or at the last try the worked
        answer. Text that is not a number does not use up a try."""
        if self.asked is None or self.resolved:
            return Checked(False, "This page has no question left to answer.")
        try:
            value = parse_number(text)
        except ValueError:
            self.last_check = Checked(False, f"Type a number, e.g. 88 or −342, not {text.strip()!r}.")
            self.changed.emit()
            return self.last_check
        self.attempts += 1
        self.last_check = check(self.asked, value, self.attempts)
        if self.last_check.correct or self.attempts >= MAX_ATTEMPTS:
            self.resolved = True
            if self.page.reveal and not self.lesson.is_running:
                self._building = True
                try:
                    run_actions(self.page.reveal, self.lesson, self.cursor)
                except PageError:
                    pass  # the student changed the page's state first (a step taken back): nothing to reveal
                finally:
                    self._building = False
                self._refresh_wait()
        self.changed.emit()
        return self.last_check

    def close(self) -> None:
        """Stop following the lesson (the window then puts the user's own session back)."""
        for event in (self.lesson.parameters_changed, self.lesson.history_changed, self.lesson.settings_changed,
                      self.lesson.step_log_changed, self.cursor.changed):  # fmt: skip
            event.disconnect(self._on_state_changed)
        self.lesson.running_changed.disconnect(self._on_running_changed)

    # -- following the student's actions ---------------------------------------------
    def _refresh_wait(self) -> bool:
        page = self.page
        if self.waited or page is None or page.wait is None:
            return False
        self.waited = condition_holds(page.wait, self.lesson, self.cursor, self._facts)
        return self.waited

    def _on_state_changed(self, *args) -> None:
        if not self._building and self._refresh_wait():
            self.changed.emit()

    def _on_running_changed(self, running: bool) -> None:
        outcome = self.lesson.last_outcome
        if not running and outcome is not None and outcome.reason == "diverged":
            self._facts = PageFacts(self._facts.steps_at_start, True)
        self._on_state_changed()
