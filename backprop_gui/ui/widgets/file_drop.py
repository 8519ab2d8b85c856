"""A file dropped on the window opens as File > Open would: a session, or a CSV table to import."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def _local_files(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class FileDrop(QObject):
    def __init__(self, window: QWidget, open_path) -> None:
        super().__init__(window)
        self._open_path = open_path
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            files = _local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                # After the drop has finished: opening may ask to save first, in a dialog.
                QTimer.singleShot(0, lambda path=files[0]: self._open_path(path))
                return True
        return False
