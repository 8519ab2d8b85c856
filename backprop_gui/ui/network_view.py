"""The network diagram: neurons, weights as coloured edges, biases, in the notes' notation.

Blue edges are positive weights, orange negative; an edge's width grows with
|w| relative to the largest weight, so the picture stays readable whatever the
scale. Every weight and bias carries its name and value.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from ..engine.explain import Phase, StepExplainer
from ..engine.notation import ParameterRef, bias_name, format_number, output_name

POSITIVE = QColor("#2b6cb0")
NEGATIVE = QColor("#dd6b20")
NEUTRAL = QColor("#a0aec0")
INK = QColor("#1a202c")
MUTED = QColor("#4a5568")
NEURON_FILL = {"input": QColor("#e2e8f0"), "hidden": QColor("#ebf4ff"), "output": QColor("#f0fff4")}
HIGHLIGHT = QColor("#d69e2e")
HIGHLIGHT_FILL = QColor("#fefcbf")
PHASE_INK = QColor("#975a16")
PHASE_LINES = 4
"""Lines of equations under the diagram during a step; space for them is always kept,
so the diagram does not jump in size from phase to phase."""
MAX_PHASE_LINE = 96

LAYER_SPACING = 400.0
NEURON_SPACING = 190.0
RADIUS = 42.0
LABEL_POSITION = 0.33
"""Edge labels sit this far along their edge from its source: for the notes' 2-2-1 network
the two diagonals cross at the middle, so labels there would sit on top of each other."""
MAX_LABELLED_EDGES = 16
"""Layers with more edges than this show values on hover only, to stay readable."""
MAX_LABELLED_NEURONS = 4
"""Beyond this many neurons in a column, its edge and bias labels would overlap: values on hover only."""
CROWDED_NEURON_SPACING = 115.0
CROWDED_LAYER_SPACING = 290.0
"""Tighter spacing once labels are on hover only, so a 4 × 8 network is drawn at a readable scale."""


def _font(pixel_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(round(pixel_size))
    font.setBold(bold)
    return font


class TagItem(QGraphicsPathItem):
    """Text on a rounded, lightly filled box, so it stays legible on top of edges.

    Built from stock items, which Qt paints in C++: an item painted in Python
    would have to win the GIL from a training worker on every repaint.
    """

    def __init__(self, text: str = "", pixel_size: float = 17, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setBrush(QColor(255, 255, 255, 235))
        self._text_item = QGraphicsSimpleTextItem(self)
        self._text_item.setFont(_font(pixel_size))
        self._text_item.setBrush(INK)
        self.set_border(NEUTRAL)
        self.set_text(text)

    def set_border(self, colour: QColor, width: float = 1.5) -> None:
        self.setPen(QPen(colour, width))

    def set_emphasis(self, on: bool) -> None:
        """The phase's own labels: bold on a yellow ground."""
        font = self._text_item.font()
        if font.bold() == on:
            return
        font.setBold(on)
        self._text_item.setFont(font)
        self.setBrush(HIGHLIGHT_FILL if on else QColor(255, 255, 255, 235))
        self._fit_box()

    def set_text(self, text: str) -> None:
        if text == self._text_item.text():
            return
        self._text_item.setText(text)
        self._fit_box()

    def _fit_box(self) -> None:
        rect = self._text_item.boundingRect()
        self._text_item.setPos(-rect.width() / 2, -rect.height() / 2)
        box = QPainterPath()
        box.addRoundedRect(QRectF(-rect.width() / 2 - 6, -rect.height() / 2 - 3, rect.width() + 12, rect.height() + 6), 6, 6)
        self.setPath(box)

    def text(self) -> str:
        return self._text_item.text()

    @property
    def text_item(self) -> QGraphicsSimpleTextItem:
        return self._text_item


