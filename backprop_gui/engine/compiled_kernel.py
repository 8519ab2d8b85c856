"""The compiled kernel itself: whole epochs of training as loops over single float64 numbers.

``run_epochs`` is the epoch loop, and makes each update itself; the functions before it are the
passes it makes row by row (``forward_row``, ``output_delta_row``, ``backward_row``), and
``mean_loss`` measures the validation rows after each epoch. All of it is plain Python until
``backprop_compiled.run_epochs_compiled`` puts it under numba (``compile_steps`` first: numba
looks up the functions a compiled function calls when it compiles it). Everything numba compiles
lives in this one file, because numba's on-disk cache of a function is made stale only by a
change to the function's own file.

The parameters are one flat float64 array (``backprop_compiled.flatten``); ``w_off[k]`` and
``b_off[k]`` are where weight layer k's weights and biases start in it.
"""

from __future__ import annotations

import math

import numpy as np

from . import run_slots as slot

BIG_BATCH_POLL_ROWS = 4096
"""Inside a batch, the stop flag is read every this many rows (a full batch of a million rows
takes longer than the 50 ms a stop may take); a stopped batch is abandoned before its update."""


def forward_row(params, sizes, acts, w_off, b_off, X, row, z, out):
    """Forward pass of X[row]: z_kj = Σ_i O_(k-1)i · w^k_ij + b_kj, O_kj = f(z_kj), into z and out."""
    n_layers = sizes.shape[0] - 1
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


def output_delta_row(loss_code, out_act, Y, row, z, out, delta, last, n_out, count, value_sum):
    """The loss of Y[row] and the output layer's δ = ∂L/∂z (losses.py), with the batch mean's
    1/count; returns ``value_sum`` with the row's loss values added to it one by one."""
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
    return value_sum


def backward_row(params, sizes, acts, w_off, b_off, X, row, z, out, delta, grads):
    """Backward pass of X[row], output layer first: ∂L/∂w^k_ij += O_(k-1)i · δ_kj, ∂L/∂b_kj += δ_kj,
    δ_(k-1)i = f′(z_(k-1)i) · Σ_j w^k_ij · δ_kj (the weights before the update)."""
    last = sizes.shape[0] - 2
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


def mean_loss(params, sizes, acts, loss_code, w_off, b_off, X, Y, z, out):
    """The mean loss of the parameters on the rows X, Y (losses.py's value), as Loss.value gives it."""
    n_layers = sizes.shape[0] - 1
    last = n_layers - 1
    n_out = sizes[n_layers]
    total = 0.0
    for row in range(X.shape[0]):
        forward_row(params, sizes, acts, w_off, b_off, X, row, z, out)
        for j in range(n_out):
            t = Y[row, j]
            if loss_code == 1:
                zj = z[last, j]
                total += max(zj, 0.0) - t * zj + math.log1p(math.exp(-abs(zj)))
            else:
                diff = t - out[last, j]
                total += diff * diff
    return total / (X.shape[0] * n_out)


def run_epochs(params, sizes, acts, loss_code, rate, opt_code, constants, state, X, Y, orders, random_order,
               batch_size, max_epochs, max_updates, ints, floats, epoch_losses, before, stop_flag, checks, tolerance,
               divergence_factor, baseline, Xv, Yv, val_losses, patience, before_state, best_params, best_state):  # fmt: skip
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
    λ₂, λ₁], state the (3, n) rows v, m, s updated in place, ints[slot.T] the update count t;
    ``before_state`` keeps the state as each epoch began, for a diverged epoch to put back.
    Validation: Xv, Yv the rows never trained on (none: zero rows); each completed epoch's mean
    loss on them goes to val_losses. With patience ≥ 1 (and validation rows), the call ends once
    the validation loss has not improved on its best for ``patience`` epochs, the parameters and
    state of the best epoch (kept in best_params, best_state, ints[slot.BEST_T]) put back.
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
    step_t = ints[slot.T]

    next_batch = ints[slot.NEXT_BATCH]
    loss_sum = floats[slot.LOSS_SUM]
    done = 0
    updates = 0
    status = slot.STATUS_DONE
    epoch = 0
    while epoch < max_epochs and status == slot.STATUS_DONE:
        order = orders[epoch] if random_order else orders[0]
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
                forward_row(params, sizes, acts, w_off, b_off, X, row, z, out)
                value_sum = output_delta_row(loss_code, out_act, Y, row, z, out, delta, last, n_out, count, value_sum)
                backward_row(params, sizes, acts, w_off, b_off, X, row, z, out, delta, grads)
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
            val_losses[done] = mean_loss(params, sizes, acts, loss_code, w_off, b_off, Xv, Yv, z, out)
        done += 1
        next_batch = 0
        loss_sum = 0.0
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
    ints[slot.NEXT_BATCH] = next_batch
    ints[slot.EPOCHS_DONE] = done
    ints[slot.UPDATES] = updates
    ints[slot.STATUS] = status
    floats[slot.LOSS_SUM] = loss_sum


_steps_compiled = False


def compile_steps(njit, **options) -> None:
    """Put the row passes and ``mean_loss`` under numba's ``njit`` with the kernel's
    ``options``, once, so that ``run_epochs``, compiled after this, finds them compiled by their
    names. They are inlined into it (numba's ``inline="always"``): a call per row would double the
    time a small network's update takes."""
    global forward_row, output_delta_row, backward_row, mean_loss, _steps_compiled
    if _steps_compiled:
        return
    inlined = njit(inline="always", **options)
    forward_row = inlined(forward_row)
    output_delta_row = inlined(output_delta_row)
    backward_row = inlined(backward_row)
    mean_loss = inlined(mean_loss)
    _steps_compiled = True
