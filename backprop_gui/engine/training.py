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

from .trainer import Trainer

#: Training stops as diverged when an epoch's loss grows past this multiple of a reference loss
#: (the larger of the run's first epoch and the loss of always predicting the mean target).
DIVERGENCE_FACTOR = 1e6


@dataclass(frozen=True)
class Progress:
    epochs_done: int
    """Epochs completed in this run so far."""
    new_losses: np.ndarray
    """Mean loss of each epoch completed since the previous accepted report."""
    final: bool


@dataclass(frozen=True)
class TrainingOutcome:
    reason: str
    """"completed", "stopped", "converged" or "diverged"."""
    epochs_run: int
    message: str


ReportFn = Callable[[Progress], bool]


def constant_prediction_loss(trainer: Trainer) -> float:
    """The loss of always predicting the mean target: what a network that learnt nothing scores."""
    y = trainer.y
    mean = y.mean(axis=0)
    if trainer.loss == "bce":
        p = np.clip(mean, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float(np.mean((y - mean) ** 2))


def train(
    trainer: Trainer,
    epochs: int,
    *,
    should_stop: Callable[[], bool] | None = None,
    report: ReportFn | None = None,
    report_interval: float = 1 / 30,
    convergence_tolerance: float | None = None,
    divergence_factor: float = DIVERGENCE_FACTOR,
) -> TrainingOutcome:
    """Run up to ``epochs`` epochs.

    ``report`` is called at most once per ``report_interval`` seconds with the
    losses of the epochs finished since its last accepted call; it returns
    False to decline (for example while the GUI is still drawing the previous
    report), and those losses come again with the next call. It is always
    called once more at the end with ``final=True``, and must accept that one.

    Stops early when ``should_stop()`` turns True (checked between updates),
    when no parameter moved by more than ``convergence_tolerance`` over an
    epoch, or when the loss stops being finite or grows past
    ``divergence_factor`` times the reference of DIVERGENCE_FACTOR: then the parameters from
    before that epoch are restored, so they are always finite.
    """
    network = trainer.network
    parameters = network.weights + network.biases
    before_epoch = [p.copy() for p in parameters]
    pending: list[float] = []
    reference: float | None = None
    last_report = time.perf_counter()
    epochs_done = 0
    reason, message = "completed", f"Trained {epochs} epochs."

    while epochs_done < epochs:
        for saved, live in zip(before_epoch, parameters):
            np.copyto(saved, live)
        loss = trainer.run_epoch(should_stop)
        if loss is None:
            reason, message = "stopped", f"Stopped after {epochs_done} epochs."
            break
        if reference is None:
            # Against the first epoch alone, a run that starts well trained (a tiny loss)
            # would call any small wobble divergence; the mean-predictor loss bounds it below.
            reference = max(loss, constant_prediction_loss(trainer))
        if not math.isfinite(loss) or not network.all_parameters_finite() or (
            loss > divergence_factor * reference and loss > 0
        ):
            for saved, live in zip(before_epoch, parameters):
                np.copyto(live, saved)
            reason = "diverged"
            message = (
                f"Training diverged at epoch {trainer.epoch}: the loss "
                + ("stopped being a finite number" if not math.isfinite(loss) else "grew without bound")
                + ". The weights from before that epoch are kept. "
                "Try a lower learning rate, or standardise the inputs."
            )
            break
        epochs_done += 1
        pending.append(loss)
        if convergence_tolerance is not None:
            largest_change = max(float(np.max(np.abs(live - saved))) for live, saved in zip(parameters, before_epoch))
            if largest_change <= convergence_tolerance:
                reason = "converged"
                message = (
                    f"Converged at epoch {trainer.epoch}: no parameter changed by more than "
                    f"{convergence_tolerance:g} over an epoch."
                )
                break
        if should_stop is not None and should_stop():
            reason, message = "stopped", f"Stopped after {epochs_done} epochs."
            break
        if report is not None and time.perf_counter() - last_report >= report_interval:
            if report(Progress(epochs_done, np.array(pending), final=False)):
                pending = []
            last_report = time.perf_counter()

    if report is not None:
        report(Progress(epochs_done, np.array(pending), final=True))
    return TrainingOutcome(reason, epochs_done, message)
