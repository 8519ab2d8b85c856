"""The lesson's table edits on Qt's undo stack, so Edit > Undo, Ctrl+Z and the undo text are Qt's own.

The lesson's commands (lesson/table.py) are plain Python; ``QtUndoHistory`` wraps each one in a
``QUndoCommand`` and hands it to a ``QUndoStack``, which runs it, as ``UndoHistory`` would.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from ...lesson.undo import Command


class _Wrapped(QUndoCommand):
    def __init__(self, command: Command) -> None:
        super().__init__(command.text)
        self.command = command

    def redo(self) -> None:
        self.command.redo()
        self._drop_if_obsolete()

    def undo(self) -> None:
        self.command.undo()
        self._drop_if_obsolete()

    def _drop_if_obsolete(self) -> None:
        # A command that could not be done or undone (it said why) leaves the stack.
        if getattr(self.command, "obsolete", False):
            self.setObsolete(True)


class QtUndoHistory:
    """A lesson ``History`` that is a ``QUndoStack``."""

    def __init__(self, stack: QUndoStack) -> None:
        self.stack = stack

    def push(self, command: Command) -> None:
        self.stack.push(_Wrapped(command))

    def undo(self) -> bool:
        can = self.stack.canUndo()
        self.stack.undo()
        return can

    def redo(self) -> bool:
        can = self.stack.canRedo()
        self.stack.redo()
        return can

    def clear(self) -> None:
        self.stack.clear()

    def set_clean(self) -> None:
        self.stack.setClean()

    def is_clean(self) -> bool:
        return self.stack.isClean()
