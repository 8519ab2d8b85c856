"""File > Open Example > Step-by-step example: the classic 2-2-2 sigmoid step, its published answers
beside the app's, and the step worked out in the notes' notation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...engine.notation import format_number
from ...lesson import known_answers

HEADERS = ["In the example", "In the notes' notation", "Published", "The app", "Difference"]


class KnownAnswerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knownAnswerDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Step-by-step example (2-2-2, sigmoid): published answers beside the app's")
        self.resize(980, 720)
        rows = known_answers.comparisons()
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setObjectName("knownAnswerTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            cells = [row.name, row.notes_name, repr(row.published), repr(row.app), format_number(row.app - row.published)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        worst = max(abs(row.app - row.published) for row in rows)
        summary = QLabel(
            f"Inputs 0.05, 0.10; targets 0.01, 0.99; w₁…w₈ = 0.15 … 0.55; b₁ = 0.35, b₂ = 0.60; η = 0.5. "
            f"Every published number agrees with the app's to {format_number(worst)} or better "
            f"(the published values are rounded to about nine digits).\n{known_answers.LOSS_NOTE}"
        )
        summary.setObjectName("knownAnswerSummary")
        summary.setWordWrap(True)
        _, explainer = known_answers.step()
        worked = QTextBrowser()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPixelSize(15)
        worked.setFont(font)
        lines = []
        for phase in explainer.phases():
            lines += [explainer.phase_title(phase), *explainer.phase_lines(phase), ""]
        worked.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(worked, 1)
        layout.addWidget(buttons)
