"""One lesson: the table, the training settings, the network, its loss history and step log.

Everything the app shows is read from here, and every change goes through here; views listen to
its events. Nothing here knows about Qt or threads: a training run is started with ``begin_run``,
fed its progress with ``apply_progress`` and ended with ``finish_run`` — by the app's worker
thread, or by ``train`` right here, which is what a notebook or a test calls.

    >>> lesson = Lesson(TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6))
    >>> record = lesson.step()
    >>> float(record.y_hat[0, 0]), record.loss
    (176.0, 29241.0)
"""

from __future__ import annotations

import math
import os
from dataclasses import replace

import numpy as np

from ..engine import (
    CLASSIFICATION_DEFAULTS,
    REGRESSION_DEFAULTS,
    LossHistory,
    StepRecord,
    Trainer,
    TrainingSettings,
    classification_problem,
)
from ..engine.training.freezing import check_frozen_names
from ..engine.optimizers import OptimizerState
from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import format_number
from .divergence_advice import overflow_advice
from .events import Event
from .kept_runs import KeptRuns
from .measures import Measures
from .notes_example import NotesExample
from .runs import Runs
from .saving import Saving
from .step_log import LogEntry, ReplacedNetwork, SettingMarks
from .table import Table

ARCHITECTURE_FIELDS = ("hidden_layers", "hidden_activation", "hidden_activations", "output_activation")


