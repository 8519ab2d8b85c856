"""The loops behind ``Trainer.run_epoch``: the floats of ``Trainer.step``, without its bookkeeping.

``Trainer.step`` is the teaching path: it builds every intermediate array afresh
and copies them all into a StepRecord. ``run_epoch`` needs only the updated
parameters and the losses, so it runs one of these kernels instead.

A kernel makes the same NumPy calls as ``Trainer._compute`` and ``Trainer._apply``,
in the same order, on arrays of the same shapes and memory layouts, so NumPy picks
the same BLAS routine or loop and rounds the same way; but it writes into buffers
allocated once and kept from epoch to epoch. ``SampleKernel`` (one row per update,
one output) also does the output neuron's loss arithmetic in Python floats, which
IEEE-round exactly as NumPy's element-wise operations do; transcendental functions
(tanh, exp, log1p) stay NumPy calls on arrays, since ``math`` may round them
differently. ``tests/test_engine_fast_path.py`` checks both kernels against
``step()`` bit for bit.

Output arrays are passed positionally (``np.add(a, b, out)``): the ``out=`` keyword
costs ~0.5 µs more per ``np.matmul`` call, a tenth of an update on a small network.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .network import Network

SampleRunFn = Callable[[np.ndarray, list, int, int, float], float]
"""run(X, targets, first, stop, loss_sum): one update on each of rows first..stop-1 of X
(targets: the rows' targets as floats); returns loss_sum plus their losses, added one by one."""
BatchRunFn = Callable[[np.ndarray, np.ndarray, int, int, int, float], float]
"""run(X, y, batch_size, first, stop, loss_sum): one update on each of batches first..stop-1
(batch i is rows i·batch_size onwards); returns loss_sum plus their losses, added one by one."""


class _Kernel:
    """Buffers for one network shape, loss and learning rate."""

    def __init__(self, network: Network, loss: str, learning_rate: float) -> None:
        self.key = self.key_for(network, loss, learning_rate)
        self.loss = loss
        self.layer_sizes = list(network.layer_sizes)
        n_layers = len(self.layer_sizes) - 1
        # One activation per weight layer, as Network.activation(k) gives them.
        self.activations = [network.hidden_activation] * (n_layers - 1) + [network.output_activation]
        # The learning rate as arrays shaped like each gradient: multiplying by them is the
        # same IEEE product as by the float, without converting a Python scalar on every call.
        shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.weight_rates = [np.full(shape, learning_rate) for shape in shapes]
        self.bias_rates = [np.full((1, n_out), learning_rate) for _, n_out in shapes]
        self.weight_grads = [np.empty(shape) for shape in shapes]

    @staticmethod
    def key_for(network: Network, loss: str, learning_rate: float) -> tuple:
        return (
            tuple(network.layer_sizes),
            network.hidden_activation.name,
            network.output_activation.name,
            loss,
            learning_rate,
        )

    def fits(self, network: Network, loss: str, learning_rate: float) -> bool:
        return self.key == self.key_for(network, loss, learning_rate)

    def _hidden_derivative(self):
        """derivative_into of the hidden layers, or None when there are none or they are linear."""
        hidden = self.activations[0]
        return None if len(self.activations) == 1 or hidden.is_linear else hidden.derivative_into

    def _output_derivative(self):
        output = self.activations[-1]
        return None if output.is_linear else output.derivative_into


class SampleKernel(_Kernel):
    """Updates on one row at a time (``batch_size == 1``) for a network with a single output."""

    @staticmethod
    def applies(network: Network, batch_size: int) -> bool:
        return batch_size == 1 and network.n_outputs == 1

    def __init__(self, network: Network, loss: str, learning_rate: float) -> None:
        super().__init__(network, loss, learning_rate)
        widths = self.layer_sizes[1:]
        self.z = [np.empty((1, n)) for n in widths]
        # A linear layer's output is its weighted sum itself, as in Network.forward_pass.
        self.outputs = [z if act.is_linear else np.empty_like(z) for z, act in zip(self.z, self.activations)]
        self.deltas = [np.empty((1, n)) for n in widths]
        self.scratch = [np.empty((1, n)) for n in widths]
        self.bias_grads = [np.empty((1, n)) for n in widths]
        self.zeros = [np.zeros((1, n)) for n in widths]
        self.bce_a = np.empty((1, 1))
        self.bce_b = np.empty((1, 1))

    def bind(self, network: Network) -> SampleRunFn:
        """A function that trains ``network``; it holds the network's arrays, so bind again if they are replaced."""
        weights = network.weights
        biases = [b[None, :] for b in network.biases]  # 1 × n views, written through
        n_layers = len(weights)
        last = n_layers - 1
        z, outputs, deltas, scratch, weight_grads = self.z, self.outputs, self.deltas, self.scratch, self.weight_grads
        # Per layer, everything one pass touches, so that the loops below only unpack tuples.
        forward_layers = [
            (weights[k], biases[k], z[k], outputs[k], scratch[k], None if act.is_linear else act.forward_into)
            for k, act in enumerate(self.activations)
        ]
        # The layers above the first, top down: each one's input (transposed) for its weight
        # gradient, and what it takes to send its delta down through its weights.
        upper_layers = [
            (deltas[k], weight_grads[k], outputs[k - 1].T, weights[k].T, deltas[k - 1], z[k - 1], outputs[k - 1], scratch[k - 1])
            for k in range(last, 0, -1)
        ]
        hidden_derivative = self._hidden_derivative()
        first_delta, first_weight_grad = deltas[0], weight_grads[0]
        update_layers = list(
            zip(weights, biases, deltas, weight_grads, self.bias_grads, self.zeros, self.weight_rates, self.bias_rates)
        )
        output_derivative = self._output_derivative()
        z_out, y_hat_out, scratch_out = z[last], outputs[last], scratch[last]
        delta_out_flat = deltas[last].reshape(-1)
        bce = self.loss == "bce"
        bce_a, bce_b = self.bce_a, self.bce_b
        matmul, add, subtract, multiply = np.matmul, np.add, np.subtract, np.multiply
        np_abs, np_negative, np_exp, np_log1p = np.abs, np.negative, np.exp, np.log1p

        def run(X: np.ndarray, targets: list, first: int, stop: int, loss_sum: float) -> float:
            for r in range(first, stop):
                x = X[r : r + 1]
                # Forward (Network.forward_pass): z = a @ W; z += b; a = f(z).
                a = x
                for w, b, zk, ok, sk, forward in forward_layers:
                    matmul(a, w, zk)
                    add(zk, b, zk)
                    if forward is not None:
                        forward(zk, ok, sk)
                    a = ok
                target = targets[r]
                y_hat = a.item()
                # The loss and ∂L/∂z of the output neuron (losses.py), in floats; the mean over
                # one value, (0 + v) / 1, is v.
                if bce:
                    logit = z_out.item()
                    np_abs(z_out, bce_a)
                    np_negative(bce_a, bce_a)
                    np_exp(bce_a, bce_b)
                    np_log1p(bce_b, bce_a)
                    loss = max(logit, 0.0) - target * logit + bce_a.item()
                    delta = y_hat - target  # (ŷ - y) / 1
                else:
                    diff = target - y_hat
                    loss = diff * diff
                    delta = -2.0 * diff  # (-2 / 1) · (y - ŷ)
                    if output_derivative is not None:
                        output_derivative(z_out, y_hat_out, scratch_out)
                        delta = delta * scratch_out.item()
                loss_sum += loss
                delta_out_flat[0] = delta
                # Backward (Trainer._compute), output layer first. Every delta is found with
                # weights not yet updated, so all the updates can follow.
                for dk, gk, input_t, w_t, below, z_below, o_below, s_below in upper_layers:
                    matmul(input_t, dk, gk)
                    matmul(dk, w_t, below)
                    if hidden_derivative is not None:
                        hidden_derivative(z_below, o_below, s_below)
                        multiply(below, s_below, below)
                matmul(x.T, first_delta, first_weight_grad)
                # Update (Trainer._apply): w -= rate · ∂L/∂w and b -= rate · delta.sum(axis=0),
                # where the sum over one row is 0 + delta.
                for w, b, dk, gw, gb, zeros, w_rate, b_rate in update_layers:
                    multiply(w_rate, gw, gw)
                    subtract(w, gw, w)
                    add(zeros, dk, gb)
                    multiply(b_rate, gb, gb)
                    subtract(b, gb, b)
            return loss_sum

        return run


class BatchKernel(_Kernel):
    """Updates on batches of any size (mini-batch and full-batch), and on single rows of a
    network with several outputs."""

    def __init__(self, network: Network, loss: str, learning_rate: float) -> None:
        super().__init__(network, loss, learning_rate)
        self.bias_grads = [np.empty(n) for n in self.layer_sizes[1:]]
        self._buffers: dict[int, tuple] = {}

    def buffers(self, n_rows: int) -> tuple:
        """Arrays for a batch of ``n_rows`` rows (an epoch has at most two batch sizes):
        z, outputs, deltas and scratch per layer, and three arrays shaped like the targets."""
        found = self._buffers.get(n_rows)
        if found is None:
            widths = self.layer_sizes[1:]
            z = [np.empty((n_rows, n)) for n in widths]
            outputs = [zk if act.is_linear else np.empty_like(zk) for zk, act in zip(z, self.activations)]
            deltas = [np.empty((n_rows, n)) for n in widths]
            # Scratch space only lives within one activation or derivative: layers of one width
            # share it, which keeps a 100,000-row batch's buffers near what step() allocates.
            shared = {n: np.empty((n_rows, n)) for n in set(widths)}
            scratch = [shared[n] for n in widths]
            loss_buffers = tuple(np.empty((n_rows, widths[-1])) for _ in range(3))
            found = self._buffers[n_rows] = (z, outputs, deltas, scratch, loss_buffers)
        return found

    def bind(self, network: Network) -> BatchRunFn:
        """A function that trains ``network``; it holds the network's arrays, so bind again if they are replaced."""
        weights, biases = network.weights, network.biases
        biases_2d = [b[None, :] for b in biases]
        weights_t = [w.T for w in weights]
        n_layers = len(weights)
        last = n_layers - 1
        forwards = [None if act.is_linear else act.forward_into for act in self.activations]
        weight_grads, bias_grads = self.weight_grads, self.bias_grads
        weight_rates = self.weight_rates
        bias_rates = [r[0] for r in self.bias_rates]
        hidden_derivative = self._hidden_derivative()
        output_derivative = self._output_derivative()
        bce = self.loss == "bce"
        buffers_for = self.buffers
        matmul, add, subtract, multiply, add_reduce = np.matmul, np.add, np.subtract, np.multiply, np.add.reduce

        def run(X: np.ndarray, y: np.ndarray, batch_size: int, first: int, stop: int, loss_sum: float) -> float:
            for index in range(first, stop):
                start = index * batch_size
                x = X[start : start + batch_size]
                t = y[start : start + batch_size]
                z, outputs, deltas, scratch, (p, q, s) = buffers_for(x.shape[0])
                # Forward (Network.forward_pass).
                a = x
                for k in range(n_layers):
                    zk = z[k]
                    matmul(a, weights[k], zk)
                    add(zk, biases_2d[k], zk)
                    forward = forwards[k]
                    if forward is not None:
                        forward(zk, outputs[k], scratch[k])
                    a = outputs[k]
                # The loss and ∂L/∂z of the output layer (losses.py); np.mean is add.reduce / size.
                z_out, delta_out = z[last], deltas[last]
                if bce:
                    np.maximum(z_out, 0.0, out=p)
                    multiply(t, z_out, q)
                    subtract(p, q, p)
                    np.abs(z_out, q)
                    np.negative(q, q)
                    np.exp(q, s)
                    np.log1p(s, q)
                    add(p, q, p)
                    loss = float(add_reduce(p, axis=None)) / p.size
                    subtract(a, t, delta_out)
                    np.divide(delta_out, t.size, delta_out)
                else:
                    subtract(t, a, p)
                    multiply(p, p, q)
                    loss = float(add_reduce(q, axis=None)) / q.size
                    multiply(-2.0 / t.size, p, delta_out)
                    if output_derivative is not None:
                        output_derivative(z_out, a, s)
                        multiply(delta_out, s, delta_out)
                loss_sum += loss
                # Backward (Trainer._compute), output layer first; each weight update waits
                # until the delta below has been found with the old weights.
                for k in range(last, -1, -1):
                    dk = deltas[k]
                    gk = weight_grads[k]
                    matmul((x if k == 0 else outputs[k - 1]).T, dk, gk)
                    bk = bias_grads[k]
                    add_reduce(dk, axis=0, out=bk)
                    if k:
                        below = deltas[k - 1]
                        matmul(dk, weights_t[k], below)
                        if hidden_derivative is not None:
                            sk = scratch[k - 1]
                            hidden_derivative(z[k - 1], outputs[k - 1], sk)
                            multiply(below, sk, below)
                    # Update (Trainer._apply).
                    multiply(weight_rates[k], gk, gk)
                    subtract(weights[k], gk, weights[k])
                    multiply(bias_rates[k], bk, bk)
                    subtract(biases[k], bk, biases[k])
            return loss_sum

        return run
