"""Autosave: the lesson written to a recovery file a few seconds after the last change, after each
training run and every few seconds during one, so a crash loses at most those seconds.

The lesson is copied on the GUI thread (``Lesson.session_data``, arrays copied) and turned into
JSON and written by ``files.recovery.RecoveryWriter`` on a thread of its own. A clean quit,
Save, or an explicit Discard removes the file; ``recovery_offer.py`` offers what a crash left.

Kept in a recovery file: everything a session holds (table, settings, weights, initial weights,
optimizer state, loss histories, kept runs) and the table's undo history (whole-table states
before each edit, the latest ``MAX_UNDO_STATES``, while the table has at most ``MAX_UNDO_CELLS``
cells). Not kept: the step log (Back after a recovery has nothing to take back), the redo
branch, and during a run the optimizer's running averages (read only between runs).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QUndoStack

from ...files.recovery import RecoveryWriter, new_recovery_path
from ...files.recovery_info import RecoveryInfo, TableState
from ...lesson import Lesson

IDLE_MS = 2000
"""How long after the last change the recovery file is written."""
RUNNING_MS = 3000
"""How often it is written while a run goes on."""
WRITE_SPACING = 4
"""Between writes, at least this many times as long as the last write took."""
MAX_UNDO_STATES = 20
MAX_UNDO_CELLS = 200_000


class TableHistory:
    """The table as it was at each index of the undo stack (each state the user passed through)."""

    def __init__(self, lesson: Lesson, stack: QUndoStack) -> None:
        self.lesson, self.stack = lesson, stack
        self._states: dict[int, tuple[np.ndarray, list[str]]] = {}
        stack.indexChanged.connect(self._record)
        self._record(stack.index())

    @Slot(int)
    def _record(self, index: int) -> None:
        if not shiboken6.isValid(self.stack):
            return  # the stack says its index once more while the window is destroyed
        table = self.lesson.table
        if self.stack.count() == 0:
            self._states.clear()
        if table.n_rows * table.n_columns > MAX_UNDO_CELLS:
            self._states.clear()
            return
        self._states[index] = (table.values(), list(table.column_names))
        for old in [k for k in self._states if k < index - MAX_UNDO_STATES]:
            del self._states[old]

    def states(self) -> list[TableState]:
        """The table before each of the latest undoable edits that changed it, oldest first."""
        index = self.stack.index()
        kept: list[TableState] = []
        for k in range(index - 1, max(index - 1 - MAX_UNDO_STATES, -1), -1):
            before, after = self._states.get(k), self._states.get(k + 1)
            if before is None or after is None or _same(before, after):
                break  # not kept, or an edit of a weight (the table did not change): the tail ends
            kept.append(TableState(self.stack.text(k), before[1], before[0]))
        return kept[::-1]


def _same(a, b) -> bool:
    return a[1] == b[1] and a[0].shape == b[0].shape and np.array_equal(a[0], b[0])


class Autosave(QObject):
    def __init__(self, lesson: Lesson, document, stack: QUndoStack, parent: QObject) -> None:
        super().__init__(parent)
        self.lesson, self.document, self.stack = lesson, document, stack
        self.history = TableHistory(lesson, stack)
        self.writer: RecoveryWriter | None = None
        self._edits = 0
        self._baseline_epochs = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.write_now)
        for event in (lesson.parameters_changed, lesson.history_changed, lesson.settings_changed, lesson.kept_runs.changed):
            event.connect(self._changed)
        lesson.settings_changed.connect(self._count_edit)
        lesson.running_changed.connect(self._on_running_changed)
        stack.indexChanged.connect(self._on_stack_changed)
        document.unmodified.connect(self._on_saved)

    def start(self) -> None:
        """Begin writing (the window is on screen and interactive)."""
        if self.writer is None:
            self.writer = RecoveryWriter(new_recovery_path())
            if self.document.is_modified():
                self._changed()

    # -- events -----------------------------------------------------------------
    def _changed(self, *args) -> None:
        if self.writer is None:
            return
        # A lesson that takes long to write (a history of millions of epochs) is written less often.
        spacing = int(1000 * WRITE_SPACING * self.writer.last_seconds)
        if self.lesson.is_running:
            if not self._timer.isActive():
                self._timer.start(max(RUNNING_MS, spacing))  # not restarted by each frame of the run
            return
        self._timer.start(max(IDLE_MS, spacing))

    def _count_edit(self) -> None:
        self._edits += 1

    @Slot(int)
    def _on_stack_changed(self, index: int) -> None:
        if shiboken6.isValid(self.stack) and self.stack.count():
            self._edits += 1
            self._changed()

    def _on_running_changed(self, running: bool) -> None:
        if not running and self.writer is not None:
            self._timer.start(0)  # after each run

    def _on_saved(self) -> None:
        self._edits = 0
        self._baseline_epochs = len(self.lesson.loss_history)
        self._timer.stop()
        if self.writer is not None:
            self.writer.discard()

    def carry_on(self, edits: int, baseline_epochs: int) -> None:
        """A recovered lesson: count on from the edits and epochs it recovered."""
        self._edits, self._baseline_epochs = edits, max(0, baseline_epochs)
        self._changed()

    # -- writing ----------------------------------------------------------------
    @Slot()
    def write_now(self) -> None:
        """Hand the lesson as it is now to the writer (or remove the file when nothing is unsaved)."""
        if self.writer is None:
            return
        if not self.document.is_modified():
            self.writer.discard()
            return
        try:
            data = self.lesson.session_data()
            path = self.document.path
            info = RecoveryInfo(
                saved_at=time.time(),
                source=str(path) if path else None,
                edits=self._edits,
                epochs=max(0, len(data.loss_history) - self._baseline_epochs),
                undo=self.history.states(),
            )
            # During a run the worker is updating the running averages: they are not read then.
            state = None if self.lesson.is_running else data.optimizer_state
            data = replace(data, recovery=info, optimizer_state=state)
        except ValueError as error:  # a lesson that could not be opened again (a weight beyond ±1e100)
            self.writer.last_error = str(error)
            return  # the last recovery file written stays
        self.writer.submit(data)

    def close(self) -> None:
        """A clean quit: no recovery file is left."""
        self._timer.stop()
        if self.writer is not None:
            self.writer.close(remove=True)
            self.writer = None
