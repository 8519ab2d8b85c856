"""Stepping through backpropagation one phase at a time, going back, and looking at old steps.

The engine does a step in one go (``Trainer.step``); this controller then shows its
record phase by phase: pick the row, forward layer by layer, loss, backward from the
output layer, update. Every value shown comes from that record.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..engine.explain import Phase, StepExplainer
from .training_session import HistoryEntry, TrainingSession

ROW_SOURCES = {"order": "next in order", "selected": "selected rows"}


def explainer_for(entry: HistoryEntry, layer_sizes) -> StepExplainer:
    """Explain a logged step with the settings and columns it ran with."""
    settings = entry.settings
    return StepExplainer(
        entry.record,
        layer_sizes,
        settings.hidden_activation,
        settings.output_activation,
        settings.loss,
        entry.column_names[:-1],
        entry.column_names[-1],
        scaled_inputs=settings.scaling == "standardize",
    )


class StepThrough(QObject):
    changed = Signal()
    """The step or phase on show changed (or none is shown any more)."""
    message = Signal(str)

    def __init__(self, session: TrainingSession, selected_rows: Callable[[], list[int]], parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self._selected_rows = selected_rows
        self.row_source = "order"
        self.explainer: StepExplainer | None = None
        self.phase_index = 0
        self.walking = False
        """True while the user is going through the shown step phase by phase."""
        self.log_index: int | None = None
        """Which entry of the session's step log is shown."""
        session.stepLogChanged.connect(self._on_log_changed)
        session.trainingChanged.connect(self._on_training_changed)
        session.structureChanged.connect(self.clear)

    # -- what is shown ----------------------------------------------------
    @property
    def active(self) -> bool:
        return self.explainer is not None

    @property
    def phases(self) -> list[Phase]:
        return self.explainer.phases() if self.explainer else []

    @property
    def phase(self) -> Phase | None:
        return self.phases[self.phase_index] if self.explainer else None

    @property
    def inspecting_old_step(self) -> bool:
        return self.log_index is not None and self.log_index != len(self.session.step_log) - 1

    # -- actions ----------------------------------------------------------
    @Slot()
    def next_phase(self) -> bool:
        """Show the next phase of the step on show, or make a new step and show its first phase."""
        if self.active and self.walking and not self.inspecting_old_step and self.phase_index < len(self.phases) - 1:
            self.phase_index += 1
            if self.phase_index == len(self.phases) - 1:
                self.walking = False
            self.changed.emit()
            return True
        if not self._new_step():
            return False
        self.phase_index = 0
        self.walking = True
        self.changed.emit()
        return True

    @Slot()
    def step(self) -> bool:
        """Finish the step being walked through, or make a whole new step; show its update."""
        if not (self.active and self.walking and not self.inspecting_old_step):
            if not self._new_step():
                return False
        self.phase_index = len(self.phases) - 1
        self.walking = False
        self.changed.emit()
        return True

    @Slot()
    def back(self) -> bool:
        """Go back one phase while walking through a step; otherwise take the last step back."""
        if self.active and self.walking and self.phase_index > 0 and not self.inspecting_old_step:
            self.phase_index -= 1
            self.changed.emit()
            return True
        entry = self.session.back()
        if entry is None:
            if not self.session.is_training:
                self.message.emit("Nothing to go back to: the weights are the initial ones.")
            return False
        self._show_latest()
        self.changed.emit()
        what = (
            f"step {entry.record.step} (row {', '.join(str(r + 1) for r in entry.record.rows)})"
            if entry.record is not None
            else f"the training run of {entry.epochs:,} epochs"
        )
        self.message.emit(f"Took back {what}: the weights, the loss history and the row order are as they were.")
        return True

    def show_log_entry(self, index: int) -> None:
        """Show an earlier step of the log, as it was; the network itself does not change."""
        entry = self.session.step_log[index]
        if entry.record is None:
            self.message.emit(
                f"Entry {index + 1} is a training run of {entry.epochs:,} epochs: it has no single step to show."
            )
            return
        self.explainer = explainer_for(entry, self._layer_sizes(entry))
        self.log_index = index
        self.phase_index = len(self.phases) - 1
        self.walking = False
        self.changed.emit()

    @Slot()
    def clear(self) -> None:
        if self.explainer is None:
            return
        self.explainer = None
        self.log_index = None
        self.walking = False
        self.changed.emit()

    # -- internals --------------------------------------------------------
    def _new_step(self) -> bool:
        rows = None
        if self.row_source == "selected":
            rows = self._selected_rows()
            if not rows:
                self.message.emit("Select a row in the table to step on it (or choose the next row in order).")
                return False
        record = self.session.step(rows)
        if record is None:
            return False
        self._show_latest()
        return True

    def _show_latest(self) -> None:
        """Show the last logged step, if the log ends with one."""
        log = self.session.step_log
        if not log or log[-1].record is None:
            self.clear()
            return
        self.explainer = explainer_for(log[-1], self._layer_sizes(log[-1]))
        self.log_index = len(log) - 1
        self.phase_index = len(self.phases) - 1
        self.walking = False

    def _layer_sizes(self, entry: HistoryEntry) -> list[int]:
        return [w.shape[0] for w in entry.weights] + [entry.weights[-1].shape[1]]

    @Slot()
    def _on_log_changed(self) -> None:
        # The entry on show was taken back, or the log was cleared (reset, another session).
        if self.log_index is not None and self.log_index >= len(self.session.step_log):
            self.clear()

    @Slot(bool)
    def _on_training_changed(self, running: bool) -> None:
        if running:
            self.clear()
