"""The compiled kernel itself: whole epochs of training as loops over single float64 numbers.

``run_epochs`` is the epoch loop, and makes each update itself; the functions before it are the
passes it makes. A batch of fewer than ``BLOCK_MIN_BATCH`` rows (per-sample training above
all) goes through the network a row at a time (``forward_row``, ``output_delta_row``,
``backward_row``); a larger one a block of rows at a time, one layer after the other
(``forward_block``, ``output_delta_block``, ``backward_block``), so that every inner loop runs
along a block's rows and compiles to vector instructions. Both do the arithmetic of
backprop.py's chain rule; a block pays to set up its loops, which a single row cannot win back.
``mean_loss`` measures the validation rows after each epoch.

All of it is plain Python until ``backprop_compiled.run_epochs_compiled`` puts it under numba
(``compile_steps`` first: numba looks up the functions a compiled function calls when it
compiles it). Everything numba compiles lives in this one file, because numba's on-disk cache of
a function is made stale only by a change to the function's own file.

The parameters are one flat float64 array (``backprop_compiled.flatten``); ``w_off[k]`` and
``b_off[k]`` are where weight layer k's weights and biases start in it.
"""

from __future__ import annotations

import math

import numpy as np

from . import run_slots as slot

BLOCK_ROWS = 256
"""A batch goes through the network this many rows at a time (the blocks of every layer stay in
the processor's cache)."""
BLOCK_MIN_BATCH = 16
"""Batches of fewer rows go a row at a time: measured on 2-2-1 and 2-8-8-1 tanh, blocks are
slower below 8 to 16 rows (each loop's set-up) and faster above."""


# tanh (below): Cephes' rational function for |v| < 0.625, and e^x as 2^k · e^r with the Taylor
# series of e^r to r¹³ (|r| ≤ ln2/2, so the series' error is below 1e-17 of e^r).
TANH_P = (-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3)
TANH_Q = (1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3)
LOG2_E = 1.4426950408889634
LN2_HIGH = 6.93145751953125e-1  # ln 2 = LN2_HIGH + LN2_LOW, LN2_HIGH with few bits: k·LN2_HIGH is exact
LN2_LOW = 1.42860682030941723212e-6
EXP_SERIES = tuple(1.0 / math.factorial(n) for n in range(14))


def tanh(v):
    """tanh to within one unit in the last place, in arithmetic only (no call into the C library),
    so that a loop over a block of rows compiles to vector instructions. np.tanh inside the
    kernel is the C library's, one number at a time: three quarters of a full batch's time.

    |v| < 0.625: v + v·z·P(z)/Q(z) with z = v²; otherwise ±(s − 1)/(s + 1) with s = e^(2|v|),
    |v| capped at 20, where tanh rounds to ±1. Both sides are computed and one is picked (no
    branch), which is what lets the loop vectorise.
    """
    a = abs(v)
    z = v * v
    x = 2.0 * (a if a < 20.0 else 20.0)
    k = math.floor(x * LOG2_E + 0.5)
    r = (x - k * LN2_HIGH) - k * LN2_LOW
    c = EXP_SERIES
    e_r = c[13]
    for n in range(12, -1, -1):
        e_r = e_r * r + c[n]
    # 2^k (0 ≤ k ≤ 58) exactly, as a product of powers of two.
    power = 1.0
    for bit in (32.0, 16.0, 8.0, 4.0, 2.0, 1.0):
        power = power * (2.0**bit) if k >= bit else power
        k = k - bit if k >= bit else k
    s = e_r * power
    small = a < 0.625
    p, q = TANH_P, TANH_Q
    numerator = v * z * ((p[0] * z + p[1]) * z + p[2]) if small else (s - 1.0 if v >= 0.0 else 1.0 - s)
    denominator = (((z + q[0]) * z + q[1]) * z + q[2]) if small else s + 1.0
    t = (v if small else 0.0) + numerator / denominator
    return v if (v != v or v == 0.0) else t  # NaN stays NaN, and ±0 keeps its sign


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
                o = 0.5 * (tanh(0.5 * s) + 1.0)
            elif act == 2:
                o = tanh(s)
            else:
                o = s if (s > 0.0 or s != s) else 0.0
            out[k, j] = o


