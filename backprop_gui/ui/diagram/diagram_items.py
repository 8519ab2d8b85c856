"""The network diagram's pieces: neurons, edges, labelled tags, and the colours they are drawn in.

Built from stock items, which Qt paints in C++: an item painted in Python would have to win the GIL
from a training worker on every repaint. Every colour comes from a ``DiagramColours``, made from the
widget's palette, so the diagram reads on a light or a dark ground; only the step's highlight keeps
its own yellow with its own dark text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainterPath, QPainterPathStroker, QPalette, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
)

from ...engine.notation import ParameterRef, format_number
from ..widgets.contrast import high_contrast

NEGATIVE_DASHES = [4.0, 1.5]
"""A negative weight's dash pattern (in line widths): its sign is not told by colour alone."""
HIGHLIGHT_FILL = QColor("#fefcbf")
HIGHLIGHT_INK = QColor("#1a202c")
"""The step's highlight: pale yellow with dark text, on a light or a dark palette alike."""


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    s = share_of_b
    return QColor.fromRgbF(a.redF() * (1 - s) + b.redF() * s, a.greenF() * (1 - s) + b.greenF() * s, a.blueF() * (1 - s) + b.blueF() * s)


@dataclass(frozen=True)
class DiagramColours:
    background: QColor
    ink: QColor
    muted: QColor
    label_fill: QColor
    positive: QColor
    negative: QColor
    neutral: QColor
    neuron_fill: dict
    highlight: QColor
    phase_ink: QColor
    selected: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> DiagramColours:
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        label_fill = QColor(base)
        label_fill.setAlpha(235)
        positive = QColor("#63b3ed" if dark else "#2b6cb0")
        if high_contrast():  # every line at least 4.5:1 on the black background (View > Theme)
            return cls(
                background=base, ink=palette.color(QPalette.ColorRole.Text), muted=palette.color(QPalette.ColorRole.PlaceholderText),
                label_fill=label_fill, positive=QColor("#5cc8ff"), negative=QColor("#ffb000"), neutral=QColor("#c0c0c0"),
                neuron_fill={"input": QColor("#262626"), "hidden": QColor("#002a4d"), "output": QColor("#003311")},
                highlight=QColor("#ffff00"), phase_ink=QColor("#ffff00"), selected=QColor("#ff80ff"),
            )  # fmt: skip
        return cls(
            background=base,
            ink=palette.color(QPalette.ColorRole.Text),
            muted=palette.color(QPalette.ColorRole.PlaceholderText),
            label_fill=label_fill,
            positive=positive,
            negative=QColor("#f6ad55" if dark else "#dd6b20"),
            neutral=QColor("#718096" if dark else "#a0aec0"),
            neuron_fill={
                "input": _mix(base, QColor("#a0aec0"), 0.3),
                "hidden": _mix(base, QColor("#4299e1"), 0.18),
                "output": _mix(base, QColor("#48bb78"), 0.18),
            },
            highlight=QColor("#ecc94b" if dark else "#d69e2e"),
            phase_ink=QColor("#f6e05e" if dark else "#975a16"),
            selected=QColor("#b794f4" if dark else "#6b46c1"),
        )


def diagram_font(pixel_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(pixel_size)))
    font.setBold(bold)
    return font


def lock_path(height: float) -> QPainterPath:
    """A padlock ``height`` tall, its top left at (0, 0): a shackle over a body, for frozen parameters."""
    path = QPainterPath()
    w = height * 0.75
    body_top = height * 0.45
    path.addRoundedRect(QRectF(0, body_top, w, height - body_top), height * 0.08, height * 0.08)
    shackle = QPainterPath()
    shackle.moveTo(w * 0.22, body_top)
    shackle.lineTo(w * 0.22, height * 0.3)
    shackle.arcTo(QRectF(w * 0.22, 0, w * 0.56, height * 0.56), 180, -180)
    shackle.lineTo(w * 0.78, body_top)
    stroke = QPainterPathStroker()
    stroke.setWidth(height * 0.12)
    return path.united(stroke.createStroke(shackle))


