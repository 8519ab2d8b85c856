"""Copy, paste, add, insert, delete and clear rows of the data table, as actions for the Edit menu,
the table's context menu and the buttons under it.

Every change goes through the lesson's table, so it is undoable; a refused paste is reported
through ``refused`` (shown next to the table) and changes nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QTableView

from ...lesson import PasteError, Table
from ..widgets.actions import make_action


class TableActions(QObject):
    message = Signal(str)
    """A note about what was done, for the status bar."""
    refused = Signal(str)
    """Why an edit was refused (nothing changed), to show next to the table."""

    def __init__(self, view: QTableView, table: Table, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.data = table

        def action(text: str, shortcut, tip: str, slot, table_only: bool = True) -> QAction:
            # Table-only shortcuts leave Ctrl+C and Ctrl+V to the text fields elsewhere.
            context = Qt.ShortcutContext.WidgetWithChildrenShortcut if table_only else Qt.ShortcutContext.WindowShortcut
            return make_action(parent, text, shortcut, tip, slot, context)

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
        self.add_row_action = action(
            "&Add Row", "Ctrl+Shift+N", "Add a new student at the end of the table, ready to type in", self.add_row, table_only=False
        )
        self.duplicate_row_action = action(
            "D&uplicate Row", None, "Add a copy of the selected (or last) row below it, ready to edit", self.duplicate_row
        )
        self.delete_rows_action = action(
            "&Delete Rows", QKeySequence(QKeySequence.StandardKey.Delete), "Delete the selected rows", self.delete_rows
        )
        self.clear_action = action("C&lear Table", None, "Delete every row (undo brings them back)", self.clear)
        for act in (self.copy_action, self.paste_action, self.insert_above_action, self.insert_below_action,
                    self.duplicate_row_action, self.delete_rows_action, self.clear_action):  # fmt: skip
            view.addAction(act)  # the table's context menu
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- copy and paste ----------------------------------------------------
    def selected_rectangle(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) around the selected cells, or the current cell, or None."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            current = self.view.currentIndex()
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
        QGuiApplication.clipboard().setText(self.data.text(top, left, bottom, right))
        rows, columns = bottom - top + 1, right - left + 1
        self.message.emit(f"Copied {rows} {'row' if rows == 1 else 'rows'} × {columns} {'column' if columns == 1 else 'columns'}.")

    @Slot()
    def paste(self) -> bool:
        """Paste the clipboard's text at the top-left selected cell (or after the last row)."""
        rectangle = self.selected_rectangle()
        row, column = (rectangle[0], rectangle[1]) if rectangle else (self.data.n_rows, 0)
        return self.paste_text(QGuiApplication.clipboard().text(), row, column)

    def paste_text(self, text: str, row: int, column: int) -> bool:
        before = self.data.n_rows
        try:
            rows = self.data.paste(row, column, text)
        except PasteError as error:
            self.refused.emit(str(error))
            return False
        added = self.data.n_rows - before
        note = f", {added} new {'row' if added == 1 else 'rows'} at the end" if added else ""
        self.message.emit(f"Pasted {rows} {'row' if rows == 1 else 'rows'}{note}. Undo with Ctrl+Z.")
        self.view.clearSelection()
        self.view.setCurrentIndex(self.view.model().index(row, column))
        return True

    # -- rows ---------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})

    @Slot()
    def insert_above(self) -> None:
        rows = self.selected_rows()
        self._insert_copy(rows[0] if rows else 0, rows[0] if rows else 0, "above")

    @Slot()
    def insert_below(self) -> None:
        rows = self.selected_rows()
        last = self.data.n_rows - 1
        self._insert_copy(rows[-1] + 1 if rows else last + 1, rows[-1] if rows else last, "below")

    def _insert_copy(self, at: int, source: int, where: str) -> None:
        if 0 <= source < self.data.n_rows:
            values = self.data.values()[source]
            text = f"Insert row {where} row {source + 1}"
        else:
            values = np.zeros(self.data.n_columns)
            text = "Insert row"
        self.data.insert_rows(at, values, text)
        self.view.selectRow(at)

    @Slot()
    def clear(self) -> None:
        if self.data.n_rows == 0:
            self.message.emit("The table is already empty.")
            return
        count = self.data.n_rows
        self.data.clear()
        self.message.emit(f"Cleared {count} {'row' if count == 1 else 'rows'}. Undo (Ctrl+Z) brings them back.")

    @Slot()
    def add_row(self) -> None:
        """A new row at the end of the table, its first cell open for typing. A cell is never empty
        (the table holds numbers only), so the new row holds zeros until they are typed over."""
        row = self.data.n_rows
        self.data.insert_rows(row, np.zeros(self.data.n_columns), "Add row at the end")
        self.view.selectRow(row)
        index = self.view.model().index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        self.view.edit(index)

    @Slot()
    def duplicate_row(self) -> None:
        """A copy of the selected (or last) row below it, ready to edit."""
        selected = self.selected_rows()
        row = (selected[-1] + 1) if selected else self.data.n_rows
        source = selected[-1] if selected else self.data.n_rows - 1
        self.data.insert_rows(row, self.data.values()[source] if source >= 0 else np.zeros(self.data.n_columns))
        self.view.selectRow(row)
        self.view.edit(self.view.model().index(row, 0))

    @Slot()
    def delete_rows(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.refused.emit("Select the rows to delete first.")
            return
        self.data.remove_rows(rows)
        count = len(rows)
        self.message.emit(f"Deleted {count} {'row' if count == 1 else 'rows'}. Undo (Ctrl+Z) brings them back.")
