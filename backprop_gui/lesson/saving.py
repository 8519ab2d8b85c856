"""A lesson to and from a session file: what ``SessionData`` holds, and putting it back.

A part of ``Lesson`` (lesson.py) kept in its own file, as ``Measures`` is.
"""

from __future__ import annotations

from ..engine import TrainingSettings
from ..engine.optimizers import OptimizerState
from ..files import SessionData
from .kept_runs import KeptRuns


class Saving:
    """Saving and loading; ``Lesson`` supplies the state, the table and the events."""

    def session_data(self) -> SessionData:
        weights, biases = self.network.get_parameters()
        initial_weights, initial_biases = self.initial_parameters
        return SessionData(
            column_names=self.table.column_names,
            values=self.table.values(),
            settings=self._settings.replace(frozen=tuple(self.frozen)),
            layer_sizes=list(self.network.layer_sizes),
            weights=weights,
            biases=biases,
            initial_weights=[w.copy() for w in initial_weights],
            initial_biases=[b.copy() for b in initial_biases],
            loss_history=self.loss_history.values.copy(),
            validation_loss_history=self.validation_history.values.copy(),
            optimizer_state=self.optimizer_state(),
            kept_runs=self.kept_runs.to_dict() if len(self.kept_runs) else None,
        )

    def optimizer_state(self) -> OptimizerState | None:
        """A copy of the optimizer's t, v, m and s as the next step would find them."""
        state = self._trainer.optimizer_state if self._trainer is not None else self._carried_state
        return state.copy() if state is not None and state.n_parameters == self.network.n_parameters else None

    def load(self, data: SessionData) -> None:
        """Put back a saved lesson (a fresh undo history); ValueError, changing nothing, if its
        parameters do not fit its table."""
        if self.is_running:
            raise RuntimeError("stop training before loading a lesson")
        kept = KeptRuns.from_dict(data.kept_runs) if data.kept_runs else KeptRuns()  # ValueError before any change
        # The validation history and the optimizer state are in place before any view hears of
        # the new lesson: a view that asks for a trainer then gets one with the saved state.
        self._restore(data.settings, data.column_names, data.values, data.weights, data.biases,
                      data.initial_weights, data.initial_biases, data.loss_history,
                      data.validation_loss_history, data.optimizer_state)  # fmt: skip
        self.kept_runs.load_dict(kept.to_dict())

    def restore_table_history(self, states, column_names, values) -> None:
        """After ``load``: the table's undo history back, as whole-table edits with their names
        (``states``: the table before each edit, oldest first; the last edit leads to ``values``).
        Undo then walks back through them; nothing else of the lesson changes."""
        if not states or self.is_running:
            return
        self._loading = True
        try:
            self.table.load(states[0].values, states[0].column_names)
            targets = [(s.values, s.column_names) for s in states[1:]] + [(values, column_names)]
            for state, (after, names) in zip(states, targets):
                self.table.replace(after, names, state.text)
        finally:
            self._loading = False
        self._trainer = self._scaler = None

    def start_afresh(self, settings: TrainingSettings, values, column_names) -> None:
        """A new lesson on this table with fresh weights from ``settings`` (File > New)."""
        if self.is_running:
            raise RuntimeError("stop training before starting a new lesson")
        self._restore(settings, column_names, values)
        self.kept_runs.clear()

    def _restore(self, settings, column_names, values, weights=None, biases=None, initial_weights=None,
                 initial_biases=None, history=(), validation=None, optimizer_state=None) -> None:  # fmt: skip
        n_outputs = len(biases[-1]) if biases is not None else 1
        network = settings.build_network(len(column_names) - 1, n_outputs)
        initial = network.copy()
        if weights is not None:
            network.set_parameters(weights, biases)  # checks every shape before anything of ours changes
            if initial_weights is None:
                initial_weights, initial_biases = weights, biases
            initial.set_parameters(initial_weights, initial_biases)
        self._settings = settings
        self.network = network
        self.initial_parameters = initial.get_parameters()
        self.step_log.clear()
        self._set_histories(history, validation)
        self._carried_state = None
        self.last_record = None
        self.step_log_changed.emit()  # before the table's own events: nothing may show an old step with it
        self._loading = True
        try:
            self.table.load(values, column_names)
        finally:
            self._loading = False
        self._trainer = self._scaler = None
        self._carried_state = optimizer_state
        self._emit_everything()
