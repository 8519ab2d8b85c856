"""The step log: every step, training run and rebuild since the lesson started, with what it takes
to take each one back exactly (Back)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine import Network, StepRecord, Trainer, TrainingSettings
from ..engine.optimizers import OptimizerState
from ..engine.training.trainer import TrainerPosition


@dataclass(frozen=True)
class LogEntry:
    """One step or training run, with the state before it."""

    kind: str
    """"step", "run" or "rebuild" (the network was built anew: another architecture or table)."""
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    """The parameters before it."""
    history_length: int
    """How many epochs the loss history held before it."""
    settings: TrainingSettings
    column_names: tuple[str, ...]
    """The settings and the table's columns it ran with, to explain it later."""
    trainer: Trainer | None = None
    position: TrainerPosition | None = None
    """The trainer it used and where that trainer was before it."""
    record: StepRecord | None = None
    """A step's record."""
    epochs: int = 0
    """Epochs a training run completed."""
    final_loss: float | None = None
    replaced: "ReplacedNetwork | None" = None
    """For a rebuild: everything the rebuild threw away, for Back to bring back."""

    @property
    def layer_sizes(self) -> list[int]:
        return [w.shape[0] for w in self.weights] + [self.weights[-1].shape[1]]

    def describe(self) -> str:
        if self.kind == "step":
            rows = ", ".join(str(int(r) + 1) for r in self.record.rows)
            return f"step {self.record.step} (row {rows})"
        if self.kind == "run":
            return f"the training run of {self.epochs:,} {'epoch' if self.epochs == 1 else 'epochs'}"
        return "the change of network (its trained weights and loss history are back)"


@dataclass(frozen=True)
class ReplacedNetwork:
    """A trained network with its history, kept when a rebuild replaces it."""

    network: Network
    settings: TrainingSettings
    initial_parameters: tuple[list[np.ndarray], list[np.ndarray]]
    loss_history: np.ndarray
    step_log: list[LogEntry] = field(default_factory=list)
    validation_history: np.ndarray | None = None
    optimizer_state: OptimizerState | None = None