def loss_and_delta(loss_code, out_act, t, a, zj, count):
    """One output value's loss (losses.py's value) and its δ = ∂L/∂z with the batch mean's 1/count,
    for target t, output a and weighted sum zj: the output layer's share of the chain rule."""
    if loss_code == 1:  # cross-entropy from the logit: δ = (a − t), the sigmoid's slope cancelled
        return max(zj, 0.0) - t * zj + math.log1p(math.exp(-abs(zj))), (a - t) / count
    diff = t - a
    d = (-2.0 / count) * diff  # ∂L/∂ŷ of L = (y − ŷ)², then times f′(z) of the output activation
    if out_act == 1:
        d = d * (a * (1.0 - a))
    elif out_act == 2:
        d = d * (1.0 - a * a)
    elif out_act == 3:
        d = d * (1.0 if zj > 0.0 else 0.0)
    return diff * diff, d


def output_delta_row(loss_code, out_act, Y, row, z, out, delta, last, n_out, count, value_sum):
    """The loss of Y[row] and the output layer's δ = ∂L/∂z, into delta; returns ``value_sum`` with
    the row's loss values added to it one by one."""
    for j in range(n_out):
        value, delta[last, j] = loss_and_delta(loss_code, out_act, Y[row, j], out[last, j], z[last, j], count)
        value_sum += value
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


def activate(act, z, out, k, j, n):
    """O_kj = f(z_kj) for the block's n rows: out[k + 1, j] from z[k, j], by activation code
    ``act`` (ACTIVATION_CODES). The blocks are indexed in full, never sliced: a slice in numba
    is a new array object, and making one per neuron costs more than a row's arithmetic."""
    if act == 0:
        for b in range(n):
            out[k + 1, j, b] = z[k, j, b]
    elif act == 1:
        for b in range(n):
            out[k + 1, j, b] = 0.5 * (tanh(0.5 * z[k, j, b]) + 1.0)
    elif act == 2:
        for b in range(n):
            out[k + 1, j, b] = tanh(z[k, j, b])
    else:
        for b in range(n):
            s = z[k, j, b]
            out[k + 1, j, b] = s if (s > 0.0 or s != s) else 0.0


def forward_block(params, sizes, acts, w_off, b_off, X, order, start, n, z, out):
    """Forward pass of the n rows X[order[start:start + n]]: out[0] holds their inputs, one row
    per input and one column per row; then for each layer k, z_kj = Σ_i O_(k-1)i · w^k_ij + b_kj
    into z[k, j] and O_kj = f(z_kj) into out[k + 1, j]."""
    for b in range(n):
        row = order[start + b]
        for i in range(sizes[0]):
            out[0, i, b] = X[row, i]
    for k in range(sizes.shape[0] - 1):
        n_in = sizes[k]
        n_k = sizes[k + 1]
        for j in range(n_k):
            for b in range(n):
                z[k, j, b] = 0.0
            for i in range(n_in):
                w = params[w_off[k] + i * n_k + j]
                for b in range(n):
                    z[k, j, b] += out[k, i, b] * w
            bias = params[b_off[k] + j]
            for b in range(n):
                z[k, j, b] += bias
            activate(acts[k], z, out, k, j, n)


def output_delta_block(loss_code, out_act, Y, order, start, n, z, out, delta, last, n_out, count, value_sum):
    """The loss of the block's rows and the output layer's δ = ∂L/∂z, into delta; returns
    ``value_sum`` with the rows' loss values added to it one by one."""
    for j in range(n_out):
        for b in range(n):
            t = Y[order[start + b], j]
            value, delta[last, j, b] = loss_and_delta(loss_code, out_act, t, out[last + 1, j, b], z[last, j, b], count)
            value_sum += value
    return value_sum


