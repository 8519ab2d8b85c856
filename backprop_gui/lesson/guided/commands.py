"""The command line's lesson commands: ``backprop-gui --list-lessons`` and ``--check-lesson FILE``.

Each returns the exit status: 0, or 2 with one line on standard error naming the file and the
line to blame (never a traceback). No window opens.
"""

from __future__ import annotations

import sys

from .builtin import builtin_lessons
from .lesson_file import LessonFileError
from .validation import check_lesson_file


def list_lessons_command() -> int:
    """The built-in lessons, one per line: the title, a tab, the path of its file."""
    for title, path in builtin_lessons():
        print(f"{title}\t{path}")
    return 0


def check_lesson_command(path: str) -> int:
    try:
        lesson = check_lesson_file(path)
    except LessonFileError as error:
        print(f"backprop-gui: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    pages = len(lesson.pages)
    checkpoints = sum(page.answer is not None for page in lesson.pages)
    print(f"{path}: \"{lesson.title}\", {pages} {'page' if pages == 1 else 'pages'}, "
          f"{checkpoints} {'checkpoint' if checkpoints == 1 else 'checkpoints'}: every page builds and every answer is computed.")  # fmt: skip
    return 0
