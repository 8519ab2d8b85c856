"""The chain rule of one weight or bias with the step's numbers: the derivation panel.

Plain text in a large monospaced font, so the notes' sub- and superscripts (w¹₁₁, O₁₁)
line up under each other and read from the back of a classroom.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QFontMetricsF, QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ...engine.explain.explainer import StepExplainer
from ...engine.notation import ParameterRef, all_parameters
from ...lesson import ROW_SOURCES, Lesson, StepCursor

DERIVATION_PIXELS = 18
OPERATORS = (" = ", " · ", " + ", " − ", " ← ", " → ")
"""Where a long line of the derivation may break: before one of these (kept at the start of the
continuation, so a wrapped line reads as the rest of the same equation)."""


def wrap_at_operators(line: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break ``line`` before its operators so that each piece fits ``width`` (``measure`` gives a
    text's width); continuations are indented past the line's own indent. A piece with no
    operator to break at stays whole (the panel then scrolls rather than cutting a number)."""
    if measure(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
    pieces, start = [], 0
    for k in range(1, len(line)):
        if any(line.startswith(op, k) for op in OPERATORS):
            pieces.append(line[start:k])
            start = k
    pieces.append(line[start:])
    out, current = [], ""
    for piece in pieces:
        candidate = current + piece
        if current.strip() and measure(candidate) > width:
            out.append(current.rstrip())
            current = indent + piece.lstrip(" ")
        else:
            current = candidate
    out.append(current.rstrip())
    return out


class ChainRulePanel(QWidget):
    parameterChosen = Signal(object)
    """The ParameterRef now explained."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.cursor = cursor
        self.parameter: ParameterRef = ParameterRef("w", 0, 0, 0)
        self._layer_sizes: list[int] = []

        self.row_source = QComboBox()
        self.row_source.setObjectName("rowSourceInput")
        for key, text in ROW_SOURCES.items():
            self.row_source.addItem(text, key)
        self.row_source.setToolTip(
            "Which row the next step uses: the next in the trainer's order (random, as in the notes, or sequential),"
            " or the rows you select in the table"
        )
        self.row_source.currentIndexChanged.connect(self._on_row_source)

        self.parameter_input = QComboBox()
        self.parameter_input.setObjectName("parameterChooser")
        self.parameter_input.setToolTip("The weight or bias whose chain rule is shown; you can also click it on the diagram")
        self.parameter_input.currentIndexChanged.connect(self._on_parameter_index)
        self.parameter_input.setMinimumContentsLength(6)

        self.derivation = QLabel()
        self.derivation.setObjectName("derivationPanel")
        self.derivation.setTextFormat(Qt.TextFormat.PlainText)
        self.derivation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.derivation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPixelSize(DERIVATION_PIXELS)
        self.derivation.setFont(font)
        self.derivation.setContentsMargins(10, 6, 10, 6)
        self.derivation.setToolTip("∂L/∂p by the chain rule: in the notes' symbols, with this step's numbers, and the update")
        self._lines: list[str] = []
        scroll = self._scroll = QScrollArea()
        scroll.setWidget(self.derivation)
        scroll.viewport().installEventFilter(self)  # a new width wraps the lines anew
        self.derivation.installEventFilter(self)  # and so does a new text size (the zoom)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        # The text field's colours of the palette in force (light or dark), not fixed ones.
        self.derivation.setAutoFillBackground(True)
        self.derivation.setBackgroundRole(QPalette.ColorRole.Base)
        self.derivation.setForegroundRole(QPalette.ColorRole.Text)
        scroll.setBackgroundRole(QPalette.ColorRole.Base)

        self.top_row = QWidget()  # the choosers and the buttons (presentation mode on a short screen folds it away)
        top = QHBoxLayout(self.top_row)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Row:"))
        top.addWidget(self.row_source)
        top.addSpacing(12)
        top.addWidget(QLabel("Explain:"))
        top.addWidget(self.parameter_input)
        top.addStretch(1)
        self.buttons = QHBoxLayout()
        top.addLayout(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.top_row)
        layout.addWidget(scroll, 1)
        cursor.changed.connect(self.refresh)
        lesson.structure_changed.connect(self._on_structure_changed)
        self._on_structure_changed()

    def add_buttons(self, *buttons: QPushButton) -> None:
        """Next Phase and Back at the row's end, no wider than their text needs: the panel then fits
        the right column of a 1024-pixel screen, where a short window tabs it before the data."""
        for button in buttons:
            button.setSizePolicy(QSizePolicy.Policy.Preferred, button.sizePolicy().verticalPolicy())
            button.setMinimumWidth(min(button.sizeHint().width(), button.fontMetrics().horizontalAdvance(button.text()) + 16))
            self.buttons.addWidget(button)

    # -- structure --------------------------------------------------------
    def _on_structure_changed(self) -> None:
        self.set_structure(self.lesson.network.layer_sizes)

    def set_structure(self, layer_sizes) -> None:
        self._layer_sizes = list(layer_sizes)
        refs = all_parameters(self._layer_sizes)
        current = self.parameter if self.parameter in refs else refs[0]
        self.parameter_input.blockSignals(True)
        self.parameter_input.clear()
        for ref in refs:
            self.parameter_input.addItem(ref.name, ref)
        self.parameter_input.setCurrentIndex(refs.index(current))
        self.parameter_input.blockSignals(False)
        self.parameter = current
        self.refresh()

    @Slot(object)
    def choose(self, ref: ParameterRef) -> None:
        index = self.parameter_input.findText(ref.name)
        if index >= 0:
            self.parameter_input.setCurrentIndex(index)

    def text(self) -> str:
        """The derivation, one equation a line (as shown, less the wrapping of long lines)."""
        return "\n".join(self._lines)

    def _show_lines(self, lines: list[str]) -> None:
        self._lines = lines
        self._wrap()

    def _wrap(self) -> None:
        """Show the lines, long ones broken at operators to the panel's width: no sideways scrolling."""
        margins = self.derivation.contentsMargins()
        width = self._scroll.viewport().width() - margins.left() - margins.right() - 4
        metrics = QFontMetricsF(self.derivation.font())
        wrapped = [piece for line in self._lines for piece in wrap_at_operators(line, width, metrics.horizontalAdvance)]
        text = "\n".join(wrapped)
        if text != self.derivation.text():
            self.derivation.setText(text)

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.Type.Resize and watched is not self.derivation) or event.type() == QEvent.Type.FontChange:
            self._wrap()
        return False

    # -- showing ------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        explainer: StepExplainer | None = self.cursor.explainer
        if explainer is None or self.parameter not in all_parameters(explainer.layer_sizes):
            self._show_lines(self._waiting_text().split("\n"))
            return
        phase = self.cursor.phase
        order = explainer.phases()
        reached = order[: order.index(phase) + 1]
        # The numbers appear once the backward pass has reached the parameter's layer.
        differentiated = any(p.kind == "backward" and p.layer == self.parameter.layer for p in reached)
        derivation = explainer.derivation(self.parameter)
        lines = derivation.lines(with_numbers=differentiated, with_update=phase.kind == "update")
        if not differentiated:
            lines.append("")
            lines.append("(the numbers appear when the backward pass reaches this layer)")
            # Meanwhile, the phase on show with its numbers, here too: on a small screen the
            # diagram's equations may be scrolled out of view.
            lines += ["", f"Now: {explainer.phase_title(phase)}"] + [f"  {line}" for line in explainer.phase_lines(phase)]
        self._show_lines(lines)

    def _waiting_text(self) -> str:
        return (
            f"Press Step or Next phase to see ∂L/∂{self.parameter.name} by the chain rule,\n"
            "with this step's numbers."
        )

    @Slot(int)
    def _on_parameter_index(self, index: int) -> None:
        ref = self.parameter_input.itemData(index)
        if ref is None:
            return
        self.parameter = ParameterRef(*ref)
        self.refresh()
        self.parameterChosen.emit(self.parameter)

    @Slot(int)
    def _on_row_source(self, index: int) -> None:
        self.cursor.row_source = self.row_source.itemData(index)