def add_products(grads, p, x, xk, xi, y, yk, yj, n, lanes):
    """grads[p] += Σ_b x[xk, xi, b]·y[yk, yj, b] over the block's n rows: one at a time for a
    few rows, else in eight interleaved lanes (vector registers) rather than one long chain."""
    if n < 8:
        total = grads[p]
        for b in range(n):
            total += x[xk, xi, b] * y[yk, yj, b]
        grads[p] = total
        return
    for lane in range(8):
        lanes[lane] = 0.0
    whole = n - n % 8
    for b in range(0, whole, 8):
        for lane in range(8):
            lanes[lane] += x[xk, xi, b + lane] * y[yk, yj, b + lane]
    for b in range(whole, n):
        lanes[b - whole] += x[xk, xi, b] * y[yk, yj, b]
    grads[p] += ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))


def backward_block(params, sizes, acts, w_off, b_off, n, z, out, delta, grads, ones, lanes):
    """Backward pass of the block, output layer first: ∂L/∂w^k_ij += Σ_rows O_(k-1)i · δ_kj,
    ∂L/∂b_kj += Σ_rows δ_kj, δ_(k-1)i = f′(z_(k-1)i) · Σ_j w^k_ij · δ_kj (the weights before
    the update). ``ones`` is a (1, 1, block) array of 1.0, a bias's input."""
    last = sizes.shape[0] - 2
    for k in range(last, -1, -1):
        n_in = sizes[k]
        n_k = sizes[k + 1]
        for i in range(n_in):
            for j in range(n_k):
                add_products(grads, w_off[k] + i * n_k + j, out, k, i, delta, k, j, n, lanes)
        for j in range(n_k):
            add_products(grads, b_off[k] + j, ones, 0, 0, delta, k, j, n, lanes)
        if k > 0:
            act = acts[k - 1]
            for i in range(n_in):
                for b in range(n):
                    delta[k - 1, i, b] = 0.0
                for j in range(n_k):
                    w = params[w_off[k] + i * n_k + j]
                    for b in range(n):
                        delta[k - 1, i, b] += delta[k, j, b] * w
                if act == 1:
                    for b in range(n):
                        o = out[k, i, b]
                        delta[k - 1, i, b] *= o * (1.0 - o)
                elif act == 2:
                    for b in range(n):
                        o = out[k, i, b]
                        delta[k - 1, i, b] *= 1.0 - o * o
                elif act == 3:
                    for b in range(n):
                        delta[k - 1, i, b] *= 1.0 if z[k - 1, i, b] > 0.0 else 0.0


def mean_loss(params, sizes, acts, loss_code, w_off, b_off, X, Y, z, out):
    """The mean loss of the parameters on the rows X, Y (losses.py's value), as Loss.value gives it."""
    n_layers = sizes.shape[0] - 1
    last = n_layers - 1
    n_out = sizes[n_layers]
    n_rows = X.shape[0]
    rows = np.arange(n_rows)
    total = 0.0
    for start in range(0, n_rows, BLOCK_ROWS):
        n = min(BLOCK_ROWS, n_rows - start)
        forward_block(params, sizes, acts, w_off, b_off, X, rows, start, n, z, out)
        for j in range(n_out):
            for b in range(n):
                value, _ = loss_and_delta(loss_code, 0, Y[start + b, j], out[last + 1, j, b], z[last, j, b], 1.0)
                total += value
    return total / (n_rows * n_out)


random_interval = None
"""numba's twin of NumPy's ``random_interval`` (the draw behind ``Generator.shuffle``), put here
by ``compile_steps`` when this numba has it."""


def shuffle(rng, values):
    """``rng.shuffle(values)``: numba's own works, but copies each element through an array view."""
    rng.shuffle(values)


def shuffle_by_intervals(rng, values):
    """``rng.shuffle(values)`` as NumPy does it, Fisher–Yates with ``random_interval``: the same
    draws from the generator, so the same order and the same state after it; a fifth of the
    time of numba's ``shuffle``."""
    for i in range(values.shape[0] - 1, 0, -1):
        j = np.int64(random_interval(rng.bit_generator, np.uint64(i)))
        swapped = values[j]
        values[j] = values[i]
        values[i] = swapped