class NeuronItem(QGraphicsEllipseItem):
    def __init__(self, name: str, role: str) -> None:
        super().__init__(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
        self.role = role
        self.setBrush(NEURON_FILL[role])
        self.setPen(QPen(INK, 2.5))
        self.setZValue(2)
        self.name_text = QGraphicsSimpleTextItem(name, self)
        self.name_text.setFont(_font(24, bold=True))
        # Long input names (CGPA, a CSV's columns) shrink to fit inside the circle.
        width = self.name_text.boundingRect().width()
        if width > 1.6 * RADIUS:
            self.name_text.setFont(_font(max(11, 24 * 1.6 * RADIUS / width), bold=True))
        self.value_text = QGraphicsSimpleTextItem("", self)
        self.value_text.setFont(_font(15))
        self.value_text.setBrush(MUTED)
        self._center_texts()

    def set_value_text(self, text: str) -> None:
        if text != self.value_text.text():
            self.value_text.setText(text)
            self._center_texts()

    def set_emphasis(self, on: bool) -> None:
        self.setPen(QPen(HIGHLIGHT if on else INK, 6 if on else 2.5))
        self.setBrush(HIGHLIGHT_FILL if on else NEURON_FILL[self.role])

    def _center_texts(self) -> None:
        name_rect = self.name_text.boundingRect()
        value_rect = self.value_text.boundingRect()
        if self.value_text.text():
            self.name_text.setPos(-name_rect.width() / 2, -name_rect.height() + 4)
            self.value_text.setPos(-value_rect.width() / 2, 2)
        else:
            self.name_text.setPos(-name_rect.width() / 2, -name_rect.height() / 2)


class EdgeItem(QGraphicsLineItem):
    def __init__(self, start: QPointF, end: QPointF, parameter: ParameterRef, labelled: bool) -> None:
        super().__init__(start.x(), start.y(), end.x(), end.y())
        self.parameter = parameter
        self.setZValue(0)
        self.label = TagItem()
        self.label.setZValue(3)
        self.label.setPos(start + (end - start) * LABEL_POSITION)
        self.label.setVisible(labelled)

    def show_weight(self, value: float, relative_magnitude: float, source: str, target: str) -> None:
        colour = NEUTRAL if value == 0 or not math.isfinite(value) else (POSITIVE if value > 0 else NEGATIVE)
        width = 1.5 + 8.0 * math.sqrt(relative_magnitude)
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        self.label.set_border(colour)
        self.label.set_text(f"{self.parameter.name} = {format_number(value)}")
        tip = f"{self.parameter.name}: weight from {source} to {target} = {format_number(value)}"
        self.setToolTip(tip)
        self.label.setToolTip(tip)


class NetworkView(QGraphicsView):
    """Draws a network of any layer sizes; ``show_parameters`` refreshes it cheaply."""

    parameterClicked = Signal(object)
    """The ParameterRef of a weight or bias the user clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setMinimumSize(420, 320)
        self.setToolTip("")
        self.neurons: list[list[NeuronItem]] = []
        self.edges: list[EdgeItem] = []
        self.bias_tags: dict[tuple[int, int], TagItem] = {}
        self._caption = QGraphicsSimpleTextItem()
        self._phase_title = QGraphicsSimpleTextItem()
        self._phase_text = QGraphicsSimpleTextItem()
        self._layer_sizes: list[int] = []
        self._node_names: list[list[str]] = []
        self._clickable: dict[int, tuple[QGraphicsItem, ParameterRef]] = {}
        """id(item) → (item, the weight or bias it stands for), for every item a click can hit."""

    # -- building --------------------------------------------------------
    def set_structure(self, layer_sizes: Sequence[int], input_names: Sequence[str], output_names: Sequence[str]) -> None:
        scene = self.scene()
        # Drop every Python reference to the old items before the scene deletes them, so no
        # attribute is left pointing at a deleted C++ object.
        self.neurons, self.edges, self.bias_tags, self._clickable = [], [], {}, {}
        self._caption = self._phase_title = self._phase_text = QGraphicsSimpleTextItem()
        scene.clear()
        self._layer_sizes = list(layer_sizes)
        n_layers = len(layer_sizes)
        self._node_names = []
        for layer, size in enumerate(layer_sizes):
            if layer == 0:
                names = list(input_names)
            elif layer == n_layers - 1:
                names = ["ŷ" if size == 1 else f"ŷ{j + 1}" for j in range(size)]
            else:
                names = [output_name(layer - 1, j) for j in range(size)]
            self._node_names.append(names)

        tall = max(layer_sizes) > MAX_LABELLED_NEURONS
        neuron_spacing = CROWDED_NEURON_SPACING if tall else NEURON_SPACING
        layer_spacing = CROWDED_LAYER_SPACING if tall or n_layers > 4 else LAYER_SPACING
        positions = [
            [QPointF(layer * layer_spacing, (j - (size - 1) / 2) * neuron_spacing) for j in range(size)]
            for layer, size in enumerate(layer_sizes)
        ]
        for layer in range(n_layers - 1):
            labelled = (
                layer_sizes[layer] * layer_sizes[layer + 1] <= MAX_LABELLED_EDGES
                and max(layer_sizes[layer], layer_sizes[layer + 1]) <= MAX_LABELLED_NEURONS
            )
            for i, start in enumerate(positions[layer]):
                for j, end in enumerate(positions[layer + 1]):
                    edge = EdgeItem(start, end, ParameterRef("w", layer, i, j), labelled)
                    scene.addItem(edge)
                    scene.addItem(edge.label)
                    self.edges.append(edge)
                    self._make_clickable(edge.parameter, edge, edge.label, edge.label.text_item)

        top = min(p.y() for column in positions for p in column) - RADIUS
        bottom = max(p.y() for column in positions for p in column) + RADIUS
        for layer, column in enumerate(positions):
            role = "input" if layer == 0 else ("output" if layer == n_layers - 1 else "hidden")
            items = []
            for j, point in enumerate(column):
                neuron = NeuronItem(self._node_names[layer][j], role)
                neuron.setPos(point)
                if layer == n_layers - 1 and len(output_names) > j:
                    neuron.setToolTip(
                        f"{self._node_names[layer][j]} = {output_name(layer - 1, j)}: the predicted {output_names[j]}"
                    )
                scene.addItem(neuron)
                items.append(neuron)
                if layer > 0:
                    tag = TagItem(pixel_size=16)
                    tag.setPos(point + QPointF(0, RADIUS + 20))
                    tag.setZValue(3)
                    tag.setVisible(len(column) <= MAX_LABELLED_NEURONS)
                    scene.addItem(tag)
                    self.bias_tags[(layer - 1, j)] = tag
                    bias = ParameterRef("b", layer - 1, j)
                    self._make_clickable(bias, tag, tag.text_item)
                    if not tag.isVisible():  # a crowded column: the neuron stands for its hidden bias tag
                        self._make_clickable(bias, neuron, neuron.name_text, neuron.value_text)
            self.neurons.append(items)
            heading = "Inputs" if role == "input" else ("Output" if role == "output" else f"Hidden layer {layer}")
            title = scene.addSimpleText(heading, _font(17, bold=True))
            title.setBrush(MUTED)
            title.setPos(column[0].x() - title.boundingRect().width() / 2, top - 70)

        self._caption = scene.addSimpleText("", _font(16))
        self._caption.setBrush(MUTED)
        self._caption.setPos(-RADIUS, top - 115)
        self._add_legend(QPointF(-RADIUS, bottom + 70))
        self._phase_title = scene.addSimpleText("", _font(19, bold=True))
        self._phase_title.setBrush(PHASE_INK)
        self._phase_title.setPos(-RADIUS, bottom + 105)
        self._phase_text = scene.addSimpleText("", _font(17))
        self._phase_text.setBrush(INK)
        self._phase_text.setPos(-RADIUS, bottom + 137)
        # Keep room for the phase's equations whether or not a step is shown.
        line_height = self._phase_text.boundingRect().height() or 22
        room = scene.addRect(QRectF(-RADIUS, bottom + 105, 1, 32 + PHASE_LINES * line_height), Qt.PenStyle.NoPen)
        room.setZValue(-10)
        self._fit()

    def _add_legend(self, origin: QPointF) -> None:
        scene = self.scene()
        x = origin.x()
        for colour, text in ((POSITIVE, "positive weight"), (NEGATIVE, "negative weight")):
            line = scene.addLine(x, origin.y(), x + 36, origin.y(), QPen(colour, 5))
            line.setZValue(1)
            label = scene.addSimpleText(text, _font(15))
            label.setBrush(MUTED)
            label.setPos(x + 44, origin.y() - label.boundingRect().height() / 2)
            x += 44 + label.boundingRect().width() + 30
        label = scene.addSimpleText("thicker = larger |w|", _font(15))
        label.setBrush(MUTED)
        label.setPos(x, origin.y() - label.boundingRect().height() / 2)

    # -- updating --------------------------------------------------------
    def fits(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> bool:
        """Whether parameters of these shapes belong to the network on show."""
        sizes = self._layer_sizes
        shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        return (
            len(weights) == len(shapes)
            and len(biases) == len(shapes)
            and all(np.shape(w) == shape for w, shape in zip(weights, shapes))
            and all(np.shape(b) == (shape[1],) for b, shape in zip(biases, shapes))
        )

    def show_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> bool:
        """Show these weights and biases on the diagram; True if shown.

        Parameters of another network (other layer sizes: a step recorded before the
        architecture changed) are ignored and the diagram is left as it was: False.
        """
        if not self.fits(weights, biases):
            return False
        finite = [np.abs(w[np.isfinite(w)]) for w in weights]
        largest = max((float(a.max()) for a in finite if a.size), default=0.0)
        for edge in self.edges:
            ref = edge.parameter
            value = float(weights[ref.layer][ref.i, ref.j])
            relative = min(abs(value) / largest, 1.0) if largest > 0 and math.isfinite(value) else 0.0
            edge.show_weight(
                value, relative, self._node_names[ref.layer][ref.i], self._node_names[ref.layer + 1][ref.j]
            )
        for (layer, j), tag in self.bias_tags.items():
            value = float(biases[layer][j])
            name = bias_name(layer, j)
            tag.set_text(f"{name} = {format_number(value)}")
            tip = f"{name}: bias of {self._node_names[layer + 1][j]} = {format_number(value)}"
            tag.setToolTip(tip)
            if not tag.isVisible():  # a crowded column: the neuron tells its bias on hover
                self.neurons[layer + 1][j].setToolTip(tip)
        return True

    # -- one step, phase by phase ------------------------------------------
    def show_step(self, explainer: StepExplainer, phase: Phase, title: str | None = None) -> bool:
        """Show a step record at one of its phases: the values computed so far, the layer at
        work highlighted, and the phase's equations under the diagram; True if shown.

        A step of another network (recorded before the architecture changed) is not drawn:
        the diagram drops any step on show (clear_step) and returns False; the caller then
        shows the live parameters.
        """
        record = explainer.record
        if not (
            self.fits(record.weights_before, record.biases_before)
            and self.fits(record.weights_after, record.biases_after)
        ):
            self.clear_step()
            return False
        updated = phase.kind == "update"
        self.show_parameters(
            record.weights_after if updated else record.weights_before,
            record.biases_after if updated else record.biases_before,
        )
        order = explainer.phases()
        reached = order.index(phase)
        # Neuron values: the inputs once picked, each layer once the forward pass has reached it.
        computed_layers = (phase.layer + 1) if phase.kind == "forward" else (0 if phase.kind == "pick" else len(self.neurons) - 1)
        for layer, column in enumerate(self.neurons):
            for j, neuron in enumerate(column):
                value = explainer.out_value(layer - 1, j) if layer <= computed_layers else None
                neuron.set_value_text("" if value is None else format_number(value))
                highlighted = (
                    (phase.kind == "pick" and layer == 0)
                    or (phase.kind == "forward" and layer == phase.layer + 1)
                    or (phase.kind == "loss" and layer == len(self.neurons) - 1)
                )
                neuron.set_emphasis(highlighted)
        differentiated = {p.layer for p in order[: reached + 1] if p.kind == "backward"}
        for edge in self.edges:
            ref = edge.parameter
            before, after, gradient = explainer.values(ref)
            on = (phase.kind in ("forward", "backward") and ref.layer == phase.layer) or updated
            if updated:
                edge.label.set_text(f"{ref.name}: {format_number(before)} → {format_number(after)}")
            elif ref.layer in differentiated:
                edge.label.set_text(f"∂L/∂{ref.name} = {format_number(gradient)}")
            edge.label.set_emphasis(on)
            if on and phase.kind == "backward":
                pen = edge.pen()
                pen.setColor(HIGHLIGHT)
                edge.setPen(pen)
        for (layer, j), tag in self.bias_tags.items():
            ref = ParameterRef("b", layer, j)
            before, after, gradient = explainer.values(ref)
            if updated:
                tag.set_text(f"{ref.name}: {format_number(before)} → {format_number(after)}")
            elif layer in differentiated:
                tag.set_text(f"∂L/∂{ref.name} = {format_number(gradient)}")
            tag.set_emphasis(updated or (phase.kind == "backward" and layer == phase.layer))
        lines = explainer.phase_lines(phase) if phase.kind not in ("backward", "update") else self._phase_summary(explainer, phase)
        if len(lines) > PHASE_LINES:
            lines = lines[: PHASE_LINES - 1] + [f"… and {len(lines) - PHASE_LINES + 1} more (hover a neuron or an edge)"]
        lines = [line if len(line) <= MAX_PHASE_LINE else line[: MAX_PHASE_LINE - 1] + "…" for line in lines]
        self._phase_title.setText(title or explainer.phase_title(phase))
        self._phase_text.setText("\n".join(lines))
        self._fit()
        return True

    @staticmethod
    def _phase_summary(explainer: StepExplainer, phase: Phase) -> list[str]:
        record = explainer.record
        summary = f"ŷ = {format_number(record.y_hat[0, 0])}, L = {format_number(record.loss)}"
        if phase.kind == "backward":
            return [
                "The chain rule, from the loss back: each highlighted edge shows ∂L/∂w, each bias ∂L/∂b.",
                f"({summary}; click a weight or bias to see its derivation)",
            ]
        return [
            f"Every weight and bias moves against its gradient: p ← p − η · ∂L/∂p, η = {format_number(record.learning_rate)}.",
            f"{summary}; each label shows old → new.",
        ]

    def clear_step(self) -> None:
        """Back to the live network: no values in the neurons, no highlight, no equations."""
        for column in self.neurons:
            for neuron in column:
                neuron.set_value_text("")
                neuron.set_emphasis(False)
        for edge in self.edges:
            edge.label.set_emphasis(False)
        for tag in self.bias_tags.values():
            tag.set_emphasis(False)
        self._phase_title.setText("")
        self._phase_text.setText("")

    def phase_text(self) -> str:
        """The phase's title and equations as shown under the diagram."""
        return f"{self._phase_title.text()}\n{self._phase_text.text()}".strip()

    def set_caption(self, text: str) -> None:
        self._caption.setText(text)
        self._fit()

    def caption(self) -> str:
        return self._caption.text()

    def neuron(self, layer: int, j: int) -> NeuronItem:
        return self.neurons[layer][j]

    # -- interaction -----------------------------------------------------
    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        ref = self._parameter_at(item)
        if ref is not None and event.button() == Qt.MouseButton.LeftButton:
            self.parameterClicked.emit(ref)
        super().mousePressEvent(event)

    def _make_clickable(self, parameter: ParameterRef, *items: QGraphicsItem) -> None:
        for item in items:
            self._clickable[id(item)] = (item, parameter)

    def _parameter_at(self, item: QGraphicsItem | None) -> ParameterRef | None:
        # A look-up by identity among the items built here, and never item.parentItem():
        # in PySide6, parentItem() on an item without a parent (a heading, the caption) takes
        # the item's ownership away from the scene, so the wrapper's death or scene.clear()
        # deletes it a second time, and the process crashes later (issue 12, defect 14).
        if item is None:
            return None
        entry = self._clickable.get(id(item))
        return entry[1] if entry is not None and entry[0] is item else None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        rect = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
