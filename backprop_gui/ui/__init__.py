"""The Qt widgets of the app. Import PySide6 before pyqtgraph so both use one binding.

``main_window.py`` composes the window from rooms that import each other only downwards
(pyproject.toml's contracts): ``guided`` (the guided lessons, which gate the other rooms' controls)
over ``diagram``, ``plots`` (the only importers of pyqtgraph), ``training``,
``table``, ``panels``, ``document`` and ``window``, independent of each other, over ``dialogs``,
over ``widgets`` (leaf helpers). The ui may import the lesson, the exports, the files and the
engine; nothing below imports it.
"""

import PySide6.QtWidgets  # noqa: F401  (must come before pyqtgraph)

from .main_window import MainWindow

__all__ = ["MainWindow"]
