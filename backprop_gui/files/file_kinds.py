"""Which kind of file a path holds: a session or a CSV table, judged by its name and then its
first character, as File > Open and the command line both judge it."""

from __future__ import annotations

import os
from pathlib import Path

from .session_file import SESSION_SUFFIX

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
SESSION_SUFFIXES = (SESSION_SUFFIX, ".json")


def is_session_file(path: str | os.PathLike) -> bool:
    """True for a session: a session suffix, or, for any other name but a CSV one, a first
    character "{" (after a byte order mark and white space), which a CSV table cannot have."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return False
    if suffix in SESSION_SUFFIXES:
        return True
    try:
        with open(path, "rb") as file:
            start = file.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    return start.startswith(b"{")
