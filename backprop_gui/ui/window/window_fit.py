"""A main window that fits the screen it opens on: a 1024×768 projector, a 1366×768 school laptop, a
4K monitor at 200 %.

A first run (no remembered geometry) opens at ``PREFERRED_SIZE`` centred on a screen with room
for it, and filling the screen's available area (maximised) on a smaller one. Remembered geometry
is pulled inside the current screen (a laptop that last ran on a 4K monitor). Both set the
geometry themselves as well as asking for a state: with no window manager (a kiosk, Xvfb) nothing
else would. The docks' first sizes follow the window's height (size_docks): on a 768-line screen
the step-by-step panel is a tab of the right column, so the diagram has the full height.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED_SIZE = QSize(1440, 900)
"""The window's size on a first run, on a screen with room for it."""
ROOM = QSize(80, 80)
SHORT_WINDOW = 820
"""A window shorter than this (a 768-line screen's) docks the step-by-step panel as a tab on the right."""
"""Free room around the preferred size below which the window fills the screen instead."""


def available_area(window: QWidget) -> QRect:
    """The available area (no task bars) of the screen the window is on, or the primary screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    """What the window manager's frame adds around the window (none before it is shown)."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(), frame.right() - inner.right(), frame.bottom() - inner.bottom())


def fit_first_run(window: QWidget) -> None:
    """Size and place a window that has no remembered geometry on its screen."""
    area = available_area(window)
    small = area.width() < PREFERRED_SIZE.width() + ROOM.width() or area.height() < PREFERRED_SIZE.height() + ROOM.height()
    if small:
        window.setGeometry(area.marginsRemoved(frame_margins(window)))
        if QGuiApplication.platformName() != "offscreen":  # a window manager's frame is known only to it
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        else:  # once shown, the frame's margins are known: fill the area with the frame
            QTimer.singleShot(0, lambda: window.setGeometry(area.marginsRemoved(frame_margins(window))))
    else:
        rect = QRect(0, 0, PREFERRED_SIZE.width(), PREFERRED_SIZE.height())
        rect.moveCenter(area.center())
        window.setGeometry(rect)
    clamp_to_screen(window)


def clamp_to_screen(window: QWidget) -> None:
    """Pull the window's frame inside the available area of its screen: smaller, then moved.
    A full-screen or maximised window is the window manager's (or Qt's) to place."""
    if window.windowState() & Qt.WindowState.WindowFullScreen:
        return
    area = available_area(window)
    margins = frame_margins(window)
    frame = window.geometry().marginsAdded(margins)
    if area.contains(frame):
        return
    width = min(frame.width(), area.width())
    height = min(frame.height(), area.height())
    left = min(max(frame.left(), area.left()), area.right() + 1 - width)
    top = min(max(frame.top(), area.top()), area.bottom() + 1 - height)
    window.setGeometry(QRect(left, top, width, height).marginsRemoved(margins))


def size_docks(window, docks: dict) -> None:
    """The docks' first sizes; a short window tabs the chain rule before the data: a full-height diagram."""
    height, lesson_dock, data_dock = window.height(), docks["lesson"], docks["data"]
    if height >= SHORT_WINDOW:
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, lesson_dock)
        window.resizeDocks([lesson_dock], [300 if height >= 900 else round(max(0.3 * height, 220))], Qt.Orientation.Vertical)
    elif window.dockWidgetArea(lesson_dock) != Qt.DockWidgetArea.RightDockWidgetArea:  # the form's first fields stay in view
        window.tabifyDockWidget(data_dock, lesson_dock)
    column = [430, 370] if height >= 900 else [round(0.62 * (height - 60)), round(0.38 * (height - 60))]
    window.resizeDocks([docks["training"], data_dock], column, Qt.Orientation.Vertical)
    window.resizeDocks([docks["training"]], [440], Qt.Orientation.Horizontal)
    lesson_dock.raise_()
