"""Training for many epochs, with the stopping rules and progress reports a GUI needs.

``train()`` knows nothing of Qt: it polls ``should_stop`` and hands progress to
``report``, so the same loop runs in the app's worker thread, in a benchmark
and in a notebook.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..notation import counted, format_number
from .trainer import EpochChecks, Trainer

#: Training stops as diverged when an epoch's loss grows past this multiple of a reference loss
#: (the larger of the run's first epoch and the loss of always predicting the mean target).
DIVERGENCE_FACTOR = 1e6
DIVERGED = "Training diverged at epoch {epoch}: the loss {how}. The weights from before that epoch are kept."
"""What a run that diverged says, in the app and in the code it exports (export/code_*.py)."""
NOT_FINITE, UNBOUNDED = "stopped being a finite number", "grew without bound"


def diverged_message(epoch: int, loss: float) -> str:
    return DIVERGED.format(epoch=epoch, how=NOT_FINITE if not math.isfinite(loss) else UNBOUNDED)


@dataclass(frozen=True)
class Progress:
    epochs_done: int
    """Epochs completed in this run so far."""
    new_losses: np.ndarray
    """Mean loss of each epoch completed since the previous accepted report."""
    final: bool
    new_validation_losses: np.ndarray | None = None
    """The same epochs' mean loss on the validation rows (None without validation rows)."""
    compiled: bool = False
    """Whether the last call trained on the compiled kernel (it releases the GIL) or the NumPy path."""


@dataclass(frozen=True)
class TrainingOutcome:
    reason: str
    """"completed", "stopped", "converged", "diverged" or "early_stopped"."""
    epochs_run: int
    message: str
    best_epoch: int | None = None
    """With early stopping: the epoch whose weights were kept (the trainer's epoch number)."""
    diverged_loss: float | None = None
    """When the run diverged: the mean loss of the epoch that diverged (not in the reported
    losses, since its weights are not kept; perhaps not finite)."""


ReportFn = Callable[[Progress], bool]

CALL_SECONDS = 0.005
"""How long one call of the training kernel should take: between calls train() polls
``should_stop``, reports and lets the GUI thread have the GIL, so a stop takes effect within
about this long (the issue's limit is 50 ms)."""
FIRST_CALL_UPDATES = 64
"""The first call's budget of updates, before the trainer's speed on this network is known."""


def constant_prediction_loss(trainer: Trainer) -> float:
    """The loss of always predicting the mean target: what a network that learnt nothing scores."""
    return trainer.loss.baseline(trainer.y)


def train(
    trainer: Trainer,
    epochs: int,
    *,
    should_stop: Callable[[], bool] | None = None,
    report: ReportFn | None = None,
    report_interval: float = 1 / 30,
    convergence_tolerance: float | None = None,
    divergence_factor: float = DIVERGENCE_FACTOR,
    stop_flag: np.ndarray | None = None,
    patience: int | None = None,
    wait_for_kernel: bool = True,
) -> TrainingOutcome:
    """Run up to ``epochs`` epochs.

    ``report`` is called at most once per ``report_interval`` seconds with the
    losses of the epochs finished since its last accepted call; it returns
    False to decline (for example while the GUI is still drawing the previous
    report), and those losses come again with the next call. It is always
    called once more at the end with ``final=True``, and must accept that one.

    The work is done by ``trainer.run_epochs`` in calls of about CALL_SECONDS each (with the
    compiled kernel, the GIL is released during a call). Stops early when ``should_stop()``,
    polled between calls, turns True, or at once when another thread sets ``stop_flag[0]``
    (an int8 array the kernel reads between updates); when no parameter moved by more than
    ``convergence_tolerance`` over an epoch; or when the loss stops being finite or grows past
    ``divergence_factor`` times the reference of DIVERGENCE_FACTOR: then the parameters from
    before that epoch are restored, so they are always finite. With validation rows and
    ``patience``, it stops once the validation loss has not improved on the run's best for
    ``patience`` epochs, and keeps the weights (and optimizer state) of that best epoch.

    Without ``wait_for_kernel`` the run never waits for the compiled kernel: until it is loaded
    (``warm_up`` elsewhere) the calls take the NumPy path, and the first call after it is loaded
    takes the kernel, from exactly where the run is (the same updates, to ~1e-12).
    """
    checks = EpochChecks(divergence_factor, constant_prediction_loss(trainer), convergence_tolerance, patience or None)
    validating = trainer.validation_rows.size > 0
    pending: list[np.ndarray] = []
    pending_validation: list[np.ndarray] = []
    last_report = time.perf_counter()
    epochs_done = 0
    compiled = False
    reason, message = "completed", f"Trained {counted(epochs, 'epoch')}."
    diverged_loss = None
    budget = FIRST_CALL_UPDATES
    per_epoch = trainer.steps_per_epoch

    while epochs_done < epochs:
        if should_stop is not None and should_stop():
            reason, message = "stopped", f"Stopped after {counted(epochs_done, 'epoch')}."
            break
        max_epochs = min(epochs - epochs_done, budget // per_epoch + 1)
        started = time.perf_counter()
        run = trainer.run_epochs(max_epochs, budget, stop_flag, checks, wait_for_kernel)
        compiled = run.compiled
        elapsed = time.perf_counter() - started
        if run.updates:
            # Size the next call to take about CALL_SECONDS at the speed just measured.
            budget = int(min(max(run.updates * CALL_SECONDS / max(elapsed, 1e-6), 1), 4 * budget + 64))
        losses = run.losses
        if validating:
            pending_validation.append(run.validation_losses if run.status != "diverged" else run.validation_losses[:-1])
        if run.status == "diverged":
            pending.append(losses[:-1])
            epochs_done += losses.size - 1
            reason = "diverged"
            loss = diverged_loss = float(losses[-1])
            # The remedies depend on the settings, which the caller knows (lesson/divergence_advice.py).
            message = diverged_message(trainer.epoch, loss)
            break
        pending.append(losses)
        epochs_done += losses.size
        if run.status == "converged":
            reason = "converged"
            message = (
                f"Converged at epoch {trainer.epoch:,}: no parameter changed by more than "
                f"{format_number(convergence_tolerance)} over an epoch."
            )
            break
        if run.status == "early_stopped":
            reason = "early_stopped"
            message = (
                f"Stopped early at epoch {trainer.epoch:,}: the validation loss had not improved for {patience:,} "
                f"epochs. The weights of epoch {checks.best_epoch:,}, with the lowest validation loss "
                f"({format_number(checks.best_loss)}), are kept."
            )
            break
        if run.status == "stopped":
            reason, message = "stopped", f"Stopped after {counted(epochs_done, 'epoch')}."
            break
        if report is not None and time.perf_counter() - last_report >= report_interval:
            if report(_progress(epochs_done, pending, pending_validation if validating else None, False, compiled)):
                pending, pending_validation = [], []
            last_report = time.perf_counter()

    if report is not None:
        report(_progress(epochs_done, pending, pending_validation if validating else None, True, compiled))
    best = checks.best_epoch if reason == "early_stopped" else None
    return TrainingOutcome(reason, epochs_done, message, best, diverged_loss)


def _progress(epochs_done: int, pending: list, pending_validation: list | None, final: bool, compiled: bool) -> Progress:
    def joined(parts):
        return np.concatenate(parts) if parts else np.empty(0)

    validation = None if pending_validation is None else joined(pending_validation)
    return Progress(epochs_done, joined(pending), final, validation, compiled)
