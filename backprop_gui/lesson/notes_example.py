"""The course notes' worked example (seed 000) in one undoable action, and what the notes say of it.

The notes' setup: their three-row table (IQ, CGPA → package), all weights 1 and biases 0, the raw
inputs, the rows in order (they take the first row), the linear 2-2-1 network with L = (y − ŷ)²
and plain gradient descent w_new = w_old − η·∂L/∂w. The notes name no value for η; the app's
0.001 is the one its worked step shows (w¹₁₁ ← 1 − 0.001 · 27360 = −26.36).

``NotesExample`` is a ``Command``: pushed on the table's history it sets all of that up and
re-initialises the network; undone, it puts back the table, the settings, the network, its loss
histories and its step log exactly as they were.

The notes also *suppose* the first prediction is 17 (L = (5 − 17)² = 144) to illustrate the loss;
with their weights the network gives 176 (L = 29241). ``loss_remark`` says so beside the loss of a
step on the notes' first row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import TrainingSettings
from ..engine.notation import format_number
from .table import NOTES_COLUMNS, NOTES_ROWS
from .undo import Command

NOTES_LEARNING_RATE = 0.001
NOTES_SETTINGS = {
    "init": "ones",
    "scaling": "none",
    "order": "sequential",
    "mode": "sgd",
    "hidden_layers": (2,),
    "hidden_activation": "linear",
    "output_activation": "linear",
    "loss": "mse",
    "optimizer": "sgd",
    "l2": 0.0,
    "l1": 0.0,
    "validation_percent": 0,
    "patience": 0,
}
"""The settings the notes' example fixes; the others (epochs, seed, …) stay as the user set them."""
NOTES_SUPPOSED_Y_HAT = 17.0
"""Seed 000, step 3: "Suppose the answer we got is 17"; step 4: L = (5 − 17)² = 144."""
NOTES_FIRST_ROW = NOTES_ROWS[0]
SHORT_REMARK = (
    f"the notes suppose ŷ = {format_number(NOTES_SUPPOSED_Y_HAT)} "
    f"(L = {format_number((NOTES_FIRST_ROW[-1] - NOTES_SUPPOSED_Y_HAT) ** 2)}) for illustration"
)
"""The remark in a few words, for the status line."""

DESCRIPTION = (
    "The notes' example: their table, weights 1 and biases 0, raw inputs, rows in order, "
    f"L = (y − ŷ)², η = {format_number(NOTES_LEARNING_RATE)}"
)


def notes_settings(settings: TrainingSettings) -> TrainingSettings:
    return settings.replace(learning_rate=NOTES_LEARNING_RATE, **NOTES_SETTINGS)


def follows_notes_settings(settings: TrainingSettings) -> bool:
    return all(getattr(settings, name) == value for name, value in NOTES_SETTINGS.items())


def is_notes_example(lesson) -> bool:
    """Whether the lesson is on the notes' example: their table and settings, and a network that
    was started from weights 1 and biases 0."""
    table = lesson.table
    return (
        follows_notes_settings(lesson.settings)
        and table.column_names == NOTES_COLUMNS
        and table.n_rows == len(NOTES_ROWS)
        and bool(np.array_equal(table.values(), np.array(NOTES_ROWS)))
        and lesson.network.init == "ones"
    )


def loss_remark(settings: TrainingSettings, record) -> list[str]:
    """Beside the loss of a step on the notes' first row with the notes' settings: the notes'
    supposed ŷ = 17 and L = 144, and what the weights on show give. Empty otherwise."""
    if not follows_notes_settings(settings) or len(record.rows) != 1 or record.y_hat.size != 1:
        return []
    row = [*map(float, record.inputs[0]), *map(float, record.targets[0])]
    if row != NOTES_FIRST_ROW:
        return []
    y, supposed = NOTES_FIRST_ROW[-1], NOTES_SUPPOSED_Y_HAT
    y_hat = float(record.y_hat[0, 0])
    start = "all weights 1, biases 0" if _all_ones(record) else "the weights on show"
    return [
        f"The notes suppose ŷ = {format_number(supposed)} for illustration: L = ({format_number(y)} − "
        f"{format_number(supposed)})² = {format_number((y - supposed) ** 2)}.",
        f"Here {start} give ŷ = {format_number(y_hat)}, so L = {format_number(record.loss)}.",
    ]


def _all_ones(record) -> bool:
    return all(np.all(w == 1.0) for w in record.weights_before) and all(np.all(b == 0.0) for b in record.biases_before)


@dataclass
class _Setup:
    """Everything the notes' example replaces, to put back on undo."""

    settings: TrainingSettings
    column_names: list
    values: np.ndarray
    network: object
    initial_parameters: tuple
    loss_history: np.ndarray
    validation_history: np.ndarray
    step_log: list
    optimizer_state: object

    @classmethod
    def of(cls, lesson) -> "_Setup":
        return cls(
            lesson.settings,
            lesson.table.column_names,
            lesson.table.values(),
            lesson.network.copy(),
            lesson.initial_parameters,
            lesson.loss_history.values.copy(),
            lesson.validation_history.values.copy(),
            list(lesson.step_log),
            lesson.optimizer_state(),
        )


class NotesExample(Command):
    """Set up the notes' example (redo) or put the setup before it back (undo), as one command."""

    text = "Use the notes' example"

    def __init__(self, lesson) -> None:
        self._lesson = lesson
        self._before: _Setup | None = None

    def redo(self) -> None:
        lesson = self._lesson
        self._before = _Setup.of(lesson)
        settings = notes_settings(lesson.settings)
        network = settings.build_network(len(NOTES_COLUMNS) - 1)
        self._put(_Setup(settings, list(NOTES_COLUMNS), np.array(NOTES_ROWS), network, network.get_parameters(),
                         np.empty(0), np.empty(0), [], None))  # fmt: skip

    def undo(self) -> None:
        if self._before is not None:
            self._put(self._before)

    def _put(self, setup: _Setup) -> None:
        lesson = self._lesson
        if lesson.is_running:
            # The run trains a copy of this network: swapping it now would give the run's weights
            # to another network. The command leaves the history instead, and says why.
            self.obsolete = True
            lesson.message.emit("Training is running, so the notes' example stays; it can no longer be undone.")
            return
        lesson._settings = setup.settings
        lesson.network = setup.network.copy()
        lesson.initial_parameters = setup.initial_parameters
        lesson.step_log[:] = setup.step_log
        lesson._set_histories(setup.loss_history, setup.validation_history)
        lesson._carried_state = setup.optimizer_state
        lesson._refresh_last_record()
        lesson._trainer = lesson._scaler = None
        lesson.step_log_changed.emit()  # before the table's events: nothing may show a step of another setup
        lesson._loading = True
        try:
            lesson.table._reset(setup.values, setup.column_names)
        finally:
            lesson._loading = False
        lesson._trainer = lesson._scaler = None
        lesson._emit_everything()


def describe_setup_change() -> str:
    return f"{DESCRIPTION}. Undo (Ctrl+Z) puts back the previous setup."


__all__ = [
    "DESCRIPTION",
    "NOTES_LEARNING_RATE",
    "NOTES_SETTINGS",
    "NotesExample",
    "follows_notes_settings",
    "is_notes_example",
    "loss_remark",
]
