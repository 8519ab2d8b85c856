"""The File > Open Recent list, kept in the user's settings (QSettings) between runs."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8
_KEY = "recentFiles"
_remembering = True


def remember_files(on: bool) -> None:
    """Whether opening and saving files changes the user's Open Recent list. Scripted runs
    (``--screenshot``) turn it off, so they leave the user's list as it was."""
    global _remembering
    _remembering = bool(on)


def _store() -> QSettings:
    # IniFormat everywhere (not the Windows registry), so tests can point it at a folder.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Backprop GUI", "Backprop GUI")


class RecentFiles:
    """Most recent first, absolute paths, no duplicates, at most MAX_RECENT."""

    def paths(self) -> list[str]:
        value = _store().value(_KEY, [])
        if isinstance(value, str):  # QSettings gives back a list of one as a plain string
            value = [value]
        return [str(p) for p in (value or []) if isinstance(p, str) and p][:MAX_RECENT]

    def add(self, path: str | os.PathLike) -> None:
        path = str(Path(path).resolve())
        paths = [path] + [p for p in self.paths() if p != path]
        self._save(paths[:MAX_RECENT])

    def remove(self, path: str | os.PathLike) -> None:
        path = str(Path(path).resolve())
        self._save([p for p in self.paths() if p != path])

    def clear(self) -> None:
        self._save([])

    @staticmethod
    def _save(paths: list[str]) -> None:
        if not _remembering:
            return
        store = _store()
        store.setValue(_KEY, paths)
        store.sync()
