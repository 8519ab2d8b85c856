"""pyqtgraph, loaded once the window is on screen, in a background thread.

pyqtgraph takes a quarter of a second to import (more on a busy machine), and the window opens on
the chain rule, not on a plot: importing it on the GUI thread, after the first paint, froze a
window whose student pressed Train at once for that long. A thread imports it instead (the GUI
thread keeps the GIL at Python's switch interval, and paints); a plot shown before it is done
is made when it is (``when_loaded``).
"""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot


class _Loader(QObject):
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.callbacks: list[Callable[[], None]] = []
        self.done.connect(self._call_back)  # queued: emitted by the importing thread

    @Slot()
    def _call_back(self) -> None:
        global _loaded
        _loaded = True
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback()


_loader: _Loader | None = None
_loaded = False


def loaded() -> bool:
    """Whether pyqtgraph and the loss plot are imported (and their callbacks run)."""
    return _loaded


def load(then: Callable[[], None] | None = None) -> None:
    """Start importing pyqtgraph and the loss plot in a thread, once per process; ``then`` runs on
    the GUI thread when it is done (at once if it is)."""
    global _loader
    if then is not None:
        when_loaded(then)
    if _loader is not None:
        return
    _loader = _Loader()  # made by the GUI thread, it calls back on it
    # Not a daemon: an app that quits meanwhile lets the import finish rather than freeze it.
    threading.Thread(target=_import, name="pyqtgraph import").start()


def when_loaded(callback: Callable[[], None]) -> None:
    """Run ``callback`` on the GUI thread once the plots can be made (now, if they can)."""
    if _loaded:
        callback()
        return
    if _loader is None:
        load()
    _loader.callbacks.append(callback)


def _import() -> None:
    from . import loss_plot  # noqa: F401  (imports pyqtgraph)

    _loader.done.emit()
