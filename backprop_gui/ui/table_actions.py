"""Copy, paste, insert and clear for the data table, as actions for the Edit menu and the table's context menu.

Every change goes through the model's undo stack; a refused paste is reported through
``message`` (the window shows it next to the table) and changes nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QTableView

from .dataset_model import DatasetModel
from .table_edits import PasteError


class TableActions(QObject):
    message = Signal(str)
    """A note about what was done, for the status bar."""
    refused = Signal(str)
    """Why an edit was refused (nothing changed), to show next to the table."""

    def __init__(self, table: QTableView, model: DatasetModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.model = model

        def action(text: str, shortcut, tip: str, slot, table_only: bool = True) -> QAction:
            act = QAction(text, parent)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            # Table-only shortcuts leave Ctrl+C and Ctrl+V to the text fields elsewhere.
            context = Qt.ShortcutContext.WidgetWithChildrenShortcut if table_only else Qt.ShortcutContext.WindowShortcut
            act.setShortcutContext(context)
            shortcut_text = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({shortcut_text})" if shortcut_text else tip)
            act.setStatusTip(tip)
            act.triggered.connect(slot)
            return act

        self.copy_action = action(
            "&Copy", QKeySequence.StandardKey.Copy, "Copy the selected cells as tab-separated text for a spreadsheet", self.copy
        )
        self.paste_action = action(
            "&Paste",
            QKeySequence.StandardKey.Paste,
            "Paste cells copied from a spreadsheet at the selected cell, adding rows if needed",
            self.paste,
        )
        self.insert_above_action = action(
            "Insert Row &Above", None, "Insert a copy of the selected row above it", self.insert_above
        )
        self.insert_below_action = action(
            "Insert Row &Below", None, "Insert a copy of the selected row below it", self.insert_below
        )
        # No shortcuts for inserting: Ctrl+Shift+arrows already extend the table's selection.
        self.clear_action = action("C&lear Table", None, "Delete every row (undo brings them back)", self.clear)
        # The table's context menu: its own actions, around the window's Delete Rows.
        existing = table.actions()
        for act in (self.copy_action, self.paste_action, self.insert_above_action, self.insert_below_action):
            table.insertAction(existing[0], act) if existing else table.addAction(act)
        table.addAction(self.clear_action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- copy and paste ----------------------------------------------------
    def selected_rectangle(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) around the selected cells, or the current cell, or None."""
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes:
            current = self.table.currentIndex()
            indexes = [current] if current.isValid() else []
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        columns = [i.column() for i in indexes]
        return min(rows), min(columns), max(rows), max(columns)

    @Slot()
    def copy(self) -> None:
        rectangle = self.selected_rectangle()
        if rectangle is None:
            self.refused.emit("Select the cells to copy first.")
            return
        top, left, bottom, right = rectangle
        QGuiApplication.clipboard().setText(self.model.copy_text(top, left, bottom, right))
        rows, columns = bottom - top + 1, right - left + 1
        self.message.emit(f"Copied {rows} {'row' if rows == 1 else 'rows'} × {columns} {'column' if columns == 1 else 'columns'}.")

    @Slot()
    def paste(self) -> bool:
        """Paste the clipboard's text at the top-left selected cell (or after the last row)."""
        rectangle = self.selected_rectangle()
        row, column = (rectangle[0], rectangle[1]) if rectangle else (self.model.rowCount(), 0)
        return self.paste_text(QGuiApplication.clipboard().text(), row, column)

    def paste_text(self, text: str, row: int, column: int) -> bool:
        before = self.model.rowCount()
        try:
            rows = self.model.paste_text(row, column, text)
        except PasteError as error:
            self.refused.emit(str(error))
            return False
        added = self.model.rowCount() - before
        note = f", {added} new {'row' if added == 1 else 'rows'} at the end" if added else ""
        self.message.emit(f"Pasted {rows} {'row' if rows == 1 else 'rows'}{note}. Undo with Ctrl+Z.")
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(row, column))
        return True

    # -- rows ---------------------------------------------------------------
    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})

    @Slot()
    def insert_above(self) -> None:
        rows = self._selected_rows()
        self._insert_copy(rows[0] if rows else 0, rows[0] if rows else 0, "above")

    @Slot()
    def insert_below(self) -> None:
        rows = self._selected_rows()
        last = self.model.rowCount() - 1
        self._insert_copy(rows[-1] + 1 if rows else last + 1, rows[-1] if rows else last, "below")

    def _insert_copy(self, at: int, source: int, where: str) -> None:
        if 0 <= source < self.model.rowCount():
            values = self.model.values()[source]
            text = f"Insert row {where} row {source + 1}"
        else:
            values = np.zeros(self.model.columnCount())
            text = "Insert row"
        self.model.insert_rows(at, values, description=text)
        self.table.selectRow(at)

    @Slot()
    def clear(self) -> None:
        if self.model.rowCount() == 0:
            self.message.emit("The table is already empty.")
            return
        count = self.model.rowCount()
        self.model.clear()
        self.message.emit(f"Cleared {count} {'row' if count == 1 else 'rows'}. Undo (Ctrl+Z) brings them back.")
