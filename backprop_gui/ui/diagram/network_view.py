"""The network diagram: neurons, weights as coloured edges, biases, in the notes' notation.

Blue edges are positive weights, orange negative; an edge's width grows with |w| relative to the
largest weight. The scene is in the view's own pixels: the diagram is laid out anew to the pane's
size (``diagram_layout``), never scaled, so its text keeps its pixel size, follows the window's
zoom (``set_text_scale``) and its palette, and no label covers a neuron or another label.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QWidget

from ...engine.explain.explainer import Phase, StepExplainer
from ...engine.notation import ParameterRef, bias_name, format_number, output_name
from . import diagram_text as words
from .diagram_items import NEGATIVE_DASHES, DiagramColours, EdgeItem, NeuronItem, TagItem
from .diagram_interaction import DiagramInteraction
from .diagram_layout import Layout
from .diagram_placement import DiagramPlacement

__all__ = ["NetworkView", "EdgeItem", "NeuronItem", "TagItem"]


class NetworkView(DiagramPlacement, DiagramInteraction, QGraphicsView):
    """Draws a network of any layer sizes; ``show_parameters`` refreshes it cheaply."""

    parameterClicked = Signal(object)
    """The ParameterRef of a weight or bias the user clicked."""
    neuronHovered = Signal(object)
    """(hidden layer, neuron), both 0-based, of the hidden neuron under the mouse, or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setMinimumSize(420, 320)
        self.setToolTip("")
        self.viewport().setMouseTracking(True)  # hovering a neuron is announced (neuronHovered)
        self.text_scale = 1.0
        self.colours = DiagramColours.from_palette(self.palette())
        self.setBackgroundBrush(self.colours.background)
        self.neurons: list[list[NeuronItem]] = []
        self.edges: list[EdgeItem] = []
        self.bias_tags: dict[tuple[int, int], TagItem] = {}
        self.layout_result: Layout | None = None
        self._layer_sizes: list[int] = []
        self._node_names: list[list[str]] = []
        self._caption_text = ""
        self._phase_title_text = ""
        self._phase_lines: list[str] = []
        self._reserved: dict = {}
        self._step_on_show: StepExplainer | None = None
        """Widest text each label (key) or the neurons' values ("value") has had, in pixels at zoom 1."""
        self._input_offset = 0
        self._selected: ParameterRef | None = None
        self._hovered: tuple[int, int] | None = None
        self._label_factor = 1.0
        self._label_floor: int | None = None
        self._legend_shown = True
        """The smallest pixel size the labels may shrink to (presentation mode's), if not MIN_PX."""
        self._phase_room = words.PHASE_LINES + 1
        self._short_headings = False
        self._drop_items()

    def _drop_items(self) -> None:
        # Drop every Python reference to the old items before the scene deletes them, so no
        # attribute is left pointing at a deleted C++ object.
        self.neurons, self.edges, self.bias_tags = [], [], {}
        self._clickable: dict[int, tuple[QGraphicsItem, ParameterRef]] = {}
        """id(item) → (item, the weight or bias it stands for), for every item a click can hit."""
        self._neuron_at: dict[int, tuple[QGraphicsItem, tuple[int, int]]] = {}
        self._headings: list[QGraphicsSimpleTextItem] = []
        self._legend: list[tuple[QGraphicsItem, QGraphicsSimpleTextItem | None]] = []
        self._texts: dict[str, QGraphicsSimpleTextItem] = {}
        self._markers: list[TagItem] = []
        self._halo: QGraphicsPathItem | None = None

    # -- building --------------------------------------------------------
    def set_structure(self, layer_sizes: Sequence[int], input_names: Sequence[str], output_names: Sequence[str]) -> None:
        self._drop_items()
        scene = self.scene()
        scene.clear()
        self._layer_sizes = sizes = list(layer_sizes)
        self._reserved, self._input_offset, self._hovered = {}, 0, None
        self._step_on_show = None
        n_layers = len(sizes)
        self._node_names = []
        for layer, size in enumerate(sizes):
            if layer == 0:
                names = list(input_names)
            elif layer == n_layers - 1:
                names = ["ŷ" if size == 1 else f"ŷ{j + 1}" for j in range(size)]
            else:
                names = [output_name(layer - 1, j) for j in range(size)]
            self._node_names.append(names)
        for layer in range(n_layers - 1):
            for i in range(sizes[layer]):
                for j in range(sizes[layer + 1]):
                    edge = EdgeItem(ParameterRef("w", layer, i, j))
                    for item in (edge, edge.label, edge.leader):
                        scene.addItem(item)
                    self.edges.append(edge)
                    self._make_clickable(edge.parameter, edge, edge.label, edge.label.text_item)
        self._output_tips: dict[int, str] = {}
        """What each output neuron is, the first line of its tooltip (its bias follows)."""
        for layer, size in enumerate(sizes):
            role = "input" if layer == 0 else ("output" if layer == n_layers - 1 else "hidden")
            column = []
            for j in range(size):
                neuron = NeuronItem(self._node_names[layer][j], role)
                if layer == n_layers - 1 and len(output_names) > j:
                    self._output_tips[j] = f"{self._node_names[layer][j]} = {output_name(layer - 1, j)}: the predicted {output_names[j]}"
                    neuron.setToolTip(self._output_tips[j])
                elif layer == 0:
                    neuron.setToolTip(self._node_names[0][j])
                scene.addItem(neuron)
                column.append(neuron)
                for item in (neuron, neuron.name_text, neuron.value_text, neuron.value_box):
                    self._neuron_at[id(item)] = (item, (layer, j))
                if layer > 0:
                    tag = TagItem()
                    tag.setZValue(3)
                    scene.addItem(tag)
                    self.bias_tags[(layer - 1, j)] = tag
                    self._make_clickable(ParameterRef("b", layer - 1, j), tag, tag.text_item)
            self.neurons.append(column)
            self._headings.append(scene.addSimpleText(""))
        for key in ("caption", "phase_title", "phase", "hint"):
            self._texts[key] = scene.addSimpleText("")
        self._texts["hint"].setText(words.HINT)
        for sign in (1, -1):
            line = QGraphicsLineItem()
            line.setZValue(1)
            scene.addItem(line)
            self._legend.append((line, scene.addSimpleText("positive weight" if sign > 0 else "negative weight")))
        self._legend.append((scene.addSimpleText("thicker = larger |w|"), None))
        for _ in range(2):
            marker = TagItem()
            marker.setZValue(3)
            scene.addItem(marker)
            self._markers.append(marker)
        self._halo = QGraphicsPathItem()
        self._halo.setZValue(-1)
        self._halo.setVisible(False)
        scene.addItem(self._halo)
        self._apply_colours()
        self.relayout()

    # -- colours and zoom ----------------------------------------------------
    def set_text_scale(self, scale: float) -> None:
        """Scale the diagram's text (the window's zoom; presentation mode multiplies it by 1.6)."""
        if scale > 0 and scale != self.text_scale:
            self.text_scale = float(scale)
            self.relayout()

    def set_label_floor(self, pixels: int | None) -> None:
        """Keep the weight and bias labels at least this many pixels tall (None: the usual MIN_PX)."""
        if pixels != self._label_floor:
            self._label_floor = pixels
            self.relayout()

    def set_legend_shown(self, shown: bool) -> None:
        """Show the colour legend's line under the neurons, or give its room to the diagram
        (presentation mode on a short screen; the teacher says what the colours mean)."""
        if shown != self._legend_shown:
            self._legend_shown = shown
            self.relayout()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.colours = DiagramColours.from_palette(self.palette())
            self.setBackgroundBrush(self.colours.background)
            self._apply_colours()

    def _apply_colours(self) -> None:
        c = self.colours
        for edge in self.edges:
            edge.set_colours(c)
        for column in self.neurons:
            for neuron in column:
                neuron.set_colours(c)
        for tag in list(self.bias_tags.values()) + self._markers:
            tag.set_colours(c)
            if tag in self._markers:
                tag.set_border(c.muted)
        for item in self._headings + [self._texts.get("caption"), self._texts.get("hint")]:
            if item is not None:
                item.setBrush(c.muted)
        if self._texts:
            self._texts["phase_title"].setBrush(c.phase_ink)
            self._texts["phase"].setBrush(c.ink)
        for (item, label), colour in zip(self._legend, (c.positive, c.negative, None)):
            if label is None:
                item.setBrush(c.muted)
            else:
                pen = QPen(colour, 5)
                if colour is c.negative:
                    pen.setDashPattern(NEGATIVE_DASHES)  # as the negative weights are drawn
                item.setPen(pen)
                label.setBrush(c.muted)
        if self._halo is not None:
            highlight = QColor(c.selected)
            highlight.setAlpha(110)
            self._halo.setPen(QPen(highlight, 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))

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
        grew = False
        for edge in self.edges:
            ref = edge.parameter
            value = float(weights[ref.layer][ref.i, ref.j])
            relative = min(abs(value) / largest, 1.0) if largest > 0 and math.isfinite(value) else 0.0
            edge.show_weight(value, relative, self._node_names[ref.layer][ref.i], self._node_names[ref.layer + 1][ref.j])
            grew |= self._reserve_label(("w", ref.layer, ref.i, ref.j), edge.label.text())
        for (layer, j), tag in self.bias_tags.items():
            value = float(biases[layer][j])
            name = bias_name(layer, j)
            tag.set_text(f"{name} = {format_number(value)}")
            grew |= self._reserve_label(("b", layer, j), tag.text())
            tip = f"{name}: bias of {self._node_names[layer + 1][j]} = {format_number(value)}"
            tag.setToolTip(tip)
            neuron = self.neurons[layer + 1][j]
            output = self._output_tips.get(j) if layer + 2 == len(self.neurons) else None
            neuron.setToolTip(f"{output}\n{tip}" if output else tip)
        if grew:
            self.relayout()
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
        if not (self.fits(record.weights_before, record.biases_before) and self.fits(record.weights_after, record.biases_after)):
            self.clear_step()
            return False
        self._step_on_show = explainer
        self._reserve_step(explainer)  # every phase's texts fit where the labels stand: nothing moves
        updated = phase.kind == "update"
        self.show_parameters(
            record.weights_after if updated else record.weights_before,
            record.biases_after if updated else record.biases_before,
        )
        order = explainer.phases()
        reached = order.index(phase)
        # Neuron values: the inputs once picked, each layer once the forward pass has reached it.
        last = len(self.neurons) - 1
        computed_layers = (phase.layer + 1) if phase.kind == "forward" else (0 if phase.kind == "pick" else last)
        for layer, column in enumerate(self.neurons):
            for j, neuron in enumerate(column):
                value = explainer.out_value(layer - 1, j) if layer <= computed_layers else None
                neuron.set_value_text("" if value is None else format_number(value))
                neuron.set_emphasis(
                    (phase.kind == "pick" and layer == 0)
                    or (phase.kind == "forward" and layer == phase.layer + 1)
                    or (phase.kind == "loss" and layer == last)
                )
        differentiated = {p.layer for p in order[: reached + 1] if p.kind == "backward"}
        for edge in self.edges:
            ref = edge.parameter
            texts = words.weight_texts(explainer, ref)
            if updated:
                edge.label.set_text(texts[2])
            elif ref.layer in differentiated:
                edge.label.set_text(texts[1])
            on = (phase.kind in ("forward", "backward") and ref.layer == phase.layer) or updated
            edge.label.set_emphasis(on)
            edge.set_highlighted(on and phase.kind == "backward")
        for (layer, j), tag in self.bias_tags.items():
            texts = words.weight_texts(explainer, ParameterRef("b", layer, j))
            if updated:
                tag.set_text(texts[2])
            elif layer in differentiated:
                tag.set_text(texts[1])
            tag.set_emphasis(updated or (phase.kind == "backward" and layer == phase.layer))
        self._phase_title_text = title or explainer.phase_title(phase)
        self._phase_lines = words.phase_lines(explainer, phase)
        self._render_phase_text()
        return True

    def _reserve_step(self, explainer: StepExplainer) -> None:
        # A relayout may change the labels' font size (crowded columns shrink theirs), and so the
        # widths measured: reserve again until nothing grows, so no later phase moves anything.
        for _ in range(3):
            if not self._reserve_step_once(explainer):
                return

    def _reserve_step_once(self, explainer: StepExplainer) -> bool:
        grew = False
        for edge in self.edges:
            r = edge.parameter
            for text in words.weight_texts(explainer, r):
                grew |= self._reserve_label(("w", r.layer, r.i, r.j), text)
        for layer, j in self.bias_tags:
            for text in words.weight_texts(explainer, ParameterRef("b", layer, j)):
                grew |= self._reserve_label(("b", layer, j), text)
        for layer, column in enumerate(self.neurons):
            for j in range(len(column)):
                value = explainer.out_value(layer - 1, j)
                if value is not None:
                    grew |= self._reserve("value", self._width(format_number(value), "value"))
        if grew:
            self.relayout()
        return grew

    def clear_step(self) -> None:
        """Back to the live network: no values in the neurons, no highlight, no equations."""
        self._step_on_show = None
        for column in self.neurons:
            for neuron in column:
                neuron.set_value_text("")
                neuron.set_emphasis(False)
        for edge in self.edges:
            edge.label.set_emphasis(False)
            edge.set_highlighted(False)
        for tag in self.bias_tags.values():
            tag.set_emphasis(False)
        self._phase_title_text, self._phase_lines = "", []
        if self._texts:
            self._render_phase_text()

    def phase_text(self) -> str:
        """The phase's title and equations as shown under the diagram (before line wrapping)."""
        return f"{self._phase_title_text}\n" + "\n".join(self._phase_lines) if self._phase_title_text else "\n".join(self._phase_lines)

    def set_caption(self, text: str) -> None:
        self._caption_text = text
        self.relayout()

    def caption(self) -> str:
        return self._caption_text

    def neuron(self, layer: int, j: int) -> NeuronItem:
        return self.neurons[layer][j]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()
