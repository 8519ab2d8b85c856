"""Light, dark or high contrast: follow the system's palette, or force one (View > Theme).

A forced theme sets a palette on the whole application with the Fusion style, which draws every
widget from the palette (native styles ignore parts of it). The app's own colours are picked to
read on both: widgets use palette roles, and the few fixed colours (the step highlight, the
warning box) carry their own text colour.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from ..widgets.contrast import HIGH_CONTRAST

THEMES = {"system": "&System", "light": "&Light", "dark": "&Dark", "contrast": "&High Contrast"}

_DARK = {
    "Window": "#25272b", "WindowText": "#e8eaed", "Base": "#1c1d20", "AlternateBase": "#2a2c31",
    "ToolTipBase": "#33363b", "ToolTipText": "#e8eaed", "PlaceholderText": "#9aa0a6", "Text": "#e8eaed",
    "Button": "#33363b", "ButtonText": "#e8eaed", "BrightText": "#ff8a80", "Light": "#4a4d54",
    "Midlight": "#3b3e44", "Mid": "#2e3035", "Dark": "#18191c", "Shadow": "#000000",
    "Highlight": "#3272c8", "HighlightedText": "#ffffff", "Link": "#8ab4f8", "LinkVisited": "#c58af9",
}  # fmt: skip
_CONTRAST = {  # white on black, yellow selection: text 21:1, AAA; lines drawn light on black
    "Window": "#000000", "WindowText": "#ffffff", "Base": "#000000", "AlternateBase": "#1a1a1a",
    "ToolTipBase": "#000000", "ToolTipText": "#ffffff", "PlaceholderText": "#d0d0d0", "Text": "#ffffff",
    "Button": "#000000", "ButtonText": "#ffffff", "BrightText": "#ffff00", "Light": "#ffffff",
    "Midlight": "#c0c0c0", "Mid": "#a0a0a0", "Dark": "#ffffff", "Shadow": "#ffffff",
    "Highlight": "#ffff00", "HighlightedText": "#000000", "Link": "#80d0ff", "LinkVisited": "#ff9cff",
}  # fmt: skip
_CONTRAST_DISABLED = {"WindowText": "#b0b0b0", "Text": "#b0b0b0", "ButtonText": "#b0b0b0", "HighlightedText": "#000000"}
_DARK_DISABLED = {"WindowText": "#7c8088", "Text": "#7c8088", "ButtonText": "#7c8088", "HighlightedText": "#a0a4ab"}


def _palette(colours: dict, disabled: dict) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role, colour in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def high_contrast_palette() -> QPalette:
    return _palette(_CONTRAST, _CONTRAST_DISABLED)


LIGHT_HIGHLIGHT = "#2a6ab8"
"""Fusion's own selection blue (#308cc6) gave white text 3.7:1; this one 5.5:1 (AA)."""


def light_palette() -> QPalette:
    palette = QStyleFactory.create("Fusion").standardPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(LIGHT_HIGHLIGHT))
    return palette


PALETTES = {"light": light_palette, "dark": dark_palette, "contrast": high_contrast_palette}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


THEME_TIPS = {
    "system": "Follow the system's colours",
    "contrast": "White on black, lines light and thick enough to read: text at least 7:1 against its background",
}


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
            action.setStatusTip(THEME_TIPS.get(key, f"Use {key} colours, whatever the system's"))
            action.triggered.connect(lambda checked=False, k=key: self.set_theme(k))
            self.group.addAction(action)
            self.actions[key] = action

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            theme = "system"
        app = QApplication.instance()
        app.setProperty(HIGH_CONTRAST, theme == "contrast")  # before the palette: its change redraws
        if theme == "system":
            if app.style().name().lower() != self._system_style.lower():
                app.setStyle(self._system_style)
            app.setPalette(QPalette())  # nothing set: the system's own palette
        else:
            if app.style().name().lower() != "fusion":
                app.setStyle("Fusion")
            app.setPalette(PALETTES[theme]())
        self.theme = theme
        self.actions[theme].setChecked(True)
        self.changed.emit(theme)
