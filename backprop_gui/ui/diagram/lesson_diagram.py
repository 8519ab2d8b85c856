"""The network diagram of a lesson: follows its structure, its parameters and the step on show.

Hands on the weights: double-click a weight or bias (or click it, then press Enter) to type its new
value in place; the diagram asks for the change with ``parameterEdited`` and the window makes it
one undoable change. Its context menu, or the padlock of the field, freezes a weight or bias:
drawn dashed, with a padlock, training leaves it as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ...engine import INITIALISATIONS
from ...engine.notation import ParameterRef, bias_name, format_number, output_name
from ...lesson import Lesson, StepCursor
from ...lesson.notes_example import is_notes_example
from .network_view import NetworkView
from ..widgets.parameter_edit import parameter_value
from .weight_editor import WeightEditor

INIT_CAPTIONS = {"ones": "weights 1, biases 0"}


DRAG_PIXELS = 24
"""How far a label is dragged for one nudge."""


def describe_start(init: str, seed: int) -> str:
    """How weights were set at the start, in a few words: "weights 1, biases 0", "random weights, seed 3"."""
    return INIT_CAPTIONS.get(init, f"{init} weights, seed {seed}")


class LessonDiagram(NetworkView):
    parameterEdited = Signal(object, float)
    """(ParameterRef, value): the user typed a new value for a weight or bias."""
    nudgeDragged = Signal(object, int)
    """(ParameterRef, +1 or −1): a weight or bias label was dragged up or down by DRAG_PIXELS."""
    activationExplored = Signal(object)
    """(layer, neuron), 0-based: the user asked to explore a hidden neuron's activation."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        self._drawn_for: tuple | None = None
        self._drag: tuple[ParameterRef, float] | None = None
        """The label being dragged, and the height at which it last nudged its parameter."""
        self.selected_parameter: ParameterRef | None = None
        """The weight or bias last clicked here or chosen in the chain-rule panel; Enter edits it."""
        self._editor: WeightEditor | None = None
        self._flags: dict = {}
        """The activation explorer's saturated and dead neurons, kept across rebuilds."""
        self.parameterClicked.connect(self.select_parameter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lesson.structure_changed.connect(self.rebuild)
        lesson.table.reset.connect(self.rebuild)  # new column names
        lesson.parameters_changed.connect(self.refresh)
        lesson.settings_changed.connect(self.refresh_caption)
        lesson.settings_changed.connect(self.show_frozen)
        lesson.structure_changed.connect(self.refresh_caption)
        cursor.changed.connect(self.refresh)
        self.rebuild()

    def rebuild(self) -> None:
        network, table = self.lesson.network, self.lesson.table
        if network.n_inputs != len(table.input_names):
            return  # the network is about to be rebuilt for the new table
        self._drawn_for = (tuple(network.layer_sizes), tuple(table.column_names))
        self.set_structure(network.layer_sizes, table.input_names, [table.target_name])
        self.show_flags(self._flags)
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
        self.show_frozen()

    def show_frozen(self) -> None:
        """The frozen parameters drawn dashed, their labels with a padlock."""
        frozen, grew = self.lesson.frozen, False
        for edge in self.edges:
            edge.set_frozen(edge.parameter.name in frozen)
        for (layer, j), tag in self.bias_tags.items():
            tag.set_locked(bias_name(layer, j) in frozen)
        for key, label in [(("w", *e.parameter[1:]), e.label) for e in self.edges] + [(("b", *k), t) for k, t in self.bias_tags.items()]:
            if label.locked:  # room for the padlock: as wide as two letters
                grew |= self._reserve_label(key, "MM" + label.text())
        if grew:
            self.relayout()

    def set_frozen(self, ref: ParameterRef, frozen: bool) -> None:
        """Freeze or free ``ref`` (the context menu's and the field's padlock)."""
        if not self.lesson.is_running and (ref.name in self.lesson.frozen) != frozen:
            self.lesson.freeze(ref.name, frozen)

    def parameter_menu(self, ref: ParameterRef) -> QMenu:
        """The context menu of a weight or bias: type its value, freeze it."""
        menu = QMenu(self)
        menu.setObjectName("parameterMenu")
        edit = menu.addAction(f"Edit {ref.name}…")
        edit.triggered.connect(lambda: self.edit_parameter(ref))
        freeze = menu.addAction(f"Freeze {ref.name}")
        freeze.setObjectName("freezeAction")
        freeze.setCheckable(True)
        freeze.setChecked(ref.name in self.lesson.frozen)
        freeze.setToolTip("Steps and training leave a frozen parameter as it is; its gradient is still shown")
        freeze.toggled.connect(lambda on: self.set_frozen(ref, on))
        for action in (edit, freeze):
            action.setEnabled(not self.lesson.is_running)
        return menu

    def neuron_menu(self, layer: int, j: int) -> QMenu:
        """The context menu of hidden neuron j of weight layer ``layer``: explore its activation, freeze its bias."""
        menu = self.parameter_menu(ParameterRef("b", layer, j))
        explore = QAction(f"Explore the activation of {output_name(layer, j)}…", menu)
        explore.setObjectName("exploreActivationAction")
        explore.triggered.connect(lambda: self.activationExplored.emit((layer, j)))
        menu.insertAction(menu.actions()[0], explore)
        menu.insertSeparator(menu.actions()[1])
        return menu

    def show_flags(self, flags: dict) -> None:
        """Mark the hidden neurons the activation explorer found saturated or dead ({(layer, j): word})."""
        self._flags = dict(flags)
        for column, neurons in enumerate(self.neurons[1:-1]):
            for j, neuron in enumerate(neurons):
                flag = self._flags.get((column, j))
                neuron.set_flag(flag)
                tip = neuron.toolTip().split("\n⚠")[0]
                neuron.setToolTip(tip + (f"\n⚠ {flag}: |f′(z)| < 1% on most rows" if flag else ""))

    def contextMenuEvent(self, event) -> None:
        item = self.itemAt(event.pos())
        node, ref = self._lookup(self._neuron_at, item), self._parameter_at(item)
        if node is not None and 0 < node[0] < len(self.neurons) - 1:
            menu = self.neuron_menu(node[0] - 1, node[1])
        elif ref is not None and ref.layer < len(self.lesson.network.weights):
            self.select_parameter(ref)
            menu = self.parameter_menu(ref)
        else:
            super().contextMenuEvent(event)
            return
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    @Slot(object)
    def highlight_neuron(self, layer_neuron: tuple[int, int] | None) -> None:
        """Pick out hidden neuron (weight layer, neuron), 0-based, whose map is hovered in the
        input space; None puts back what the step on show highlights."""
        if layer_neuron is None:
            self.refresh()
            return
        layer, j = layer_neuron
        if 0 <= layer + 1 < len(self.neurons) - 1 and 0 <= j < len(self.neurons[layer + 1]):
            for column in self.neurons:
                for neuron in column:
                    neuron.set_emphasis(neuron is self.neurons[layer + 1][j])

    def refresh_caption(self) -> None:
        settings, network = self.lesson.settings, self.lesson.network
        scaling = "inputs standardised" if settings.scaling == "standardize" else "raw inputs"
        shown = describe_start(network.init, network.seed)
        chosen = describe_start(settings.init, settings.seed)
        notes = "The notes' example  ·  " if is_notes_example(self.lesson) else ""
        text = f"{notes}η = {format_number(settings.learning_rate)}  ·  {scaling}  ·  started from {shown}  ·  {settings.order} row order"
        if chosen != shown:
            text += f"\nReset applies the new choice: {chosen}"
        if text != self.caption():
            self.set_caption(text)
        self.setToolTip(f"Initialisation chosen: {INITIALISATIONS[settings.init]}")

    # -- typing a value --------------------------------------------------------
    @Slot(object)
    def select_parameter(self, ref: ParameterRef) -> None:
        self.selected_parameter = ref
        super().select_parameter(ref)  # marked on the diagram

    @property
    def editor(self) -> WeightEditor:
        """The field a value is typed in, made when first needed (making it cost 10 ms of start-up)."""
        if self._editor is None:
            self._editor = WeightEditor(self.viewport())
            self._editor.committed.connect(self._on_committed)
            self._editor.freezeToggled.connect(self.set_frozen)
        return self._editor

    def edit_parameter(self, ref: ParameterRef, at: QPoint | None = None) -> bool:
        """Open the field to type ``ref``'s value, at ``at`` (viewport pixels) or on its label."""
        if self.lesson.is_running or ref.layer >= len(self.lesson.network.weights):
            return False
        self.select_parameter(ref)
        where = at if at is not None else self._anchor(ref)
        self.editor.open(ref, parameter_value(self.lesson.network, ref), where, ref.name in self.lesson.frozen)
        return True

    def _anchor(self, ref: ParameterRef) -> QPoint:
        """Where ``ref`` is drawn, in viewport pixels: its label if shown, else its edge or neuron."""
        point = None
        if ref.kind == "w":
            edge = next((e for e in self.edges if e.parameter == ref), None)
            if edge is not None:
                point = edge.label.scenePos() if edge.label.isVisible() else edge.line().center()
        else:
            tag = self.bias_tags.get((ref.layer, ref.i))
            if tag is not None and tag.isVisible():
                point = tag.scenePos()
            elif ref.layer + 1 < len(self.neurons) and ref.i < len(self.neurons[ref.layer + 1]):
                point = self.neurons[ref.layer + 1][ref.i].scenePos()
        if point is None:
            return self.viewport().rect().center()
        return self.mapFromScene(QPointF(point))

    @Slot(object, float)
    def _on_committed(self, ref: ParameterRef, value: float) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.parameterEdited.emit(ref, value)

    # Dragging a label up or down nudges its parameter by ±h (the nudge strip's step) every
    # DRAG_PIXELS, each nudge one undoable change, so the student sees ΔL follow the drag.
    def mousePressEvent(self, event) -> None:
        ref = self._parameter_at(self.itemAt(event.position().toPoint()))
        is_left = event.button() == Qt.MouseButton.LeftButton
        self._drag = (ref, event.position().y()) if ref is not None and is_left else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            ref, last_y = self._drag
            steps = int((last_y - event.position().y()) / DRAG_PIXELS)
            if steps:
                self._drag = (ref, last_y - steps * DRAG_PIXELS)
                for _ in range(abs(steps)):
                    self.nudgeDragged.emit(ref, 1 if steps > 0 else -1)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        self._drag = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            ref = self._parameter_at(self.itemAt(event.position().toPoint()))
            if ref is not None:
                self.edit_parameter(ref, event.position().toPoint())
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_parameter is not None:
            if self.edit_parameter(self.selected_parameter):
                event.accept()
                return
        super().keyPressEvent(event)
