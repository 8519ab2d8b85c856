"""Refreshing a view at most every so often, however fast the lesson changes.

A training run changes the parameters up to twenty times a second; a view that recomputes
something (a prediction, metrics, a map) refreshes once per interval, at its end, so it never
falls behind and always ends on the latest state.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer

REFRESH_MS = 50


class Throttle(QObject):
    def __init__(self, refresh: Callable[[], None], parent: QObject, interval_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(refresh)

    def schedule(self, *_args) -> None:
        """Refresh at the end of the interval. Not a restart: changes that keep coming would
        otherwise push the refresh back for ever."""
        if not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def cancel(self) -> None:
        self._timer.stop()
