"""The pieces every code export shares: the lesson as Python literals, the table's inputs, the script's frame.

``lesson_constants`` writes the table, the architecture, the settings and the initial and
current weights, every number with ``repr`` so it reads back as the same float;
``SCRIPT_DATA`` turns them into the arrays X and Y and scales the inputs as the app does;
``script`` puts a NumPy or PyTorch script together around its own imports and functions.
"""

from __future__ import annotations

import numpy as np

from ...engine.training.freezing import FrozenParameters
from ..snapshot import LessonSnapshot


def _floats(value) -> str:
    """A list (nested) of floats written exactly: repr of every float."""
    return repr(np.asarray(value, dtype=float).tolist())


def _table_literal(values: np.ndarray) -> str:
    rows = ",\n".join(f"    {_floats(row)}" for row in values)
    return "[\n" + rows + ",\n]" if len(values) else "[]"


def _layers_literal(arrays: list[np.ndarray]) -> str:
    return "[\n" + "".join(f"    {_floats(a)},\n" for a in arrays) + "]"


def _frozen_literal(snapshot: LessonSnapshot) -> tuple[list, list]:
    """The frozen weights' (k, i, j) and biases' (k, j), 0-based, in the notes' order."""
    frozen = FrozenParameters(snapshot.settings.frozen, snapshot.layer_sizes)
    weights = [tuple(int(n) for n in (k, *index)) for k, mask in enumerate(frozen.weight_masks) for index in np.argwhere(mask)]
    biases = [(k, int(j)) for k, mask in enumerate(frozen.bias_masks) for (j,) in np.argwhere(mask)]
    return weights, biases


def lesson_constants(snapshot: LessonSnapshot) -> str:
    """The Python lines that define the lesson: table, architecture, settings, weights."""
    s = snapshot.settings
    return f'''\
# The table: one row per student; the last column is the target.
COLUMNS = {snapshot.column_names!r}
TABLE = {_table_literal(snapshot.values)}

# The network: layer sizes from the inputs to the output (the inputs are layer 0).
LAYER_SIZES = {list(snapshot.layer_sizes)!r}
# Each hidden layer's activation, the first first: linear, sigmoid, tanh, relu, leaky_relu (slope 0.01),
# elu (alpha 1), softplus, gelu (exact, with erf) or silu (swish).
HIDDEN_ACTIVATIONS = {s.hidden_activation_names!r}
OUTPUT_ACTIVATION = {s.output_activation!r}
LOSS = {s.loss!r}  # "mse": L = (y - y_hat)^2; "bce": binary cross-entropy on a sigmoid output; "categorical_cross_entropy" on a softmax

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
# Frozen parameters ({', '.join(sorted(s.frozen)) or 'none'}): training leaves them as they are. Weights as
# (k, i, j) of weights[k][i][j], biases as (k, j) of biases[k][j].
FROZEN_WEIGHTS = {_frozen_literal(snapshot)[0]!r}
FROZEN_BIASES = {_frozen_literal(snapshot)[1]!r}
INITIAL_WEIGHTS = {_layers_literal(snapshot.initial_weights)}
INITIAL_BIASES = {_layers_literal(snapshot.initial_biases)}
WEIGHTS = {_layers_literal(snapshot.weights)}
BIASES = {_layers_literal(snapshot.biases)}
'''


SCRIPT_DATA = """\
X = np.array([row[:-1] for row in TABLE], dtype=float).reshape(len(TABLE), LAYER_SIZES[0])
Y = np.array([row[-1:] for row in TABLE], dtype=float).reshape(len(TABLE), 1)
if LOSS == "categorical_cross_entropy":  # the class column (0, 1, ..., k-1) as one-hot rows
    Y = np.eye(LAYER_SIZES[-1])[Y[:, 0].astype(int)]


def scale(X):
    \"\"\"The inputs the network sees, with the statistics of the whole table.\"\"\"
    if SCALING == "none":
        return X.copy()
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1.0  # a constant column is only centred
    return (X - mean) / std
"""


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


def script(snapshot: LessonSnapshot, flavour: str, imports: str, functions: str) -> str:
    """A self-contained script: its docstring, ``imports``, the lesson's constants, the data, ``functions``."""
    return "\n".join(
        ["#!/usr/bin/env python3", _docstring(snapshot, flavour), imports, lesson_constants(snapshot), SCRIPT_DATA, "", functions]
    )
