"""Export a lesson as code a student can run and change: a NumPy script, a PyTorch script, a notebook.

Each holds the table, the architecture, the settings and the initial and current weights,
every number written with ``repr`` so it reads back as the same float. Run as
``python OUT.py`` it prints the current network's prediction for every row (one ``repr`` a
line); ``python OUT.py --train`` trains from the initial weights with the lesson's settings
(the same input scaling, row order, update mode, loss and activations as the app) and prints
the last epoch's mean loss, as ``engine.train`` reports it.

The NumPy script does the engine's arithmetic in the engine's order, so its numbers are the
app's bit for bit in practice; the PyTorch one lets ``torch.nn`` and ``torch.optim`` do it in
float64, so its numbers agree to rounding.
"""

from __future__ import annotations

import base64
import os

import numpy as np

from ..engine import get_loss
from ..files import atomic_write_text
from .snapshot import LessonSnapshot

KINDS = ("numpy", "pytorch", "notebook")
SUFFIXES = {"numpy": ".py", "pytorch": ".py", "notebook": ".ipynb"}


# -- the lesson as Python literals ----------------------------------------------------------
def _floats(value) -> str:
    """A list (nested) of floats written exactly: repr of every float."""
    return repr(np.asarray(value, dtype=float).tolist())


def _table_literal(values: np.ndarray) -> str:
    rows = ",\n".join(f"    {_floats(row)}" for row in values)
    return "[\n" + rows + ",\n]" if len(values) else "[]"


def _layers_literal(arrays: list[np.ndarray]) -> str:
    return "[\n" + "".join(f"    {_floats(a)},\n" for a in arrays) + "]"


def lesson_constants(snapshot: LessonSnapshot) -> str:
    """The Python lines that define the lesson: table, architecture, settings, weights."""
    s = snapshot.settings
    return f'''\
# The table: one row per student; the last column is the target.
COLUMNS = {snapshot.column_names!r}
TABLE = {_table_literal(snapshot.values)}

# The network: layer sizes from the inputs to the output (the inputs are layer 0).
LAYER_SIZES = {list(snapshot.layer_sizes)!r}
HIDDEN_ACTIVATION = {s.hidden_activation!r}  # linear, sigmoid, tanh or relu
OUTPUT_ACTIVATION = {s.output_activation!r}
LOSS = {s.loss!r}  # "mse": L = (y - y_hat)^2; "bce": binary cross-entropy on a sigmoid output

# The training settings.
LEARNING_RATE = {s.learning_rate!r}  # eta in w_new = w_old - eta * dL/dw
EPOCHS = {s.epochs!r}
SCALING = {s.scaling!r}  # "standardize": (x - mean) / std of each column of the table; "none"
ORDER = {s.order!r}  # "random": rows shuffled every epoch by a generator seeded with SEED; "sequential"
MODE = {s.mode!r}  # "sgd": one row per update; "minibatch": BATCH_SIZE rows; "batch": the whole table
BATCH_SIZE = {s.batch_size!r}
SEED = {s.seed!r}
STOP_AT_CONVERGENCE = {s.stop_at_convergence!r}
CONVERGENCE_TOLERANCE = {s.convergence_tolerance!r}  # stop when no parameter moves more than this in an epoch

# weights[k][i][j] is the notes' w^(k+1)_(i+1)(j+1): from neuron i+1 of layer k to neuron j+1 of
# layer k+1. biases[k][j] is b_(k+1)(j+1). So WEIGHTS[0][0][0] is w^1_11 and BIASES[1][0] is b_21.
INITIAL_WEIGHTS = {_layers_literal(snapshot.initial_weights)}
INITIAL_BIASES = {_layers_literal(snapshot.initial_biases)}
WEIGHTS = {_layers_literal(snapshot.weights)}
BIASES = {_layers_literal(snapshot.biases)}
'''


# -- NumPy ------------------------------------------------------------------------------
_NUMPY_IMPORTS = """\
import sys

import numpy as np
"""

_NUMPY_DATA = """\
X = np.array([row[:-1] for row in TABLE], dtype=float).reshape(len(TABLE), LAYER_SIZES[0])
Y = np.array([row[-1:] for row in TABLE], dtype=float).reshape(len(TABLE), 1)


def scale(X):
    \"\"\"The inputs the network sees, with the statistics of the whole table.\"\"\"
    if SCALING == "none":
        return X.copy()
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1.0  # a constant column is only centred
    return (X - mean) / std
"""

