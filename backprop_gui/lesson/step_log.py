"""The step log: every step, training run and rebuild since the lesson started, with what it takes
to take each one back exactly (Back); and the marks on the loss history where the settings changed.

A change that keeps the network (the learning rate, the optimizer, a frozen weight, the row order,
…) keeps the loss history too; the loss plot marks the epoch after which it took effect, with what
changed ("η 0.001 → 0.01"), so a bend in the curve can be read against its cause. A history that is
replaced (Reset, a new architecture, Back to a replaced network, a loaded session) starts without
marks."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np

from ..engine import Network, StepRecord, Trainer, TrainingSettings
from ..engine.notation import format_number
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

LABELS = {
    "learning_rate": "η",
    "mode": "updates",
    "batch_size": "batch size",
    "order": "row order",
    "optimizer": "optimizer",
    "momentum": "μ",
    "l2": "λ₂",
    "l1": "λ₁",
    "frozen": "frozen",
    "scaling": "input scaling",
    "validation_percent": "validation %",
    "loss": "loss",
}
"""The settings whose change is marked, with the names the form shows. Others (the epochs to run,
the stopping rules, the seed and initialisation that only Reset uses) change no epoch's loss."""


def _text(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def describe_change(old: TrainingSettings, new: TrainingSettings) -> str:
    """What changed, in a few words: "η 0.001 → 0.01, optimizer sgd → adam"; "" if nothing marked."""
    parts = []
    for field in fields(TrainingSettings):
        name = field.name
        if name in LABELS and getattr(old, name) != getattr(new, name):
            parts.append(f"{LABELS[name]} {_text(getattr(old, name))} → {_text(getattr(new, name))}")
    return ", ".join(parts)


class SettingMark(NamedTuple):
    epochs: int
    """The epochs completed when the change was made: it applies from the next one."""
    text: str


class SettingMarks(list):
    """The marks of the current loss history, oldest first."""

    def note(self, epochs: int, old: TrainingSettings, new: TrainingSettings) -> None:
        """Mark a change made after ``epochs`` epochs, if there are epochs to mark and a marked setting changed."""
        text = describe_change(old, new)
        if epochs > 0 and text:
            if self and self[-1].epochs == epochs:  # several changes between two epochs: one mark
                text = f"{self.pop().text}, {text}"
            self.append(SettingMark(epochs, text))

    def within(self, epochs: int) -> list[SettingMark]:
        """The marks inside a history of ``epochs`` epochs (Back may have shortened it)."""
        return [mark for mark in self if mark.epochs <= epochs]
