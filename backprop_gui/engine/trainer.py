"""Gradient descent on a Network, one update at a time, by the notes' rule.

For every weight and bias: w_new = w_old - η·∂L/∂w, with the gradients found
by the chain rule from the output layer back to the first (the delta rule of
seed 004: δ_k = (δ_(k+1) · W_(k+1)ᵀ) ⊙ f'(z_k)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from . import backprop_compiled
from .backprop import ForwardPass, Gradients, backward_pass, forward_pass, train_step, update
from .backprop_compiled import (
    ACTIVATION_CODES,
    EPOCHS_DONE,
    LOSS_SUM,
    NEXT_BATCH,
    REFERENCE,
    STATUS,
    STATUS_CONVERGED,
    STATUS_DIVERGED,
    STATUS_DONE,
    STATUS_NAMES,
    STATUS_STOPPED,
    UPDATES,
    flatten,
    unflatten,
)
from .losses import Loss, get_loss
from .network import Network
from .step_record import StepRecord

MODES = ("sgd", "minibatch", "batch")
ORDERS = ("sequential", "random")
STOP_POLL_STEPS = 32
"""run_epoch asks should_stop() once per this many updates (well under a millisecond)."""

__all__ = ["MODES", "ORDERS", "STOP_POLL_STEPS", "EpochChecks", "EpochsRun", "StepRecord", "Trainer", "TrainerPosition"]


@dataclass
class EpochChecks:
    """train()'s rules at the end of every epoch, carried from one ``run_epochs`` call to the next.

    An epoch whose loss is not finite, leaves a parameter that is not finite, or whose loss is
    above ``divergence_factor`` × the reference (the larger of the run's first epoch loss and
    ``baseline``) diverged: the parameters from before it are put back. An epoch that moved no
    parameter by more than ``tolerance`` converged (no such check when tolerance is None).
    """

    divergence_factor: float
    baseline: float
    tolerance: float | None = None
    reference: float = math.nan
    """Set by the run's first epoch."""
    before: np.ndarray | None = None
    """The flat parameters as the current epoch began (backprop_compiled.flatten)."""


@dataclass(frozen=True)
class EpochsRun:
    """What one ``Trainer.run_epochs`` call did."""

    losses: np.ndarray
    """The mean loss of each epoch it completed (a diverged epoch's included, last)."""
    status: str
    """"done", "stopped", "converged" or "diverged"."""
    updates: int


@dataclass(frozen=True)
class TrainerPosition:
    """Where a trainer is in its run, so going back a step can put it there again exactly.

    The epoch's row order is shared, not copied: the trainer never changes an order array
    in place, so positions within one epoch cost a few numbers each.
    """

    epoch: int
    steps: int
    epoch_order: np.ndarray | None
    next_batch: int
    epoch_loss_sum: float
    rng_state: dict


