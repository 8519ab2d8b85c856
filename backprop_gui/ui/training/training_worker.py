"""Runs ``engine.train`` in a worker thread and hands snapshots to the GUI.

Back-pressure: at most 20 snapshots a second, and none while the GUI has not drawn the last
one (``acknowledge``), so the event loop is never flooded. With the compiled kernel the
worker releases the GIL while it computes, so it trains on while the GUI draws: it only
declines to send the next snapshot until the last is on screen. On the NumPy path the
worker holds the GIL, and every Qt call of the GUI thread has to win it back: drawing a
snapshot while it computed took half a second, so there the worker waits for the drawing.

The worker never waits for the compiled kernel: until it is loaded (``TrainingRunner.warm_up``)
the run trains on the NumPy path, with the same updates, and takes the kernel between two calls
once it is there (``train(wait_for_kernel=False)``). Stop is read between any two updates.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ...engine import TrainingOutcome, train
from ...engine.training.train_loop import Progress
from ...lesson import RunPlan


@dataclass(frozen=True)
class TrainingSnapshot:
    """The state of a run at one moment, copied so the GUI may keep it."""

    epochs_done: int
    new_losses: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    final: bool


class TrainingWorker(QObject):
    snapshotReady = Signal(object)  # TrainingSnapshot
    finished = Signal(object)  # TrainingOutcome

    REPORT_INTERVAL = 0.05
    """Seconds between snapshots: 20 a second animates smoothly and leaves the worker
    most of the time, since it pauses while the GUI draws each one."""
    DRAW_TIMEOUT = 1.0
    """Seconds to wait for the GUI to draw a snapshot before training on regardless."""
    YIELD_INTERVAL = 0.002
    """Seconds of training between two offers of the GIL to the GUI thread."""

    def __init__(self, plan: RunPlan) -> None:
        super().__init__()
        self._trainer = plan.trainer
        self._epochs = plan.epochs
        self._convergence_tolerance = plan.convergence_tolerance
        self._stop_flag = np.zeros(1, np.int8)
        """Read by the compiled kernel between updates: Stop acts within one update."""
        self._stop_requested = threading.Event()
        self._gui_ready = threading.Event()
        self._gui_ready.set()
        self._last_yield = 0.0

    def request_stop(self) -> None:
        """Thread-safe; the run ends at the next update."""
        self._stop_requested.set()
        self._stop_flag[0] = 1
        self._gui_ready.set()  # do not wait for a drawing that may never come

    def acknowledge(self) -> None:
        """Thread-safe; the GUI has drawn the last snapshot and can take another."""
        self._gui_ready.set()

    @Slot()
    def run(self) -> None:
        try:
            outcome = train(
                self._trainer,
                self._epochs,
                should_stop=self._should_stop,
                report=self._report,
                convergence_tolerance=self._convergence_tolerance,
                report_interval=self.REPORT_INTERVAL,
                stop_flag=self._stop_flag,
                wait_for_kernel=False,
            )
        except Exception as error:  # an engine bug must not kill the thread silently
            outcome = TrainingOutcome("error", 0, f"Training failed: {error}")
        self.finished.emit(outcome)

    def _should_stop(self) -> bool:
        """Polled between updates: offers the GIL now and then, and says whether to stop.

        Left alone, the training loop kept the GIL from the GUI thread for up to half a
        second at a time (measured with a 5 ms heartbeat timer); a ``sleep(0)`` every
        couple of milliseconds hands it over and costs well under 1% of the run.
        """
        now = time.perf_counter()
        if now - self._last_yield >= self.YIELD_INTERVAL:
            time.sleep(0)
            self._last_yield = now
        return self._stop_requested.is_set()

    def _report(self, progress: Progress) -> bool:
        waits_for_drawing = not progress.compiled  # the NumPy path holds the GIL while it trains
        if not progress.final and not waits_for_drawing and not self._gui_ready.is_set():
            return False  # the last snapshot is not on screen yet: train on, send these epochs later
        self._gui_ready.clear()
        weights, biases = self._trainer.network.get_parameters()
        self.snapshotReady.emit(
            TrainingSnapshot(progress.epochs_done, progress.new_losses, weights, biases, progress.final)
        )
        if not progress.final and waits_for_drawing:
            self._gui_ready.wait(self.DRAW_TIMEOUT)
        return True
