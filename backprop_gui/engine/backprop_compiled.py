"""The fast twin of ``backprop.py``: whole epochs of training, compiled with numba.

The chain rule is written twice in this engine: readably in ``backprop.py`` (NumPy, one
array operation per equation, what ``Trainer.step`` shows a student), and here, as loops
over single numbers that numba compiles to machine code. This kernel runs many epochs per
call with the GIL released, so the GUI thread runs while it trains; it agrees with
``Trainer.step`` to within about 1e-12 relative (the order of the sums in a matrix product
and the last bit of tanh may differ), and gives the same floats on every run.

Where numba is missing, or the environment sets ``BACKPROP_GUI_JIT=0``, ``jit_available()``
is False and ``Trainer`` runs the readable functions of ``backprop.py`` in a loop instead:
slower, with the floats of ``step()`` bit for bit.

The kernel sees the network as one flat float64 array: for each weight layer k, w^(k+1) row
by row (``weights[k].ravel()``), then b_(k+1). ``flatten`` and ``unflatten`` convert.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
import time
from typing import Sequence

import numpy as np

JIT_ENVIRONMENT_VARIABLE = "BACKPROP_GUI_JIT"

ACTIVATION_CODES = {"linear": 0, "sigmoid": 1, "tanh": 2, "relu": 3}
"""The kernel's number for each activation of activations.py."""

# What a call of run_epochs ended with (ints[STATUS]).
STATUS_DONE = 0
"""It ran its epochs, or its budget of updates."""
STATUS_STOPPED = 1
"""The stop flag was set."""
STATUS_CONVERGED = 2
"""No parameter moved by more than the tolerance over the last epoch."""
STATUS_DIVERGED = 3
"""The last epoch's loss stopped being finite or grew past the limit; the parameters from
before that epoch were put back."""
STATUS_EARLY_STOPPED = 4
"""The validation loss had not improved for ``patience`` epochs; the parameters and optimizer
state of the best validation epoch were put back."""
STATUS_NAMES = {
    STATUS_DONE: "done",
    STATUS_STOPPED: "stopped",
    STATUS_CONVERGED: "converged",
    STATUS_DIVERGED: "diverged",
    STATUS_EARLY_STOPPED: "early_stopped",
}

# Positions in the ints and floats arrays that carry a run's state in and out.
NEXT_BATCH, EPOCHS_DONE, UPDATES, STATUS, T, T_BEFORE, BEST_EPOCH, SINCE_BEST, EPOCH_BASE, BEST_T = range(10)
N_INTS = 10
"""T: the optimizer's update count; T_BEFORE: its value as the current epoch began; BEST_EPOCH:
the trainer's epoch number of the best validation loss (0: none yet); SINCE_BEST: epochs since
it; EPOCH_BASE: the trainer's completed epochs when the call began; BEST_T: T at the best epoch."""
LOSS_SUM, REFERENCE, BEST_LOSS = 0, 1, 2
N_FLOATS = 3

BIG_BATCH_POLL_ROWS = 4096
"""Inside a batch, the stop flag is read every this many rows (a full batch of a million rows
takes longer than the 50 ms a stop may take); a stopped batch is abandoned before its update."""

NUMBA_INSTALLED = importlib.util.find_spec("numba") is not None
"""numba is optional: without it the NumPy path does the same work. It is imported only when a
run first needs the kernel, so the app starts without paying for the import (half a second)."""


def _jit_wanted() -> bool:
    return os.environ.get(JIT_ENVIRONMENT_VARIABLE, "1").strip() not in ("0", "false", "no", "off")


def jit_available() -> bool:
    """True when training runs the compiled kernel: numba imports and BACKPROP_GUI_JIT is not 0."""
    return NUMBA_INSTALLED and _jit_wanted()


