"""Add Page from Current Setup: a teacher sets the app up, and the page that reproduces it is
written into the lesson file being edited.

The page says what differs from the page before it (a page inherits the previous page's table,
settings and weights): its table (a built-in example by name, a small table inline, a larger one
as a CSV file beside the lesson), every setting that differs, every weight and bias, and the
controls to offer. The file is then read back and the new page built headless: if what it
builds is not exactly the setup on screen, or the file no longer checks, the file is left as it
was and LessonFileError says why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...engine import TrainingSettings
from ...engine.notation import all_parameters
from ...files.atomic import atomic_write_text
from ...files.csv_table import format_exact, read_csv_table, write_csv_table
from ...files.resources import resource_path
from ..cursor import StepCursor
from ..lesson import Lesson
from .lesson_file import EXAMPLES, LessonFileError, load_lesson_file, parse_lesson, read_lesson_text
from .page_state import build_page, settings_of
from .settings_text import SETTINGS
from .validation import check_lesson

MAX_INLINE_ROWS = 20
NEW_LESSON = "# A new lesson\n\nWhat this lesson teaches, in a sentence or two.\n"


def _setting_text(name: str, value) -> str:
    if name == "hidden_layers":
        return ", ".join(str(n) for n in value) or "none"
    if name in ("hidden_activations", "frozen"):
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return format_exact(value)
    return str(value)


def _table_lines(lesson: Lesson, lesson_path: Path, page_number: int) -> list[str]:
    table = lesson.table
    values, names = table.values(), table.column_names
    for key, file_name in EXAMPLES.items():
        example = read_csv_table(resource_path(file_name))
        if list(example.column_names) == names and np.array_equal(example.values, values):
            return [f"@table {key}"]
    if table.n_rows <= MAX_INLINE_ROWS and not any("," in name for name in names):
        return [f"@columns {', '.join(names)}"] + [f"@row {', '.join(format_exact(v) for v in row)}" for row in values]
    csv_name = f"{lesson_path.stem}-page-{page_number}.csv"
    write_csv_table(lesson_path.with_name(csv_name), names, values)
    return [f"@table {csv_name}"]


def page_from_setup(lesson: Lesson, title: str, controls, lesson_path: Path, previous: TrainingSettings | None,
                    page_number: int) -> str:  # fmt: skip
    """The page's text: its title, a line for the author to replace, and its directives."""
    lines = [f"## {title}", "Write what the student should see and do on this page.", *_table_lines(lesson, lesson_path, page_number)]
    base = (previous or TrainingSettings()).to_dict()
    for name, value in lesson.settings.to_dict().items():
        if name in SETTINGS and (value != base[name] or previous is None and name in ("init", "scaling", "order")):
            lines.append(f"@set {name} = {_setting_text(name, tuple(value) if name == 'hidden_layers' else value)}")
    weights, biases = lesson.network.get_parameters()
    for ref in all_parameters(lesson.network.layer_sizes):
        value = weights[ref.layer][ref.i, ref.j] if ref.kind == "w" else biases[ref.layer][ref.i]
        lines.append(f"@weight {ref.name} = {format_exact(value)}")
    lines.append(f"@controls {', '.join(controls) or 'none'}")
    return "\n".join(lines) + "\n"


def add_page(path: str | Path, lesson: Lesson, title: str, controls) -> int:
    """Append a page reproducing ``lesson``'s table, settings and weights to the lesson file at
    ``path`` (made if it does not exist); returns the page's number. LessonFileError, leaving the
    file as it was, if the file cannot be read or the page would not reproduce the setup."""
    path = Path(path)
    old = read_lesson_text(path) if path.exists() and path.stat().st_size else None
    existing = parse_lesson(old, path.name, path) if old is not None else None
    previous = settings_of(existing.pages[-1]) if existing is not None else None
    number = len(existing.pages) + 1 if existing is not None else 1
    page = page_from_setup(lesson, title.strip() or f"Page {number}", controls, path, previous, number)
    text = (old.rstrip("\n") + "\n\n" if old is not None else NEW_LESSON + "\n") + page
    written = parse_lesson(text, path.name, path)
    check_lesson(written)
    built = Lesson()
    build_page(written.pages[-1], built, StepCursor(built))
    if not _same_setup(built, lesson):
        raise LessonFileError(path.name, written.pages[-1].line, "the page would not reproduce the setup on screen")
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise LessonFileError(path.name, None, f"cannot be written: {error.strerror or error}") from None
    load_lesson_file(path)
    return number


def _same_setup(built: Lesson, lesson: Lesson) -> bool:
    if built.settings != lesson.settings or built.table.column_names != lesson.table.column_names:
        return False
    if not np.array_equal(built.table.values(), lesson.table.values()):
        return False
    pairs = zip(built.network.get_parameters(), lesson.network.get_parameters())
    return all(np.array_equal(a, b) for mine, theirs in pairs for a, b in zip(mine, theirs))
