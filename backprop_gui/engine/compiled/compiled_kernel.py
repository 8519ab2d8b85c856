"""The compiled kernel itself: whole epochs of training as loops over single float64 numbers.

``run_epochs`` is the epoch loop, and makes each update itself; the passes it makes are in
kernel_passes.py, the arithmetic of single numbers in kernel_math.py, the draw of a random order
in kernel_orders.py. A batch of fewer than ``BLOCK_MIN_BATCH`` rows (per-sample training above
all) goes through the network a row at a time (``forward_row``, ``output_delta_row``,
``backward_row``); a larger one a block of rows at a time, one layer after the other
(``forward_block``, ``output_delta_block``, ``backward_block``), so that every inner loop runs
along a block's rows and compiles to vector instructions. Both do the arithmetic of
backprop.py's chain rule; a block pays to set up its loops, which a single row cannot win back.
``mean_loss`` measures the validation rows after each epoch.

All of it is plain Python until ``backprop_compiled.run_epochs_compiled`` puts it under numba
(``compile_steps`` first: numba looks up the functions a compiled function calls when it
compiles it). numba's on-disk cache of ``run_epochs`` goes stale only when this file changes, not
the modules it calls: backprop_compiled keeps a digest of all of them beside the cache and empties
it when they change (KERNEL_MODULE_NAMES).

The parameters are one flat float64 array (``backprop_compiled.flatten``); ``w_off[k]`` and
``b_off[k]`` are where weight layer k's weights and biases start in it.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from . import kernel_math, kernel_orders, kernel_passes
from . import run_slots as slot

KERNEL_MODULE_NAMES = ("compiled_kernel", "kernel_math", "kernel_orders", "kernel_passes", "run_slots")
"""Every module of the engine whose code or constants the compiled run_epochs holds."""


def run_epochs(params, sizes, acts, loss_code, rate, opt_code, constants, state, X, Y, order, next_order,
               random_order, rng, train_rows, has_validation, batch_size, max_epochs, max_updates, ints, floats,
               epoch_losses, before, stop_flag, checks, tolerance, divergence_factor, baseline, Xv, Yv, val_losses,
               patience, before_state, best_params, best_state, frozen, blocks):  # fmt: skip
    """Up to ``max_epochs`` epochs (the first one possibly already begun) and ``max_updates`` updates.

    params: the flat parameters, updated in place. sizes: the layer sizes (inputs first).
    acts: each weight layer's activation code. loss_code: 0 squared error, 1 cross-entropy from
    logits (sigmoid output), 2 categorical cross-entropy (softmax output). X, Y: every row's inputs and targets. order: the current epoch's
    order of the rows trained on (only read; copied into ``next_order``); with ``random_order``
    each later epoch draws its own into ``next_order`` from ``rng`` (the trainer's
    np.random.Generator, whose state moves on in place) just before its first update, as
    ``step()`` does: an epoch never begun draws nothing. ints[slot.BEGUN] says whether the
    epoch the call ends in was begun by it.
    ints: [next batch of the current epoch, epochs done (out), updates (out), status (out)].
    floats: [the current epoch's sum of step losses, the reference loss of the divergence
    check (NaN until the first epoch has set it)]. epoch_losses: each completed epoch's mean loss.
    With ``checks``: ``before`` holds the parameters as each epoch begins, and an epoch ends the
    call when it diverged (``train``'s rule, the parameters put back from ``before``) or moved no
    parameter by more than ``tolerance`` (when tolerance ≥ 0). stop_flag[0] ≠ 0 stops the call
    before its next update.

    The update (optimizers.py): opt_code is OPTIMIZER_CODES' number, constants [μ, β₁, β₂, α, ε,
    λ₂, λ₁], state the (3, n) rows v, m, s updated in place, ints[slot.T] the update count t;
    ``before_state`` keeps the state as each epoch began, for a diverged epoch to put back.
    Validation: Xv, Yv the rows never trained on (none: zero rows); each completed epoch's mean
    loss on them goes to val_losses. With patience ≥ 1 (and validation rows), the call ends once
    the validation loss has not improved on its best for ``patience`` epochs, the parameters and
    state of the best epoch (kept in best_params, best_state, ints[slot.BEST_T]) put back.
    frozen: one flag per parameter; a frozen one is skipped by the update, its state too (freezing.py).

    ``blocks`` None compiles the kernel of runs a row at a time without validation rows (numba
    prunes ``blocks is None`` branches before it compiles): the block passes are left out, and the
    compilation costs a third. Any array there (its value is not read) compiles the full kernel.
    """
    n_rows = order.shape[0]  # the rows trained on: validation rows are in X but in no order
    permutation = np.empty(n_rows if has_validation else 0, np.int64)
    # The rows are read through next_order alone, the current epoch's order copied into it: one
    # array for the whole call (reading through a variable that switches from one array to the
    # other cost a quarter of a step's speed).
    for i in range(n_rows):
        next_order[i] = order[i]
    begun = 0
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
    # A row's values (row by row), and a block's (in blocks; validation rows always go in blocks).
    z_row = np.empty((n_layers, width))
    out_row = np.empty((n_layers, width))
    delta_row = np.empty((n_layers, width))
    block = min(kernel_passes.BLOCK_ROWS, max(batch_size, Xv.shape[0], 1))
    z = np.empty((n_layers, width, block))
    out = np.empty((n_layers + 1, width, block))
    delta = np.empty((n_layers, width, block))
    ones = np.ones((1, 1, block))
    lanes = np.empty(8)
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
    step_t = ints[slot.T]

    next_batch = ints[slot.NEXT_BATCH]
    loss_sum = floats[slot.LOSS_SUM]
    done = 0
    updates = 0
    status = slot.STATUS_DONE
    epoch = 0
    while epoch < max_epochs and status == slot.STATUS_DONE:
        new_epoch = epoch > 0  # begun at its first update, where step() would draw its order
        if next_batch == 0 and checks:
            before[:] = params
            before_state[:, :] = state
            ints[slot.T_BEFORE] = step_t
        while next_batch < n_batches:
            if updates >= max_updates:
                break
            if stop_flag[0] != 0:
                status = slot.STATUS_STOPPED
                break
            if new_epoch:
                if random_order:
                    kernel_orders.draw_order(rng, permutation if has_validation else next_order, train_rows, has_validation, next_order)
                begun = 1
                new_epoch = False
            start = next_batch * batch_size
            stop = min(start + batch_size, n_rows)
            count = (stop - start) * (1 if loss_code == 2 else n_out)  # the values a batch loss averages (CCE: rows)
            grads[:] = 0.0
            value_sum = 0.0
            abandoned = False
            if blocks is None or batch_size < kernel_passes.BLOCK_MIN_BATCH:
                for r in range(start, stop):
                    row = next_order[r]
                    kernel_passes.forward_row(params, sizes, acts, w_off, b_off, X, row, z_row, out_row)
                    value_sum = kernel_passes.output_delta_row(
                        loss_code, out_act, Y, row, z_row, out_row, delta_row, last, n_out, count, value_sum
                    )
                    kernel_passes.backward_row(params, sizes, acts, w_off, b_off, X, row, z_row, out_row, delta_row, grads)
            else:
                for first in range(start, stop, block):
                    # A full batch of a million rows takes longer than the 50 ms a stop may take:
                    # the flag is read between blocks too, and a stopped batch is abandoned.
                    if first > start and stop_flag[0] != 0:
                        abandoned = True
                        break
                    n = min(block, stop - first)
                    kernel_passes.forward_block(params, sizes, acts, w_off, b_off, X, next_order, first, n, z, out)
                    value_sum = kernel_passes.output_delta_block(
                        loss_code, out_act, Y, next_order, first, n, z, out, delta, last, n_out, count, value_sum
                    )
                    kernel_passes.backward_block(params, sizes, acts, w_off, b_off, n, z, out, delta, grads, ones, lanes)
            if abandoned:
                status = slot.STATUS_STOPPED
                break
            # Update: w_new = w_old − η·∂L/∂w, or the optimizer's rule, with the penalty's gradient.
            step_t += 1
            correction1 = 1.0
            correction2 = 1.0
            if opt_code == 4:
                correction1 = 1.0 - math.pow(beta1, step_t)
                correction2 = 1.0 - math.pow(beta2, step_t)
            for p in range(n_params):
                if frozen[p]:
                    continue
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
        if blocks is not None and n_val > 0:
            val_losses[done] = kernel_passes.mean_loss(params, sizes, acts, loss_code, w_off, b_off, Xv, Yv, z, out)
        done += 1
        next_batch = 0
        loss_sum = 0.0
        begun = 0  # the next epoch is begun, if at all, by its first update
        epoch += 1
        if checks:
            reference = floats[slot.REFERENCE]
            if reference != reference:  # the run's first epoch: against it, or the baseline if larger
                reference = baseline if baseline > epoch_loss else epoch_loss
                floats[slot.REFERENCE] = reference
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
                step_t = ints[slot.T_BEFORE]
                status = slot.STATUS_DIVERGED
            elif tolerance >= 0.0 and largest <= tolerance:
                status = slot.STATUS_CONVERGED
            elif patience >= 1 and n_val > 0:
                val = val_losses[done - 1]
                best = floats[slot.BEST_LOSS]
                if best != best or val < best:
                    floats[slot.BEST_LOSS] = val
                    ints[slot.BEST_EPOCH] = ints[slot.EPOCH_BASE] + done
                    ints[slot.SINCE_BEST] = 0
                    ints[slot.BEST_T] = step_t
                    best_params[:] = params
                    best_state[:, :] = state
                else:
                    ints[slot.SINCE_BEST] += 1
                    if ints[slot.SINCE_BEST] >= patience:
                        params[:] = best_params
                        state[:, :] = best_state
                        step_t = ints[slot.BEST_T]
                        status = slot.STATUS_EARLY_STOPPED
    ints[slot.T] = step_t
    ints[slot.BEGUN] = begun
    ints[slot.NEXT_BATCH] = next_batch
    ints[slot.EPOCHS_DONE] = done
    ints[slot.UPDATES] = updates
    ints[slot.STATUS] = status
    floats[slot.LOSS_SUM] = loss_sum

_steps_compiled = False
KERNEL_MODULES = (kernel_math, kernel_orders, kernel_passes)
"""What run_epochs calls, in the order they are compiled (each calls only those before it)."""


def compile_steps(njit, **options) -> None:
    """Put every function of KERNEL_MODULES under numba's ``njit`` with the kernel's ``options``,
    once, in place in its module, so that ``run_epochs``, compiled after this, finds them compiled
    where it looks them up. They are inlined into it (numba's ``inline="always"``): a call per row
    would double the time a small network's update takes. The shuffle is numba's twin of NumPy's
    Fisher-Yates where this numba has it (``random_interval``), else its Generator.shuffle."""
    global _steps_compiled
    if _steps_compiled:
        return
    inlined = njit(inline="always", **options)
    try:
        from numba.np.random.random_methods import random_interval
    except ImportError:  # a numba without it (its module is not public): its own shuffle, slower
        pass
    else:
        kernel_orders.random_interval = random_interval
        kernel_orders.shuffle = kernel_orders.shuffle_by_intervals
    for module in KERNEL_MODULES:
        for name, function in list(vars(module).items()):
            if inspect.isfunction(function) and function.__module__ == module.__name__ and name != "shuffle_by_intervals":
                setattr(module, name, inlined(function))
    _steps_compiled = True