_NUMPY_FUNCTIONS = '''\
def activate(name, z):
    if name == "linear":
        return z
    if name == "sigmoid":
        return 0.5 * (np.tanh(0.5 * z) + 1.0)  # 1 / (1 + e^-z), without overflow
    if name == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)  # relu


def slope(name, z, out):
    """f'(z), written with the neuron's output O as the notes do: O(1 - O) for the sigmoid."""
    if name == "sigmoid":
        return out * (1.0 - out)
    if name == "tanh":
        return 1.0 - out * out
    return (z > 0.0).astype(float)  # relu


def activation_of(k, weights):
    return OUTPUT_ACTIVATION if k == len(weights) - 1 else HIDDEN_ACTIVATION


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
    if LOSS == "bce":
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
            if HIDDEN_ACTIVATION != "linear":
                delta *= slope(HIDDEN_ACTIVATION, zs[k - 1], outs[k - 1])
    for w, g in zip(weights, weight_grads):
        w -= LEARNING_RATE * g
    for b, g in zip(biases, bias_grads):
        b -= LEARNING_RATE * g
    return loss


def constant_prediction_loss(y):
    """The loss of always predicting the mean target (the yardstick for divergence)."""
    mean = y.mean(axis=0)
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
            if not finite or (loss > 1e6 * reference and loss > 0):
                for p, saved in zip(parameters, before):
                    p[...] = saved
                print(f"Diverged at epoch {epoch + 1}; the weights from before it are kept.", file=sys.stderr)
                break
            losses.append(loss)
            if STOP_AT_CONVERGENCE:
                change = max(float(np.max(np.abs(p - saved))) for p, saved in zip(parameters, before))
                if change <= CONVERGENCE_TOLERANCE:
                    print(f"Converged at epoch {epoch + 1}.", file=sys.stderr)
                    break
    return losses
'''

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
        for value in predict(weights, biases, inputs)[:, 0]:
            print(repr(float(value)))


if __name__ == "__main__":
    main(sys.argv[1:])
'''


def _docstring(snapshot: LessonSnapshot, flavour: str) -> str:
    names = ", ".join(snapshot.input_names)
    sizes = "-".join(str(n) for n in snapshot.layer_sizes)
    return f'''\
"""A Backprop GUI lesson as a {flavour} script: a {sizes} network, inputs {names}, target {snapshot.target_name}.

    python THIS.py           prints the current network's prediction for every row, one a line
    python THIS.py --train   trains from the initial weights with the lesson's settings and
                             prints the mean loss of the last epoch

Exported by Backprop GUI; the arithmetic is the app's: forward pass, loss, the chain rule
from the output layer back, and w_new = w_old - eta * dL/dw for every weight and bias.
"""
'''


def numpy_script(snapshot: LessonSnapshot) -> str:
    """A self-contained Python script that needs only NumPy."""
    return "\n".join(
        [
            "#!/usr/bin/env python3",
            _docstring(snapshot, "NumPy"),
            _NUMPY_IMPORTS,
            lesson_constants(snapshot),
            _NUMPY_DATA,
            "",
            _NUMPY_FUNCTIONS,
            "",
            _NUMPY_MAIN,
        ]
    )


# -- PyTorch ----------------------------------------------------------------------------
_TORCH_IMPORTS = """\
import sys

import numpy as np  # the row order: the app's generator, np.random.default_rng(SEED)
import torch

torch.set_default_dtype(torch.float64)
"""

_TORCH_FUNCTIONS = '''\
ACTIVATIONS = {"linear": torch.nn.Identity, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}


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
        self.hidden = ACTIVATIONS[HIDDEN_ACTIVATION]()
        self.output = ACTIVATIONS[OUTPUT_ACTIVATION]()

    def logits(self, x):
        """The output layer's weighted sums z."""
        for layer in self.layers[:-1]:
            x = self.hidden(layer(x))
        return self.layers[-1](x)

    def forward(self, x):
        return self.output(self.logits(x))


def loss_of(model, x, y):
    if LOSS == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(model.logits(x), y)
    return torch.nn.functional.mse_loss(model(x), y)


def constant_prediction_loss(y):
    mean = y.mean(dim=0)
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
            optimizer.step()  # w_new = w_old - eta * dL/dw
            total += loss.item()
        loss = total / len(starts)
        if reference is None:
            reference = max(loss, constant_prediction_loss(y))
        finite = np.isfinite(loss) and all(bool(torch.isfinite(p).all()) for p in parameters)
        if not finite or (loss > 1e6 * reference and loss > 0):
            with torch.no_grad():
                for p, saved in zip(parameters, before):
                    p.copy_(saved)
            print(f"Diverged at epoch {epoch + 1}; the weights from before it are kept.", file=sys.stderr)
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
            for value in model(inputs)[:, 0].tolist():
                print(repr(value))


if __name__ == "__main__":
    main(sys.argv[1:])
