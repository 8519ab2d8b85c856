"""Light or dark: follow the system's palette, or force one (View > Theme).

A forced theme sets a palette on the whole application with the Fusion style, which draws every
widget from the palette (native styles ignore parts of it). The app's own colours are picked to
read on both: widgets use palette roles, and the few fixed colours (the step highlight, the
warning box) carry their own text colour.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

THEMES = {"system": "&System", "light": "&Light", "dark": "&Dark"}

_DARK = {
    "Window": "#25272b", "WindowText": "#e8eaed", "Base": "#1c1d20", "AlternateBase": "#2a2c31",
    "ToolTipBase": "#33363b", "ToolTipText": "#e8eaed", "PlaceholderText": "#9aa0a6", "Text": "#e8eaed",
    "Button": "#33363b", "ButtonText": "#e8eaed", "BrightText": "#ff8a80", "Light": "#4a4d54",
    "Midlight": "#3b3e44", "Mid": "#2e3035", "Dark": "#18191c", "Shadow": "#000000",
    "Highlight": "#3f7fd8", "HighlightedText": "#ffffff", "Link": "#8ab4f8", "LinkVisited": "#c58af9",
}  # fmt: skip
_DARK_DISABLED = {"WindowText": "#7c8088", "Text": "#7c8088", "ButtonText": "#7c8088", "HighlightedText": "#a0a4ab"}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class ThemeChooser(QObject):
    changed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        self._system_style = app.style().name()
        self.theme = "system"
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for key, text in THEMES.items():
            action = QAction(text, parent)
            action.setObjectName(f"theme{key.capitalize()}Action")
            action.setCheckable(True)
            action.setChecked(key == "system")
            action.setStatusTip("Follow the system's colours" if key == "system" else f"Use {key} colours, whatever the system's")
            action.triggered.connect(lambda checked=False, k=key: self.set_theme(k))
            self.group.addAction(action)
            self.actions[key] = action

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            theme = "system"
        app = QApplication.instance()
        if theme == "system":
            if app.style().name().lower() != self._system_style.lower():
                app.setStyle(self._system_style)
            app.setPalette(QPalette())  # nothing set: the system's own palette
        else:
            if app.style().name().lower() != "fusion":
                app.setStyle("Fusion")
            app.setPalette(dark_palette() if theme == "dark" else light_palette())
        self.theme = theme
        self.actions[theme].setChecked(True)
        self.changed.emit(theme)
