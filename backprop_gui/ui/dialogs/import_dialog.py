"""The Import CSV dialog: a preview of the file and the choice of the target column."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...engine.notation import format_number, subscript
from ...files import CsvTable
from ...files.csv_table import DELIMITERS

PREVIEW_ROWS = 8


class ImportDialog(QDialog):
    def __init__(self, table: CsvTable, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {file_name}")
        self.setObjectName("importDialog")
        self._table = table

        summary = QLabel(
            f"<b>{file_name}</b>: {table.n_rows:,} rows, {table.n_columns} columns, "
            f"separated by {DELIMITERS.get(table.delimiter, repr(table.delimiter))}."
        )
        summary.setWordWrap(True)
        self.target = QComboBox()
        self.target.setObjectName("targetColumnInput")
        self.target.addItems(table.column_names)
        self.target.setCurrentIndex(table.n_columns - 1)
        self.target.setToolTip("The column the network learns to predict; every other column is an input")
        self.roles = QLabel()
        self.roles.setObjectName("importRoles")
        self.roles.setWordWrap(True)

        self.preview = QTableWidget(min(PREVIEW_ROWS, table.n_rows), table.n_columns)
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r in range(self.preview.rowCount()):
            for c in range(table.n_columns):
                item = QTableWidgetItem(format_number(table.values[r, c]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.preview.setItem(r, c, item)

        form = QFormLayout()
        form.addRow("Target column (y)", self.target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.roles)
        shown = f"The first {self.preview.rowCount()} rows:" if table.n_rows > PREVIEW_ROWS else "The rows:"
        layout.addWidget(QLabel(shown))
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)

        self.target.currentIndexChanged.connect(self._show_roles)
        self._show_roles()

    def target_column(self) -> int:
        return self.target.currentIndex()

    def _show_roles(self) -> None:
        target = self.target_column()
        inputs = [n for i, n in enumerate(self._table.column_names) if i != target]
        self.roles.setText(
            f"Inputs {'x₁…x' + subscript(len(inputs)) if len(inputs) > 1 else 'x₁'}: {', '.join(inputs)}.  Target y: <b>{self._table.column_names[target]}</b>. "
            f"The network will have {len(inputs)} input{'s' if len(inputs) != 1 else ''}."
        )
        bold, plain = QFont(), QFont()
        bold.setBold(True)
        for c in range(self._table.n_columns):
            header = QTableWidgetItem(self._table.column_names[c] + ("\n(target y)" if c == target else "\n(input)"))
            header.setFont(bold if c == target else plain)
            self.preview.setHorizontalHeaderItem(c, header)