'''


def pytorch_script(snapshot: LessonSnapshot) -> str:
    """A Python script with the model as torch.nn layers trained by torch.optim.SGD, in float64."""
    return "\n".join(
        [
            "#!/usr/bin/env python3",
            _docstring(snapshot, "PyTorch"),
            _TORCH_IMPORTS,
            lesson_constants(snapshot),
            _NUMPY_DATA,
            "",
            _TORCH_FUNCTIONS,
        ]
    )


# -- notebook ---------------------------------------------------------------------------
_PREDICT_CELL = """\
# The current network's prediction for every row of the table.
weights = [np.array(w, dtype=float) for w in WEIGHTS]
biases = [np.array(b, dtype=float) for b in BIASES]
for value in predict(weights, biases, scale(X))[:, 0]:
    print(repr(float(value)))"""

_TRAIN_CELL = """\
# Train from the initial weights with the lesson's settings; print the last epoch's mean loss.
trained_weights = [np.array(w, dtype=float) for w in INITIAL_WEIGHTS]
trained_biases = [np.array(b, dtype=float) for b in INITIAL_BIASES]
losses = train(trained_weights, trained_biases, scale(X), Y)
print(repr(losses[-1]) if losses else "nan")"""


def notebook(snapshot: LessonSnapshot):
    """The lesson as a Jupyter notebook (an ``nbformat`` v4 node): the NumPy script in cells,
    with the network's diagram and the next step worked in the notes' notation."""
    import nbformat.v4 as nbf

    from ..engine.render import network_svg, step_markdown

    sizes = "-".join(str(n) for n in snapshot.layer_sizes)
    s = snapshot.settings
    cells = [
        nbf.new_markdown_cell(
            f"# A Backprop GUI lesson: the {sizes} network\n\n"
            f"Inputs {', '.join(snapshot.input_names)}; target {snapshot.target_name}; {len(snapshot.values)} rows. "
            f"{s.hidden_activation.capitalize()} hidden neurons, a {s.output_activation} output, "
            f"the loss L = {get_loss(s.loss).formula}, η = {s.learning_rate!r}, "
            f"{s.epochs} epochs, {s.mode} updates, rows in {s.order} order, inputs scaled: {s.scaling}.\n\n"
            "Run the cells in order: the first define the lesson and the arithmetic, the next prints the current "
            "network's predictions, the last trains from the initial weights and prints the last epoch's mean loss."
        ),
        nbf.new_code_cell(_NUMPY_IMPORTS.strip()),
        nbf.new_code_cell(lesson_constants(snapshot).strip()),
        nbf.new_code_cell(_NUMPY_DATA.strip()),
        nbf.new_code_cell(_NUMPY_FUNCTIONS.strip()),
    ]
    svg = network_svg(snapshot.network(), snapshot.input_names, snapshot.target_name)
    diagram = nbf.new_markdown_cell(
        "## The network with its current weights\n\n![The network](attachment:network.svg)"
    )
    diagram["attachments"] = {"network.svg": {"image/svg+xml": base64.b64encode(svg.encode("utf-8")).decode("ascii")}}
    cells += [diagram, nbf.new_code_cell(_PREDICT_CELL)]
    try:
        explained = snapshot.explainer(snapshot.next_step())
    except ValueError:
        explained = None
    if explained is not None:
        cells.append(nbf.new_markdown_cell("## The next step, worked by hand\n\n" + step_markdown(explained, heading_level=3)))
    cells += [
        nbf.new_markdown_cell("## Training from the initial weights"),
        nbf.new_code_cell(_TRAIN_CELL),
    ]
    book = nbf.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    return book


def notebook_text(snapshot: LessonSnapshot) -> str:
    import nbformat

    book = notebook(snapshot)
    nbformat.validate(book)
    return nbformat.writes(book)


# -- writing ----------------------------------------------------------------------------
def export_code(kind: str, snapshot: LessonSnapshot) -> str:
    """The text of an export: ``kind`` is "numpy", "pytorch" or "notebook"."""
    if kind == "numpy":
        return numpy_script(snapshot)
    if kind == "pytorch":
        return pytorch_script(snapshot)
    if kind == "notebook":
        return notebook_text(snapshot)
    raise ValueError(f"unknown export {kind!r}; choose one of {KINDS}")


def write_code(kind: str, snapshot: LessonSnapshot, path: str | os.PathLike) -> None:
    """Write an export to ``path`` atomically (OSError if it cannot be written; the old file stays)."""
    atomic_write_text(path, export_code(kind, snapshot))


__all__ = ["KINDS", "SUFFIXES", "export_code", "lesson_constants", "notebook", "numpy_script", "pytorch_script", "write_code"]
