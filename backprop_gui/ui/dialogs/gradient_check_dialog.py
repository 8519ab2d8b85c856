"""Backpropagation checked by finite differences: every parameter's analytical gradient beside
the central difference (L(p + h) − L(p − h)) / 2h, with their relative error."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...engine import GradientComparison
from ...engine.notation import format_number

AGREEMENT = 1e-6
"""Relative errors below this count as agreement."""
HEADERS = ["Parameter", "∂L/∂p by backpropagation", "∂L/∂p by finite difference", "Relative error"]


class GradientCheckDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientCheckDialog")
        self.setWindowTitle("Gradient check")
        self.resize(760, 560)
        self.summary = QLabel()
        self.summary.setObjectName("gradientCheckSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("gradientCheckTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def show_comparisons(self, row_description: str, comparisons: list[GradientComparison]) -> None:
        self.table.setRowCount(len(comparisons))
        worst = max((c.relative_error for c in comparisons), default=0.0)
        for r, c in enumerate(comparisons):
            error = format_number(c.relative_error, 3) + (" (rounding)" if c.within_rounding_only else "")
            cells = [c.name, format_number(c.analytical, 10), format_number(c.numerical, 10), error]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(
                    f"{c.name}: backpropagation {format_number(c.analytical, 17)}, finite difference {format_number(c.numerical, 17)}; "
                    f"the rounding of L alone can move the finite difference by {format_number(c.rounding, 2)}"
                )
                if column == 3 and not c.agrees(AGREEMENT):
                    item.setForeground(QColor("#c53030"))
                elif column == 3 and c.within_rounding_only:
                    item.setForeground(QColor("#718096"))
                self.table.setItem(r, column, item)
        disagree = sum(not c.agrees(AGREEMENT) for c in comparisons)
        tiny = sum(c.within_rounding_only for c in comparisons)
        if disagree == 0:
            verdict = f"All {len(comparisons)} gradients agree"
            verdict += (
                f": {len(comparisons) - tiny} to a relative error below {format_number(AGREEMENT)}, and {tiny} so small that the "
                "finite difference's rounding error is larger than they are (marked “rounding”)."
                if tiny
                else f": the largest relative error is {format_number(worst, 2)}."
            )
        else:
            verdict = (
                f"{disagree} of {len(comparisons)} gradients differ by a relative error of {format_number(AGREEMENT)} or more "
                "(in red). With ReLU, a neuron whose z is near 0 sits on a kink, where a finite difference "
                "measures neither side's slope."
            )
        self.summary.setText(
            f"On {row_description}: each weight and bias p nudged by ±h, h = 10⁻⁵·max(1, |p|), gives "
            f"(L(p + h) − L(p − h)) / 2h, beside backpropagation's ∂L/∂p; relative error |a − n| / max(|a|, |n|).\n"
            f"{verdict}"
        )
