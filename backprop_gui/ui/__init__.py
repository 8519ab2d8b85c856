"""The Qt widgets of the app. Import PySide6 before pyqtgraph so both use one binding."""

import PySide6.QtWidgets  # noqa: F401  (must come before pyqtgraph)

from .main_window import MainWindow

__all__ = ["MainWindow"]
