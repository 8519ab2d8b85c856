"""Training runs of a lesson: begun, fed their progress, finished — by the app's worker thread, or
synchronously by ``train``. A part of ``Lesson`` (lesson.py) kept in its own file."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..engine import Trainer, TrainingOutcome, train
from ..engine.training.train_loop import Progress
from ..engine.divergence import DivergenceTrial, learning_rate_to_try
from .divergence_advice import advice


@dataclass
class RunPlan:
    """What a training run needs: a trainer on a private copy of the network, and how long to run."""

    trainer: Trainer
    epochs: int
    convergence_tolerance: float | None
    patience: int | None = None
    """Early stopping on the validation loss (None: off); pass it to ``train``."""


class Runs:
    """``Lesson`` supplies the network, histories, step log, events and the rest."""

    _run_validation_read = 0
    _diverged = None
    """(the log entry of the last run, its message) when that run diverged."""
    diverged_epoch: int | None = None
    """The epoch (1-based, the last of the loss history) whose loss blew up in the last run: kept in
    the history so the plot shows the rise, though its weights were not kept; dropped when training
    goes on from the weights kept."""
    last_outcome: TrainingOutcome | None = None
    """How the last training run ended (a guided lesson waits for "diverged")."""

    # -- training ------------------------------------------------------------
    def begin_run(self, epochs: int | None = None) -> RunPlan | None:
        """Start a run: a trainer on a private copy of the network. None, with a message, if it cannot."""
        if self.is_running:
            return None
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        self._drop_diverged_point()
        self._run = self._entry("run", trainer)
        self._run_validation_read = len(trainer.validation_log)
        trainer.network = self.network.copy()
        self.running_changed.emit(True)
        settings = self._settings
        return RunPlan(trainer, epochs or settings.epochs, settings.tolerance_in_force, settings.patience_in_force)

    def apply_progress(self, weights, biases, new_losses, new_validation_losses=None) -> None:
        """A run's progress: its parameters now and the mean losses of the epochs since the last.

        The validation losses of those epochs, unless given, are read from the run's trainer,
        which logs them as it goes (``Trainer.validation_log``)."""
        self.network.set_parameters(weights, biases)
        if len(new_losses):
            if new_validation_losses is None:
                new_validation_losses = self._run_validation_losses(len(new_losses))
            self.loss_history.extend(new_losses)
            self.validation_history.extend(new_validation_losses)
            self.history_changed.emit()
        self.parameters_changed.emit()

    def _run_validation_losses(self, count: int) -> np.ndarray:
        trainer = self._trainer
        if trainer is None or not trainer.validation_rows.size:
            return np.full(count, math.nan)
        start = self._run_validation_read
        self._run_validation_read = start + count
        return trainer.validation_log.values[start : start + count].copy()

    def finish_run(self, outcome: TrainingOutcome) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        self.last_outcome = outcome
        if self._trainer is not None:
            self._trainer.network = self.network
        # Even a run stopped inside its first epoch has moved the weights: it goes in the log.
        final = float(self.loss_history.values[-1]) if len(self.loss_history) > run.history_length else None
        self.step_log.append(replace(run, epochs=outcome.epochs_run, final_loss=final))
        self.last_record = None
        message = outcome.message
        diverged = getattr(outcome, "reason", None) == "diverged"
        self._diverged = (self.step_log[-1], outcome.message) if diverged else None
        if diverged:
            self._keep_diverged_point(outcome.diverged_loss)
            message += " " + advice(self._settings, None, None, searching=True)
        if self.network.n_inputs != len(self.table.input_names):
            self._rebuild()  # the table's columns changed during the run
        self.step_log_changed.emit()
        self.running_changed.emit(False)
        self.message.emit(message)

    # -- a divergence ------------------------------------------------------------
    def _keep_diverged_point(self, loss: float | None) -> None:
        """The diverged epoch's loss at the end of the history (if finite), so the rise shows."""
        if loss is None or not math.isfinite(loss):
            return
        self.loss_history.append(loss)
        self.validation_history.append(math.nan)
        self.diverged_epoch = len(self.loss_history)
        self.history_changed.emit()

    def _drop_diverged_point(self) -> None:
        """Training goes on from the weights kept, from before the diverged epoch: its loss goes."""
        if self.diverged_epoch is not None and self.diverged_epoch == len(self.loss_history):
            self.loss_history.truncate(self.diverged_epoch - 1)
            self.validation_history.truncate(self.diverged_epoch - 1)
            self.history_changed.emit()
        self.diverged_epoch = None

    def divergence_trial(self) -> DivergenceTrial | None:
        """A trial for ``learning_rate_to_try`` after the last run diverged: from the weights the
        run started from, as many epochs as it took to diverge; None if the last entry is no such run."""
        run = self.step_log[-1] if self.step_log else None
        if self._diverged is None or run is not self._diverged[0] or self._trainer is None:
            return None
        trainer = self._trainer
        rows = np.setdiff1d(np.arange(trainer.n_rows), trainer.validation_rows)
        settings = self._settings.replace(validation_percent=0, patience=0)  # the rows it trained on
        return DivergenceTrial.make(settings, run.weights, run.biases, trainer.X[rows], trainer.y[rows], run.epochs + 1)

    def advise_after_divergence(self, rate: float | None, trial: DivergenceTrial) -> str:
        """The full advice once the trial is done, said as a message; returns it."""
        text = advice(self._settings, rate, trial.epochs)
        if self._diverged is not None:
            text = f"{self._diverged[1]} {text}"
        self.message.emit(text)
        return text

    def train(self, epochs: int | None = None) -> TrainingOutcome | None:
        """Train here, synchronously (a notebook, a test, a script); None, with a message, if it cannot."""
        plan = self.begin_run(epochs)
        if plan is None:
            return None

        def report(progress: Progress) -> bool:
            self.apply_progress(*plan.trainer.network.get_parameters(), progress.new_losses)
            return True

        outcome = train(plan.trainer, plan.epochs, report=report, convergence_tolerance=plan.convergence_tolerance,
                        patience=plan.patience)  # fmt: skip
        self.finish_run(outcome)
        trial = self.divergence_trial() if outcome.reason == "diverged" else None
        if trial is not None:  # here, synchronously; the app runs it on a thread of its own
            self.advise_after_divergence(learning_rate_to_try(trial), trial)
        return outcome
