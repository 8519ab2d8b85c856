"""What a ``Trainer`` accepts: its data, learning rate, loss, mode and order checked against each
other and the network, its rows split into those trained on and the validation rows, and the
batch size its mode gives. Each check raises ValueError saying what is wrong, for the form to show.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..losses import Loss, get_loss
from ..network import Network
from ..targets import one_hot

MODES = ("sgd", "minibatch", "batch")
ORDERS = ("sequential", "random")


def checked_inputs(
    network: Network, X, y, learning_rate: float, loss: str | Loss, mode: str, order: str
) -> tuple[np.ndarray, np.ndarray, Loss]:
    """X and y as the trainer's own float arrays (y with a column per output), and the Loss."""
    X = np.array(X, dtype=float, ndmin=2)  # a private copy: later edits to the caller's data do not leak in
    loss = get_loss(loss)
    y = one_hot(y, network.n_outputs) if loss.task == "multiclass" else np.array(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if X.shape[0] == 0:
        raise ValueError("there are no rows to train on")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
    if X.shape[1] != network.n_inputs or y.shape[1] != network.n_outputs:
        raise ValueError(
            f"data has {X.shape[1]} inputs and {y.shape[1]} outputs; "
            f"the network expects {network.n_inputs} and {network.n_outputs}"
        )
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("the data holds a value that is not a finite number")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a positive number, got {learning_rate}")
    if network.output_activation.name == "softmax" and loss.task != "multiclass":
        raise ValueError(
            f"a softmax output is for multi-class classification (categorical cross-entropy), not {loss.task}: "
            "choose another output activation, or the multi-class task"
        )
    if loss.required_output is not None and network.output_activation.name != loss.required_output:
        raise ValueError(f"{loss.formula} needs a {loss.required_output} output activation")
    problem = loss.targets_problem(y)
    if problem:
        raise ValueError(problem)
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {MODES}")
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose one of {ORDERS}")
    return X, y, loss


def split_rows(n_rows: int, validation_rows: Sequence[int] | None) -> tuple[np.ndarray, np.ndarray]:
    """The validation rows and the rows trained on, each ascending (0-based rows of X)."""
    # A mask rather than np.unique and np.setdiff1d, which import numpy.ma: 17 ms of start-up.
    validation = np.sort(np.asarray([] if validation_rows is None else validation_rows, dtype=np.int64))
    if validation.size and not (0 <= validation[0] and validation[-1] < n_rows):
        raise ValueError(f"validation rows must be rows 0 to {n_rows - 1}")
    is_validation = np.zeros(n_rows, dtype=bool)
    is_validation[validation] = True
    validation, train_rows = np.flatnonzero(is_validation), np.flatnonzero(~is_validation)
    if train_rows.size == 0:
        raise ValueError("every row is a validation row: there are no rows to train on")
    return validation, train_rows


def batch_size_for(mode: str, batch_size: int, n_train: int) -> int:
    """Rows per update: 1 for sgd, every row trained on for batch, else ``batch_size`` (at most n_train)."""
    if mode == "sgd":
        batch_size = 1
    elif mode == "batch":
        batch_size = n_train
    elif not 1 <= int(batch_size):
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    return min(int(batch_size), n_train)
