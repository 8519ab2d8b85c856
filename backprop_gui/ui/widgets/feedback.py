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
        self._refusal: str | None = None
        """The refusal last put on the status bar (what is on show is compared with it, never parsed)."""

    def status(self, text: str, timeout_ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    def refusal(self, text: str) -> None:
        """An edit or a choice refused: on the status bar until an accepted change clears it."""
        self._refusal = text
        self.status(text, 10000)

    def clear_refusal(self, *_args) -> None:
        """An accepted change: a refusal still on show no longer reads as current."""
        status = self.window.statusBar()
        if self._refusal is not None and status.currentMessage() == self._refusal:
            status.clearMessage()
        self._refusal = None

    def error(self, title: str, text: str) -> None:
        """Every file error goes through here: a message box, or only the status bar when not interactive."""
        self.last_error = text
        self.status(text, 15000)
        if self.interactive:
            QMessageBox.warning(self.window, title, text)
