"""Whole epochs for ``Trainer.run_epochs``: the compiled kernel's call, and its NumPy twin.

Both take the same arrays in and out (``ints`` and ``floats`` as backprop_compiled names their
slots) and keep the same books: epoch losses, validation losses, the divergence, convergence and
early-stopping rules of ``EpochChecks``. The NumPy path runs backprop.py's functions, one
``train_step`` per update, so it gives the floats of ``Trainer.step()`` bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
import numpy as np

from ..compiled import backprop_compiled
from ..backprop import train_step
from ..compiled.backprop_compiled import (
    ACTIVATION_CODES,
    BEGUN,
    BEST_EPOCH,
    BEST_LOSS,
    BEST_T,
    EPOCH_BASE,
    EPOCHS_DONE,
    LOSS_SUM,
    NEXT_BATCH,
    REFERENCE,
    SINCE_BEST,
    STATUS,
    STATUS_CONVERGED,
    STATUS_DIVERGED,
    STATUS_DONE,
    STATUS_EARLY_STOPPED,
    STATUS_STOPPED,
    T,
    UPDATES,
    flatten,
    unflatten,
)
from ..optimizers import OptimizerState

Trainer = "trainer.Trainer"
"""The functions here take a ``trainer.Trainer``; it is not imported, since the trainer imports them."""


@dataclass
class EpochChecks:
    """train()'s rules at the end of every epoch, carried from one ``run_epochs`` call to the next.

    An epoch whose loss is not finite, leaves a parameter that is not finite, or whose loss is
    above ``divergence_factor`` × the reference (the larger of the run's first epoch loss and
    ``baseline``) diverged: the parameters (and optimizer state) from before it are put back. An
    epoch that moved no parameter by more than ``tolerance`` converged (no such check when
    tolerance is None). With ``patience`` and validation rows, a run whose validation loss has not
    improved on its best for ``patience`` epochs stops early with the best epoch's parameters
    and optimizer state put back.
    """

    divergence_factor: float
    baseline: float
    tolerance: float | None = None
    patience: int | None = None
    reference: float = math.nan
    """Set by the run's first epoch."""
    before: np.ndarray | None = None
    """The flat parameters as the current epoch began (backprop_compiled.flatten)."""
    before_state: np.ndarray | None = None
    """The optimizer's (3, n) state as the current epoch began."""
    best_loss: float = math.nan
    """The lowest validation loss of the run so far."""
    best_epoch: int = 0
    """The trainer's epoch number with that loss (0: none yet)."""
    since_best: int = 0
    best_t: int = 0
    best_params: np.ndarray | None = None
    best_state: np.ndarray | None = None

    def prepare(self, n_parameters: int) -> None:
        """Buffers for a network of ``n_parameters`` (made again if the network changed)."""
        if self.before is None or self.before.shape != (n_parameters,):
            self.before = np.zeros(n_parameters)
            self.before_state = np.zeros((3, n_parameters))
            self.best_params = np.zeros(n_parameters)
            self.best_state = np.zeros((3, n_parameters))
            self.best_loss, self.best_epoch, self.since_best = math.nan, 0, 0


@dataclass(frozen=True)
class EpochsRun:
    """What one ``Trainer.run_epochs`` call did."""

    losses: np.ndarray
    """The mean loss of each epoch it completed (a diverged epoch's included, last)."""
    status: str
    """"done", "stopped", "converged", "diverged" or "early_stopped"."""
    updates: int
    validation_losses: np.ndarray | None = None
    """Each completed epoch's mean loss on the validation rows (None without validation rows)."""
    compiled: bool = False
    """Whether the compiled kernel made these updates (else the NumPy path did)."""


def _check_arrays(checks: EpochChecks | None, n_parameters: int):
    if checks is None:
        return np.empty(0), np.empty((3, 0)), np.empty(0), np.empty((3, 0))
    checks.prepare(n_parameters)
    return checks.before, checks.before_state, checks.best_params, checks.best_state