def draw_order(rng, permutation, train_rows, has_validation, order):
    """A new epoch's random order into ``order``, as ``Trainer._draw_order`` draws it:
    ``rng.permutation(n)`` (an arange shuffled, the same numbers from the same generator
    state), taken through ``train_rows`` when some rows are kept for validation (without them
    ``permutation`` is ``order`` itself)."""
    for i in range(permutation.shape[0]):
        permutation[i] = i
    shuffle(rng, permutation)
    if has_validation:
        for i in range(permutation.shape[0]):
            order[i] = train_rows[permutation[i]]


def run_epochs(params, sizes, acts, loss_code, rate, opt_code, constants, state, X, Y, order, next_order,
               random_order, rng, train_rows, has_validation, batch_size, max_epochs, max_updates, ints, floats, epoch_losses, before, stop_flag, checks, tolerance,
               divergence_factor, baseline, Xv, Yv, val_losses, patience, before_state, best_params, best_state):  # fmt: skip
    """Up to ``max_epochs`` epochs (the first one possibly already begun) and ``max_updates`` updates.

    params: the flat parameters, updated in place. sizes: the layer sizes (inputs first).
    acts: each weight layer's activation code. loss_code: 0 squared error, 1 cross-entropy from
    logits (sigmoid output). X, Y: every row's inputs and targets. order: the current epoch's
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
    block = min(BLOCK_ROWS, max(batch_size, Xv.shape[0], 1))
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
                    draw_order(rng, permutation if has_validation else next_order, train_rows, has_validation, next_order)
                begun = 1
                new_epoch = False
            start = next_batch * batch_size
            stop = min(start + batch_size, n_rows)
            count = (stop - start) * n_out  # the values a batch loss averages
            grads[:] = 0.0
            value_sum = 0.0
            abandoned = False
            if batch_size < BLOCK_MIN_BATCH:
                for r in range(start, stop):
                    row = next_order[r]
                    forward_row(params, sizes, acts, w_off, b_off, X, row, z_row, out_row)
                    value_sum = output_delta_row(
                        loss_code, out_act, Y, row, z_row, out_row, delta_row, last, n_out, count, value_sum
                    )
                    backward_row(params, sizes, acts, w_off, b_off, X, row, z_row, out_row, delta_row, grads)
            else:
                for first in range(start, stop, block):
                    # A full batch of a million rows takes longer than the 50 ms a stop may take:
                    # the flag is read between blocks too, and a stopped batch is abandoned.
                    if first > start and stop_flag[0] != 0:
                        abandoned = True
                        break
                    n = min(block, stop - first)
                    forward_block(params, sizes, acts, w_off, b_off, X, next_order, first, n, z, out)
                    value_sum = output_delta_block(
                        loss_code, out_act, Y, next_order, first, n, z, out, delta, last, n_out, count, value_sum
                    )
                    backward_block(params, sizes, acts, w_off, b_off, n, z, out, delta, grads, ones, lanes)
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


def compile_steps(njit, **options) -> None:
    """Put the row passes and ``mean_loss`` under numba's ``njit`` with the kernel's
    ``options``, once, so that ``run_epochs``, compiled after this, finds them compiled by their
    names. They are inlined into it (numba's ``inline="always"``): a call per row would double the
    time a small network's update takes."""
    global random_interval, shuffle, draw_order, tanh, loss_and_delta, forward_row, output_delta_row, backward_row
    global activate, forward_block, output_delta_block, add_products, backward_block, mean_loss, _steps_compiled
    if _steps_compiled:
        return
    inlined = njit(inline="always", **options)
    tanh = inlined(tanh)
    loss_and_delta = inlined(loss_and_delta)
    try:
        from numba.np.random.random_methods import random_interval
    except ImportError:  # a numba without it (its module is not public): its own shuffle, slower
        shuffle = inlined(shuffle)
    else:
        shuffle = inlined(shuffle_by_intervals)
    draw_order = inlined(draw_order)
    forward_row = inlined(forward_row)
    output_delta_row = inlined(output_delta_row)
    backward_row = inlined(backward_row)
    activate = inlined(activate)
    forward_block = inlined(forward_block)
    output_delta_block = inlined(output_delta_block)
    add_products = inlined(add_products)
    backward_block = inlined(backward_block)
    mean_loss = inlined(mean_loss)
    _steps_compiled = True
