"""Gradient descent on a Network, one update at a time, by the notes' rule.

For every weight and bias: w_new = w_old - η·∂L/∂w, with the gradients found
by the chain rule from the output layer back to the first (the delta rule of
seed 004: δ_k = (δ_(k+1) · W_(k+1)ᵀ) ⊙ f'(z_k)).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import partial
from typing import Callable, Sequence

import numpy as np

from .losses import (
    LOSSES,
    bce_from_logits,
    bce_gradient_wrt_logits,
    bce_gradient_wrt_output,
    mse,
    mse_gradient,
)
from .kernels import BatchKernel, SampleKernel
from .network import Network

MODES = ("sgd", "minibatch", "batch")
ORDERS = ("sequential", "random")
STOP_POLL_STEPS = 32
"""run_epoch asks should_stop() once per this many updates (well under a millisecond)."""


@dataclass(frozen=True)
class StepRecord:
    """Everything one update computed, for showing a step to a student.

    Lists of per-layer arrays run from layer 1 (the first hidden layer) to the
    output layer, in the same layout as ``Network.weights`` and ``biases``.
    """

    epoch: int
    """The epoch this step belongs to, counting from 1."""
    step: int
    """How many updates the trainer has made, this one included."""
    rows: np.ndarray
    """0-based indices into X of the rows used."""
    inputs: np.ndarray
    targets: np.ndarray
    z: list[np.ndarray]
    outputs: list[np.ndarray]
    y_hat: np.ndarray
    loss: float
    dloss_dyhat: np.ndarray
    deltas: list[np.ndarray]
    """∂L/∂z for every layer's weighted sums."""
    weight_grads: list[np.ndarray]
    bias_grads: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    learning_rate: float
    epoch_loss: float | None
    """The epoch's mean loss when this step completed an epoch, else None."""


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
        loss: str = "mse",
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
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
        if loss == "bce" and network.output_activation.name != "sigmoid":
            raise ValueError("binary cross-entropy needs a sigmoid output activation")
        if loss == "bce":
            not_binary = y[(y != 0.0) & (y != 1.0)]
            if not_binary.size:
                raise ValueError(
                    "classification (binary cross-entropy) needs every target to be 0 or 1, "
                    f"but the target column holds {not_binary[0]:g}"
                )
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
        self._epoch_X = self._epoch_y = None
        self._next_batch = 0
        self._epoch_loss_sum = 0.0
        self._kernel: SampleKernel | BatchKernel | None = None
        """run_epoch's buffers, kept from epoch to epoch (rebuilt if the network or settings change)."""
        self._bound: tuple | None = None
        """(network, its arrays, the kernel's loop bound to them)."""

    def __getstate__(self) -> dict:
        # The kernel is a cache, and its loop is bound to this trainer's network: a copy
        # (copy.deepcopy) must build its own rather than train the original's network.
        state = self.__dict__.copy()
        state["_kernel"] = state["_bound"] = None
        return state

    @property
    def n_rows(self) -> int:
        return self.X.shape[0]

    @property
    def steps_per_epoch(self) -> int:
        return len(self._batch_starts)

    @property
    def epoch_in_progress(self) -> bool:
        return self._epoch_order is not None

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
        if position.epoch_order is not self._epoch_order:
            self._epoch_order = position.epoch_order
            if position.epoch_order is not None:
                self._epoch_X = self.X[position.epoch_order]
                self._epoch_y = self.y[position.epoch_order]
        self.epoch = position.epoch
        self.steps = position.steps
        self._next_batch = position.next_batch
        self._epoch_loss_sum = position.epoch_loss_sum
        self._rng.bit_generator.state = position.rng_state

    # -- training --------------------------------------------------------
    def step(self, rows: Sequence[int] | None = None) -> StepRecord:
        """One update, returning everything it computed.

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
            forward, loss, dloss_dyhat, deltas, weight_grads, bias_grads = self._compute(inputs, targets)
            self._apply(weight_grads, bias_grads)
        self.steps += 1
        epoch_loss = self._count_step(loss) if in_order else None
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
            loss=loss,
            dloss_dyhat=dloss_dyhat,
            deltas=deltas,
            weight_grads=weight_grads,
            bias_grads=bias_grads,
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

        The parameters and losses are those of calling ``step()`` for each update,
        bit for bit; a kernel (kernels.py) computes them without building records.
        """
        if self._epoch_order is None:
            self._start_epoch()
        n_batches = len(self._batch_starts)
        index = self._next_batch
        with np.errstate(over="ignore", invalid="ignore"):
            run = self._epoch_runner()
            while index < n_batches:
                if should_stop is None:
                    end = n_batches
                else:
                    # Polled every STOP_POLL_STEPS updates: a Python call per update costs ~20%.
                    if index % STOP_POLL_STEPS == 0 and should_stop():
                        return None
                    end = min(n_batches, index - index % STOP_POLL_STEPS + STOP_POLL_STEPS)
                self._epoch_loss_sum = run(index, end, self._epoch_loss_sum)
                self.steps += end - index
                self._next_batch = index = end
        self.epoch += 1
        self._epoch_order = None
        return self._epoch_loss_sum / n_batches

    def gradients(self, rows: Sequence[int]) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Loss and gradients for the given rows, without changing anything."""
        rows = np.asarray(rows, dtype=int).reshape(-1)
        _, loss, _, _, weight_grads, bias_grads = self._compute(self.X[rows], self.y[rows])
        return loss, weight_grads, bias_grads

    def loss_on(self, rows: Sequence[int] | None = None) -> float:
        """The loss of the current parameters on some rows (all rows by default)."""
        X, y = (self.X, self.y) if rows is None else (self.X[rows], self.y[rows])
        forward = self.network.forward_pass(X)
        if self.loss == "bce":
            return bce_from_logits(y, forward.z[-1])
        return mse(y, forward.y_hat)

    # -- internals -------------------------------------------------------
    def _start_epoch(self) -> None:
        if self.order == "random":
            self._epoch_order = self._rng.permutation(self.n_rows)
        else:
            self._epoch_order = np.arange(self.n_rows)
        if self.order == "sequential" and self.X.flags.c_contiguous:
            # The gather below would copy X as it is: use X itself (y's layout changes no number).
            self._epoch_X, self._epoch_y = self.X, self.y
        else:
            # One gather per epoch, so each update slices a view instead of copying rows.
            self._epoch_X = self.X[self._epoch_order]
            self._epoch_y = self.y[self._epoch_order]
        self._next_batch = 0
        self._epoch_loss_sum = 0.0

    def _epoch_runner(self) -> Callable[[int, int, float], float]:
        """run(first, stop, loss_sum): the kernel's loop for this network and settings, on the current epoch's rows."""
        network, kernel = self.network, self._kernel
        kind = SampleKernel if SampleKernel.applies(network, self.batch_size) else BatchKernel
        if type(kernel) is not kind or not kernel.fits(network, self.loss, self.learning_rate):
            kernel = self._kernel = kind(network, self.loss, self.learning_rate)
            self._bound = None
        arrays = network.weights + network.biases
        bound = self._bound
        if bound is None or bound[0] is not network or not all(map(operator.is_, bound[1], arrays)):
            bound = self._bound = (network, arrays, kernel.bind(network))
        if kind is SampleKernel:
            return partial(bound[2], self._epoch_X, self._epoch_y[:, 0].tolist())
        return partial(bound[2], self._epoch_X, self._epoch_y, self.batch_size)

    def _batch(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        start = self._batch_starts[index]
        stop = start + self.batch_size
        return self._epoch_X[start:stop], self._epoch_y[start:stop]

    def _count_step(self, loss: float) -> float | None:
        """Add a step's loss to its epoch; return the epoch's mean when it is complete."""
        self._epoch_loss_sum += loss
        self._next_batch += 1
        if self._next_batch < len(self._batch_starts):
            return None
        self.epoch += 1
        self._epoch_order = None
        return self._epoch_loss_sum / len(self._batch_starts)

    def _compute(self, inputs: np.ndarray, targets: np.ndarray):
        """Forward pass, loss, and backward pass by the chain rule."""
        network = self.network
        forward = network.forward_pass(inputs)
        y_hat = forward.y_hat
        output_activation = network.output_activation
        if self.loss == "bce":
            loss = bce_from_logits(targets, forward.z[-1])
            dloss_dyhat = bce_gradient_wrt_output(targets, y_hat)
            delta = bce_gradient_wrt_logits(targets, y_hat)  # ∂L/∂ŷ·∂ŷ/∂z = -(y - ŷ)
        else:
            loss = mse(targets, y_hat)
            dloss_dyhat = mse_gradient(targets, y_hat)
            delta = dloss_dyhat
            if not output_activation.is_linear:
                delta = delta * output_activation.derivative(forward.z[-1], y_hat)

        n_layers = network.n_layers
        deltas: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        weight_grads: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        bias_grads: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        for k in range(n_layers - 1, -1, -1):
            previous_outputs = inputs if k == 0 else forward.outputs[k - 1]
            deltas[k] = delta
            weight_grads[k] = previous_outputs.T @ delta
            bias_grads[k] = delta.sum(axis=0)
            if k > 0:
                delta = delta @ network.weights[k].T
                activation = network.activation(k - 1)
                if not activation.is_linear:
                    delta *= activation.derivative(forward.z[k - 1], forward.outputs[k - 1])
        return forward, loss, dloss_dyhat, deltas, weight_grads, bias_grads

    def _apply(self, weight_grads: list[np.ndarray], bias_grads: list[np.ndarray]) -> None:
        rate = self.learning_rate
        for w, g in zip(self.network.weights, weight_grads):
            w -= rate * g
        for b, g in zip(self.network.biases, bias_grads):
            b -= rate * g
