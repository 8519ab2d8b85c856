"""Which step, and which phase of it, is on show: the step-through cursor.

The engine makes a step in one go (``Trainer.step``); the cursor then shows its record phase by
phase: pick the row, forward layer by layer, loss, backward from the output layer, update. Every
view of the step (the diagram, the chain-rule panel, the prediction, the metrics, the status line)
asks the cursor what is on show, so none of them shows a number of a later phase.
"""

from __future__ import annotations

from ..engine.explain.explainer import Phase, StepExplainer, number
from .events import Event
from .lesson import Lesson
from .notes_example import SHORT_REMARK, loss_remark
from .step_log import LogEntry

ROW_SOURCES = {"order": "next in order", "selected": "selected rows"}


def explainer_for(entry: LogEntry) -> StepExplainer:
    """Explain a logged step with the settings and columns it ran with."""
    settings = entry.settings
    explainer = StepExplainer(
        entry.record,
        entry.layer_sizes,
        settings.hidden_activation_choice,
        settings.output_activation,
        settings.loss,
        entry.column_names[:-1],
        entry.column_names[-1],
        scaled_inputs=settings.scaling == "standardize",
    )
    explainer.loss_remark = loss_remark(settings, entry.record)
    return explainer


class StepCursor:
    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.row_source = "order"
        self.explainer: StepExplainer | None = None
        self.phase_index = 0
        self.walking = False
        """True while the user is going through the shown step phase by phase."""
        self.log_index: int | None = None
        """Which entry of the lesson's step log is shown."""
        self.changed = Event()
        """The step or phase on show changed (or none is shown any more)."""
        self.message = Event()
        lesson.step_log_changed.connect(self._on_log_changed)
        lesson.running_changed.connect(self._on_running_changed)
        lesson.structure_changed.connect(self.clear)

    # -- what is on show --------------------------------------------------------
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
        return self.log_index is not None and self.log_index != len(self.lesson.step_log) - 1

    @property
    def before_update(self) -> bool:
        """A step is on show at a phase before its update: its old weights are the ones on show."""
        return self.active and self.phase.kind != "update"

    def reached(self, what: str) -> bool:
        """Whether the step on show has reached "output" (ŷ, at the end of the forward pass) or
        "loss": False only while a step is walked through before that phase, when nothing on
        screen may show the value yet (the prediction, the metrics, the step log)."""
        if not self.before_update:
            return True
        phase = Phase("forward", self.explainer.n_layers - 1) if what == "output" else Phase("loss")
        return self.phase_index >= self.phases.index(phase)

    def shown_parameters(self):
        """The (weights, biases) on screen: a step's old ones before its update phase, or an old
        step's after it; otherwise the network's."""
        record = self.explainer.record if self.active else None
        if record is None or self.explainer.layer_sizes != self.lesson.network.layer_sizes:
            return self.lesson.network.weights, self.lesson.network.biases
        if self.before_update:
            return record.weights_before, record.biases_before
        return record.weights_after, record.biases_after

    def status_text(self) -> str:
        """One line for the status bar about the step on show, with only the numbers reached so far."""
        if not self.active:
            return ""
        record = self.explainer.record
        kinds = [p.kind for p in self.phases[: self.phase_index + 1]]
        rows = ", ".join(str(int(r) + 1) for r in record.rows)
        text = f"Step {record.step:,}, epoch {record.epoch:,}, row {rows}"
        reached = []
        if Phase("forward", len(record.z) - 1) in self.phases[: self.phase_index + 1] and record.y_hat.size == 1:
            reached.append(f"ŷ = {number(float(record.y_hat[0, 0]))}")
        if "loss" in kinds:
            reached.append(" ".join(line.strip() for line in self.explainer.loss_lines()))
            if self.explainer.loss_remark:
                reached.append(SHORT_REMARK)
        return text + (":  " + ",  ".join(reached) if reached else "")

    # -- actions -----------------------------------------------------------------
    def next_phase(self, selected_rows=()) -> bool:
        """Show the next phase of the step on show, or make a new step and show its first phase."""
        if self.active and self.walking and not self.inspecting_old_step and self.phase_index < len(self.phases) - 1:
            self.phase_index += 1
            self.walking = self.phase_index < len(self.phases) - 1
            self.changed.emit()
            return True
        if not self._new_step(selected_rows):
            return False
        self.phase_index = 0
        self.walking = True
        self.changed.emit()
        return True

    def step(self, selected_rows=()) -> bool:
        """Finish the step being walked through, or make a whole new step; show its update."""
        if not (self.active and self.walking and not self.inspecting_old_step):
            if not self._new_step(selected_rows):
                return False
        self.phase_index = len(self.phases) - 1
        self.walking = False
        self.changed.emit()
        return True

    def back(self) -> bool:
        """Go back one phase while walking through a step; otherwise take the last entry of the log back."""
        if self.active and self.walking and self.phase_index > 0 and not self.inspecting_old_step:
            self.phase_index -= 1
            self.changed.emit()
            return True
        if self.lesson.is_running:
            return False
        if not self.lesson.step_log:
            self.message.emit("Nothing to go back to: the weights are the initial ones.")
            return False
        entry = self.lesson.back()
        if entry is None:
            return False
        self._show_latest()
        self.changed.emit()
        self.message.emit(f"Took back {entry.describe()}: the weights, the loss history and the row order are as they were.")
        return True

    def show_log_entry(self, index: int) -> None:
        """Show an earlier step of the log, as it was; the network itself does not change."""
        entry = self.lesson.step_log[index]
        if entry.kind != "step":
            self.message.emit(f"Entry {index + 1} is {entry.describe()}: it has no single step to show.")
            return
        self.explainer = explainer_for(entry)
        self.log_index = index
        self.phase_index = len(self.phases) - 1
        self.walking = False
        self.changed.emit()

    def clear(self) -> None:
        if self.explainer is None:
            return
        self.explainer = None
        self.log_index = None
        self.walking = False
        self.changed.emit()

    # -- internals -----------------------------------------------------------------
    def _new_step(self, selected_rows) -> bool:
        rows = None
        if self.row_source == "selected":
            rows = list(selected_rows)
            if not rows:
                self.message.emit("Select a row in the table to step on it (or choose the next row in order).")
                return False
        if self.lesson.step(rows) is None:
            return False
        self._show_latest()
        return True

    def _show_latest(self) -> None:
        """Show the last logged step, if the log ends with one."""
        log = self.lesson.step_log
        if not log or log[-1].kind != "step":
            self.explainer, self.log_index, self.walking = None, None, False
            return
        self.explainer = explainer_for(log[-1])
        self.log_index = len(log) - 1
        self.phase_index = len(self.phases) - 1
        self.walking = False

    def _on_log_changed(self) -> None:
        # The entry on show was taken back, or the log was cleared (reset, another lesson).
        if self.log_index is not None and (
            self.log_index >= len(self.lesson.step_log) or self.lesson.step_log[self.log_index].kind != "step"
        ):
            self.clear()

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self.clear()
