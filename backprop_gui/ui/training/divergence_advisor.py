"""After a run diverged, finds a learning rate to try, off the GUI thread, and has the lesson say it.

The trials (engine/divergence.py) train copies for a few epochs at η/10, η/100, …: a fraction of a
second on the notes' table, longer on a large one, so they run on a thread pool of their own. The
answer is said only if the lesson is still where the run left it (no step, run or Back since).
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ...engine import TrainingOutcome
from ...engine.divergence import DivergenceTrial, learning_rate_to_try
from ...lesson import Lesson


class _Relay(QObject):
    found = Signal(object, object, object)
    """(the run's log entry, the trial, the rate or None), from the pool's thread."""


class _Search(QRunnable):
    def __init__(self, entry, trial: DivergenceTrial, stop: threading.Event, relay: _Relay) -> None:
        super().__init__()
        self._entry, self._trial, self._stop, self._relay = entry, trial, stop, relay

    def run(self) -> None:
        def should_stop() -> bool:
            time.sleep(0)  # let the GUI thread have the GIL between the trial's calls
            return self._stop.is_set()

        try:
            rate = learning_rate_to_try(self._trial, should_stop)
        except Exception:  # noqa: BLE001  (an engine failure here must not take the app down)
            rate = None
        if not self._stop.is_set():
            self._relay.found.emit(self._entry, self._trial, rate)


class DivergenceAdvisor(QObject):
    def __init__(self, lesson: Lesson, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._stop = threading.Event()
        self._relay = _Relay(self)
        self._relay.found.connect(self._on_found)
        self.last_advice: str | None = None

    @Slot(object)
    def on_training_finished(self, outcome: TrainingOutcome) -> None:
        if outcome.reason != "diverged":
            return
        trial = self.lesson.divergence_trial()
        if trial is not None:
            self.last_advice = None
            self.pool.start(_Search(self.lesson.step_log[-1], trial, self._stop, self._relay))

    def searching(self) -> bool:
        return self.pool.activeThreadCount() > 0

    @Slot(object, object, object)
    def _on_found(self, entry, trial: DivergenceTrial, rate) -> None:
        lesson = self.lesson
        if lesson.is_running or not lesson.step_log or lesson.step_log[-1] is not entry:
            return  # the student has moved on: the answer is about a run no longer on show
        self.last_advice = lesson.advise_after_divergence(rate, trial)

    def shutdown(self) -> None:
        self._stop.set()
        self.pool.waitForDone(5000)
