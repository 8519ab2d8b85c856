"""Where the app tells the user things: the status bar, and message boxes for errors.

In the screenshot mode and in scripts (``interactive`` False) errors go only to the status bar
and to ``last_error``, so nothing waits for a click.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox


class Feedback(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.interactive = True
        self.last_error: str | None = None

    def status(self, text: str, timeout_ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    def error(self, title: str, text: str) -> None:
        """Every file error goes through here: a message box, or only the status bar when not interactive."""
        self.last_error = text
        self.status(text, 15000)
        if self.interactive:
            QMessageBox.warning(self.window, title, text)