class Trainer:
    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        y: np.ndarray,
        learning_rate: float,
        loss: str | Loss = "mse",
        mode: str = "sgd",
        order: str = "sequential",
        seed: int = 0,
        batch_size: int = 1,
    ) -> None:
        X = np.array(X, dtype=float, ndmin=2)  # a private copy: later edits to the caller's data do not leak in
        y = np.array(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if X.shape[0] == 0:
            raise ValueError("there are no rows to train on")
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
        if X.shape[1] != network.n_inputs or y.shape[1] != network.n_outputs:
            raise ValueError(
                f"data has {X.shape[1]} inputs and {y.shape[1]} outputs; "
                f"the network expects {network.n_inputs} and {network.n_outputs}"
            )
        if not (np.isfinite(X).all() and np.isfinite(y).all()):
            raise ValueError("the data holds a value that is not a finite number")
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, got {learning_rate}")
        loss = get_loss(loss)
        if loss.required_output is not None and network.output_activation.name != loss.required_output:
            raise ValueError(f"{loss.formula} needs a {loss.required_output} output activation")
        problem = loss.targets_problem(y)
        if problem:
            raise ValueError(problem)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {MODES}")
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; choose one of {ORDERS}")
        n_rows = X.shape[0]
        if mode == "sgd":
            batch_size = 1
        elif mode == "batch":
            batch_size = n_rows
        elif not 1 <= int(batch_size):
            raise ValueError(f"batch size must be at least 1, got {batch_size}")

        self.network = network
        self.X = X
        self.y = y
        self.learning_rate = float(learning_rate)
        self.loss = loss
        """The Loss object (losses.py); ``loss_name`` is its name, as settings store it."""
        self.mode = mode
        self.order = order
        self.seed = int(seed)
        self.batch_size = min(int(batch_size), n_rows)
        self._rng = np.random.default_rng(self.seed)
        self.epoch = 0
        """Completed epochs."""
        self.steps = 0
        """Updates made."""
        self._batch_starts = range(0, n_rows, self.batch_size)
        self._epoch_order: np.ndarray | None = None  # None: the next step starts a new epoch
        self._epoch_rows: tuple | None = None
        """(order, X and y gathered in that order), made when a step needs them."""
        self._next_batch = 0
        self._epoch_loss_sum = 0.0

    @property
    def loss_name(self) -> str:
        """"mse" or "bce", the name settings and session files store."""
        return self.loss.name

    @property
    def n_rows(self) -> int:
        return self.X.shape[0]

    @property
    def steps_per_epoch(self) -> int:
        return len(self._batch_starts)

    @property
    def epoch_in_progress(self) -> bool:
        return self._epoch_order is not None

    @property
    def compiled(self) -> bool:
        """Whether run_epoch and run_epochs use the compiled kernel (backprop_compiled.py)."""
        return backprop_compiled.jit_available()

    def next_rows(self) -> np.ndarray:
        """The 0-based rows the next ``step()`` will use."""
        if self._epoch_order is None:
            self._start_epoch()
        start = self._batch_starts[self._next_batch]
        return self._epoch_order[start : start + self.batch_size].copy()

    def position(self) -> TrainerPosition:
        return TrainerPosition(
            self.epoch, self.steps, self._epoch_order, self._next_batch, self._epoch_loss_sum, self._rng.bit_generator.state
        )

    def restore_position(self, position: TrainerPosition) -> None:
        """Go back (or forward) to a position this trainer was at; the parameters are the network's business."""
        self._epoch_order = position.epoch_order
        self.epoch = position.epoch
        self.steps = position.steps
        self._next_batch = position.next_batch
        self._epoch_loss_sum = position.epoch_loss_sum
        self._rng.bit_generator.state = position.rng_state

    # -- training --------------------------------------------------------
    def step(self, rows: Sequence[int] | None = None) -> StepRecord:
        """One update, returning everything it computed (backprop.py's three functions).

        Without ``rows`` the step takes the next batch in the trainer's order.
        With ``rows`` it trains on exactly those rows, outside the epoch order.
        """
        weights_before, biases_before = self.network.get_parameters()
        in_order = rows is None
        if in_order:
            rows = self.next_rows()
            inputs, targets = self._batch(self._next_batch)
        else:
            rows = np.asarray(rows, dtype=int).reshape(-1)
            inputs, targets = self.X[rows], self.y[rows]
        epoch_number = self.epoch + 1
        with np.errstate(over="ignore", invalid="ignore"):
            forward, gradients = self._compute(inputs, targets)
            self._apply(gradients.weight_grads, gradients.bias_grads)
        self.steps += 1
        epoch_loss = self._count_step(gradients.loss) if in_order else None
        weights_after, biases_after = self.network.get_parameters()
        return StepRecord(
            epoch=epoch_number,
            step=self.steps,
            rows=rows,
            inputs=inputs.copy(),
            targets=targets.copy(),
            z=[z.copy() for z in forward.z],
            outputs=[o.copy() for o in forward.outputs],
            y_hat=forward.y_hat.copy(),
            loss=gradients.loss,
            dloss_dyhat=gradients.dloss_dyhat,
            deltas=gradients.deltas,
            weight_grads=gradients.weight_grads,
            bias_grads=gradients.bias_grads,
            weights_before=weights_before,
            biases_before=biases_before,
            weights_after=weights_after,
            biases_after=biases_after,
            learning_rate=self.learning_rate,
            epoch_loss=epoch_loss,
        )

    def run_epoch(self, should_stop: Callable[[], bool] | None = None) -> float | None:
        """Finish the current epoch (or run a whole new one) and return its mean loss.

        ``should_stop`` is polled every ``STOP_POLL_STEPS`` updates; when it
        returns True the epoch is abandoned part-way and None is returned.

        The updates are those of calling ``step()`` for each: computed by the compiled kernel
        (to within ~1e-12 relative) when ``compiled``, else by backprop.py itself (bit for bit).
        """
        if self._epoch_order is None:
            self._start_epoch()
        n_batches = len(self._batch_starts)
        index = self._next_batch
        while True:
            if should_stop is None:
                budget = n_batches - index
            else:
                # Polled every STOP_POLL_STEPS updates: a Python call per update costs ~20%.
                if index % STOP_POLL_STEPS == 0 and should_stop():
                    return None
                budget = min(n_batches, index - index % STOP_POLL_STEPS + STOP_POLL_STEPS) - index
            run = self.run_epochs(1, budget)
            if run.losses.size:
                return float(run.losses[0])
            index = self._next_batch

    def run_epochs(
        self,
        max_epochs: int,
        max_updates: int | None = None,
        stop_flag: np.ndarray | None = None,
        checks: EpochChecks | None = None,
    ) -> EpochsRun:
        """Train until ``max_epochs`` epochs are complete (finishing the current one counts as the
        first), ``max_updates`` updates are made, ``stop_flag[0]`` (an int8 array another thread
        may set) turns non-zero, or an epoch ``checks`` rules on ends the run.

        The trainer's position (epoch, steps, the current epoch's order and progress, the random
        generator) afterwards is exactly that of the same updates made by ``step()``, so a run
        stopped anywhere goes on, or is taken back, like steps. Random orders are drawn here,
        ``self._rng.permutation(n)`` per epoch as ``step()`` draws them, before the kernel runs.
        """
        max_epochs = max(1, int(max_epochs))
        max_updates = np.iinfo(np.int64).max if max_updates is None else max(0, int(max_updates))
        if self._epoch_order is None:
            self._start_epoch()
        random = self.order == "random"
        if random:
            state_after_first = self._rng.bit_generator.state
            orders = np.empty((max_epochs, self.n_rows), np.int64)
            orders[0] = self._epoch_order
            for e in range(1, max_epochs):
                orders[e] = self._rng.permutation(self.n_rows)
        else:
            orders = np.arange(self.n_rows, dtype=np.int64)[None, :]
        if stop_flag is None:
            stop_flag = np.zeros(1, np.int8)
        ints = np.array([self._next_batch, 0, 0, STATUS_DONE], np.int64)
        floats = np.array([self._epoch_loss_sum, math.nan if checks is None else checks.reference])
        epoch_losses = np.empty(max_epochs)
        runner = self._run_compiled if self.compiled else self._run_readable
        with np.errstate(over="ignore", invalid="ignore"):
            runner(orders, random, max_epochs, max_updates, ints, floats, epoch_losses, stop_flag, checks)

        done, next_batch, updates = int(ints[EPOCHS_DONE]), int(ints[NEXT_BATCH]), int(ints[UPDATES])
        if checks is not None:
            checks.reference = float(floats[REFERENCE])
        self.steps += updates
        self.epoch += done
        self._next_batch = next_batch
        self._epoch_loss_sum = float(floats[LOSS_SUM])
        # Epochs begun: all those completed, and the one in progress. An epoch that was begun
        # (its order drawn) before any of its updates stays begun, as with step().
        in_progress = next_batch > 0 or done == 0
        begun = done + (1 if in_progress else 0)
        if in_progress:
            if random and done:
                self._epoch_order = orders[done].copy()
            elif not random and done:
                self._epoch_order = np.arange(self.n_rows)
        else:
            self._epoch_order = None
        if random and begun < max_epochs:
            # Orders were drawn for epochs that did not begin: draw again only those that did.
            self._rng.bit_generator.state = state_after_first
            for _ in range(begun - 1):
                self._rng.permutation(self.n_rows)
        return EpochsRun(epoch_losses[:done].copy(), STATUS_NAMES[int(ints[STATUS])], updates)

    def gradients(self, rows: Sequence[int]) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Loss and gradients for the given rows, without changing anything."""
        rows = np.asarray(rows, dtype=int).reshape(-1)
        _, gradients = self._compute(self.X[rows], self.y[rows])
        return gradients.loss, gradients.weight_grads, gradients.bias_grads

    def loss_on(self, rows: Sequence[int] | None = None) -> float:
        """The loss of the current parameters on some rows (all rows by default)."""
        X, y = (self.X, self.y) if rows is None else (self.X[rows], self.y[rows])
        forward = self.network.forward_pass(X)
        return self.loss.value(y, forward.y_hat, forward.z[-1])

    # -- internals -------------------------------------------------------
    def _start_epoch(self) -> None:
        if self.order == "random":
            self._epoch_order = self._rng.permutation(self.n_rows)
        else:
            self._epoch_order = np.arange(self.n_rows)
        self._next_batch = 0
        self._epoch_loss_sum = 0.0

    def _rows_in_order(self, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """X and y in an epoch's order, gathered once per epoch so each update slices a view."""
        cached = self._epoch_rows
        if cached is not None and cached[0] is order:
            return cached[1], cached[2]
        if self.order == "sequential" and self.X.flags.c_contiguous:
            # The gather would copy X as it is: use X itself (y's layout changes no number).
            X, y = self.X, self.y
        else:
            X, y = self.X[order], self.y[order]
        self._epoch_rows = (order, X, y)
        return X, y

    def _batch(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        X, y = self._rows_in_order(self._epoch_order)
        start = self._batch_starts[index]
        stop = start + self.batch_size
        return X[start:stop], y[start:stop]

    def _count_step(self, loss: float) -> float | None:
        """Add a step's loss to its epoch; return the epoch's mean when it is complete."""
        self._epoch_loss_sum += loss
        self._next_batch += 1
        if self._next_batch < len(self._batch_starts):
            return None
        self.epoch += 1
        self._epoch_order = None
        return self._epoch_loss_sum / len(self._batch_starts)

    def _compute(self, inputs: np.ndarray, targets: np.ndarray) -> tuple[ForwardPass, Gradients]:
        """Forward pass, loss, and backward pass by the chain rule (backprop.py)."""
        network = self.network
        forward = forward_pass(network.weights, network.biases, network.activations, inputs)
        return forward, backward_pass(network.weights, network.activations, self.loss, inputs, targets, forward)

    def _apply(self, weight_grads: list[np.ndarray], bias_grads: list[np.ndarray]) -> None:
        update(self.network.weights, self.network.biases, weight_grads, bias_grads, self.learning_rate)

    def _run_compiled(self, orders, random, max_epochs, max_updates, ints, floats, epoch_losses, stop_flag, checks) -> None:
        network = self.network
        params = flatten(network.weights, network.biases)
        if checks is not None and (checks.before is None or checks.before.shape != params.shape):
            checks.before = params.copy()
        before = checks.before if checks is not None else np.empty(0)
        backprop_compiled.run_epochs_compiled(
            params,
            np.array(network.layer_sizes, np.int64),
            np.array([ACTIVATION_CODES[a.name] for a in network.activations], np.int64),
            self.loss.code,
            self.learning_rate,
            self.X,
            self.y,
            orders,
            random,
            self.batch_size,
            max_epochs,
            max_updates,
            ints,
            floats,
            epoch_losses,
            before,
            stop_flag,
            checks is not None,
            -1.0 if checks is None or checks.tolerance is None else float(checks.tolerance),
            math.inf if checks is None else float(checks.divergence_factor),
            0.0 if checks is None else float(checks.baseline),
        )
        unflatten(params, network.weights, network.biases)

    def _run_readable(self, orders, random, max_epochs, max_updates, ints, floats, epoch_losses, stop_flag, checks) -> None:
        """The NumPy path: backprop.train_step per update, the floats of step() bit for bit;
        the same bookkeeping as the compiled kernel's (backprop_compiled._run_epochs)."""
        network = self.network
        weights, biases, activations = network.weights, network.biases, network.activations
        n_batches = len(self._batch_starts)
        next_batch, loss_sum = int(ints[NEXT_BATCH]), float(floats[LOSS_SUM])
        done = updates = 0
        status = STATUS_DONE
        if checks is not None and checks.before is None:
            checks.before = flatten(weights, biases)
        for epoch in range(max_epochs):
            order = self._epoch_order if epoch == 0 else (orders[epoch] if random else np.arange(self.n_rows))
            X, y = self._rows_in_order(order)
            if next_batch == 0 and checks is not None:
                flatten(weights, biases, out=checks.before)
            while next_batch < n_batches:
                if updates >= max_updates:
                    break
                if stop_flag[0]:
                    status = STATUS_STOPPED
                    break
                start = self._batch_starts[next_batch]
                stop = start + self.batch_size
                _, gradients = train_step(weights, biases, activations, self.loss, self.learning_rate, X[start:stop], y[start:stop])
                loss_sum += gradients.loss
                next_batch += 1
                updates += 1
            if next_batch < n_batches:
                break
            epoch_loss = loss_sum / n_batches
            epoch_losses[done] = epoch_loss
            done += 1
            next_batch, loss_sum = 0, 0.0
            if checks is not None:
                if math.isnan(checks.reference):
                    checks.reference = max(epoch_loss, checks.baseline)
                    floats[REFERENCE] = checks.reference
                params = flatten(weights, biases)
                if not math.isfinite(epoch_loss) or not np.isfinite(params).all() or (
                    epoch_loss > checks.divergence_factor * checks.reference and epoch_loss > 0
                ):
                    unflatten(checks.before, weights, biases)
                    status = STATUS_DIVERGED
                    break
                if checks.tolerance is not None and float(np.max(np.abs(params - checks.before))) <= checks.tolerance:
                    status = STATUS_CONVERGED
                    break
            if status != STATUS_DONE:
                break
        ints[NEXT_BATCH], ints[EPOCHS_DONE], ints[UPDATES], ints[STATUS] = next_batch, done, updates, status
        floats[LOSS_SUM] = loss_sum