def run_compiled(trainer: "Trainer", random, max_epochs, max_updates, ints, floats, epoch_losses,
                 val_losses, stop_flag, checks: EpochChecks | None, wait: bool = True) -> np.ndarray | None:  # fmt: skip
    """The compiled kernel's call; returns the order of the epoch the run ended in. The trainer's
    own order array is only read (a saved position may hold it): a new epoch's order goes into a
    new array. Without ``wait``, when the kernel is not loaded yet (or not for these types),
    returns None at once having changed nothing: the caller runs the NumPy path instead."""
    if not wait and not backprop_compiled.kernel_loaded():
        return None
    order = np.ascontiguousarray(trainer._epoch_order, dtype=np.int64)
    next_order = np.empty_like(order)
    network = trainer.network
    state = trainer.optimizer_state
    params = flatten(network.weights, network.biases)
    stacked = state.stacked()
    before, before_state, best_params, best_state = _check_arrays(checks, params.size)
    Xv, yv = trainer.validation_data()
    arguments = (
        params,
        np.array(network.layer_sizes, np.int64),
        np.array([ACTIVATION_CODES[a.name] for a in network.activations], np.int64),
        int(trainer.loss.code),
        float(trainer.learning_rate),
        int(trainer.rule.code),
        trainer.rule.constants(),
        stacked,
        np.ascontiguousarray(trainer.X, dtype=np.float64),
        np.ascontiguousarray(trainer.y, dtype=np.float64),
        order,
        next_order,
        random,
        trainer._rng,
        np.ascontiguousarray(trainer.train_rows, dtype=np.int64),
        bool(trainer.validation_rows.size > 0),
        int(trainer.batch_size),
        int(max_epochs),
        int(max_updates),
        ints,
        floats,
        epoch_losses,
        before,
        stop_flag,
        checks is not None,
        -1.0 if checks is None or checks.tolerance is None else float(checks.tolerance),
        math.inf if checks is None else float(checks.divergence_factor),
        0.0 if checks is None else float(checks.baseline),
        np.ascontiguousarray(Xv, dtype=np.float64),
        np.ascontiguousarray(yv, dtype=np.float64),
        val_losses,
        -1 if checks is None or not checks.patience else int(checks.patience),
        before_state,
        best_params,
        best_state,
        trainer.frozen_parameters.flat,
        backprop_compiled.blocks_argument(int(trainer.batch_size), int(Xv.shape[0])),
    )  # fmt: skip
    if wait:
        backprop_compiled.run_epochs_compiled(*arguments)
    elif not backprop_compiled.run_epochs_if_ready(*arguments, fitted=trainer.__dict__.setdefault("_kernel_fitted", [None])):
        return None
    unflatten(params, network.weights, network.biases)
    state.unstack(stacked)
    state.t = int(ints[T])
    return next_order if ints[BEGUN] else order  # next_order holds the order of the epoch begun


