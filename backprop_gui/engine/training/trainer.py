"""Gradient descent on a Network, one update at a time, by the notes' rule.

For every weight and bias: w_new = w_old - η·∂L/∂w, with the gradients found
by the chain rule from the output layer back to the first (the delta rule of
seed 004: δ_k = (δ_(k+1) · W_(k+1)ᵀ) ⊙ f'(z_k)).

The trainer keeps its place in the epochs (row order, batch, loss so far, random generator) and
makes steps; what it accepts is checked in trainer_arguments.py, and ``run_epochs``, many
updates in one call, is trainer_runs.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from ..compiled import backprop_compiled
from ..backprop import ForwardPass, Gradients, backward_pass, forward_pass, optimizer_update
from .epochs import EpochChecks, EpochsRun
from .freezing import FrozenParameters
from .history import LossHistory
from ..losses import Loss
from ..network import Network
from ..optimizers import OptimizerState, UpdateRule
from ..step_record import StepRecord
from .trainer_arguments import MODES, ORDERS, batch_size_for, checked_inputs, split_rows
from .trainer_runs import run_epochs
STOP_POLL_STEPS = 32
"""run_epoch asks should_stop() once per this many updates (well under a millisecond)."""

__all__ = ["MODES", "ORDERS", "STOP_POLL_STEPS", "EpochChecks", "EpochsRun", "StepRecord", "Trainer", "TrainerPosition"]


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
    optimizer_state: OptimizerState | None = None
    """A copy of the optimizer's t, v, m and s (None: the state was not touched yet)."""


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
        optimizer: str = "sgd",
        momentum: float = 0.9,
        betas: tuple[float, float] = (0.9, 0.999),
        alpha: float = 0.99,
        eps: float = 1e-8,
        l2: float = 0.0,
        l1: float = 0.0,
        validation_rows: Sequence[int] | None = None,
        frozen: Iterable[str] = (),
    ) -> None:
        """``optimizer`` and its constants, ``l2`` and ``l1``: the update rule (optimizers.py).
        ``validation_rows``: 0-based rows of X never trained on; their mean loss is measured after
        every epoch (``validation_loss``). Row indices (a step's ``rows``) always count every row of X.
        ``frozen``: names of parameters the updates leave as they are, "w¹₁₁", "b₂₁" (freezing.py)."""
        X, y, loss = checked_inputs(network, X, y, learning_rate, loss, mode, order)
        rule = UpdateRule(optimizer, momentum, tuple(betas), alpha, eps, l2, l1)
        validation, train_rows = split_rows(X.shape[0], validation_rows)
        n_train = train_rows.size
        batch_size = batch_size_for(mode, batch_size, n_train)

        self.network = network
        self.X = X
        self.y = y
        self.learning_rate = float(learning_rate)
        self.loss = loss
        """The Loss object (losses.py); ``loss_name`` is its name, as settings store it."""
        self.mode = mode
        self.order = order
        self.seed = int(seed)
        self.batch_size = batch_size
        self.rule = rule
        """The optimizer, its constants and the penalties (optimizers.UpdateRule)."""
        self.validation_rows = validation
        """Rows never trained on, ascending."""
        self.train_rows = train_rows
        """The rows an epoch goes through, ascending."""
        self._validation_data = (X[validation], y[validation])
        self._optimizer_state = OptimizerState(network.n_parameters)
        self._frozen = FrozenParameters(frozen, network.layer_sizes)
        self.validation_log = LossHistory()
        """The validation loss after every epoch this trainer completed (with validation rows);
        a run's other thread appends to it, so a reader can follow a run epoch by epoch."""
        self._rng = np.random.default_rng(self.seed)
        self.epoch = 0
        """Completed epochs."""
        self.steps = 0
        """Updates made."""
        self._batch_starts = range(0, n_train, self.batch_size)
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
        """Every row of X, validation rows included."""
        return self.X.shape[0]

    @property
    def n_train(self) -> int:
        """The rows trained on."""
        return self.train_rows.size

    @property
    def optimizer_state(self) -> OptimizerState:
        """The optimizer's t, v, m and s; fresh when the network's size changed under the trainer."""
        if self._optimizer_state.n_parameters != self.network.n_parameters:
            self._optimizer_state = OptimizerState(self.network.n_parameters)
        return self._optimizer_state

    def set_optimizer_state(self, state: OptimizerState) -> None:
        """Take a copy of ``state`` (ValueError if it is for another number of parameters)."""
        if state.n_parameters != self.network.n_parameters:
            raise ValueError(f"an optimizer state of {state.n_parameters} parameters does not fit {self.network.n_parameters}")
        self._optimizer_state = state.copy()

    @property
    def frozen(self) -> frozenset[str]:
        """The names of the parameters the updates leave as they are (their gradients are still computed)."""
        return self.frozen_parameters.names

    @frozen.setter
    def frozen(self, names: Iterable[str]) -> None:
        self._frozen = FrozenParameters(names, self.network.layer_sizes)

    @property
    def frozen_parameters(self) -> FrozenParameters:
        """The frozen parameters as masks (those the network has, if it was replaced by another)."""
        self._frozen = self._frozen.fitted(self.network.layer_sizes)
        return self._frozen

    def validation_data(self) -> tuple[np.ndarray, np.ndarray]:
        """X and y of the validation rows (zero rows without validation)."""
        return self._validation_data

    def validation_loss(self) -> float | None:
        """The mean loss of the current parameters on the validation rows; None without them."""
        if not self.validation_rows.size:
            return None
        return self.loss_on(self.validation_rows)

    def penalty(self) -> float:
        """(λ₂/2)·Σw² + λ₁·Σ|w| of the current weights: what regularisation adds to the loss."""
        return self.rule.penalty(self.network.weights)

    def objective_on(self, rows: Sequence[int] | None = None) -> float:
        """The loss on some rows plus the penalty: what the update descends (the gradient check's L)."""
        return self.loss_on(rows) + self.penalty()

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
            self.epoch, self.steps, self._epoch_order, self._next_batch, self._epoch_loss_sum, self._rng.bit_generator.state,
            self.optimizer_state.copy(),
        )  # fmt: skip

    def restore_position(self, position: TrainerPosition) -> None:
        """Go back (or forward) to a position this trainer was at, optimizer state included; the
        parameters are the network's business."""
        if position.optimizer_state is not None and position.optimizer_state.n_parameters == self.network.n_parameters:
            self._optimizer_state = position.optimizer_state.copy()
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
            trace = self._apply(gradients.weight_grads, gradients.bias_grads, trace=not self.rule.is_plain)
        self.steps += 1
        epoch_loss = self._count_step(gradients.loss) if in_order else None
        validation_loss = None
        if epoch_loss is not None and self.validation_rows.size:
            with np.errstate(over="ignore", invalid="ignore"):
                validation_loss = self.validation_loss()
            self.validation_log.append(validation_loss)
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
            update=trace,
            validation_loss=validation_loss,
            frozen=self.frozen,
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
        wait_for_kernel: bool = True,
    ) -> EpochsRun:
        """Train until ``max_epochs`` epochs are complete (finishing the current one counts as the
        first), ``max_updates`` updates are made, ``stop_flag[0]`` (an int8 array another thread
        may set) turns non-zero, or an epoch ``checks`` rules on ends the run.

        The trainer's position (epoch, steps, the current epoch's order and progress, the random
        generator) afterwards is exactly that of the same updates made by ``step()``, so a run
        stopped anywhere goes on, or is taken back, like steps. Each epoch's random order is
        drawn as the epoch begins, from ``self._rng`` as ``step()`` draws it (the kernel draws
        them itself, without the GIL; trainer_runs.py).

        With ``wait_for_kernel`` (the default) the first run waits for the compiled kernel to be
        compiled or loaded; without it, a run made before the kernel is ready (``warm_up`` in
        another thread or process) takes the NumPy path, with the same updates, and a later call
        takes the kernel once it is there (``EpochsRun.compiled`` says which ran).
        """
        return run_epochs(self, max_epochs, max_updates, stop_flag, checks, wait_for_kernel)

    def gradients(self, rows: Sequence[int], penalty: bool = False) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Loss and gradients for the given rows, without changing anything. With ``penalty``,
        those of ``objective_on``: the penalty added to the loss, its gradient to each weight's."""
        rows = np.asarray(rows, dtype=int).reshape(-1)
        _, gradients = self._compute(self.X[rows], self.y[rows])
        loss, weight_grads = gradients.loss, gradients.weight_grads
        if penalty and self.rule.regularised:
            loss += self.penalty()
            weight_grads = [g + self.rule.penalty_gradient(w) for g, w in zip(weight_grads, self.network.weights)]
        return loss, weight_grads, gradients.bias_grads

    def loss_on(self, rows: Sequence[int] | None = None) -> float:
        """The loss of the current parameters on some rows (all rows by default)."""
        X, y = (self.X, self.y) if rows is None else (self.X[rows], self.y[rows])
        forward = self.network.forward_pass(X)
        return self.loss.value(y, forward.y_hat, forward.z[-1])

    # -- internals -------------------------------------------------------
    def _draw_order(self) -> np.ndarray:
        """A random epoch order of the training rows (without validation, a permutation of all rows)."""
        permutation = self._rng.permutation(self.n_train)
        return self.train_rows[permutation] if self.validation_rows.size else permutation

    def _start_epoch(self) -> None:
        if self.order == "random":
            self._epoch_order = self._draw_order()
        else:
            self._epoch_order = self.train_rows.copy()
        self._next_batch = 0
        self._epoch_loss_sum = 0.0

    def _rows_in_order(self, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """X and y in an epoch's order, gathered once per epoch so each update slices a view."""
        cached = self._epoch_rows
        if cached is not None and cached[0] is order:
            return cached[1], cached[2]
        if self.order == "sequential" and self.X.flags.c_contiguous and not self.validation_rows.size:
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

    def _apply(self, weight_grads: list[np.ndarray], bias_grads: list[np.ndarray], trace: bool = False):
        """The update phase: the notes' rule, or the optimizer's (optimizers.py); its trace if asked."""
        network, state, frozen = self.network, self.optimizer_state, self.frozen_parameters
        held = frozen.hold(network.weights, network.biases, state) if frozen else None
        trace = optimizer_update(network.weights, network.biases, weight_grads, bias_grads, self.learning_rate,
                                 self.rule, state, trace)  # fmt: skip
        if held is not None:
            frozen.restore(held, network.weights, network.biases, state)
        return trace
