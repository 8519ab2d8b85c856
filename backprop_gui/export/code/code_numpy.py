"""Export as a NumPy script: the engine's arithmetic, in the engine's order, needing only NumPy.

Its numbers are the app's bit for bit in practice. ``python OUT.py`` prints the current
network's prediction for every row; ``python OUT.py --train`` trains from the initial weights
with the lesson's settings and prints the last epoch's mean loss.
"""

from __future__ import annotations

from ...engine.training.train_loop import DIVERGED, DIVERGENCE_FACTOR, NOT_FINITE, UNBOUNDED
from .code_template import script
from ..snapshot import LessonSnapshot

NUMPY_IMPORTS = """\
import math
import sys

import numpy as np
"""

NUMPY_FUNCTIONS = '''\
__DIVERGENCE_CONSTANTS__

def activate(name, z):
    if name == "linear":
        return z
    if name == "sigmoid":
        return 0.5 * (np.tanh(0.5 * z) + 1.0)  # 1 / (1 + e^-z), without overflow
    if name == "tanh":
        return np.tanh(z)
    if name == "leaky_relu":
        return np.where(z > 0.0, z, 0.01 * z)
    if name == "elu":
        return np.where(z > 0.0, z, np.expm1(np.minimum(z, 0.0)))  # e^z - 1 for z <= 0
    if name == "softplus":
        # log(1 + e^z), and z itself above 20, as PyTorch computes it
        return np.where(z > 20.0, z, np.log1p(np.exp(np.minimum(z, 20.0))))
    if name == "gelu":
        return z * normal_cdf(z)
    if name == "silu":
        with np.errstate(over="ignore"):
            return z / (1.0 + np.exp(-z))  # z * sigmoid(z)
    if name == "softmax":  # each row's class probabilities; its largest z subtracted so e^z never overflows
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return np.maximum(z, 0.0)  # relu


def normal_cdf(z):
    """Phi(z) = (1 + erf(z / sqrt 2)) / 2, the exact GELU's weight of z."""
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(z * math.sqrt(0.5)))


def slope(name, z, out):
    """f'(z), written with the neuron's output O as the notes do: O(1 - O) for the sigmoid."""
    if name == "sigmoid":
        return out * (1.0 - out)
    if name == "tanh":
        return 1.0 - out * out
    if name == "leaky_relu":
        return np.where(z > 0.0, 1.0, 0.01)
    if name == "elu":
        return np.where(z > 0.0, 1.0, np.exp(np.minimum(z, 0.0)))
    if name == "softplus":
        e = np.exp(np.minimum(z, 20.0))
        return np.where(z > 20.0, 1.0, e / (e + 1.0))  # sigmoid(z)
    if name == "gelu":
        return normal_cdf(z) + z * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    if name == "silu":
        with np.errstate(over="ignore"):
            s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 + z * (1.0 - s))
    return (z > 0.0).astype(float)  # relu


def activation_of(k, weights):
    return OUTPUT_ACTIVATION if k == len(weights) - 1 else HIDDEN_ACTIVATIONS[k]


def forward(weights, biases, inputs):
    """Every layer's weighted sums z and outputs O, layer 1 first; the last output is y_hat."""
    zs, outs = [], []
    a = inputs
    for k, (w, b) in enumerate(zip(weights, biases)):
        z = a @ w
        z += b
        a = activate(activation_of(k, weights), z)
        zs.append(z)
        outs.append(a)
    return zs, outs


def predict(weights, biases, inputs):
    return forward(weights, biases, inputs)[1][-1]


def loss_of(y, z_out, y_hat):
    """The mean loss over the rows (and outputs)."""
    if LOSS == "categorical_cross_entropy":
        # -sum_k y_k log(y_hat_k) per row, by the log-softmax of the output's weighted sums
        shifted = z_out - z_out.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(np.sum(y * log_p, axis=-1)))
    if LOSS == "bce":
        # -y log(y_hat) - (1 - y) log(1 - y_hat), from the output's weighted sum so log(0) never occurs
        return float(np.mean(np.maximum(z_out, 0.0) - y * z_out + np.log1p(np.exp(-np.abs(z_out)))))
    diff = y - y_hat
    return float(np.mean(diff * diff))


def step(weights, biases, inputs, y):
    """One update by the notes' rule w_new = w_old - eta * dL/dw; returns the loss before it."""
    zs, outs = forward(weights, biases, inputs)
    y_hat = outs[-1]
    loss = loss_of(y, zs[-1], y_hat)
    if LOSS == "categorical_cross_entropy":
        delta = (y_hat - y) / y.shape[0]  # dL/dz_k = y_hat_k - y_k: softmax and cross-entropy together
    elif LOSS == "bce":
        delta = (y_hat - y) / y.size  # dL/dy_hat * dy_hat/dz = -(y - y_hat) through a sigmoid output
    else:
        delta = (-2.0 / y.size) * (y - y_hat)  # dL/dy_hat = -2(y - y_hat)
        if OUTPUT_ACTIVATION != "linear":
            delta = delta * slope(OUTPUT_ACTIVATION, zs[-1], y_hat)
    weight_grads, bias_grads = [None] * len(weights), [None] * len(weights)
    for k in range(len(weights) - 1, -1, -1):  # the chain rule, from the output layer back
        previous = inputs if k == 0 else outs[k - 1]
        weight_grads[k] = previous.T @ delta
        bias_grads[k] = delta.sum(axis=0)
        if k > 0:
            delta = delta @ weights[k].T
            if activation_of(k - 1, weights) != "linear":
                delta *= slope(activation_of(k - 1, weights), zs[k - 1], outs[k - 1])
    for k, i, j in FROZEN_WEIGHTS:  # a frozen parameter's gradient is not applied: it keeps its value
        weight_grads[k][i, j] = 0.0
    for k, j in FROZEN_BIASES:
        bias_grads[k][j] = 0.0
    for w, g in zip(weights, weight_grads):
        w -= LEARNING_RATE * g
    for b, g in zip(biases, bias_grads):
        b -= LEARNING_RATE * g
    return loss


def constant_prediction_loss(y):
    """The loss of always predicting the mean target (the yardstick for divergence)."""
    mean = y.mean(axis=0)
    if LOSS == "categorical_cross_entropy":  # the classes' frequencies as the probabilities
        return float(-np.sum(mean * np.log(np.clip(mean, 1e-12, 1.0))))
    if LOSS == "bce":
        p = np.clip(mean, 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float(np.mean((y - mean) ** 2))


def train(weights, biases, inputs, y):
    """EPOCHS epochs from the given weights, as the app trains; returns each epoch's mean loss.

    Stops early at convergence (if STOP_AT_CONVERGENCE) or when the loss stops being finite
    or grows a million times past its start; then the weights from before that epoch are kept.
    """
    n = len(inputs)
    batch_size = 1 if MODE == "sgd" else n if MODE == "batch" else min(BATCH_SIZE, n)
    rng = np.random.default_rng(SEED)
    parameters = weights + biases
    losses, reference = [], None
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(EPOCHS):
            before = [p.copy() for p in parameters]
            order = rng.permutation(n) if ORDER == "random" else np.arange(n)
            epoch_X, epoch_y = inputs[order], y[order]
            total = 0.0
            starts = range(0, n, batch_size)
            for start in starts:
                total += step(weights, biases, epoch_X[start:start + batch_size], epoch_y[start:start + batch_size])
            loss = total / len(starts)
            if reference is None:
                reference = max(loss, constant_prediction_loss(y))
            finite = np.isfinite(loss) and all(np.isfinite(p).all() for p in parameters)
            if not finite or (loss > DIVERGENCE_FACTOR * reference and loss > 0):
                for p, saved in zip(parameters, before):
                    p[...] = saved
                how = NOT_FINITE if not np.isfinite(loss) else UNBOUNDED
                print(DIVERGED.format(epoch=epoch + 1, how=how), file=sys.stderr)  # the app's own words
                break
            losses.append(loss)
            if STOP_AT_CONVERGENCE:
                change = max(float(np.max(np.abs(p - saved))) for p, saved in zip(parameters, before))
                if change <= CONVERGENCE_TOLERANCE:
                    print(f"Converged at epoch {epoch + 1}.", file=sys.stderr)
                    break
    return losses
'''
NUMPY_FUNCTIONS = NUMPY_FUNCTIONS.replace("__DIVERGENCE_CONSTANTS__", (
    f"# What the app says when a run diverges, in its own words.\n"
    f"DIVERGENCE_FACTOR = {DIVERGENCE_FACTOR!r}  # the loss may grow this many times past its start\n"
    f"DIVERGED = {DIVERGED!r}\n"
    f"NOT_FINITE, UNBOUNDED = {NOT_FINITE!r}, {UNBOUNDED!r}"))

_NUMPY_MAIN = '''\
def main(argv):
    inputs = scale(X)
    if "--train" in argv:
        weights = [np.array(w, dtype=float) for w in INITIAL_WEIGHTS]
        biases = [np.array(b, dtype=float) for b in INITIAL_BIASES]
        losses = train(weights, biases, inputs, Y)
        print(repr(losses[-1]) if losses else "nan")  # the last epoch's mean loss
    else:
        weights = [np.array(w, dtype=float) for w in WEIGHTS]
        biases = [np.array(b, dtype=float) for b in BIASES]
        y_hat = predict(weights, biases, inputs)
        for value in (y_hat.ravel() if LOSS == "categorical_cross_entropy" else y_hat[:, 0]):
            print(repr(float(value)))  # multi-class: each row's class probabilities, class 0 first


if __name__ == "__main__":
    main(sys.argv[1:])
'''


def numpy_script(snapshot: LessonSnapshot) -> str:
    """A self-contained Python script that needs only NumPy."""
    return script(snapshot, "NumPy", NUMPY_IMPORTS, NUMPY_FUNCTIONS + "\n\n" + _NUMPY_MAIN)
