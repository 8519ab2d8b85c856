"""The Training menu's actions: Step, Next Phase, Back, Train, Stop, Reset and Check Gradients."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from ...engine import INITIALISATIONS
from ...engine.notation import format_number
from ...lesson import Lesson, StepCursor
from ...lesson.notes_example import describe_setup_change
from ..widgets.actions import make_action
from .training_runner import TrainingRunner

if TYPE_CHECKING:  # the dialogs are imported when first opened, not at start-up
    from ..dialogs.gradient_check_dialog import GradientCheckDialog
    from ..dialogs.practice_dialog import PracticeDialog


class LessonActions(QObject):
    status = Signal(str, int)
    """A message for the status bar and how long to show it (ms; 0 until the next)."""

    def __init__(
        self,
        lesson: Lesson,
        cursor: StepCursor,
        runner: TrainingRunner,
        selected_rows: Callable[[], list[int]],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.lesson, self.cursor, self.runner = lesson, cursor, runner
        self._selected_rows = selected_rows
        self._window = window
        self.gradient_check_dialog: GradientCheckDialog | None = None
        self._checked_row: int | None = None
        act = lambda *args: make_action(window, *args)  # noqa: E731
        self.step_action = act("&Step", "F10", "One update of gradient descent on one row, all phases at once", self.step)
        self.next_phase_action = act(
            "&Next Phase", "F11", "Show the next phase of a step: pick the row, forward pass, loss, backward pass, update",
            self.next_phase,
        )  # fmt: skip
        self.back_action = act(
            "&Back", "Alt+Left", "Go back one phase, or take back the last step, training run or change of network exactly",
            self.back,
        )  # fmt: skip
        self.train_action = act("&Train", "F5", "Run the set number of epochs in the background", self.train)
        self.stop_action = act("St&op", "Shift+F5", "Stop training now, keeping the weights reached", runner.stop)
        self.reset_action = act("&Reset", "Ctrl+R", "Re-initialise the weights with the chosen initialisation and seed", self.reset)
        self.gradient_check_action = act(
            "Check &Gradients", "Ctrl+G",
            "Compare every backpropagated gradient with a central finite difference, on the row on show (else the selected or the next row)", self.check_gradients,
        )  # fmt: skip
        self.practice_action = act(
            "&Practice…", "Ctrl+Shift+P", "Work a step by hand, phase by phase; the app checks each number and names the slip",
            self.practise,
        )  # fmt: skip
        self.practice_dialog: PracticeDialog | None = None
        self.known_answer_action = act(
            "&Step-by-step example (2-2-2, sigmoid)", None,
            "The classic worked example with its published answers beside the app's", self.show_known_answers,
        )  # fmt: skip
        self.notes_example_action = act(
            "Use the &Notes' Example", "Ctrl+Shift+E",
            "The notes' worked example in one step: their table, weights 1 and biases 0, raw inputs, rows in order, "
            "L = (y − ŷ)²; undoable", self.use_notes_example,
        )  # fmt: skip
        self.running_actions = [self.notes_example_action, self.step_action, self.next_phase_action, self.back_action, self.train_action,
                                self.reset_action, self.gradient_check_action]  # fmt: skip
        lesson.running_changed.connect(self._on_running_changed)
        cursor.changed.connect(self._on_cursor_changed)
        cursor.message.connect(lambda text: self.status.emit(text, 10000))
        for changed in (lesson.parameters_changed, lesson.table.changed, lesson.settings_changed, cursor.changed):
            changed.connect(self._refresh_gradient_check)
        self._on_running_changed(False)

    # -- slots ------------------------------------------------------------------
    @Slot()
    def step(self) -> None:
        self.cursor.step(self._selected_rows())

    @Slot()
    def next_phase(self) -> None:
        self.cursor.next_phase(self._selected_rows())

    @Slot()
    def back(self) -> None:
        self.cursor.back()

    @Slot()
    def train(self) -> None:
        if self.runner.start():
            epochs = self.lesson.settings.epochs
            self.status.emit(f"Training {epochs:,} {'epoch' if epochs == 1 else 'epochs'}…", 0)

    @Slot()
    def use_notes_example(self) -> None:
        if self.lesson.use_notes_example():
            self.status.emit(describe_setup_change() + " Press Step (F10) for the notes' first step.", 0)

    @Slot()
    def reset(self) -> None:
        self.lesson.reset()
        name = INITIALISATIONS[self.lesson.settings.init]
        self.status.emit(f"Weights re-initialised: {name}, seed {self.lesson.settings.seed}.", 8000)

    @Slot()
    def show_known_answers(self) -> None:
        from ..dialogs.known_answer_dialog import KnownAnswerDialog

        KnownAnswerDialog(self._window).show()

    @Slot()
    def practise(self) -> None:
        if self.practice_dialog is None:
            from ..dialogs.practice_dialog import PracticeDialog

            self.practice_dialog = PracticeDialog(self.lesson, self._window)
        if self.practice_dialog.start():
            self.practice_dialog.show()
            self.practice_dialog.raise_()
        else:
            self.status.emit(self.practice_dialog.feedback.text(), 8000)

    @Slot()
    def check_gradients(self) -> None:
        selected = self._selected_rows()
        self._checked_row = selected[0] if selected else None
        if self.gradient_check_dialog is None:
            from ..dialogs.gradient_check_dialog import GradientCheckDialog

            self.gradient_check_dialog = GradientCheckDialog(self._window)
        if self._show_gradient_check():
            self.gradient_check_dialog.show()
            self.gradient_check_dialog.raise_()

    # -- following the lesson ------------------------------------------------------
    def gradient_check_choice(self) -> tuple[list[int] | None, object, str]:
        """What Check Gradients checks, as on screen: (rows or None for the next, parameters or
        None for the network's, why). During a step walked before its update, the step's rows at
        the weights on show; else the row selected when the check was opened; else the next row."""
        cursor = self.cursor
        if cursor.before_update and self._step_fits_the_table(cursor.explainer.record):
            record = cursor.explainer.record
            rows = [int(r) for r in record.rows]
            which = "the row" if len(rows) == 1 else "the batch"
            return rows, cursor.shown_parameters(), (
                f"{which} of step {record.step} on show, at its weights before the update (as on screen)"
            )
        if self._checked_row is not None:
            return [self._checked_row], None, "the row selected in the table"
        return None, None, "the row the next step will use (select a row to check another)"

    def _step_fits_the_table(self, record) -> bool:
        """Whether the step on show was made on the table as it is (not edited since)."""
        lesson = self.lesson
        rows = [int(r) for r in record.rows]
        if any(r >= lesson.table.n_rows for r in rows) or lesson.network.n_inputs != record.inputs.shape[1]:
            return False
        inputs = lesson.scaler().transform(lesson.table.inputs()[rows])
        return bool(np.array_equal(inputs, record.inputs) and np.array_equal(lesson.table.targets()[rows], record.targets[:, 0]))

    def _show_gradient_check(self) -> bool:
        rows, parameters, why = self.gradient_check_choice()
        result = self.lesson.gradient_check(parameters=parameters, rows=rows)
        if result is None:
            return False
        row, comparisons = result
        table = self.lesson.table
        if rows is not None and len(rows) > 1:
            shown = ", ".join(str(r + 1) for r in rows[:8]) + (", …" if len(rows) > 8 else "")
            description = f"rows {shown}, {why}"
        else:
            values = ", ".join(f"{name} {format_number(v)}" for name, v in zip(table.column_names, table.values()[row]))
            description = f"row {row + 1} ({values}), {why}"
        self.gradient_check_dialog.show_comparisons(description, comparisons)
        return True

    def _refresh_gradient_check(self) -> None:
        # The check shows one moment of the lesson: when the weights or the table change, it
        # is done again on them, or closed if it no longer applies (a row that has gone).
        dialog = self.gradient_check_dialog
        if dialog is None or not dialog.isVisible() or self.lesson.is_running:
            return
        if self._checked_row is not None and self._checked_row >= self.lesson.table.n_rows:
            self._checked_row = None
        if not self._show_gradient_check():
            dialog.close()

    def _on_cursor_changed(self) -> None:
        text = self.cursor.status_text()
        if text:
            self.status.emit(text, 0)

    def _on_running_changed(self, running: bool) -> None:
        for action in self.running_actions:
            action.setEnabled(not running)
        self.stop_action.setEnabled(running)
        if running and self.gradient_check_dialog is not None:
            self.gradient_check_dialog.close()
