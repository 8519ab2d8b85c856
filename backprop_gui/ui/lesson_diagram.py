"""The network diagram of a lesson: follows its structure, its parameters and the step on show."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..engine import INITIALISATIONS
from ..engine.notation import format_number
from ..lesson import Lesson, StepCursor
from .network_view import NetworkView

INIT_CAPTIONS = {"ones": "weights 1, biases 0"}


def describe_start(init: str, seed: int) -> str:
    """How weights were set at the start, in a few words: "weights 1, biases 0", "random weights, seed 3"."""
    return INIT_CAPTIONS.get(init, f"{init} weights, seed {seed}")


class LessonDiagram(NetworkView):
    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        self._drawn_for: tuple | None = None
        lesson.structure_changed.connect(self.rebuild)
        lesson.table.reset.connect(self.rebuild)  # new column names
        lesson.parameters_changed.connect(self.refresh)
        lesson.settings_changed.connect(self.refresh_caption)
        lesson.structure_changed.connect(self.refresh_caption)
        cursor.changed.connect(self.refresh)
        self.rebuild()

    def rebuild(self) -> None:
        network, table = self.lesson.network, self.lesson.table
        if network.n_inputs != len(table.input_names):
            return  # the network is about to be rebuilt for the new table
        self._drawn_for = (tuple(network.layer_sizes), tuple(table.column_names))
        self.set_structure(network.layer_sizes, table.input_names, [table.target_name])
        self.refresh()
        self.refresh_caption()

    def refresh(self) -> None:
        """Show the step on show at its phase, or the network's parameters."""
        network, table = self.lesson.network, self.lesson.table
        if self._drawn_for != (tuple(network.layer_sizes), tuple(table.column_names)):
            self.rebuild()  # a structure change reached us before its own event did
            return
        cursor = self.cursor
        if cursor.active and cursor.explainer.layer_sizes == network.layer_sizes:
            record = cursor.explainer.record
            title = cursor.explainer.phase_title(cursor.phase)
            if cursor.inspecting_old_step:
                title = f"Step {record.step} (an earlier step; the network is at the latest)  ·  {title}"
            else:
                title = f"Step {record.step}  ·  {title}"
            self.show_step(cursor.explainer, cursor.phase, title)
        else:
            self.clear_step()
            self.show_parameters(network.weights, network.biases)
        self.refresh_caption()  # a reset may have started the network from another choice

    def refresh_caption(self) -> None:
        settings, network = self.lesson.settings, self.lesson.network
        scaling = "inputs standardised" if settings.scaling == "standardize" else "raw inputs"
        shown = describe_start(network.init, network.seed)
        chosen = describe_start(settings.init, settings.seed)
        text = f"η = {format_number(settings.learning_rate)}  ·  {scaling}  ·  started from {shown}  ·  {settings.order} row order"
        if chosen != shown:
            text += f"\nReset applies the new choice: {chosen}"
        if text != self.caption():
            self.set_caption(text)
        self.setToolTip(f"Initialisation chosen: {INITIALISATIONS[settings.init]}")
