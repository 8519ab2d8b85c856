"""What one update computed, kept for showing a step to a student (``Trainer.step`` builds it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .optimizers import UpdateTrace


@dataclass(frozen=True)
class StepRecord:
    """Everything one update computed, for showing a step to a student.

    Lists of per-layer arrays run from layer 1 (the first hidden layer) to the
    output layer, in the same layout as ``Network.weights`` and ``biases``.
    """

    epoch: int
    """The epoch this step belongs to, counting from 1."""
    step: int
    """How many updates the trainer has made, this one included."""
    rows: np.ndarray
    """0-based indices into X of the rows used."""
    inputs: np.ndarray
    targets: np.ndarray
    z: list[np.ndarray]
    outputs: list[np.ndarray]
    y_hat: np.ndarray
    loss: float
    dloss_dyhat: np.ndarray
    deltas: list[np.ndarray]
    """∂L/∂z for every layer's weighted sums."""
    weight_grads: list[np.ndarray]
    bias_grads: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    learning_rate: float
    epoch_loss: float | None
    """The epoch's mean loss when this step completed an epoch, else None."""
    update: "UpdateTrace | None" = None
    """The optimizer's numbers (g with the penalty, v, m, s, m̂, ŝ), unless the rule was the notes'
    plain w_new = w_old − η·∂L/∂w."""
    validation_loss: float | None = None
    """The mean loss on the validation rows after this step, when it completed an epoch."""
    frozen: frozenset[str] = frozenset()
    """The parameters this step left as they were (training/freezing.py); their gradients are still above."""

    def _repr_markdown_(self) -> str:
        """In Jupyter, a record shows itself worked out in the notes' notation."""
        from .explain.render import step_markdown  # loaded when a notebook shows it, not with every record

        return step_markdown(self)
