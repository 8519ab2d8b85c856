"""The lessons that come with the app (resources/lessons/), found by title, file name or path."""

from __future__ import annotations

from pathlib import Path

from ...files.resources import resource_path
from .lesson_file import LessonFileError, load_lesson_file

BUILTIN_FILES = (
    "01-notes-first-step.md",
    "02-nine-derivatives.md",
    "03-epochs-and-learning-rate.md",
    "04-per-sample-and-batch.md",
    "05-activations.md",
    "06-classification.md",
    "07-deeper-networks.md",
)


def builtin_paths() -> list[Path]:
    return [resource_path(f"lessons/{name}") for name in BUILTIN_FILES]


def builtin_lessons() -> list[tuple[str, Path]]:
    """(title, path) of every built-in lesson, in the course's order."""
    return [(load_lesson_file(path).title, path) for path in builtin_paths()]


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def find_lesson(name_or_path: str | Path) -> Path:
    """The file of a built-in lesson named by its title or file name (with or without its number
    and suffix), or the path given; LessonFileError if there is none."""
    text = str(name_or_path)
    for path in builtin_paths():
        stem = path.stem
        short = stem.split("-", 1)[1]
        if _key(text) in (_key(stem), _key(path.name), _key(short), _key(short + path.suffix)):
            return path
    for title, path in builtin_lessons():
        if _key(text) == _key(title):
            return path
    candidate = Path(text).expanduser()
    if candidate.exists() or any(sep in text for sep in "/\\") or candidate.suffix:
        return candidate
    names = "; ".join(title for title, _ in builtin_lessons())
    raise LessonFileError(text, None, f"no such lesson file, and no built-in lesson of that name (they are: {names})")
