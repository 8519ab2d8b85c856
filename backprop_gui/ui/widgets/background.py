"""A view's computation away from the GUI thread, one at a time, the latest state winning.

A view that computes something heavy (a loss surface, a map of the input space) hands a plain
function to ``LatestJob.start``; it runs in a pool thread of its own and its result (or the
exception it raised) comes back to the GUI thread through ``done``. While one runs, a view asking
again is not queued behind it: ``start`` refuses, and once the running one ends ``again`` tells the
view to ask with the state as it is then, so the view never works through a backlog of old states.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot


class _Relay(QObject):
    finished = Signal(object)


class LatestJob(QObject):
    done = Signal(object)
    """The result of the computation that ended (the exception it raised, if it failed)."""
    again = Signal()
    """A computation was asked for while this one ran: ask again with the state now."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._running = False
        self._wanted = False

    @property
    def busy(self) -> bool:
        """A computation runs, or one more was asked for."""
        return self._running or self._wanted

    def free(self) -> bool:
        """Whether nothing runs now; if something does, ``again`` follows once it ends."""
        if self._running:
            self._wanted = True
        return not self._running

    def start(self, compute: Callable[[], object]) -> bool:
        """Run ``compute()`` in the pool thread; False (and ``again`` later) if one is running."""
        if not self.free():
            return False
        self._running = True
        relay = self._relay

        def run() -> None:  # Qt owns the runnable that wraps this: nothing of ours is freed under it
            try:
                result = compute()
            except Exception as error:  # shown by the view rather than lost in a thread
                result = error
            relay.finished.emit(result)

        self._pool.start(run)
        return True

    @Slot(object)
    def _finished(self, result) -> None:
        self._running = False
        wanted, self._wanted = self._wanted, False
        self.done.emit(result)
        if wanted:
            self.again.emit()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Ask for nothing more and wait for the computation in progress."""
        self._wanted = False
        self._pool.waitForDone(timeout_ms)
