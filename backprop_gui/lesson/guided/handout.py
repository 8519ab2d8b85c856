"""A lesson's pages as a handout: each page's text with the engine's numbers, its question, and
the answers (worked) at the end, as Markdown. The window prints it to PDF through the existing
PDF path (ui/handout_pdf.py); no Qt here.
"""

from __future__ import annotations

from ..cursor import StepCursor
from ..lesson import Lesson
from .lesson_file import GuidedLesson
from .tutor import Tutor

PAGE_BREAK = '\n<div style="page-break-after: always"></div>\n\n'


def lesson_handout_markdown(guided: GuidedLesson) -> str:
    """Every page built on a lesson of its own (nothing on screen changes)."""
    lesson = Lesson()
    tutor = Tutor(guided, lesson, StepCursor(lesson))
    parts = [f"# {guided.title}\n"]
    if guided.intro:
        parts.append(guided.intro + "\n")
    answers = []
    for index, page in enumerate(guided.pages):
        tutor.open_page(index)
        parts.append(f"## {index + 1}. {page.title}\n\n{tutor.page_text()}\n")
        if tutor.asked is not None:
            number = len(answers) + 1
            parts.append(f"**Question {number}.** {page.question}\n\n_Your answer:_ ____________\n")
            answers.append(f"{number}. {tutor.asked.worked()}")
        if page.wait is not None:
            parts.append(f"_In the app:_ {page.wait.describe()}.\n")
    tutor.close()
    if answers:
        parts.append(PAGE_BREAK + "## Answers\n\n" + "\n".join(answers) + "\n")
    return "\n".join(parts)