def flatten(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], out: np.ndarray | None = None) -> np.ndarray:
    """The parameters as the kernel holds them: w¹ row by row, b₁, w², b₂, …"""
    parts = []
    for w, b in zip(weights, biases):
        parts.append(w.reshape(-1))
        parts.append(b.reshape(-1))
    if out is None:
        return np.concatenate(parts)
    np.concatenate(parts, out=out)
    return out


def unflatten(flat: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
    """Copy a flat parameter array back into the network's arrays, in place."""
    offset = 0
    for w, b in zip(weights, biases):
        w.reshape(-1)[...] = flat[offset : offset + w.size]
        offset += w.size
        b[...] = flat[offset : offset + b.size]
        offset += b.size


def _mean_loss(params, sizes, acts, loss_code, w_off, b_off, X, Y, z, out):
    """The mean loss of the parameters on the rows X, Y (losses.py's value), as Loss.value gives it."""
    n_layers = sizes.shape[0] - 1
    last = n_layers - 1
    n_out = sizes[n_layers]
    total = 0.0
    for row in range(X.shape[0]):
        for k in range(n_layers):
            n_in = sizes[k]
            n_k = sizes[k + 1]
            act = acts[k]
            for j in range(n_k):
                s = 0.0
                for i in range(n_in):
                    o_prev = X[row, i] if k == 0 else out[k - 1, i]
                    s += o_prev * params[w_off[k] + i * n_k + j]
                s = s + params[b_off[k] + j]
                z[k, j] = s
                if act == 0:
                    o = s
                elif act == 1:
                    o = 0.5 * (np.tanh(0.5 * s) + 1.0)
                elif act == 2:
                    o = np.tanh(s)
                else:
                    o = s if (s > 0.0 or s != s) else 0.0
                out[k, j] = o
        for j in range(n_out):
            t = Y[row, j]
            if loss_code == 1:
                zj = z[last, j]
                total += max(zj, 0.0) - t * zj + math.log1p(math.exp(-abs(zj)))
            else:
                diff = t - out[last, j]
                total += diff * diff
    return total / (X.shape[0] * n_out)


def _run_epochs(
    params,
    sizes,
    acts,
    loss_code,
    rate,
    opt_code,
    constants,
    state,
    X,
    Y,
    orders,
    random_order,
    batch_size,
    max_epochs,
    max_updates,
    ints,
    floats,
    epoch_losses,
    before,
    stop_flag,
    checks,
    tolerance,
    divergence_factor,
    baseline,
    Xv,
    Yv,
    val_losses,
    patience,
    before_state,
    best_params,
    best_state,
):
    """Up to ``max_epochs`` epochs (the first one possibly already begun) and ``max_updates`` updates.

    params: the flat parameters, updated in place. sizes: the layer sizes (inputs first).
    acts: each weight layer's activation code. loss_code: 0 squared error, 1 cross-entropy from
    logits (sigmoid output). X, Y: every row's inputs and targets. orders: each epoch's row
    order, one row per epoch (with ``random_order`` False, row 0 serves every epoch).
    ints: [next batch of the current epoch, epochs done (out), updates (out), status (out)].
    floats: [the current epoch's sum of step losses, the reference loss of the divergence
    check (NaN until the first epoch has set it)]. epoch_losses: each completed epoch's mean loss.
    With ``checks``: ``before`` holds the parameters as each epoch begins, and an epoch ends the
    call when it diverged (``train``'s rule, the parameters put back from ``before``) or moved no
    parameter by more than ``tolerance`` (when tolerance ≥ 0). stop_flag[0] ≠ 0 stops the call
    before its next update.

    The update (optimizers.py): opt_code is OPTIMIZER_CODES' number, constants [μ, β₁, β₂, α, ε,
    λ₂, λ₁], state the (3, n) rows v, m, s updated in place, ints[T] the update count t;
    ``before_state`` keeps the state as each epoch began, for a diverged epoch to put back.
    Validation: Xv, Yv the rows never trained on (none: zero rows); each completed epoch's mean
    loss on them goes to val_losses. With patience ≥ 1 (and validation rows), the call ends once
    the validation loss has not improved on its best for ``patience`` epochs, the parameters and
    state of the best epoch (kept in best_params, best_state, ints[BEST_T]) put back.
    """
    n_rows = orders.shape[1]  # the rows trained on: validation rows are in X but in no order
    n_layers = sizes.shape[0] - 1
    n_batches = (n_rows + batch_size - 1) // batch_size
    width = 0
    for k in range(n_layers + 1):
        if sizes[k] > width:
            width = sizes[k]
    # Where each layer's weights and biases start in params.
    w_off = np.empty(n_layers, np.int64)
    b_off = np.empty(n_layers, np.int64)
    offset = 0
    for k in range(n_layers):
        w_off[k] = offset
        offset += sizes[k] * sizes[k + 1]
        b_off[k] = offset
        offset += sizes[k + 1]
    n_params = offset
    z = np.empty((n_layers, width))
    out = np.empty((n_layers, width))
    delta = np.empty((n_layers, width))
    grads = np.empty(n_params)
    n_out = sizes[n_layers]
    last = n_layers - 1
    out_act = acts[last]
    n_val = Xv.shape[0]
    mu = constants[0]
    beta1 = constants[1]
    beta2 = constants[2]
    alpha = constants[3]
    eps = constants[4]
    l2 = constants[5]
    l1 = constants[6]
    is_weight = np.zeros(n_params, np.bool_)
    for k in range(n_layers):
        for p in range(w_off[k], b_off[k]):
            is_weight[p] = True
    step_t = ints[T]

    next_batch = ints[NEXT_BATCH]
    loss_sum = floats[LOSS_SUM]
    done = 0
    updates = 0
    status = STATUS_DONE
    epoch = 0
    while epoch < max_epochs and status == STATUS_DONE:
        order = orders[epoch] if random_order else orders[0]
        if next_batch == 0 and checks:
            before[:] = params
            before_state[:, :] = state
            ints[T_BEFORE] = step_t
        while next_batch < n_batches:
            if updates >= max_updates:
                break
            if stop_flag[0] != 0:
                status = STATUS_STOPPED
                break
            start = next_batch * batch_size
            stop = min(start + batch_size, n_rows)
            count = (stop - start) * n_out  # the values a batch loss averages
            grads[:] = 0.0
            value_sum = 0.0
            abandoned = False
            for r in range(start, stop):
                if (r - start) % BIG_BATCH_POLL_ROWS == BIG_BATCH_POLL_ROWS - 1 and stop_flag[0] != 0:
                    abandoned = True
                    break
                row = order[r]
                # Forward pass: z_kj = Σ_i O_(k-1)i · w^k_ij + b_kj, O_kj = f(z_kj).
                for k in range(n_layers):
                    n_in = sizes[k]
                    n_k = sizes[k + 1]
                    act = acts[k]
                    for j in range(n_k):
                        s = 0.0
                        for i in range(n_in):
                            o_prev = X[row, i] if k == 0 else out[k - 1, i]
                            s += o_prev * params[w_off[k] + i * n_k + j]
                        s = s + params[b_off[k] + j]
                        z[k, j] = s
                        if act == 0:
                            o = s
                        elif act == 1:
                            o = 0.5 * (np.tanh(0.5 * s) + 1.0)
                        elif act == 2:
                            o = np.tanh(s)
                        else:
                            o = s if (s > 0.0 or s != s) else 0.0
                        out[k, j] = o
                # The loss and the output layer's δ = ∂L/∂z (losses.py), with the batch mean's 1/count.
                for j in range(n_out):
                    t = Y[row, j]
                    a = out[last, j]
                    zj = z[last, j]
                    if loss_code == 1:
                        value_sum += max(zj, 0.0) - t * zj + math.log1p(math.exp(-abs(zj)))
                        delta[last, j] = (a - t) / count
                    else:
                        diff = t - a
                        value_sum += diff * diff
                        d = (-2.0 / count) * diff
                        if out_act == 1:
                            d = d * (a * (1.0 - a))
                        elif out_act == 2:
                            d = d * (1.0 - a * a)
                        elif out_act == 3:
                            d = d * (1.0 if zj > 0.0 else 0.0)
                        delta[last, j] = d
                # Backward pass, output layer first: ∂L/∂w^k_ij += O_(k-1)i · δ_kj, ∂L/∂b_kj += δ_kj,
                # δ_(k-1)i = f′(z_(k-1)i) · Σ_j w^k_ij · δ_kj (the weights before the update).
                for k in range(last, -1, -1):
                    n_in = sizes[k]
                    n_k = sizes[k + 1]
                    for i in range(n_in):
                        o_prev = X[row, i] if k == 0 else out[k - 1, i]
                        base = w_off[k] + i * n_k
                        for j in range(n_k):
                            grads[base + j] += o_prev * delta[k, j]
                    for j in range(n_k):
                        grads[b_off[k] + j] += delta[k, j]
                    if k > 0:
                        act = acts[k - 1]
                        for i in range(n_in):
                            base = w_off[k] + i * n_k
                            s = 0.0
                            for j in range(n_k):
                                s += delta[k, j] * params[base + j]
                            if act == 1:
                                o = out[k - 1, i]
                                s = s * (o * (1.0 - o))
                            elif act == 2:
                                o = out[k - 1, i]
                                s = s * (1.0 - o * o)
                            elif act == 3:
                                s = s * (1.0 if z[k - 1, i] > 0.0 else 0.0)
                            delta[k - 1, i] = s
            if abandoned:
                status = STATUS_STOPPED
                break
            # Update: w_new = w_old − η·∂L/∂w, or the optimizer's rule, with the penalty's gradient.
            step_t += 1
            correction1 = 1.0
            correction2 = 1.0
            if opt_code == 4:
                correction1 = 1.0 - math.pow(beta1, step_t)
                correction2 = 1.0 - math.pow(beta2, step_t)
            for p in range(n_params):
                g = grads[p]
                if is_weight[p] and (l2 != 0.0 or l1 != 0.0):
                    w = params[p]
                    penalty = 0.0
                    if l2 != 0.0:
                        penalty = penalty + l2 * w
                    if l1 != 0.0:
                        penalty = penalty + l1 * (1.0 if w > 0.0 else (-1.0 if w < 0.0 else w))
                    g = g + penalty
                if opt_code == 0:
                    params[p] -= rate * g
                elif opt_code == 1 or opt_code == 2:
                    v = mu * state[0, p] + g
                    state[0, p] = v
                    if opt_code == 1:
                        params[p] -= rate * v
                    else:
                        params[p] -= rate * (g + mu * v)
                elif opt_code == 3:
                    s2 = alpha * state[2, p] + (1.0 - alpha) * (g * g)
                    state[2, p] = s2
                    params[p] -= rate * (g / (math.sqrt(s2) + eps))
                else:
                    m = beta1 * state[1, p] + (1.0 - beta1) * g
                    s2 = beta2 * state[2, p] + (1.0 - beta2) * (g * g)
                    state[1, p] = m
                    state[2, p] = s2
                    m_hat = m / correction1
                    s_hat = s2 / correction2
                    params[p] -= rate * (m_hat / (math.sqrt(s_hat) + eps))
            loss_sum += value_sum / count
            next_batch += 1
            updates += 1
        if next_batch < n_batches:
            break  # out of updates, or stopped, part-way through the epoch
        epoch_loss = loss_sum / n_batches
        epoch_losses[done] = epoch_loss
        if n_val > 0:
            val_losses[done] = _mean_loss(params, sizes, acts, loss_code, w_off, b_off, Xv, Yv, z, out)
        done += 1
        next_batch = 0
        loss_sum = 0.0
        epoch += 1
        if checks:
            reference = floats[REFERENCE]
            if reference != reference:  # the run's first epoch: against it, or the baseline if larger
                reference = baseline if baseline > epoch_loss else epoch_loss
                floats[REFERENCE] = reference
            finite = True
            largest = 0.0
            for p in range(n_params):
                v = params[p]
                if not math.isfinite(v):
                    finite = False
                change = abs(v - before[p])
                if change > largest:
                    largest = change
            if not math.isfinite(epoch_loss) or not finite or (
                epoch_loss > divergence_factor * reference and epoch_loss > 0
            ):
                params[:] = before
                state[:, :] = before_state
                step_t = ints[T_BEFORE]
                status = STATUS_DIVERGED
            elif tolerance >= 0.0 and largest <= tolerance:
                status = STATUS_CONVERGED
            elif patience >= 1 and n_val > 0:
                val = val_losses[done - 1]
                best = floats[BEST_LOSS]
                if best != best or val < best:
                    floats[BEST_LOSS] = val
                    ints[BEST_EPOCH] = ints[EPOCH_BASE] + done
                    ints[SINCE_BEST] = 0
                    ints[BEST_T] = step_t
                    best_params[:] = params
                    best_state[:, :] = state
                else:
                    ints[SINCE_BEST] += 1
                    if ints[SINCE_BEST] >= patience:
                        params[:] = best_params
                        state[:, :] = best_state
                        step_t = ints[BEST_T]
                        status = STATUS_EARLY_STOPPED
    ints[T] = step_t
    ints[NEXT_BATCH] = next_batch
    ints[EPOCHS_DONE] = done
    ints[UPDATES] = updates
    ints[STATUS] = status
    floats[LOSS_SUM] = loss_sum


_compiled_kernel = None
_compiling = threading.Lock()
"""The app's warm-up thread and a training thread may both ask for the kernel first: one compiles
(or loads it from the cache) while the other waits, and both then use that one."""


def run_epochs_compiled(*args) -> None:
    """``_run_epochs`` compiled (nogil, cached on disk, no fastmath); compiled on the first call."""
    global _compiled_kernel, _mean_loss
    with _compiling:
        if _compiled_kernel is None:
            from numba import njit

            _mean_loss = njit(nogil=True, cache=True, fastmath=False)(_mean_loss)
            kernel = njit(nogil=True, cache=True, fastmath=False)(_run_epochs)
            # The first call compiles for these argument types; run it under the lock too.
            kernel(*args)
            _compiled_kernel = kernel
            return
    _compiled_kernel(*args)


def warm_up() -> float:
    """Compile the kernel, or load it from numba's cache, by training a tiny network once.

    Returns the seconds it took (0.0 when the JIT is off). The app calls this in a background
    thread after its window shows, so the first Train does not wait for the compiler.
    """
    if not jit_available():
        return 0.0
    started = time.perf_counter()
    sizes = np.array([2, 2, 1], np.int64)
    params = np.zeros(9)
    ints = np.zeros(N_INTS, np.int64)
    floats = np.array([0.0, np.nan, np.nan])
    constants = np.array([0.9, 0.9, 0.999, 0.99, 1e-8, 0.0, 0.0])
    run_epochs_compiled(
        params, sizes, np.zeros(2, np.int64), 0, 0.1, 0, constants, np.zeros((3, 9)), np.zeros((3, 2)),
        np.zeros((3, 1)), np.arange(3, dtype=np.int64)[None, :], False, 1, 1, 3, ints, floats, np.empty(1),
        np.empty(9), np.zeros(1, np.int8), True, -1.0, 1e6, 0.0, np.zeros((1, 2)), np.zeros((1, 1)), np.empty(1),
        -1, np.zeros((3, 9)), np.zeros(9), np.zeros((3, 9)),
    )
    return time.perf_counter() - started
