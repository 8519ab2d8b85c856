"""Small helpers for actions: a window action with its shortcut in its tooltip, a button for an action."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton


def make_action(parent: QObject, text: str, shortcut, tip: str, slot, context=Qt.ShortcutContext.WindowShortcut) -> QAction:
    """An action whose tooltip names its shortcut: "One update … (F10)"."""
    act = QAction(text, parent)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    act.setShortcutContext(context)
    shortcut_text = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    act.setToolTip(f"{tip} ({shortcut_text})" if shortcut_text else tip)
    act.setStatusTip(tip)
    act.triggered.connect(slot)
    return act


def button_for(action: QAction, object_name: str) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state and tooltip."""
    button = QPushButton(action.text().replace("&", ""))
    button.setObjectName(object_name)
    button.setToolTip(action.toolTip())
    button.setMinimumHeight(34)
    button.clicked.connect(action.trigger)
    action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
    button.setEnabled(action.isEnabled())
    return button
