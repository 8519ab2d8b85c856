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

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot


class _Loader(QObject):
    done = Signal()
    ready = Signal()
    """Emitted on the GUI thread once the import is done: a slot of a widget closed meanwhile is
    disconnected with it, never called."""

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
        self.ready.emit()


_loader: _Loader | None = None
_loaded = False


def loaded() -> bool:
    """Whether pyqtgraph and the loss plot are imported (and their callbacks run)."""
    return _loaded


def load(then: Callable[[], None] | None = None) -> None:
    """Start importing pyqtgraph and the loss plot in a thread, once per process; ``then``, a plain
    function, runs on the GUI thread when it is done (at once if it is)."""
    global _loader
    if _loader is None:
        _loader = _Loader()
        _start()
    if then is not None:
        if _loaded:
            then()
        else:
            _loader.callbacks.append(then)


def _start() -> None:
    # Not a daemon: an app that quits meanwhile lets the import finish rather than freeze it, and
    # the app waits for it before Qt is torn down (an import that touched Qt's types while the
    # application was being destroyed crashed the process on a window closed at once).
    _create_qt_types()
    thread = threading.Thread(target=_import, name="pyqtgraph import")
    thread.start()
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: thread.join(5))


def when_loaded(slot: Callable[[], None]) -> None:
    """Call ``slot``, a slot of a widget, on the GUI thread once the plots can be made (now, if they
    can); not if the widget is gone by then."""
    if _loaded:
        slot()
        return
    if _loader is None:
        load()
    _loader.ready.connect(slot, Qt.ConnectionType.SingleShotConnection)


def _create_qt_types() -> None:
    """Make every type of the Qt modules pyqtgraph mirrors, here on the GUI thread (about 80 ms).
    PySide6 makes a type when first asked for, and pyqtgraph's import asks for every one of them:
    done in the import's thread while the GUI thread made types too, it crashed the process."""
    from PySide6 import QtCore, QtGui, QtWidgets

    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


def _import() -> None:
    from . import loss_plot  # noqa: F401  (imports pyqtgraph)

    _loader.done.emit()
