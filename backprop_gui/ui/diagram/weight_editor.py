"""A small field over the diagram to type a weight's or bias's new value in place.

Enter applies the value (one undoable change), Escape or a click elsewhere cancels it. A text
that is not a number stays in the field, marked, with the reason in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ...engine.notation import ParameterRef
from ...files.csv_table import format_exact
from ...lesson import CellError, parse_cell


class WeightEditor(QLineEdit):
    committed = Signal(object, float)
    """(ParameterRef, value) once Enter was pressed on a valid number."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("weightEditor")
        self.ref: ParameterRef | None = None
        self.hide()

    def open(self, ref: ParameterRef, value: float, centre: QPoint) -> None:
        """Show the field centred on ``centre`` (the parent's coordinates) with the exact value, selected."""
        self.ref = ref
        self.setText(format_exact(value))
        self.setToolTip(f"Type a new value for {ref.name}; Enter applies it (Ctrl+Z takes it back), Escape cancels")
        self.setStyleSheet("")
        self.setPlaceholderText(ref.name)
        width = max(self.fontMetrics().horizontalAdvance("−0.000000000000000") + 16, 160)
        self.resize(width, self.sizeHint().height())
        parent = self.parentWidget()
        x = min(max(centre.x() - width // 2, 0), max(parent.width() - width, 0))
        y = min(max(centre.y() - self.height() // 2, 0), max(parent.height() - self.height(), 0))
        self.move(x, y)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()

    def event(self, event) -> bool:
        # Enter and Escape belong to the field while it is open, not to the window's shortcuts
        # (Escape also leaves presentation mode).
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.cancel()

    def commit(self) -> bool:
        if self.ref is None:
            return False
        try:
            value = parse_cell(self.text())
        except CellError as error:
            self.setStyleSheet("border: 2px solid #c53030;")
            self.setToolTip(f"{self.ref.name}: {error}. Type a number, or press Escape.")
            return False
        ref, self.ref = self.ref, None
        self.hide()
        self.committed.emit(ref, value)
        return True

    def cancel(self) -> None:
        self.ref = None
        self.hide()
