"""Presentation mode's blank screen (B, as on a presenter remote): the window goes black, so the
class looks at the teacher; B, Escape, any other key or a click brings the lesson back as it was."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMainWindow, QWidget


class BlankScreen(QWidget):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("blankScreen")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()
        window.installEventFilter(self)

    def toggle(self) -> None:
        self.hide() if self.isVisible() else self.cover()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # every key comes here first (Page Down does not turn a page unseen)
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        self.hide()  # B, Escape, Page Down...: the first key only brings the lesson back

    def mousePressEvent(self, event) -> None:
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False
