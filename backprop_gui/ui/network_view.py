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
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QWidget

from ..engine.explain import Phase, StepExplainer
from ..engine.notation import ParameterRef, bias_name, format_number, output_name
from . import diagram_text as words
from .diagram_items import DiagramColours, EdgeItem, NeuronItem, TagItem, diagram_font
from .diagram_layout import Layout, Measures, gap_is_labelled, layout_diagram

__all__ = ["NetworkView", "EdgeItem", "NeuronItem", "TagItem"]


class NetworkView(QGraphicsView):
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
        """Widest text each label (key) or the neurons' values ("value") has had, in pixels at zoom 1."""
        self._input_offset = 0
        self._selected: ParameterRef | None = None
        self._hovered: tuple[int, int] | None = None
        self._label_factor = 1.0
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
        for layer, size in enumerate(sizes):
            role = "input" if layer == 0 else ("output" if layer == n_layers - 1 else "hidden")
            column = []
            for j in range(size):
                neuron = NeuronItem(self._node_names[layer][j], role)
                if layer == n_layers - 1 and len(output_names) > j:
                    neuron.setToolTip(f"{self._node_names[layer][j]} = {output_name(layer - 1, j)}: the predicted {output_names[j]}")
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

    # -- layout ----------------------------------------------------------
    def _font(self, kind: str, bold: bool | None = None):
        scale = self.text_scale * (self._label_factor if kind == "label" else 1.0)
        return diagram_font(words.pixel_size(kind, scale), kind in words.BOLD if bold is None else bold)

    def _width(self, text: str, kind: str, bold: bool | None = None) -> float:
        return QFontMetricsF(self._font(kind, bold)).horizontalAdvance(text)

    def _height(self, kind: str) -> float:
        return QFontMetricsF(self._font(kind)).height()

    def _reserve(self, key, width: float) -> bool:
        """Widen the room kept for ``key`` to ``width`` pixels; True if it grew."""
        unit = width / self.text_scale
        if unit > self._reserved.get(key, 0.0) + 0.5:
            self._reserved[key] = unit
            return True
        return False

    def _reserve_label(self, key, text: str) -> bool:
        return self._reserve(key, self._width(text, "label", bold=True) / self._label_factor)

    def _name(self, layer: int, j: int, crowded: bool):
        """The font and text of a neuron's name: long names shrink, then are cut short."""
        kind = "crowded_name" if crowded else "name"
        font, name = self._font(kind), self._node_names[layer][j]
        limit = 3.4 * font.pixelSize()
        width = QFontMetricsF(font).horizontalAdvance(name)
        if width > limit:
            font.setPixelSize(max(words.MIN_PX, int(font.pixelSize() * limit / width)))
            longest = 120 * self.text_scale  # the neuron grows to hold the name, up to this; longer ones are cut
            name = QFontMetricsF(font).elidedText(name, Qt.TextElideMode.ElideRight, longest)
        return font, name

    def _measures(self, width: float, crowded: list[bool], short: bool) -> Measures:
        self._reserve("value", self._width(words.VALUE_TEMPLATE, "value"))
        names = [[QFontMetricsF(f).horizontalAdvance(n) for f, n in (self._name(l, j, crowded[l]) for j in range(size))]
                 for l, size in enumerate(self._layer_sizes)]  # fmt: skip
        self._texts["caption"].setFont(self._font("caption"))
        caption = words.wrap_caption(self._caption_text, width - 24, lambda t: self._width(t, "caption"))
        self._texts["caption"].setText(caption)
        caption_h = self._texts["caption"].boundingRect().height() if caption else 0.0
        n = len(self._layer_sizes)
        headings = [words.heading(layer, n, short) for layer in range(n)]
        heading_w = [max(self._width(line, "heading") for line in h.split("\n")) for h in headings]
        heading_h = self._height("heading") * max(h.count("\n") + 1 for h in headings)
        legend_h = self._height("legend")
        phase_h = self._height("phase_title") + 4 + self._phase_room * self._height("phase")
        scale = self.text_scale
        return Measures(
            name_w=names, name_h=self._height("crowded_name" if all(crowded) else "name"),
            value_w=self._reserved["value"] * scale, value_h=self._height("value"), label_h=self._height("label") + 10,
            header_h=caption_h + 8 + heading_h + 10, heading_w=heading_w, footer_h=12 + legend_h + 10 + phase_h,
            marker_w=self._width("▼ 000 more", "marker") + 16, marker_h=self._height("marker") + 10,
        )  # fmt: skip

    def relayout(self) -> None:
        """Lay the diagram out anew for the pane's size, the zoom and the widest texts so far."""
        if not self.neurons:
            return
        sizes = self._layer_sizes
        crowded = [size > 4 for size in sizes]
        for edge in self.edges:
            r = edge.parameter
            self._reserve_label(("w", r.layer, r.i, r.j), words.LABEL_TEMPLATE + r.name + " = ")
            self._reserve_label(("w", r.layer, r.i, r.j), edge.label.text())
        for (layer, j), tag in self.bias_tags.items():
            self._reserve_label(("b", layer, j), words.LABEL_TEMPLATE + bias_name(layer, j) + " = ")
            self._reserve_label(("b", layer, j), tag.text())
        viewport = self.maximumViewportSize()
        # A short pane keeps two lines for the phase's equations (the chain-rule panel has them all).
        self._phase_room = words.PHASE_LINES + 1 if viewport.height() >= 560 else 2
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        labelled = sum(gap_is_labelled(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for factor in words.LABEL_FACTORS:  # a narrow pane: smaller labels (never below 11 px) before hover
            self._label_factor = factor
            layout = self._layout_for(viewport, bar, crowded)
            if len({key[0] for key in layout.edge_labels}) >= labelled:
                break
        self._input_offset = layout.input_window[0]
        self._apply_layout(layout, self._short_headings)

    def _layout_for(self, viewport, bar: int, crowded: list[bool]) -> Layout:
        sizes, unit = self._layer_sizes, self.text_scale * self._label_factor
        edge_w = {key[1:]: w * unit + 16 for key, w in self._reserved.items() if key[0] == "w"}
        bias_w = {key[1:]: w * unit + 16 for key, w in self._reserved.items() if key[0] == "b"}
        width, height = float(viewport.width()), float(viewport.height())
        self._short_headings = short = sum(self._width(words.heading(k, len(sizes), False), "heading") + 30 for k in range(len(sizes))) > width
        full_width, full_height = width, height
        for _ in range(3):  # a scroll bar on one side takes room from the other
            layout = layout_diagram(sizes, width, height, self._measures(width, crowded, short), edge_w, bias_w, self._input_offset)
            fit = (full_width - (bar if layout.height > height + 0.5 else 0), full_height - (bar if layout.width > width + 0.5 else 0))
            if fit == (width, height):
                break
            width, height = fit
        return layout

    def _apply_layout(self, layout: Layout, short: bool) -> None:
        self.layout_result = layout
        value_font = self._font("value")
        for layer, column in enumerate(self.neurons):
            for j, neuron in enumerate(column):
                centre = layout.centres[layer][j]
                neuron.setVisible(centre is not None)
                if centre is not None:
                    neuron.setPos(*centre)
                    name_font, name = self._name(layer, j, layout.crowded[layer])
                    neuron.set_geometry(layout.radius[layer], layout.crowded[layer], name_font, value_font, name)
        label_font = self._font("label")
        for edge in self.edges:
            r = edge.parameter
            a, b = layout.centres[r.layer][r.i], layout.centres[r.layer + 1][r.j]
            edge.setVisible(a is not None and b is not None)
            if a is not None and b is not None:
                edge.place(QPointF(*a), QPointF(*b))
            edge.label.set_font(label_font)
            placed = layout.edge_labels.get((r.layer, r.i, r.j))
            edge.label.setVisible(placed is not None)
            edge.leader.setVisible(placed is not None and placed[1] is not None)
            if placed is not None:
                box, leader = placed
                edge.label.setPos(box.x, box.y)
                if leader is not None:
                    end = box.top if leader < box.y else box.top + box.h
                    edge.leader.setLine(box.x, leader, box.x, end)
        for key, tag in self.bias_tags.items():
            tag.set_font(label_font)
            box = layout.bias_tags.get(key)
            tag.setVisible(box is not None)
            if box is not None:
                tag.setPos(box.x, box.y)
        n = len(self.neurons)
        for layer, item in enumerate(self._headings):
            item.setFont(self._font("heading"))
            item.setText(words.heading(layer, n, short))
            x, region_top = layout.headings[layer]
            rect = item.boundingRect()
            item.setPos(x - rect.width() / 2, region_top - 10 - rect.height())
        start, shown = layout.input_window
        above, below = start, self._layer_sizes[0] - start - shown
        for marker, box, text in zip(self._markers, layout.markers, (f"▲ {above} more", f"▼ {below} more")):
            marker.set_font(self._font("marker"))
            marker.set_text(text)
            marker.setVisible(box is not None)
            marker.setToolTip("Scroll the inputs: click here, or turn the mouse wheel over them")
            if box is not None:
                marker.setPos(box.x, box.y)
        self._texts["caption"].setPos(12, 12)
        y = layout.region[1] + 12
        x = 12.0
        legend_font = self._font("legend")
        for item, label in self._legend:
            if label is None:
                item.setFont(legend_font)
                item.setPos(x, y)
                continue
            mid = y + self._height("legend") / 2
            item.setLine(x, mid, x + 36, mid)
            label.setFont(legend_font)
            label.setPos(x + 44, y)
            x += 44 + label.boundingRect().width() + 30
        y += self._height("legend") + 10
        for key in ("phase_title", "hint"):
            self._texts[key].setFont(self._font("phase_title" if key == "phase_title" else "phase"))
            self._texts[key].setPos(12, y)
        self._texts["phase"].setFont(self._font("phase"))
        self._texts["phase"].setPos(12, y + self._height("phase_title") + 4)
        self._render_phase_text()
        self._place_halo()
        self.setSceneRect(QRectF(0, 0, math.floor(layout.width), math.floor(layout.height)))

    def _render_phase_text(self) -> None:
        width = (self.layout_result.width if self.layout_result else self.viewport().width()) - 24
        lines = words.wrap_lines(self._phase_lines, width, lambda t: self._width(t, "phase"), self._phase_room)
        self._texts["phase_title"].setText(self._phase_title_text)
        self._texts["phase"].setText("\n".join(lines) if self._phase_lines else "")
        self._texts["hint"].setVisible(not self._phase_title_text)

    # -- colours and zoom ----------------------------------------------------
    def set_text_scale(self, scale: float) -> None:
        """Scale the diagram's text (the window's zoom; presentation mode multiplies it by 1.6)."""
        if scale > 0 and scale != self.text_scale:
            self.text_scale = float(scale)
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
                item.setPen(QPen(colour, 5))
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
            neuron.setToolTip(tip if layer + 2 < len(self.neurons) else f"{neuron.toolTip().split(chr(10))[0]}\n{tip}")
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

    def clear_step(self) -> None:
        """Back to the live network: no values in the neurons, no highlight, no equations."""
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

    # -- the chosen parameter --------------------------------------------------
    @Slot(object)
    def select_parameter(self, ref: ParameterRef | None) -> None:
        """Mark the weight or bias chosen (here or in the chain-rule panel) on the diagram."""
        self._selected = ref
        for edge in self.edges:
            edge.label.set_selected(edge.parameter == ref)
        for (layer, j), tag in self.bias_tags.items():
            tag.set_selected(ref is not None and ref.kind == "b" and (ref.layer, ref.i) == (layer, j))
        self._place_halo()

    def _place_halo(self) -> None:
        """A wide translucent stroke under the chosen edge, or a ring round the neuron of a chosen bias."""
        halo, ref = self._halo, self._selected
        if halo is None:
            return
        path = QPainterPath()
        if ref is not None and ref.kind == "w":
            edge = next((e for e in self.edges if e.parameter == ref), None)
            if edge is not None and edge.isVisible():
                line = edge.line()
                path.moveTo(line.p1())
                path.lineTo(line.p2())
        elif ref is not None and ref.layer + 1 < len(self.neurons) and ref.i < len(self.neurons[ref.layer + 1]):
            neuron = self.neurons[ref.layer + 1][ref.i]
            if neuron.isVisible():
                r = neuron.radius + 6
                path.addEllipse(neuron.pos(), r, r)
        halo.setPath(path)
        halo.setVisible(not path.isEmpty())

    # -- interaction -----------------------------------------------------
    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton:
            marker = next((k for k, m in enumerate(self._markers) if item is m or item is m.text_item), None)
            if marker is not None and self.layout_result is not None:
                self.scroll_inputs((-1 if marker == 0 else 1) * max(1, self.layout_result.input_window[1] - 1))
                event.accept()
                return
            ref = self._parameter_at(item)
            if ref is not None:
                self.parameterClicked.emit(ref)
        super().mousePressEvent(event)

    def scroll_inputs(self, rows: int) -> None:
        """Scroll a long input column (a wide table) by ``rows``."""
        if self.layout_result is not None and self.layout_result.input_window[1] < self._layer_sizes[0]:
            self._input_offset = max(0, self._input_offset + rows)
            self.relayout()

    def wheelEvent(self, event) -> None:
        layout = self.layout_result
        if layout is not None and layout.input_window[1] < self._layer_sizes[0]:
            x = self.mapToScene(event.position().toPoint()).x()
            first = next(c for c in layout.centres[0] if c is not None)
            if x < first[0] + layout.radius[0] * 3 and event.angleDelta().y():
                self.scroll_inputs(-1 if event.angleDelta().y() > 0 else 1)
                event.accept()
                return
        super().wheelEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        entry = self._lookup(self._neuron_at, self.itemAt(event.position().toPoint()))
        hovered = None
        if entry is not None and 0 < entry[0] < len(self.neurons) - 1:
            hovered = (entry[0] - 1, entry[1])
        self._set_hovered(hovered)

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        self._set_hovered(None)

    def _set_hovered(self, hovered: tuple[int, int] | None) -> None:
        if hovered != self._hovered:
            self._hovered = hovered
            self.neuronHovered.emit(hovered)

    def _make_clickable(self, parameter: ParameterRef, *items: QGraphicsItem) -> None:
        for item in items:
            self._clickable[id(item)] = (item, parameter)

    @staticmethod
    def _lookup(table: dict, item: QGraphicsItem | None):
        # A look-up by identity among the items built here, and never item.parentItem():
        # in PySide6, parentItem() on an item without a parent (a heading, the caption) takes
        # the item's ownership away from the scene, so the wrapper's death or scene.clear()
        # deletes it a second time, and the process crashes later (issue 12, defect 14).
        if item is None:
            return None
        entry = table.get(id(item))
        return entry[1] if entry is not None and entry[0] is item else None

    def _parameter_at(self, item: QGraphicsItem | None) -> ParameterRef | None:
        ref = self._lookup(self._clickable, item)
        if ref is None:
            node = self._lookup(self._neuron_at, item)
            tag = self.bias_tags.get((node[0] - 1, node[1])) if node is not None and node[0] > 0 else None
            if tag is not None and not tag.isVisible():  # a crowded column: the neuron stands for its bias
                ref = ParameterRef("b", node[0] - 1, node[1])
        return ref

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()
