"""The Loss tab: the mean loss of every epoch on the live plot, beside the metrics on the whole table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ...lesson import Lesson, StepCursor
from . import plotting_loader
from .metrics_panel import MetricsPanel

MARKED_FIELDS = {
    "scaling": "input scaling",
    "task": "task",
    "loss": "loss",
    "hidden_activation": "hidden activation",
    "output_activation": "output activation",
}
"""Settings whose change makes the losses before and after it different measures: a change in the
middle of a lesson is marked on the loss plot."""


def changed_fields(old, new) -> list[str]:
    """What a settings change altered that the loss plot marks, in words: ["input scaling: none → standardize"]."""
    return [f"{words}: {getattr(old, name)} → {getattr(new, name)}" for name, words in MARKED_FIELDS.items()
            if getattr(old, name) != getattr(new, name)]  # fmt: skip

if TYPE_CHECKING:
    from .loss_plot import LossPlot


class LossPanel(QWidget):
    logScaleToggled = Signal(bool)
    """The plot's log-scale box was ticked or cleared."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self._plot: LossPlot | None = None
        self._room_ticks = False
        self.metrics = MetricsPanel(lesson, cursor)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.metrics)
        self._settings = lesson.settings
        lesson.history_changed.connect(self.refresh)
        lesson.settings_changed.connect(self.refresh)
        lesson.settings_changed.connect(self._on_settings_changed)

    @property
    def plot(self) -> LossPlot:
        """The loss plot, made the first time the tab shows (or something asks for it): the window
        opens on the chain rule, and the plot's pyqtgraph widget was a fifth of its start-up."""
        if self._plot is None:
            from .loss_plot import LossPlot  # pyqtgraph: loaded after the window paints (main_window.py)

            self._plot = LossPlot()
            self._layout.insertWidget(0, self._plot, 1)
            if self.isVisible():  # Qt shows a visible widget's new child only when asked to
                self._plot.show()
            self._plot.log_scale.toggled.connect(self.logScaleToggled)
            self._plot.set_room_ticks(self._room_ticks)
            self.refresh()
        return self._plot

    def showEvent(self, event) -> None:
        # Made now, shown with the tab; or, while pyqtgraph is still loading in its thread, as soon
        # as it is there (the GUI thread never waits for the import).
        plotting_loader.when_loaded(self._make_plot)
        super().showEvent(event)

    @Slot()
    def _make_plot(self) -> None:
        self.plot  # noqa: B018

    def set_room_ticks(self, on: bool) -> None:
        """Presentation mode's larger, fewer tick labels: now, or when the plot is made."""
        self._room_ticks = on
        if self._plot is not None:
            self._plot.set_room_ticks(on)

    def set_log_scale(self, enabled: bool) -> None:
        """The View menu's Log Scale for Loss: the user's choice, which the plot keeps to."""
        if enabled != self.plot.log_scale.isChecked():
            self.plot.choose_log_scale(enabled)

    def run_finished(self, outcome) -> None:
        """A run that diverged is marked on the plot, where it ended, with its message."""
        if outcome.reason == "diverged":
            self.plot.mark(len(self.lesson.loss_history), outcome.message, "diverged")

    def run_started(self, _epochs: int = 0) -> None:
        if self._plot is not None:
            self._plot.marks.clear_divergence()

    def _on_settings_changed(self) -> None:
        old, self._settings = self._settings, self.lesson.settings
        changes = changed_fields(old, self._settings)
        epochs = len(self.lesson.loss_history)
        if changes and epochs > 0:  # mid-lesson: the losses after it measure something else
            self.plot.mark(epochs, "; ".join(changes), "change")

    def refresh(self) -> None:
        if self._plot is not None:
            self._plot.show_history(self.lesson.loss_history.values, self.lesson.validation_history.values)
            self._plot.show_marks(self.lesson.setting_marks.within(len(self.lesson.loss_history)))