def run_readable(trainer: "Trainer", random, max_epochs, max_updates, ints, floats, epoch_losses,
                 val_losses, stop_flag, checks: EpochChecks | None) -> np.ndarray:  # fmt: skip
    """The NumPy path: backprop.train_step per update, the floats of step() bit for bit;
    the same bookkeeping as the compiled kernel's (compiled_kernel.run_epochs), and like it,
    each later epoch's order drawn just before its first update. Returns the order of the
    epoch the run ended in (the trainer's own array while that is still the first one, so the
    rows gathered in its order are not gathered again)."""
    network = trainer.network
    weights, biases, activations = network.weights, network.biases, network.activations
    state = trainer.optimizer_state
    frozen = trainer.frozen_parameters
    n_batches = trainer.steps_per_epoch
    next_batch, loss_sum = int(ints[NEXT_BATCH]), float(floats[LOSS_SUM])
    done = updates = 0
    status = STATUS_DONE
    n_parameters = network.n_parameters
    _check_arrays(checks, n_parameters)
    state_before = OptimizerState(n_parameters)
    has_validation = trainer.validation_rows.size > 0
    current = trainer._epoch_order
    X, y = trainer._rows_in_order(current)
    begun = 0
    for epoch in range(max_epochs):
        needs_order = epoch > 0  # a new epoch, begun at its first update
        if next_batch == 0 and checks is not None:
            flatten(weights, biases, out=checks.before)
            state_before.restore(state)
        while next_batch < n_batches:
            if updates >= max_updates:
                break
            if stop_flag[0]:
                status = STATUS_STOPPED
                break
            if needs_order:
                current = trainer._draw_order() if random else trainer.train_rows.copy()
                X, y = trainer._rows_in_order(current)
                needs_order, begun = False, 1
            start = trainer._batch_starts[next_batch]
            stop = start + trainer.batch_size
            held = frozen.hold(weights, biases, state) if frozen else None
            _, gradients = train_step(weights, biases, activations, trainer.loss, trainer.learning_rate,
                                      X[start:stop], y[start:stop], trainer.rule, state)  # fmt: skip
            if held is not None:
                frozen.restore(held, weights, biases, state)
            loss_sum += gradients.loss
            next_batch += 1
            updates += 1
        if next_batch < n_batches:
            break
        epoch_loss = loss_sum / n_batches
        epoch_losses[done] = epoch_loss
        if has_validation:
            val_losses[done] = trainer.validation_loss()
        done += 1
        next_batch, loss_sum, begun = 0, 0.0, 0
        if checks is not None:
            status = _end_of_epoch(trainer, checks, epoch_loss, float(val_losses[done - 1]) if has_validation else None,
                                   state_before, trainer.epoch + done)  # fmt: skip
            floats[REFERENCE] = checks.reference
        if status != STATUS_DONE:
            break
    ints[NEXT_BATCH], ints[EPOCHS_DONE], ints[UPDATES], ints[STATUS] = next_batch, done, updates, status
    ints[BEGUN] = begun
    ints[T] = state.t
    floats[LOSS_SUM] = loss_sum
    if checks is not None:
        floats[BEST_LOSS], ints[BEST_EPOCH], ints[SINCE_BEST], ints[BEST_T] = (
            checks.best_loss, checks.best_epoch, checks.since_best, checks.best_t
        )  # fmt: skip
    return current


def _end_of_epoch(trainer: "Trainer", checks: EpochChecks, epoch_loss: float, validation_loss: float | None,
                  state_before: OptimizerState, epoch_number: int) -> int:  # fmt: skip
    """The rules of EpochChecks after a completed epoch; the status they give."""
    network = trainer.network
    weights, biases = network.weights, network.biases
    state = trainer.optimizer_state
    if math.isnan(checks.reference):
        checks.reference = max(epoch_loss, checks.baseline)
    params = flatten(weights, biases)
    if not math.isfinite(epoch_loss) or not np.isfinite(params).all() or (
        epoch_loss > checks.divergence_factor * checks.reference and epoch_loss > 0
    ):
        unflatten(checks.before, weights, biases)
        state.restore(state_before)
        return STATUS_DIVERGED
    if checks.tolerance is not None and float(np.max(np.abs(params - checks.before))) <= checks.tolerance:
        return STATUS_CONVERGED
    if checks.patience and validation_loss is not None:
        if math.isnan(checks.best_loss) or validation_loss < checks.best_loss:
            checks.best_loss, checks.best_epoch, checks.since_best, checks.best_t = validation_loss, epoch_number, 0, state.t
            checks.best_params[:] = params
            checks.best_state[...] = state.stacked()
        else:
            checks.since_best += 1
            if checks.since_best >= checks.patience:
                unflatten(checks.best_params, weights, biases)
                state.unstack(checks.best_state)
                state.t = checks.best_t
                return STATUS_EARLY_STOPPED
    return STATUS_DONE


def carry_checks_in(checks: EpochChecks | None, trainer: "Trainer", ints: np.ndarray, floats: np.ndarray) -> None:
    """What the kernel reads of ``checks`` between calls, into its ints and floats."""
    ints[T] = trainer.optimizer_state.t
    ints[EPOCH_BASE] = trainer.epoch
    if checks is not None:
        floats[REFERENCE] = checks.reference
        floats[BEST_LOSS] = checks.best_loss
        ints[BEST_EPOCH], ints[SINCE_BEST], ints[BEST_T] = checks.best_epoch, checks.since_best, checks.best_t


def carry_checks_out(checks: EpochChecks | None, ints: np.ndarray, floats: np.ndarray) -> None:
    if checks is not None:
        checks.reference = float(floats[REFERENCE])
        checks.best_loss = float(floats[BEST_LOSS])
        checks.best_epoch, checks.since_best, checks.best_t = int(ints[BEST_EPOCH]), int(ints[SINCE_BEST]), int(ints[BEST_T])
