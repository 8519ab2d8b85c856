"""The state of one lesson: data, settings, network, loss history, and the training run.

Widgets read from here and listen to its signals; nothing else changes the
network. The network is only ever written on the GUI thread: a training run
works on a copy, and the GUI copies each snapshot back.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..engine import (
    CLASSIFICATION_DEFAULTS,
    REGRESSION_DEFAULTS,
    GradientComparison,
    LossHistory,
    Metrics,
    Network,
    StepRecord,
    Trainer,
    TrainingOutcome,
    TrainingSettings,
    check_gradients,
    classification_problem,
    evaluate,
    make_scaler,
)
from ..engine.scaling import Standardizer
from ..engine.trainer import TrainerPosition
from .dataset_model import DatasetModel
from .training_worker import TrainingSnapshot, TrainingWorker

FRAME_TIMEOUT_MS = 100
"""How long a snapshot waits to be painted before the worker goes on anyway."""


@dataclass(frozen=True)
class HistoryEntry:
    """One step or training run, with what it takes to undo it exactly."""

    record: StepRecord | None
    """The step's record; None for a training run."""
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    """The parameters before it."""
    history_length: int
    trainer: Trainer | None
    position: TrainerPosition | None
    """The trainer it used and where that trainer was before it."""
    settings: TrainingSettings
    column_names: tuple[str, ...]
    """The settings and the table's columns it ran with, to explain it later."""
    epochs: int = 0
    """Epochs a training run completed."""
    final_loss: float | None = None


