"""A small field over the diagram to type a weight's or bias's new value in place.

Enter applies the value (one undoable change), Escape or a click elsewhere cancels it. A text
that is not a number stays in the field, marked, with the reason in its tooltip. The padlock at
its end freezes the parameter, or frees it (``freezeToggled``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLineEdit, QWidget

from ...engine.notation import ParameterRef
from ...files.csv_table import format_exact
from ...lesson import CellError, parse_cell
from .diagram_items import lock_path


def lock_icon(size: int = 32) -> QIcon:
    """A padlock, drawn: the icon of freezing a parameter."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = lock_path(size * 0.8)
    painter.translate((size - path.boundingRect().width()) / 2, size * 0.1)
    painter.fillPath(path, Qt.GlobalColor.darkGray)
    painter.end()
    return QIcon(pixmap)


class WeightEditor(QLineEdit):
    committed = Signal(object, float)
    """(ParameterRef, value) once Enter was pressed on a valid number."""
    freezeToggled = Signal(object, bool)
    """(ParameterRef, frozen): the padlock was pressed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("weightEditor")
        self.ref: ParameterRef | None = None
        self.freeze_action = QAction(lock_icon(), "Freeze", self)
        self.freeze_action.setObjectName("weightEditorFreeze")
        self.freeze_action.setCheckable(True)
        self.freeze_action.toggled.connect(self._on_freeze_toggled)
        self.addAction(self.freeze_action, QLineEdit.ActionPosition.TrailingPosition)
        self.hide()

    def open(self, ref: ParameterRef, value: float, centre: QPoint, frozen: bool = False) -> None:
        """Show the field centred on ``centre`` (the parent's coordinates) with the exact value,
        selected, and the padlock pressed if the parameter is ``frozen``."""
        self.ref = None  # no toggle reported while the padlock is set
        self.freeze_action.setChecked(frozen)
        self._describe_padlock(ref, frozen)
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

    def _describe_padlock(self, ref: ParameterRef, frozen: bool) -> None:
        self.freeze_action.setToolTip(
            f"{ref.name} is frozen: training leaves it as it is. Press to free it." if frozen
            else f"Freeze {ref.name}: steps and training leave it as it is (its gradient is still shown)"
        )  # fmt: skip

    def _on_freeze_toggled(self, on: bool) -> None:
        if self.ref is not None:
            self._describe_padlock(self.ref, on)
            self.freezeToggled.emit(self.ref, on)
