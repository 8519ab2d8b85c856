"""Export as a PyTorch script: the network as torch.nn.Linear layers trained by torch.optim.SGD, in float64.

``torch`` does the arithmetic, so its numbers agree with the app's to rounding. The rows come in
the app's order (NumPy's generator seeded as the app seeds it). Run it as the NumPy script.
"""

from __future__ import annotations

from ...engine.training.train_loop import DIVERGED, DIVERGENCE_FACTOR, NOT_FINITE, UNBOUNDED
from .code_template import script
from ..snapshot import LessonSnapshot

_TORCH_IMPORTS = """\
import sys

import numpy as np  # the row order: the app's generator, np.random.default_rng(SEED)
import torch

torch.set_default_dtype(torch.float64)
"""

_TORCH_FUNCTIONS = '''\
__DIVERGENCE_CONSTANTS__

ACTIVATIONS = {
    "linear": torch.nn.Identity,
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
    "elu": lambda: torch.nn.ELU(alpha=1.0),
    "softplus": torch.nn.Softplus,
    "gelu": torch.nn.GELU,  # the exact form, with erf
    "silu": torch.nn.SiLU,
    "softmax": lambda: torch.nn.Softmax(dim=1),  # the class probabilities (output only)
}


class Model(torch.nn.Module):
    """The network as torch.nn.Linear layers. A Linear layer's weight is the transpose of the
    notes' layout: layers[k].weight[j, i] is w^(k+1)_(i+1)(j+1), layers[k].bias[j] is b_(k+1)(j+1)."""

    def __init__(self, weights, biases):
        super().__init__()
        self.layers = torch.nn.ModuleList()
        for w, b in zip(weights, biases):
            w = torch.tensor(w, dtype=torch.float64)
            layer = torch.nn.Linear(w.shape[0], w.shape[1], dtype=torch.float64)
            with torch.no_grad():
                layer.weight.copy_(w.T)
                layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
            self.layers.append(layer)
        self.hidden = torch.nn.ModuleList(ACTIVATIONS[name]() for name in HIDDEN_ACTIVATIONS)
        self.output = ACTIVATIONS[OUTPUT_ACTIVATION]()

    def logits(self, x):
        """The output layer's weighted sums z."""
        for layer, activation in zip(self.layers[:-1], self.hidden):
            x = activation(layer(x))
        return self.layers[-1](x)

    def forward(self, x):
        return self.output(self.logits(x))


def loss_of(model, x, y):
    if LOSS == "categorical_cross_entropy":  # CrossEntropyLoss: log-softmax of the logits, mean over the rows
        return torch.nn.functional.cross_entropy(model.logits(x), y.argmax(dim=1))
    if LOSS == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(model.logits(x), y)
    return torch.nn.functional.mse_loss(model(x), y)


def constant_prediction_loss(y):
    mean = y.mean(dim=0)
    if LOSS == "categorical_cross_entropy":
        return float(-(mean * torch.log(mean.clamp(1e-12, 1.0))).sum())
    if LOSS == "bce":
        p = mean.clamp(1e-12, 1 - 1e-12)
        return float(-(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean())
    return float(((y - mean) ** 2).mean())


def train(model, inputs, y):
    """EPOCHS epochs of torch.optim.SGD, rows in the app's order; returns each epoch's mean loss."""
    n = len(inputs)
    batch_size = 1 if MODE == "sgd" else n if MODE == "batch" else min(BATCH_SIZE, n)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    rng = np.random.default_rng(SEED)
    parameters = list(model.parameters())
    losses, reference = [], None
    for epoch in range(EPOCHS):
        before = [p.detach().clone() for p in parameters]
        order = torch.from_numpy(rng.permutation(n) if ORDER == "random" else np.arange(n))
        epoch_x, epoch_y = inputs[order], y[order]
        total = 0.0
        starts = range(0, n, batch_size)
        for start in starts:
            optimizer.zero_grad()
            loss = loss_of(model, epoch_x[start:start + batch_size], epoch_y[start:start + batch_size])
            loss.backward()
            with torch.no_grad():  # a frozen parameter's gradient is not applied: it keeps its value
                for k, i, j in FROZEN_WEIGHTS:
                    model.layers[k].weight.grad[j, i] = 0.0
                for k, j in FROZEN_BIASES:
                    model.layers[k].bias.grad[j] = 0.0
            optimizer.step()  # w_new = w_old - eta * dL/dw
            total += loss.item()
        loss = total / len(starts)
        if reference is None:
            reference = max(loss, constant_prediction_loss(y))
        finite = np.isfinite(loss) and all(bool(torch.isfinite(p).all()) for p in parameters)
        if not finite or (loss > DIVERGENCE_FACTOR * reference and loss > 0):
            with torch.no_grad():
                for p, saved in zip(parameters, before):
                    p.copy_(saved)
            how = NOT_FINITE if not np.isfinite(loss) else UNBOUNDED
            print(DIVERGED.format(epoch=epoch + 1, how=how), file=sys.stderr)  # the app's own words
            break
        losses.append(loss)
        if STOP_AT_CONVERGENCE:
            change = max(float((p.detach() - saved).abs().max()) for p, saved in zip(parameters, before))
            if change <= CONVERGENCE_TOLERANCE:
                print(f"Converged at epoch {epoch + 1}.", file=sys.stderr)
                break
    return losses


def main(argv):
    inputs = torch.from_numpy(scale(X))
    y = torch.from_numpy(Y)
    if "--train" in argv:
        model = Model(INITIAL_WEIGHTS, INITIAL_BIASES)
        losses = train(model, inputs, y)
        print(repr(losses[-1]) if losses else "nan")  # the last epoch's mean loss
    else:
        model = Model(WEIGHTS, BIASES)
        with torch.no_grad():
            y_hat = model(inputs)
            for value in (y_hat.ravel() if LOSS == "categorical_cross_entropy" else y_hat[:, 0]).tolist():
                print(repr(value))


if __name__ == "__main__":
    main(sys.argv[1:])
'''
_TORCH_FUNCTIONS = _TORCH_FUNCTIONS.replace("__DIVERGENCE_CONSTANTS__", (
    f"# What the app says when a run diverges, in its own words.\n"
    f"DIVERGENCE_FACTOR = {DIVERGENCE_FACTOR!r}  # the loss may grow this many times past its start\n"
    f"DIVERGED = {DIVERGED!r}\n"
    f"NOT_FINITE, UNBOUNDED = {NOT_FINITE!r}, {UNBOUNDED!r}"))


def pytorch_script(snapshot: LessonSnapshot) -> str:
    """A Python script with the model as torch.nn layers trained by torch.optim.SGD, in float64."""
    return script(snapshot, "PyTorch", _TORCH_IMPORTS, _TORCH_FUNCTIONS)
