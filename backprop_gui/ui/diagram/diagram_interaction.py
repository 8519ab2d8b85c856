"""NetworkView's interaction: the chosen parameter marked, clicks on weights and biases, hovering a
hidden neuron, scrolling a long input column. A mixin of ``NetworkView``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from ...engine.notation import ParameterRef


class DiagramInteraction:
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

