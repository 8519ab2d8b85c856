"""Runs ``engine.train`` in a worker thread and hands snapshots to the GUI.

Back-pressure: the worker sends the next snapshot only after the GUI has drawn
the last one (``acknowledge``), and at most ~30 a second. A Python worker holds
the GIL, so a flood of queued signals would starve the GUI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..engine import Trainer, TrainingOutcome, train
from ..engine.training import Progress


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

    def __init__(self, trainer: Trainer, epochs: int, convergence_tolerance: float | None = None) -> None:
        super().__init__()
        self._trainer = trainer
        self._epochs = epochs
        self._convergence_tolerance = convergence_tolerance
        self._stop_requested = threading.Event()
        self._gui_ready = threading.Event()
        self._gui_ready.set()

    def request_stop(self) -> None:
        """Thread-safe; the run ends at the next update."""
        self._stop_requested.set()

    def acknowledge(self) -> None:
        """Thread-safe; the GUI has drawn the last snapshot and can take another."""
        self._gui_ready.set()

    @Slot()
    def run(self) -> None:
        try:
            outcome = train(
                self._trainer,
                self._epochs,
                should_stop=self._stop_requested.is_set,
                report=self._report,
                convergence_tolerance=self._convergence_tolerance,
            )
        except Exception as error:  # an engine bug must not kill the thread silently
            outcome = TrainingOutcome("error", 0, f"Training failed: {error}")
        self.finished.emit(outcome)

    def _report(self, progress: Progress) -> bool:
        if not progress.final and not self._gui_ready.is_set():
            return False
        self._gui_ready.clear()
        weights, biases = self._trainer.network.get_parameters()
        self.snapshotReady.emit(
            TrainingSnapshot(progress.epochs_done, progress.new_losses, weights, biases, progress.final)
        )
        return True
