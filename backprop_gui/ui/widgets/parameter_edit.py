"""Typed and nudged weights as undoable changes: one ``QUndoCommand`` per change, on the window's
undo stack beside the table's edits, so Edit > Undo and Ctrl+Z take a typed weight back.

The lesson does the change (``Lesson.set_parameter``) and tells every view; the command only
remembers the old and new values.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...engine import Network
from ...engine.notation import ParameterRef, format_number
from ...lesson import CellError, Lesson, StepCursor, parse_cell


def parameter_value(network: Network, ref: ParameterRef) -> float:
    """The live value of a weight or bias."""
    if ref.kind == "w":
        return float(network.weights[ref.layer][ref.i, ref.j])
    return float(network.biases[ref.layer][ref.i])


class SetParameterCommand(QUndoCommand):
    """Sets one weight or bias; undo sets its old value back."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, ref: ParameterRef, value: float, text: str) -> None:
        super().__init__(text)
        self.lesson = lesson
        self.cursor = cursor
        self.ref = ref
        self.new = float(value)
        self.old = parameter_value(lesson.network, ref)
        self._layer_sizes = list(lesson.network.layer_sizes)

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)

    def _set(self, value: float) -> None:
        lesson = self.lesson
        if list(lesson.network.layer_sizes) != self._layer_sizes:
            lesson.message.emit(f"{self.ref.name} belonged to a network that has since been rebuilt: nothing to change.")
            self.setObsolete(True)
            return
        # A step on show would keep showing its own values, not the one typed.
        self.cursor.clear()
        j = self.ref.j if self.ref.kind == "w" else None
        if lesson.set_parameter(self.ref.layer, self.ref.i, j, value) is None:
            self.setObsolete(True)  # refused during a run (the lesson said why)


class ParameterEditing(QObject):
    """Puts typed values and nudges of weights and biases on the undo stack."""

    refused = Signal(str)

    def __init__(self, lesson: Lesson, cursor: StepCursor, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        self.undo_stack = undo_stack
        self.locked: str | None = None
        """Why weights cannot be edited now (a guided lesson's page sets them), or None."""

    def value(self, ref: ParameterRef) -> float:
        return parameter_value(self.lesson.network, ref)

    def set_value(self, ref: ParameterRef, value, text: str | None = None) -> bool:
        """Set ``ref`` to ``value`` (a number or the text typed) as one undoable change."""
        try:
            value = parse_cell(value)
        except CellError as error:
            self.refused.emit(f"Refused: {ref.name} {error}.")
            return False
        if self.lesson.is_running:
            self.refused.emit("Refused: stop training before you change a weight or bias.")
            return False
        if self.locked:
            self.refused.emit(f"Refused: {self.locked}.")
            return False
        if value == self.value(ref):
            return True
        command = SetParameterCommand(
            self.lesson, self.cursor, ref, value, text or f"Set {ref.name} = {format_number(value)}"
        )
        self.undo_stack.push(command)
        return not command.isObsolete()

    def nudge(self, ref: ParameterRef, delta: float) -> bool:
        """Move ``ref`` by ``delta`` as one undoable change."""
        sign = "+" if delta >= 0 else "−"
        return self.set_value(ref, self.value(ref) + delta, f"Nudge {ref.name} by {sign}{format_number(abs(delta))}")