class TagItem(QGraphicsPathItem):
    """Text on a rounded, lightly filled box, so it stays legible on top of edges."""

    def __init__(self, text: str = "", font: QFont | None = None, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._text_item = QGraphicsSimpleTextItem(self)
        self._text_item.setFont(font or diagram_font(15))
        self._colours: DiagramColours | None = None
        self._border = QColor("#a0aec0")
        self._emphasis = False
        self._selected = False
        self._lock: QGraphicsPathItem | None = None
        """A padlock beside the text while the parameter is frozen (made when first needed)."""
        self._locked = False
        self.set_text(text)

    def set_colours(self, colours: DiagramColours) -> None:
        self._colours = colours
        self._paint()

    def set_font(self, font: QFont) -> None:
        font.setBold(self._emphasis)
        self._text_item.setFont(font)
        self._fit_box()

    def set_border(self, colour: QColor) -> None:
        self._border = QColor(colour)
        self._paint()

    def set_emphasis(self, on: bool) -> None:
        """The phase's own labels: bold on a yellow ground."""
        if self._emphasis == on:
            return
        self._emphasis = on
        font = self._text_item.font()
        font.setBold(on)
        self._text_item.setFont(font)
        self._fit_box()
        self._paint()

    def set_selected(self, on: bool) -> None:
        """The parameter chosen in the chain-rule panel: a thick border in the selection colour."""
        if self._selected != on:
            self._selected = on
            self._paint()

    def set_locked(self, on: bool) -> None:
        """A frozen parameter's label: a dashed border and a padlock before the text."""
        if on == self._locked:
            return
        if self._lock is None:
            self._lock = QGraphicsPathItem(self)
            self._lock.setPen(QPen(Qt.PenStyle.NoPen))
        self._locked = on
        self._lock.setVisible(on)
        self._fit_box()
        self._paint()

    @property
    def locked(self) -> bool:
        return self._locked

    def _paint(self) -> None:
        c = self._colours
        if c is None:
            return
        border = c.selected if self._selected else self._border
        pen = QPen(border, 3.0 if self._selected else 1.5)
        if self.locked:
            pen.setStyle(Qt.PenStyle.DashLine)
            self._lock.setBrush(c.ink)
        self.setPen(pen)
        self.setBrush(HIGHLIGHT_FILL if self._emphasis else c.label_fill)
        self._text_item.setBrush(HIGHLIGHT_INK if self._emphasis else c.ink)

    def set_text(self, text: str) -> None:
        if text == self._text_item.text():
            return
        self._text_item.setText(text)
        self._fit_box()

    def _fit_box(self) -> None:
        rect = self._text_item.boundingRect()
        lock = rect.height() * 0.75 if self.locked else 0.0
        width = rect.width() + (lock * 0.75 + 4 if lock else 0.0)
        self._text_item.setPos(-width / 2 + width - rect.width(), -rect.height() / 2)
        if lock:
            self._lock.setPath(lock_path(lock))
            self._lock.setPos(-width / 2, -lock / 2)
        box = QPainterPath()
        box.addRoundedRect(QRectF(-width / 2 - 6, -rect.height() / 2 - 3, width + 12, rect.height() + 6), 6, 6)
        self.setPath(box)

    def text(self) -> str:
        return self._text_item.text()

    @property
    def text_item(self) -> QGraphicsSimpleTextItem:
        return self._text_item


class NeuronItem(QGraphicsEllipseItem):
    """A circle with the neuron's name, and its value inside (or beside it, in a crowded column)."""

    def __init__(self, name: str, role: str) -> None:
        super().__init__(-30, -30, 60, 60)
        self.role = role
        self.full_name = name
        self.setZValue(2)
        self.name_text = QGraphicsSimpleTextItem(name, self)
        self.value_box = QGraphicsPathItem(self)
        """Behind a value shown beside the neuron."""
        self.value_box.setVisible(False)
        self.value_text = QGraphicsSimpleTextItem("", self)
        self.radius = 30.0
        self.value_beside = False
        self._colours: DiagramColours | None = None
        self._emphasis = False
        self.flag: str | None = None
        """"saturated" or "dead" when the activation explorer found its slope flat on most rows."""

    def set_flag(self, flag: str | None) -> None:
        """A saturated or dead neuron: its outline dashed in the negative weights' colour."""
        if flag != self.flag:
            self.flag = flag
            self._paint()

    def set_geometry(self, radius: float, value_beside: bool, name_font: QFont, value_font: QFont, name: str) -> None:
        self.radius, self.value_beside = radius, value_beside
        self.setRect(-radius, -radius, 2 * radius, 2 * radius)
        self.name_text.setFont(name_font)
        self.name_text.setText(name)
        self.value_text.setFont(value_font)
        self._center_texts()

    def set_colours(self, colours: DiagramColours) -> None:
        self._colours = colours
        self._paint()

    def set_value_text(self, text: str) -> None:
        if text != self.value_text.text():
            self.value_text.setText(text)
            self._center_texts()

    def set_emphasis(self, on: bool) -> None:
        self._emphasis = on
        self._paint()

    @property
    def emphasised(self) -> bool:
        return self._emphasis

    def _paint(self) -> None:
        c = self._colours
        if c is None:
            return
        on = self._emphasis
        pen = QPen(c.highlight if on else (c.negative if self.flag else c.ink), 5 if on else 2.5)
        if self.flag and not on:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setBrush(HIGHLIGHT_FILL if on else c.neuron_fill[self.role])
        self.name_text.setBrush(HIGHLIGHT_INK if on else c.ink)
        inside_ink = HIGHLIGHT_INK if on else c.muted
        self.value_text.setBrush(c.ink if self.value_beside else inside_ink)
        self.value_box.setBrush(c.label_fill)
        self.value_box.setPen(QPen(c.neutral, 1.0))

    def _center_texts(self) -> None:
        name_rect = self.name_text.boundingRect()
        value_rect = self.value_text.boundingRect()
        has_value = bool(self.value_text.text())
        if self.value_beside or not has_value:
            self.name_text.setPos(-name_rect.width() / 2, -name_rect.height() / 2)
        else:
            self.name_text.setPos(-name_rect.width() / 2, -name_rect.height() + 2)
        if self.value_beside:
            x = self.radius + 10
            self.value_text.setPos(x, -value_rect.height() / 2)
            box = QPainterPath()
            box.addRoundedRect(QRectF(x - 5, -value_rect.height() / 2 - 2, value_rect.width() + 10, value_rect.height() + 4), 4, 4)
            self.value_box.setPath(box)
            self.value_box.setVisible(has_value)
        else:
            self.value_text.setPos(-value_rect.width() / 2, 1)
            self.value_box.setVisible(False)
        self._paint()


class EdgeItem(QGraphicsLineItem):
    """A weight: an edge coloured by its sign, as wide as its size, with a label and its leader line."""

    def __init__(self, parameter: ParameterRef) -> None:
        super().__init__()
        self.parameter = parameter
        self.setZValue(0)
        self.label = TagItem()
        self.label.setZValue(3)
        self.leader = QGraphicsLineItem()
        """From the label to its edge, when the label had to stand away from it."""
        self.leader.setZValue(0.5)
        self.leader.setVisible(False)
        self._value, self._relative = 0.0, 0.0
        self._highlighted = False
        self._frozen = False
        self._colours: DiagramColours | None = None

    def set_colours(self, colours: DiagramColours) -> None:
        self._colours = colours
        self.label.set_colours(colours)
        self._paint()

    def show_weight(self, value: float, relative_magnitude: float, source: str, target: str) -> None:
        self._value, self._relative, self._highlighted = value, relative_magnitude, False
        self._paint()
        self.label.set_text(f"{self.parameter.name} = {format_number(value)}")
        tip = f"{self.parameter.name}: weight from {source} to {target} = {format_number(value)}"
        self.setToolTip(tip)
        self.label.setToolTip(tip)

    def set_frozen(self, on: bool) -> None:
        """A frozen weight: drawn dashed, its label with a padlock."""
        if on != self._frozen:
            self._frozen = on
            self.label.set_locked(on)
            self._paint()

    @property
    def frozen(self) -> bool:
        return self._frozen

    def set_highlighted(self, on: bool) -> None:
        """The backward pass at this edge's layer: drawn in the highlight colour."""
        if on != self._highlighted:
            self._highlighted = on
            self._paint()

    def sign_colour(self) -> QColor:
        c, value = self._colours, self._value
        if c is None:
            return QColor("#a0aec0")
        if value == 0 or not math.isfinite(value):
            return c.neutral
        return c.positive if value > 0 else c.negative

    def _paint(self) -> None:
        if self._colours is None:
            return
        colour = self._colours.highlight if self._highlighted else self.sign_colour()
        pen = QPen(colour, 1.5 + 8.0 * math.sqrt(self._relative))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap if self._frozen else Qt.PenCapStyle.RoundCap)
        if self._frozen:
            pen.setDashPattern([2.0, 1.5])
        elif self._value < 0:  # the sign not by colour alone: a negative weight is dashed
            pen.setDashPattern(NEGATIVE_DASHES)
        self.setPen(pen)
        self.label.set_border(self.sign_colour())
        leader = QPen(self._colours.muted, 1.2, Qt.PenStyle.DotLine)
        self.leader.setPen(leader)

    def place(self, start: QPointF, end: QPointF) -> None:
        self.setLine(start.x(), start.y(), end.x(), end.y())
