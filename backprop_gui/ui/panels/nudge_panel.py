"""Nudge a weight and watch the loss: does the gradient predict the change?

With a weight or bias chosen (in the chain-rule panel or by a click on the diagram), Alt+Up and
Alt+Down move it by a step h, each one undoable change. Beside it the panel shows the measured
change of the loss on the row the next step would use, ΔL = L(p ± h) − L(p), next to the
gradient's prediction ∂L/∂p · (±h): they agree for a small h and part ways for a large one.
Every number is the engine's: ``Trainer.gradients`` and ``Trainer.loss_on`` with the lesson's
scaling and loss.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...engine import classification_problem
from ...engine.notation import ParameterRef, format_number
from ...lesson import CellError, Lesson, StepCursor, parse_cell
from ..widgets.parameter_edit import ParameterEditing
from ..widgets.throttle import Throttle

DEFAULT_STEP = 0.1
REFRESH_MS = 50


@dataclass(frozen=True)
class Measurement:
    row: int
    """0-based row of the table."""
    loss: float
    gradient: float
    """∂L/∂p on that row."""


@dataclass(frozen=True)
class Nudge:
    ref: ParameterRef
    delta: float
    """The change of the parameter, +h or −h."""
    row: int
    loss_before: float
    loss_after: float
    gradient: float

    @property
    def measured(self) -> float:
        """ΔL = L(p + delta) − L(p)."""
        return self.loss_after - self.loss_before

    @property
    def predicted(self) -> float:
        """∂L/∂p · delta, the first-order prediction."""
        return self.gradient * self.delta


class NudgePanel(QWidget):
    nudged = Signal(object)
    """(Nudge) after each nudge."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, editing: ParameterEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nudgePanel")
        self.setToolTip(
            "Move the chosen weight or bias by h and compare the measured change of the loss with the gradient's "
            "prediction ∂L/∂p·h"
        )
        self.lesson = lesson
        self.cursor = cursor
        self.editing = editing
        self.parameter = ParameterRef("w", 0, 0, 0)
        self.last_nudge: Nudge | None = None

        title = QLabel("Nudge")
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        self.parameter_label = QLabel()
        self.parameter_label.setObjectName("nudgeParameter")
        self.step_input = QLineEdit(format_number(DEFAULT_STEP))
        self.step_input.setObjectName("nudgeStepInput")
        self.step_input.setToolTip("The step h a nudge moves the parameter by (any positive number)")
        self.step_input.setMaximumWidth(110)
        self.step_input.editingFinished.connect(self.refresh)
        self.down_action = QAction("Nudge Down by h", self)
        self.down_action.setShortcut(QKeySequence("Alt+Down"))
        self.down_action.triggered.connect(lambda: self.nudge(-1))
        self.up_action = QAction("Nudge Up by h", self)
        self.up_action.setShortcut(QKeySequence("Alt+Up"))
        self.up_action.triggered.connect(lambda: self.nudge(+1))
        for action in (self.down_action, self.up_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setStatusTip("Move the weight or bias chosen under Explain by h, as one undoable change")
        self.down_button = QPushButton("− h")
        self.down_button.setObjectName("nudgeDownButton")
        self.down_button.setToolTip("Move it down by h (Alt+Down)")
        self.down_button.clicked.connect(self.down_action.trigger)
        self.up_button = QPushButton("+ h")
        self.up_button.setObjectName("nudgeUpButton")
        self.up_button.setToolTip("Move it up by h (Alt+Up)")
        self.up_button.clicked.connect(self.up_action.trigger)
        self.result = QLabel()
        self.result.setObjectName("nudgeResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QGridLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(title, 0, 0)
        layout.addWidget(self.parameter_label, 0, 1)
        layout.addWidget(QLabel("by h ="), 0, 2)
        layout.addWidget(self.step_input, 0, 3)
        layout.addWidget(self.down_button, 0, 4)
        layout.addWidget(self.up_button, 0, 5)
        layout.addWidget(self.result, 1, 0, 1, 7)
        layout.setColumnStretch(6, 1)

        self.throttle = Throttle(self.refresh, self, REFRESH_MS)
        for changed in (lesson.parameters_changed, lesson.settings_changed, lesson.table.changed):
            changed.connect(self._schedule_refresh)
        lesson.structure_changed.connect(self._on_structure_changed)
        lesson.running_changed.connect(self._on_running_changed)
        cursor.changed.connect(self._on_cursor_changed)
        self.refresh()

    # -- the parameter and h ------------------------------------------------
    @Slot(object)
    def choose(self, ref: ParameterRef) -> None:
        self.parameter = ParameterRef(*ref)
        self.last_nudge = None
        self.refresh()

    def step(self) -> float | None:
        """h as typed, or None if it is not a positive number."""
        try:
            value = parse_cell(self.step_input.text())
        except CellError:
            return None
        return value if value > 0 else None

    # -- measuring ------------------------------------------------------------
    def measure(self, row: int | None = None) -> Measurement | None:
        """The loss and ∂L/∂p on ``row`` (by default the row the next step would use), or None."""
        lesson = self.lesson
        if lesson.is_running or lesson.table.n_rows == 0 or not self._has_parameter():
            return None
        if lesson.settings.task == "classification" and classification_problem(lesson.table.targets()):
            return None
        if lesson.network.n_inputs != len(lesson.table.input_names):
            return None
        row = lesson.next_row() if row is None else row
        measured = None if row is None else lesson.loss_and_gradient(self.parameter, row)
        return None if measured is None else Measurement(row, *measured)

    def nudge(self, direction: int) -> Nudge | None:
        """Move the parameter by ±h and measure what the loss did."""
        h = self.step()
        if h is None:
            self.result.setText("Type a positive number for h.")
            return None
        before = self.measure()
        if before is None:
            self.refresh()
            return None
        delta = direction * h
        if not self.editing.nudge(self.parameter, delta):
            return None
        after = self.measure(before.row)
        if after is None:
            return None
        self.last_nudge = Nudge(self.parameter, delta, before.row, before.loss, after.loss, before.gradient)
        self.refresh()
        self.nudged.emit(self.last_nudge)
        return self.last_nudge

    @Slot(object, int)
    def nudge_parameter(self, ref: ParameterRef, direction: int) -> Nudge | None:
        """Nudge ``ref`` (dragged on the diagram) by ±h, making it the one chosen."""
        if ref != self.parameter:
            self.choose(ref)
        if self.cursor.before_update or self.lesson.is_running:
            return None
        return self.nudge(direction)

    # -- showing ----------------------------------------------------------------
    @Slot()
    def _schedule_refresh(self, *_args) -> None:
        if not self.lesson.is_running:
            self.throttle.schedule()

    def _on_structure_changed(self) -> None:
        if not self._has_parameter():
            self.parameter = ParameterRef("w", 0, 0, 0)
        self.last_nudge = None
        self.refresh()

    def _on_running_changed(self, running: bool) -> None:
        for widget in (self.up_button, self.down_button):
            widget.setEnabled(not running)
        self.up_action.setEnabled(not running)
        self.down_action.setEnabled(not running)
        if not running:
            self.refresh()

    def _on_cursor_changed(self) -> None:
        # A step walked through shows its old weights until its update: the nudge, which
        # measures the network as it is now, waits until then rather than show later numbers.
        walking = self.cursor.before_update
        for widget in (self.up_button, self.down_button, self.up_action, self.down_action):
            widget.setEnabled(not walking and not self.lesson.is_running)
        self.refresh()

    def _has_parameter(self) -> bool:
        ref, network = self.parameter, self.lesson.network
        if ref.layer >= len(network.weights):
            return False
        shape = network.weights[ref.layer].shape if ref.kind == "w" else network.biases[ref.layer].shape + (1,)
        return ref.i < shape[0] and ref.j < shape[1]

    @Slot()
    def refresh(self) -> None:
        ref = self.parameter
        if not self._has_parameter():
            self.parameter_label.setText("—")
            self.result.setText("")
            return
        if self.cursor.before_update:
            self.parameter_label.setText(ref.name)
            self.result.setText("(a step is on show before its update: nudge once it is done)")
            return
        self.parameter_label.setText(f"{ref.name} = {format_number(self.editing.value(ref))}")
        if self.lesson.is_running:
            self.result.setText("(training: nudge once it has stopped)")
            return
        h = self.step()
        lines = []
        nudge = self.last_nudge
        if nudge is not None and nudge.ref == ref:
            sign = "+" if nudge.delta > 0 else "−"
            gap = abs(nudge.measured - nudge.predicted)
            relative = f" ({format_number(100 * gap / abs(nudge.measured), 3)}% off)" if nudge.measured else ""
            lines.append(
                f"Last nudge {sign}{format_number(abs(nudge.delta))} on row {nudge.row + 1}:  "
                f"measured ΔL = {format_number(nudge.measured)}   "
                f"predicted ∂L/∂{ref.name}·h = {format_number(nudge.predicted)}{relative}"
            )
        now = self.measure()
        if now is None:
            lines.append("Add rows to the table (with targets that suit the task) to measure the loss.")
        elif h is None:
            lines.append("Type a positive number for h.")
        else:
            lines.append(
                f"Now on row {now.row + 1}: L = {format_number(now.loss)},  ∂L/∂{ref.name} = {format_number(now.gradient)}"
                f"  →  +h should change L by about {format_number(now.gradient * h)}  (Alt+Up / Alt+Down)"
            )
        self.result.setText("\n".join(lines))
