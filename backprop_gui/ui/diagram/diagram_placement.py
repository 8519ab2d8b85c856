"""NetworkView's layout step: measure the texts at the current zoom, ask ``diagram_layout`` where
everything goes for the pane's size, and move the items there. A mixin of ``NetworkView``."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from ...engine.notation import ParameterRef, bias_name, format_number
from . import diagram_text as words
from .diagram_items import diagram_font
from .diagram_layout import Layout, Measures, gap_is_labelled, layout_diagram


class DiagramPlacement:
    # -- layout ----------------------------------------------------------
    def _font(self, kind: str, bold: bool | None = None):
        # A short or narrow pane shrinks the labels and, with them, the equations under the diagram
        # (these never below PHASE_MIN_PX: they are sentences, read line by line).
        scale = self.text_scale * (self._label_factor if kind in ("label", "phase") else 1.0)
        size = words.pixel_size(kind, scale)
        if kind == "phase":
            size = max(size, min(words.PHASE_MIN_PX, words.pixel_size(kind, self.text_scale)))
        return diagram_font(size, kind in words.BOLD if bold is None else bold)

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

    def _phase_lines_needed(self, width: float) -> int:
        """Lines the equations of any phase of the step on show take, wrapped to ``width``: their
        room, so that no phase's line is cut short and nothing moves from phase to phase."""
        explainer = self._step_on_show
        phases = [words.phase_lines(explainer, phase) for phase in explainer.phases()] if explainer is not None else []
        measure = lambda text: self._width(text, "phase")  # noqa: E731
        return max((len(words.wrap_lines(lines, width, measure, 1000)) for lines in phases + [self._phase_lines]), default=0)

    def _forget_old_widths(self) -> None:
        """Keep room only for the labels' texts on show and, if a step is on show, every text its
        phases give them (so still nothing moves from phase to phase)."""
        self._reserved = {key: width for key, width in self._reserved.items() if key[0] not in ("w", "b", "value")}
        for edge in self.edges:
            r = edge.parameter
            self._reserve_label(("w", r.layer, r.i, r.j), words.LABEL_TEMPLATE + r.name + " = ")
            self._reserve_label(("w", r.layer, r.i, r.j), edge.label.text())
        for (layer, j), tag in self.bias_tags.items():
            self._reserve_label(("b", layer, j), words.LABEL_TEMPLATE + bias_name(layer, j) + " = ")
            self._reserve_label(("b", layer, j), tag.text())
        self._reserved.pop("value", None)
        self._reserve("value", self._width(words.VALUE_TEMPLATE, "value"))
        explainer = self._step_on_show
        if explainer is not None:
            for layer, column in enumerate(self.neurons):
                for j in range(len(column)):
                    value = explainer.out_value(layer - 1, j)
                    if value is not None:
                        self._reserve("value", self._width(format_number(value), "value"))
            for ref in [edge.parameter for edge in self.edges] + [ParameterRef("b", l, j) for l, j in self.bias_tags]:
                key = ("w", ref.layer, ref.i, ref.j) if ref.kind == "w" else ("b", ref.layer, ref.i)
                for text in words.weight_texts(explainer, ref):
                    self._reserve_label(key, text)

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
        legend_h = self._height("legend") if self._legend_shown else -10.0  # no line, and no gap under it
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
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        self._phase_room = max(words.PHASE_LINES + 1 if viewport.height() >= 560 else 2, self._phase_lines_needed(viewport.width() - 24 - bar))
        labelled = sum(gap_is_labelled(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        floor = self._label_floor or words.MIN_PX
        factors = [f for f in words.LABEL_FACTORS if words.pixel_size("label", self.text_scale * f) >= floor] or [1.0]
        chosen = None  # the largest labels that show every label and fit the pane, else that show every label
        for forget in (False, True):
            if forget:  # the room kept for wider texts of earlier steps goes before any label does
                self._forget_old_widths()
            for factor in factors:  # a narrow or short pane: smaller labels (never below the floor) before hover
                self._label_factor = factor
                layout = self._layout_for(viewport, bar, crowded)
                every = len({key[0] for key in layout.edge_labels}) >= labelled
                fits = layout.width <= viewport.width() + 0.5 and layout.height <= viewport.height() + 0.5
                if every and (fits or chosen is None):
                    chosen = factor
                    if fits:
                        break
            if chosen is not None and fits:
                break
        if chosen is not None and chosen != self._label_factor:
            self._label_factor = chosen
            layout = self._layout_for(viewport, bar, crowded)
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
            item.setVisible(self._legend_shown)
            if label is not None:
                label.setVisible(self._legend_shown)
            if label is None:
                item.setFont(legend_font)
                item.setPos(x, y)
                continue
            mid = y + self._height("legend") / 2
            item.setLine(x, mid, x + 36, mid)
            label.setFont(legend_font)
            label.setPos(x + 44, y)
            x += 44 + label.boundingRect().width() + 30
        y += self._height("legend") + 10 if self._legend_shown else 0.0
        for key in ("phase_title", "hint"):
            self._texts[key].setFont(self._font("phase_title" if key == "phase_title" else "phase"))
            self._texts[key].setPos(12, y)
        self._texts["phase"].setFont(self._font("phase"))
        self._texts["phase"].setPos(12, y + self._height("phase_title") + 4)
        self._render_phase_text()
        self._place_halo()
        self.setSceneRect(QRectF(0, 0, math.floor(layout.width), math.floor(layout.height)))
        # Every item may have moved, and the scene's size with it (the view then scrolls by copying
        # pixels): the whole viewport is painted again, so nothing of the old layout stays on screen.
        self.viewport().update()

    def _render_phase_text(self) -> None:
        width = (self.layout_result.width if self.layout_result else self.viewport().width()) - 24
        lines = words.wrap_lines(self._phase_lines, width, lambda t: self._width(t, "phase"), self._phase_room)
        self._texts["phase_title"].setText(self._phase_title_text)
        self._texts["phase"].setText("\n".join(lines) if self._phase_lines else "")
        self._texts["hint"].setVisible(not self._phase_title_text)

