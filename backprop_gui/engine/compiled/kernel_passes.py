"""The compiled kernel's passes through the network: a row at a time (``forward_row``,
``output_delta_row``, ``backward_row``) and a block of rows at a time, layer after layer
(``forward_block``, ``output_delta_block``, ``backward_block``), and ``mean_loss`` of the
validation rows. Both kinds do backprop.py's chain rule; ``compiled_kernel.run_epochs`` picks by
the batch's size (BLOCK_MIN_BATCH). Plain Python until ``compiled_kernel.compile_steps`` compiles
it; calls into kernel_math go through the module, whose functions compile_steps replaces.

The parameters are one flat float64 array (``backprop_compiled.flatten``); ``w_off[k]`` and
``b_off[k]`` are where weight layer k's weights and biases start in it.
"""

from __future__ import annotations

import numpy as np

from . import kernel_math

BLOCK_ROWS = 256
"""A batch goes through the network this many rows at a time (the blocks of every layer stay in
the processor's cache)."""
BLOCK_MIN_BATCH = 16
"""Batches of fewer rows go a row at a time: measured on 2-2-1 and 2-8-8-1 tanh, blocks are
slower below 8 to 16 rows (each loop's set-up) and faster above."""


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
                o = 0.5 * (kernel_math.tanh(0.5 * s) + 1.0)
            elif act == 2:
                o = kernel_math.tanh(s)
            elif act == 3:
                o = s if (s > 0.0 or s != s) else 0.0
            else:
                o = kernel_math.activation_value(act, s)
            out[k, j] = o

def output_delta_row(loss_code, out_act, Y, row, z, out, delta, last, n_out, count, value_sum):
    """The loss of Y[row] and the output layer's δ = ∂L/∂z, into delta; returns ``value_sum`` with
    the row's loss values added to it one by one."""
    if loss_code == 2:  # softmax with cross-entropy: every output's δ depends on every z
        return value_sum + kernel_math.softmax_loss_and_deltas(Y[row], z[last, :n_out], delta[last], count)
    for j in range(n_out):
        value, delta[last, j] = kernel_math.loss_and_delta(loss_code, out_act, Y[row, j], out[last, j], z[last, j], count)
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
                elif act >= 4:
                    s = s * kernel_math.activation_slope(act, z[k - 1, i])
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
            out[k + 1, j, b] = 0.5 * (kernel_math.tanh(0.5 * z[k, j, b]) + 1.0)
    elif act == 2:
        for b in range(n):
            out[k + 1, j, b] = kernel_math.tanh(z[k, j, b])
    elif act == 3:
        for b in range(n):
            s = z[k, j, b]
            out[k + 1, j, b] = s if (s > 0.0 or s != s) else 0.0
    else:
        for b in range(n):
            out[k + 1, j, b] = kernel_math.activation_value(act, z[k, j, b])


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
    if loss_code == 2:  # softmax with cross-entropy, a row at a time
        for b in range(n):
            value_sum += kernel_math.softmax_loss_and_deltas(Y[order[start + b]], z[last, :n_out, b], delta[last, :, b], count)
        return value_sum
    for j in range(n_out):
        for b in range(n):
            t = Y[order[start + b], j]
            value, delta[last, j, b] = kernel_math.loss_and_delta(loss_code, out_act, t, out[last + 1, j, b], z[last, j, b], count)
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
                elif act >= 4:
                    for b in range(n):
                        delta[k - 1, i, b] *= kernel_math.activation_slope(act, z[k - 1, i, b])


def mean_loss(params, sizes, acts, loss_code, w_off, b_off, X, Y, z, out):
    """The mean loss of the parameters on the rows X, Y (losses.py's value), as Loss.value gives it."""
    n_layers = sizes.shape[0] - 1
    last = n_layers - 1
    n_out = sizes[n_layers]
    n_rows = X.shape[0]
    rows = np.arange(n_rows)
    total = 0.0
    scratch = np.empty(n_out)
    for start in range(0, n_rows, BLOCK_ROWS):
        n = min(BLOCK_ROWS, n_rows - start)
        forward_block(params, sizes, acts, w_off, b_off, X, rows, start, n, z, out)
        if loss_code == 2:
            for b in range(n):
                total += kernel_math.softmax_loss_and_deltas(Y[start + b], z[last, :n_out, b], scratch, 1.0)
            continue
        for j in range(n_out):
            for b in range(n):
                value, _ = kernel_math.loss_and_delta(loss_code, 0, Y[start + b, j], out[last + 1, j, b], z[last, j, b], 1.0)
                total += value
    return total / (n_rows * (1 if loss_code == 2 else n_out))  # the CCE sums over the outputs
