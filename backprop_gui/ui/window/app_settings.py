"""What the window remembers between runs (QSettings): its geometry, the dock layout, the zoom
and the theme. The last folder is the folder of the last file opened or saved (the recent list).

Saved when the window closes and read when it is first shown, only in an interactive window:
the screenshot mode draws the app as it comes, whatever the user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from .presentation import PresentationMode
from ..widgets.text_zoom import TextZoom
from .theme import ThemeChooser
from .window_fit import clamp_to_screen


def settings_store() -> QSettings:
    # IniFormat everywhere (not the Windows registry), so tests can point it at a folder.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Backprop GUI", "Backprop GUI")


class WindowSettings:
    def __init__(self, window, zoom: TextZoom, theme: ThemeChooser, presentation: PresentationMode) -> None:
        self.window = window
        self.zoom = zoom
        self.theme = theme
        self.presentation = presentation

    def restore(self) -> bool:
        """Put back what was remembered; True on a fresh profile's first start (nothing remembered)."""
        store = settings_store()
        first_start = not store.contains("window/geometry")
        theme = store.value("view/theme", "system")
        if theme != "system":
            self.theme.set_theme(str(theme))
        try:
            zoom = float(store.value("view/zoom", 1.0))
        except (TypeError, ValueError):
            zoom = 1.0
        if zoom != 1.0:
            self.zoom.set_zoom(zoom)
        geometry, state = store.value("window/geometry"), store.value("window/state")
        restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.window.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.window.restoreState(state)
        if restored:
            clamp_to_screen(self.window)  # it may have last run on a larger screen
        return first_start

    def save(self) -> None:
        store = settings_store()
        geometry, state = self.presentation.layout_to_keep()
        store.setValue("window/geometry", geometry)
        store.setValue("window/state", state)
        store.setValue("view/zoom", self.zoom.zoom)
        store.setValue("view/theme", self.theme.theme)
        store.sync()