class Lesson(Runs, Measures, Saving):
    def __init__(self, settings: TrainingSettings | None = None, table: Table | None = None) -> None:
        self.table = table if table is not None else Table()
        self._settings = settings or TrainingSettings()
        self.network = self._settings.build_network(len(self.table.input_names))
        self.initial_parameters = self.network.get_parameters()
        """The weights and biases the network started from at the last reset or rebuild."""
        self.loss_history = LossHistory()
        self.validation_history = LossHistory()
        self.kept_runs = KeptRuns()
        """Runs the user pinned to compare (saved in the session)."""
        """The mean loss on the validation rows after each epoch of ``loss_history`` (NaN for an
        epoch trained without validation rows): always as long as the loss history."""
        self._carried_state: OptimizerState | None = None
        """The optimizer state the next trainer starts from (a dropped trainer's, a saved one)."""
        self.step_log: list[LogEntry] = []
        """Every step, run and rebuild since the lesson started afresh, oldest first; Back takes the last back."""
        self.last_record: StepRecord | None = None
        self._trainer: Trainer | None = None
        self._scaler = None
        self.setting_marks = SettingMarks()  # where the settings changed within the loss history
        """The input scaling fitted to the table (Measures.scaler), until the table or settings change."""
        self._run: LogEntry | None = None
        """The log entry of the run in progress, or None."""

        self.parameters_changed = Event()
        self.history_changed = Event()
        self.settings_changed = Event()
        self.structure_changed = Event()
        """The network was built anew (other layer sizes, inputs or activations)."""
        self.step_log_changed = Event()
        self.stepped = Event()
        """(StepRecord) after each step."""
        self.running_changed = Event()
        """(bool) a run started or ended."""
        self.stop_requested = Event()
        """The run in progress should stop (its network no longer fits the table)."""
        self.message = Event()
        """(str) something the user should read."""
        self.table.changed.connect(self._on_table_changed)
        self.table.reset.connect(self._on_table_replaced)

    # -- reading -------------------------------------------------------------
    @property
    def settings(self) -> TrainingSettings:
        return self._settings

    @property
    def is_running(self) -> bool:
        return self._run is not None

    # -- settings ------------------------------------------------------------
    def freeze(self, name: str, frozen: bool = True) -> None:
        """Freeze a parameter by name ("w¹₁₁"), or free it: steps and training leave a frozen one as
        it is, and still show its gradient. ValueError for a name the network does not have."""
        check_frozen_names({name}, self.network.layer_sizes)
        names = self.frozen | {name} if frozen else self.frozen - {name}
        self.update_settings(frozen=tuple(names))

    # -- settings ------------------------------------------------------------
    def update_settings(self, **changes) -> None:
        """Change settings (ValueError, changing nothing, if one is out of range). Another
        architecture rebuilds the network, and Back can bring the old one back; the rest
        apply from the next step."""
        new = self._settings.replace(**changes)
        if new == self._settings:
            return
        old, self._settings = self._settings, new
        self.setting_marks.note(len(self.loss_history), old, new)
        # Another learning rate, penalty or table keeps the optimizer's averages (as PyTorch's
        # would); another optimizer starts its own afresh.
        self._drop_trainer(keep_state=old.optimizer == new.optimizer)
        self._scaler = None
        if any(getattr(old, name) != getattr(new, name) for name in ARCHITECTURE_FIELDS):
            self._rebuild(previous_settings=old)
        self.settings_changed.emit()

    def choose_task(self, task: str) -> None:
        """Regression or classification in one action, with that task's defaults; says so if the
        targets do not fit."""
        if task == self._settings.task:
            return
        self.update_settings(**(CLASSIFICATION_DEFAULTS if task == "classification" else REGRESSION_DEFAULTS))
        if task == "classification" and self.table.n_rows:
            problem = classification_problem(self.table.targets())
            if problem:
                self.message.emit(problem)

    def use_notes_example(self) -> bool:
        """The notes' example (seed 000) in one undoable change of the table's history: their
        table and settings, and the network re-initialised to weights 1, biases 0 (notes_example.py)."""
        if self.is_running:
            self.message.emit("Stop training before you set up the notes' example.")
            return False
        self.table.history.push(NotesExample(self))
        return True

    # -- stepping ------------------------------------------------------------
    def step(self, rows=None) -> StepRecord | None:
        """One update of gradient descent; its record, or None with a message."""
        if self.is_running:
            return None
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        if rows is not None and any(not 0 <= int(r) < trainer.n_rows for r in rows):
            self.message.emit("Select rows of the table to step on.")
            return None
        if rows is not None and np.isin(np.asarray(rows, dtype=int), trainer.validation_rows).any():
            self.message.emit("A validation row is never trained on: select training rows to step on.")
            return None
        self._drop_diverged_point()
        entry = self._entry("step", trainer)
        record = trainer.step(rows)
        if not (self.network.all_parameters_finite() and math.isfinite(record.loss)):
            self.network.set_parameters(record.weights_before, record.biases_before)
            trainer.restore_position(entry.position)
            self.message.emit(overflow_advice(self._settings))
            return None
        self.last_record = record
        self.step_log.append(replace(entry, record=record))
        if record.epoch_loss is not None:
            self.loss_history.append(record.epoch_loss)
            self.validation_history.append(math.nan if record.validation_loss is None else record.validation_loss)
            self.history_changed.emit()
        self.step_log_changed.emit()
        self.parameters_changed.emit()
        self.stepped.emit(record)
        return record

    def back(self) -> LogEntry | None:
        """Take back the last step, run or rebuild exactly: parameters, loss history, the
        trainer's place in its epoch (and for a rebuild the old network and settings)."""
        if self.is_running or not self.step_log:
            return None
        entry = self.step_log[-1]
        self.diverged_epoch = None  # Back puts the history as it was before the entry, without it
        if entry.kind == "rebuild":
            replaced = entry.replaced
            if replaced.network.n_inputs != len(self.table.input_names):
                self.message.emit(
                    "The network before the change had another number of inputs than the table has now: "
                    "undo the table change first (Ctrl+Z)."
                )
                return None
            self.step_log.pop()
            self._settings = replaced.settings
            self.network = replaced.network.copy()
            self.initial_parameters = replaced.initial_parameters
            self.step_log[:] = replaced.step_log
            self._set_histories(replaced.loss_history, replaced.validation_history)
            self._trainer = self._scaler = None
            self._carried_state = replaced.optimizer_state
            self._refresh_last_record()
            self._emit_everything()
            return entry
        self.step_log.pop()
        self.network.set_parameters(entry.weights, entry.biases)
        self.loss_history.truncate(entry.history_length)
        self.validation_history.truncate(entry.history_length)
        if entry.trainer is not None and entry.trainer is self._trainer:
            self._trainer.restore_position(entry.position)
        elif entry.position is not None:
            # The trainer was replaced since (a setting changed): the next one starts from the state.
            self._carried_state = entry.position.optimizer_state
        self._refresh_last_record()
        self.step_log_changed.emit()
        self.history_changed.emit()
        self.parameters_changed.emit()
        return entry

    def reset(self) -> None:
        """Re-initialise the weights with the chosen initialisation and seed; clear the history."""
        if self.is_running:
            return
        self.network.initialize(self._settings.init, self._settings.seed)
        self.initial_parameters = self.network.get_parameters()
        self._clear_progress()
        self.parameters_changed.emit()

    def new_random_weights(self) -> int:
        """Draw a new seed and reset with it; returns the seed."""
        seed = int.from_bytes(os.urandom(4), "little") % 2**31  # not `secrets`: its hashlib costs start-up 4 ms
        self.update_settings(seed=seed)
        self.reset()
        return seed

    def set_parameter(self, layer: int, i: int, j: int | None, value: float) -> float | None:
        """Set one weight, ``weights[layer][i, j]``, or with ``j`` None one bias, ``biases[layer][i]``
        (0-based, as in the engine: w¹₁₁ is (0, 0, 0), b₂₁ is (1, 0, None)); returns the value it
        replaced. ValueError, changing nothing, for a parameter the network does not have or a
        value that is not finite or beyond ±1e100; None, with a message, during a training run.

        Not a step: the step log and the loss history stay as they are, and Back does not take it
        back. It is undone by setting the returned value again, which is what the window's undo
        command does (Edit > Undo, Ctrl+Z)."""
        value = float(value)
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            limit = format_number(MAX_MAGNITUDE)
            raise ValueError(f"a weight or bias must be a finite number within ±{limit}, not {format_number(value)}")
        n_layers = len(self.network.weights)
        if not 0 <= layer < n_layers:
            raise ValueError(f"the network has no layer {layer} (it has {n_layers} layers of weights)")
        if j is None:
            array, index = self.network.biases[layer], (i,)
        else:
            array, index = self.network.weights[layer], (i, j)
        if any(not 0 <= k < n for k, n in zip(index, array.shape)):
            kind = "bias" if j is None else "weight"
            raise ValueError(f"the network has no {kind} {index} in layer {layer}")
        if self.is_running:
            self.message.emit("Stop training before you change a weight or bias.")
            return None
        old = float(array[index])
        if old != value:
            array[index] = value
            self.parameters_changed.emit()
        return old

    # -- internals -----------------------------------------------------------
    _loading = False

    def _ensure_trainer(self) -> Trainer | None:
        if self._trainer is not None:
            return self._trainer
        if self.table.n_rows == 0:
            self.message.emit("The table is empty: add at least one row to train on.")
            return None
        if self._settings.task == "classification":
            problem = classification_problem(self.table.targets())
            if problem:
                self.message.emit(f"Cannot train: {problem}")
                return None
        try:
            self._trainer = self._settings.build_trainer(
                self.network, self.scaler().transform(self.table.inputs()), self.table.targets()
            )
        except ValueError as error:
            self.message.emit(f"Cannot train: {error}.")
            return None
        carried, self._carried_state = self._carried_state, None
        if carried is not None and carried.n_parameters == self.network.n_parameters:
            self._trainer.set_optimizer_state(carried)
        return self._trainer

    def validation_rows(self):
        """The table's rows kept out of training (0-based, ascending), as the settings draw them."""
        return self._settings.validation_rows(self.table.n_rows)

    def _drop_trainer(self, keep_state: bool = True) -> None:
        """Forget the trainer (its data or settings changed); the next one takes over its
        optimizer state when ``keep_state``."""
        if self._trainer is not None:
            self._carried_state = self._trainer.optimizer_state.copy() if keep_state else None
        elif not keep_state:
            self._carried_state = None
        self._trainer = None

    def _set_histories(self, losses, validation=None) -> None:
        self.diverged_epoch = None
        self.setting_marks.clear()
        self.loss_history.clear()
        self.loss_history.extend(losses)
        self.validation_history.clear()
        self.validation_history.extend(validation if validation is not None else np.full(len(self.loss_history), math.nan))

    def _on_table_changed(self) -> None:
        self._drop_trainer()
        self._scaler = None
        if self._loading:
            return
        if self.network.n_inputs != len(self.table.input_names):
            if self.is_running:
                # The columns changed under a run (an import undone): end the run; the network is
                # rebuilt when it has finished.
                self.stop_requested.emit()
            else:
                self._rebuild()

    def _on_table_replaced(self) -> None:
        self._drop_trainer()  # before any view asks for it
        self._scaler = None
        # A new table (an import, a clear, or their undo): the old table's weights and epochs do
        # not belong to it, so the network starts afresh; Back brings the trained one back.
        if not self._loading and not self.is_running and self.network.n_inputs == len(self.table.input_names):
            if self._has_progress():
                self._rebuild()

    def _has_progress(self) -> bool:
        return bool(self.step_log) or len(self.loss_history) > 0

    def _rebuild(self, previous_settings: TrainingSettings | None = None) -> None:
        """Build the network anew from the settings; a trained network it replaces goes in a
        rebuild entry of the log, for Back."""
        entry = None
        if self._has_progress():
            kept = ReplacedNetwork(
                self.network.copy(),
                previous_settings or self._settings,
                self.initial_parameters,
                self.loss_history.values.copy(),
                list(self.step_log),
                self.validation_history.values.copy(),
                self.optimizer_state(),
            )
            entry = replace(self._entry("rebuild", None, previous_settings), replaced=kept)
        self.network = self._settings.build_network(len(self.table.input_names))
        self.initial_parameters = self.network.get_parameters()
        self._clear_progress(emit=False)
        if entry is not None:
            self.step_log.append(entry)
        self.step_log_changed.emit()
        self.history_changed.emit()
        self.structure_changed.emit()
        self.parameters_changed.emit()

    def _clear_progress(self, emit: bool = True) -> None:
        self._drop_trainer(keep_state=False)  # Reset clears the optimizer's state
        self.last_record = None
        self.diverged_epoch = None
        self.loss_history.clear()
        self.setting_marks.clear()
        self.validation_history.clear()
        self.step_log.clear()
        if emit:
            self.history_changed.emit()
            self.step_log_changed.emit()

    def _refresh_last_record(self) -> None:
        last = self.step_log[-1] if self.step_log else None
        self.last_record = last.record if last is not None and last.kind == "step" else None

    def _entry(self, kind: str, trainer: Trainer | None, settings: TrainingSettings | None = None) -> LogEntry:
        weights, biases = self.network.get_parameters()
        return LogEntry(
            kind,
            weights,
            biases,
            len(self.loss_history),
            settings or self._settings,
            tuple(self.table.column_names),
            trainer,
            trainer.position() if trainer is not None else None,
        )

    def _emit_everything(self) -> None:
        self.step_log_changed.emit()
        self.settings_changed.emit()
        self.structure_changed.emit()
        self.parameters_changed.emit()
        self.history_changed.emit()
