"""Walking a guided lesson as a student would: answer from the engine, do what each page waits for."""

from __future__ import annotations

from backprop_gui.engine.explain import number
from backprop_gui.lesson.guided import Tutor


def satisfy(tutor: Tutor, attempts: int = 20) -> None:
    """Do what the page waits for, with the controls it offers, until it is done."""
    lesson, cursor, page = tutor.lesson, tutor.cursor, tutor.page
    for _ in range(attempts):
        if tutor.waited:
            return
        for part in page.wait.parts:
            kind = part.quantity.kind
            if kind == "learning rate":
                assert "learning_rate" in page.controls
                lesson.update_settings(learning_rate=part.value)
            elif kind in ("epochs", "epoch loss", "diverged") and "train" in page.controls:
                lesson.train()
            elif kind == "phase":
                cursor.next_phase()
            else:
                assert {"step", "next_phase"} & set(page.controls)
                cursor.step()
    raise AssertionError(f"page {tutor.page_index + 1} ({page.title}) still waits for {page.wait.text}")


def walk(tutor: Tutor) -> list[str]:
    """From the first page to the last by Next, each checkpoint answered with the engine's number
    as the app shows it; returns the verdicts."""
    tutor.open_page(0)
    verdicts = []
    while True:
        if tutor.asked is not None:
            verdict = tutor.check_answer(number(tutor.asked.value))
            assert verdict.correct, verdict.message
            verdicts.append(verdict.message)
        if tutor.page.wait is not None:
            satisfy(tutor)
        if tutor.page_index == tutor.n_pages - 1:
            assert tutor.at_end and not tutor.can_go_next
            return verdicts
        assert tutor.next()
