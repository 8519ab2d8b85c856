"""A small publish–subscribe event, so the lesson can tell its views about changes without Qt.

    >>> changed = Event()
    >>> seen = []
    >>> changed.connect(seen.append)
    >>> changed.emit(3)
    >>> seen
    [3]

Bound methods are held weakly: a view that goes away stops being called without having to
disconnect. Plain functions and lambdas are held as given.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable


class Event:
    def __init__(self) -> None:
        self._listeners: list[Callable[[], Callable | None]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            self._listeners.append(weakref.WeakMethod(callback))
        else:
            self._listeners.append(lambda: callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._listeners = [ref for ref in self._listeners if ref() not in (None, callback)]

    def emit(self, *args: Any) -> None:
        alive = []
        for ref in list(self._listeners):
            callback = ref()
            if callback is None:
                continue
            alive.append(ref)
            callback(*args)
        if len(alive) != len(self._listeners):
            self._listeners = [ref for ref in self._listeners if ref() is not None]

    def __len__(self) -> int:
        return sum(ref() is not None for ref in self._listeners)