class TrainingSession(QObject):
    parametersChanged = Signal()
    """The network's weights or biases changed (step, reset, training)."""
    historyChanged = Signal()
    stepped = Signal(object)
    """A StepRecord, after each Step."""
    settingsChanged = Signal()
    structureChanged = Signal()
    """The network was rebuilt with other layer sizes or inputs."""
    trainingChanged = Signal(bool)
    """A run started (True) or ended (False)."""
    trainingFinished = Signal(object)
    """The TrainingOutcome of a run."""
    runStarted = Signal(int)
    """A run of this many epochs started."""
    runProgress = Signal(int)
    """Epochs the running run has completed, after each snapshot."""
    message = Signal(str)
    stepLogChanged = Signal()
    """A step or run was added to the log or taken back, or the log was cleared."""

    def __init__(self, dataset: DatasetModel, settings: TrainingSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self._settings = settings or TrainingSettings()
        self.loss_history = LossHistory()
        self.network = self._settings.build_network(len(dataset.input_names))
        self.initial_parameters = self.network.get_parameters()
        """The weights and biases the network started from at the last reset or rebuild."""
        self.last_record: StepRecord | None = None
        self.step_log: list[HistoryEntry] = []
        """Every step and run since the last reset, oldest first; Back takes the last one back."""
        self._pending_run: HistoryEntry | None = None
        self._trainer: Trainer | None = None
        self._trainer_key = None
        self._scaler: Standardizer | None = None
        self._worker: TrainingWorker | None = None
        self._runs: dict[QThread, TrainingWorker] = {}
        """Every thread not yet finished, with its worker."""
        self._awaiting_frame = False
        self._frame_timeout = QTimer(self)
        self._frame_timeout.setSingleShot(True)
        self._frame_timeout.setInterval(FRAME_TIMEOUT_MS)
        self._frame_timeout.timeout.connect(self.frame_drawn)
        for changed in (dataset.dataChanged, dataset.rowsInserted, dataset.rowsRemoved, dataset.modelReset):
            changed.connect(self._invalidate_trainer)

    # -- settings --------------------------------------------------------
    @property
    def settings(self) -> TrainingSettings:
        return self._settings

    def update_settings(self, **changes) -> None:
        """Change settings; a new architecture rebuilds the network, the rest apply at the next step."""
        new = self._settings.replace(**changes)
        if new == self._settings:
            return
        old, self._settings = self._settings, new
        self._invalidate_trainer()
        if (old.hidden_layers, old.hidden_activation, old.output_activation) != (
            new.hidden_layers,
            new.hidden_activation,
            new.output_activation,
        ):
            self._rebuild_network()
        self.settingsChanged.emit()

    # -- actions ---------------------------------------------------------
    @property
    def is_training(self) -> bool:
        return self._worker is not None

    def scaler(self) -> Standardizer:
        """The input scaling in force, fitted to the table as it is now."""
        if self._scaler is None:
            self._scaler = make_scaler(self._settings.scaling, self.dataset.inputs())
        return self._scaler

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """ŷ for raw inputs in the table's units."""
        return self.network.predict(self.scaler().transform(np.atleast_2d(inputs)))

    def step(self, rows=None) -> StepRecord | None:
        """One update of gradient descent; returns its record, or None with a message."""
        if self.is_training:
            return None
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        entry = self._history_entry(trainer)
        record = trainer.step(rows)
        if not (self.network.all_parameters_finite() and math.isfinite(record.loss)):
            self.network.set_parameters(record.weights_before, record.biases_before)
            trainer.restore_position(entry.position)
            self.message.emit(
                "That step made a weight overflow, so it was undone. Try a lower learning rate, or standardise the inputs."
            )
            return None
        self.last_record = record
        self.step_log.append(replace(entry, record=record))
        self.stepLogChanged.emit()
        if record.epoch_loss is not None:
            self.loss_history.append(record.epoch_loss)
            self.historyChanged.emit()
        self.parametersChanged.emit()
        self.stepped.emit(record)
        return record

    def back(self) -> HistoryEntry | None:
        """Take back the last step or training run: every parameter, the loss history and the
        trainer's place in its epoch become exactly what they were before it."""
        if self.is_training or not self.step_log:
            return None
        entry = self.step_log.pop()
        self.network.set_parameters(entry.weights, entry.biases)
        self.loss_history.truncate(entry.history_length)
        if entry.trainer is not None and entry.trainer is self._trainer:
            self._trainer.restore_position(entry.position)
        earlier_steps = [e.record for e in self.step_log if e.record is not None]
        self.last_record = earlier_steps[-1] if earlier_steps else None
        self.stepLogChanged.emit()
        self.historyChanged.emit()
        self.parametersChanged.emit()
        return entry

    def choose_task(self, task: str) -> None:
        """Switch between regression and classification in one action, with that task's defaults
        (CLASSIFICATION_DEFAULTS: sigmoid output, binary cross-entropy); says so if the targets do not fit."""
        if task == self._settings.task:
            return
        self.update_settings(**(CLASSIFICATION_DEFAULTS if task == "classification" else REGRESSION_DEFAULTS))
        if task == "classification" and self.dataset.rowCount():
            problem = classification_problem(self.dataset.targets())
            if problem:
                self.message.emit(problem)

    def new_random_weights(self) -> int:
        """Draw a new seed and reset with it; returns the seed."""
        seed = secrets.randbelow(2**31)
        self.update_settings(seed=seed)
        self.reset()
        return seed

    def metrics(self) -> Metrics | None:
        """Loss, RMSE and R² (or accuracy) of the network on the whole table; None if it is empty."""
        if self.dataset.rowCount() == 0 or self.network.n_inputs != len(self.dataset.input_names):
            return None
        if self._settings.loss == "bce" and classification_problem(self.dataset.targets()):
            return None
        inputs = self.scaler().transform(self.dataset.inputs())
        return evaluate(self.network, inputs, self.dataset.targets(), self._settings.loss)

    def gradient_check(self, row: int | None = None) -> tuple[int, list[GradientComparison]] | None:
        """Backpropagation against central finite differences on one row (the row the next
        step would use, unless given); None with a message if there is nothing to check."""
        if self.is_training:
            return None
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        if row is None:
            row = int(trainer.next_rows()[0])
        return row, check_gradients(trainer, [row])

    def reset(self) -> None:
        """Re-initialise the weights with the chosen initialisation and seed; clear the history."""
        if self.is_training:
            return
        self.network.initialize(self._settings.init, self._settings.seed)
        self.initial_parameters = self.network.get_parameters()
        self._reset_progress()
        self.parametersChanged.emit()

    def restore(
        self,
        settings: TrainingSettings,
        weights=None,
        biases=None,
        initial_weights=None,
        initial_biases=None,
        history=(),
    ) -> None:
        """Put back a saved lesson for the table now in the dataset: settings, the network with
        its architecture and weights, the initial weights and the loss history. Without weights,
        the network starts afresh from the settings' initialisation and seed (File > New)."""
        if self.is_training:
            raise RuntimeError("stop training before restoring a session")
        n_outputs = len(biases[-1]) if biases is not None else 1
        network = settings.build_network(len(self.dataset.input_names), n_outputs)
        initial = network.copy()
        if weights is not None:
            # set_parameters checks every shape, before anything of ours has changed.
            network.set_parameters(weights, biases)
            if initial_weights is None:
                initial_weights, initial_biases = weights, biases
            initial.set_parameters(initial_weights, initial_biases)
        self._settings = settings
        self.network = network
        self.initial_parameters = initial.get_parameters()
        self._trainer = None
        self._scaler = None
        self.last_record = None
        self.step_log.clear()
        self.loss_history.clear()
        self.loss_history.extend(history)
        self.stepLogChanged.emit()
        self.settingsChanged.emit()
        self.structureChanged.emit()
        self.parametersChanged.emit()
        self.historyChanged.emit()

    def start_training(self) -> bool:
        if self.is_training:
            return False
        trainer = self._ensure_trainer()
        if trainer is None:
            return False
        self._pending_run = self._history_entry(trainer)
        # The run trains a private copy; the table and our network stay the GUI thread's.
        trainer.network = self.network.copy()
        worker = TrainingWorker(trainer, self._settings.epochs, self._settings.tolerance_in_force)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.snapshotReady.connect(self._on_snapshot)
        worker.finished.connect(self._on_finished)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        # The worker is not deleteLater()'d: Python owns it, and dropping our reference
        # while Qt deletes it in its own thread would delete it twice. It is released in
        # _on_thread_finished, on this thread, once its thread has stopped.
        self._worker = worker
        self._runs[thread] = worker
        thread.start()
        self.runStarted.emit(self._settings.epochs)
        self.trainingChanged.emit(True)
        return True

    def stop_training(self) -> None:
        if self._worker is not None:
            self._worker.request_stop()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop any run and wait for its thread; call before the window goes away."""
        self.stop_training()
        for thread in list(self._runs):
            thread.quit()
            thread.wait(timeout_ms)

    def running_threads(self) -> int:
        return sum(thread.isRunning() for thread in self._runs)

    # -- worker callbacks (GUI thread) -----------------------------------
    @Slot(object)
    def _on_snapshot(self, snapshot: TrainingSnapshot) -> None:
        self.network.set_parameters(snapshot.weights, snapshot.biases)
        if snapshot.new_losses.size:
            self.loss_history.extend(snapshot.new_losses)
            self.historyChanged.emit()
        self.parametersChanged.emit()
        self.runProgress.emit(snapshot.epochs_done)
        # The worker waits, with the GIL released, until this is on screen: painting
        # while it computes made every Qt call wait for the GIL.
        self._awaiting_frame = True
        self._frame_timeout.start()

    @Slot()
    def frame_drawn(self) -> None:
        """The window has painted: the worker may send the next snapshot.

        A window calls this after each repaint; if none comes (a minimised window,
        or no window at all), a timeout lets the worker go on.
        """
        if not self._awaiting_frame:
            return
        self._awaiting_frame = False
        self._frame_timeout.stop()
        if self._worker is not None:
            self._worker.acknowledge()

    @Slot(object)
    def _on_finished(self, outcome: TrainingOutcome) -> None:
        if self._trainer is not None:
            self._trainer.network = self.network
        self._worker = None
        run, self._pending_run = self._pending_run, None
        if run is not None:  # even a run stopped inside its first epoch has moved the weights
            final = float(self.loss_history.values[-1]) if len(self.loss_history) > run.history_length else None
            self.step_log.append(replace(run, epochs=outcome.epochs_run, final_loss=final))
            self.last_record = None
            self.stepLogChanged.emit()
        if self.network.n_inputs != len(self.dataset.input_names):
            self._rebuild_network()  # the table's columns changed during the run
        self.trainingChanged.emit(False)
        self.trainingFinished.emit(outcome)
        self.message.emit(outcome.message)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self.sender()
        self._runs.pop(thread, None)
        thread.deleteLater()

    # -- internals -------------------------------------------------------
    def _ensure_trainer(self) -> Trainer | None:
        if self._trainer is not None:
            return self._trainer
        if self.dataset.rowCount() == 0:
            self.message.emit("The table is empty: add at least one row to train on.")
            return None
        if self._settings.loss == "bce":
            problem = classification_problem(self.dataset.targets())
            if problem:
                self.message.emit(f"Cannot train: {problem}")
                return None
        try:
            self._trainer = self._settings.build_trainer(
                self.network, self.scaler().transform(self.dataset.inputs()), self.dataset.targets()
            )
        except ValueError as error:
            self.message.emit(f"Cannot train: {error}.")
            return None
        return self._trainer

    @Slot()
    def _invalidate_trainer(self, *args) -> None:
        """Data or settings changed: the next step builds a trainer from them."""
        self._trainer = None
        self._scaler = None
        if self.network.n_inputs != len(self.dataset.input_names):
            if self.is_training:
                # The columns changed under a run (an import undone): its network no longer
                # fits the table, so end the run; the network is rebuilt when it has finished.
                self.stop_training()
            else:
                self._rebuild_network()

    def _rebuild_network(self) -> None:
        self.network = self._settings.build_network(len(self.dataset.input_names))
        self.initial_parameters = self.network.get_parameters()
        self._reset_progress()
        self.structureChanged.emit()
        self.parametersChanged.emit()

    def _reset_progress(self) -> None:
        self._trainer = None
        self.last_record = None
        self.loss_history.clear()
        self.step_log.clear()
        self.historyChanged.emit()
        self.stepLogChanged.emit()

    def _history_entry(self, trainer: Trainer) -> HistoryEntry:
        weights, biases = self.network.get_parameters()
        return HistoryEntry(
            None,
            weights,
            biases,
            len(self.loss_history),
            trainer,
            trainer.position(),
            self._settings,
            tuple(self.dataset.column_names),
        )
