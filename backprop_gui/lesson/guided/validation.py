"""A lesson file checked through before anything changes: every page built on a lesson of its
own, every answer computed by the engine, every wait reachable with the controls it offers.

    >>> lesson = check_lesson_file(builtin_path("notes-first-step"))   # doctest: +SKIP

A file that fails raises LessonFileError: one line naming the file and the line to blame.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..cursor import StepCursor
from ..lesson import Lesson
from .lesson_file import GuidedLesson, LessonFileError, Page, load_lesson_file, parse_lesson
from .page_state import PageError, build_page, run_actions
from .quantities import PageFacts, QuantityError, ask, evaluate, page_facts

WAIT_CONTROLS = {
    "steps": ("step", "next_phase"),
    "epochs": ("train", "step", "next_phase"),
    "epoch loss": ("train", "step", "next_phase"),
    "mean loss": ("train", "step", "next_phase", "weights", "reset"),
    "learning rate": ("learning_rate",),
    "diverged": ("train",),
    "phase": ("step", "next_phase"),
    "weight": ("train", "step", "next_phase", "weights", "reset"),
    "bias": ("train", "step", "next_phase", "weights", "reset"),
}
"""For each quantity a page may wait for, the controls that can change it: one must be offered."""


def check_lesson(lesson_file: GuidedLesson) -> GuidedLesson:
    """Build every page headless; LessonFileError at the first line that cannot work."""
    lesson = Lesson()
    cursor = StepCursor(lesson)
    for page in lesson_file.pages:
        try:
            check_page(page, lesson, cursor)
        except PageError as error:
            raise LessonFileError(lesson_file.name, error.line, error.problem) from None
    return lesson_file


def check_page(page: Page, lesson: Lesson, cursor: StepCursor) -> None:
    build_page(page, lesson, cursor)
    facts = page_facts(lesson)
    for text, quantity, line in page.shown:
        try:
            value = evaluate(quantity, lesson, cursor, facts)
        except QuantityError as error:
            raise PageError(line, f"{{{{{text}}}}} cannot be shown on this page: {error}") from None
        if quantity.kind in ("epoch loss",) and not math.isfinite(value):
            raise PageError(line, f"{{{{{text}}}}}: no epoch has finished on this page")
    if page.answer is not None:
        try:
            ask(page.answer, lesson, cursor, facts)
        except QuantityError as error:
            raise PageError(page.answer_line, f"the checkpoint has no answer on this page: {error}") from None
        run_actions(page.reveal, lesson, cursor)
    if page.wait is not None:
        _check_wait(page, lesson, cursor, facts)


def _check_wait(page: Page, lesson: Lesson, cursor: StepCursor, facts: PageFacts) -> None:
    for part in page.wait.parts:
        quantity = part.quantity
        if quantity.needs_step:
            try:
                value = evaluate(quantity, lesson, cursor, facts)
            except QuantityError as error:
                raise PageError(page.wait_line, f"the page waits for what it cannot compute: {error}") from None
            if not math.isfinite(value):
                raise PageError(page.wait_line, f"'{quantity.text}' is not finite on this page")
            offered = ("train", "step", "next_phase", "weights")
        else:
            offered = WAIT_CONTROLS[quantity.kind]
        if not set(offered) & set(page.controls):
            raise PageError(
                page.wait_line,
                f"the page waits for '{quantity.text or quantity.kind}' but offers none of the controls that change it "
                f"(add one of {', '.join(offered)} to '@controls')",
            )


def check_lesson_file(path: str | Path) -> GuidedLesson:
    return check_lesson(load_lesson_file(path))


def check_lesson_text(text: str, name: str = "lesson", path: Path | None = None) -> GuidedLesson:
    return check_lesson(parse_lesson(text, name, path))
