"""Undoable commands and a history of them, without Qt.

Every edit of the table is a ``Command``: ``redo()`` does it, ``undo()`` takes it back exactly.
``UndoHistory.push`` runs a command and keeps it; the desktop app pushes the same commands onto
a ``QUndoStack`` instead (ui/window/undo_bridge.py), so both share one set of commands.
"""

from __future__ import annotations

from typing import Protocol

from .events import Event


class Command:
    text = ""
    """What the command does, for "Undo <text>"."""
    obsolete = False
    """Set by a command that could not be done or undone (and said why): the history drops it."""

    def redo(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError


class History(Protocol):
    def push(self, command: Command) -> None: ...


class UndoHistory:
    """A linear undo history: pushing after an undo drops what could have been redone."""

    def __init__(self) -> None:
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_length: int | None = 0
        self.changed = Event()

    def push(self, command: Command) -> None:
        command.redo()
        self._done.append(command)
        if self._clean_length is not None and self._clean_length > len(self._done) - 1 and self._undone:
            self._clean_length = None  # the saved state was in the redo branch just dropped
        self._undone.clear()
        self.changed.emit()

    def undo(self) -> bool:
        if not self._done:
            return False
        command = self._done.pop()
        command.undo()
        if not command.obsolete:
            self._undone.append(command)
        self.changed.emit()
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        command = self._undone.pop()
        command.redo()
        self._done.append(command)
        self.changed.emit()
        return True

    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._clean_length = 0
        self.changed.emit()

    def set_clean(self) -> None:
        self._clean_length = len(self._done)
        self.changed.emit()

    def is_clean(self) -> bool:
        return self._clean_length == len(self._done)

    def __len__(self) -> int:
        return len(self._done)
