"""The chain rule of one weight or bias with the step's numbers: the derivation panel.

Plain text in a large monospaced font, so the notes' sub- and superscripts (w¹₁₁, O₁₁)
line up under each other and read from the back of a classroom.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...engine.explain.explainer import StepExplainer
from ...engine.notation import ParameterRef, all_parameters
from ...lesson import ROW_SOURCES, Lesson, StepCursor

DERIVATION_PIXELS = 18


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
        scroll = QScrollArea()
        scroll.setWidget(self.derivation)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        # The text field's colours of the palette in force (light or dark), not fixed ones.
        self.derivation.setAutoFillBackground(True)
        self.derivation.setBackgroundRole(QPalette.ColorRole.Base)
        self.derivation.setForegroundRole(QPalette.ColorRole.Text)
        scroll.setBackgroundRole(QPalette.ColorRole.Base)

        top = QHBoxLayout()
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
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        cursor.changed.connect(self.refresh)
        lesson.structure_changed.connect(self._on_structure_changed)
        self._on_structure_changed()

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
        return self.derivation.text()

    # -- showing ------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        explainer: StepExplainer | None = self.cursor.explainer
        if explainer is None or self.parameter not in all_parameters(explainer.layer_sizes):
            self.derivation.setText(self._waiting_text())
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
        self.derivation.setText("\n".join(lines))

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
