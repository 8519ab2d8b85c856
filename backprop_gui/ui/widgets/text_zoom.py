"""Zoom the whole window's text: Ctrl++ / Ctrl+− / Ctrl+0, in any mode.

The window's font is the application font times the scale; widgets that set a font size of their
own (the chain-rule panel's large monospaced derivation, say) keep their proportion to it.
Presentation mode multiplies the user's zoom by its own factor.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.4, 2.8)
_BASE_SIZE = "textZoomBaseSize"
_IN_PIXELS = "textZoomInPixels"


class TextZoom(QObject):
    changed = Signal(float)
    """(scale) the window's text scale changed."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.zoom = 1.0
        """The user's zoom (Ctrl++ and Ctrl+−), remembered between runs."""
        self.presentation_factor = 1.0
        self._applied = 1.0
        self._base_font = QFont(QApplication.font())
        self.zoom_in_action = self._action("Zoom &In", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], self.zoom_in)
        self.zoom_out_action = self._action("Zoom &Out", [QKeySequence.StandardKey.ZoomOut, "Ctrl+-"], self.zoom_out)
        self.reset_action = self._action("&Actual Size", ["Ctrl+0"], lambda: self.set_zoom(1.0))
        self.zoom_in_action.setObjectName("zoomInAction")
        self.zoom_out_action.setObjectName("zoomOutAction")
        self.reset_action.setObjectName("zoomResetAction")

    def _action(self, text: str, keys, slot) -> QAction:
        action = QAction(text, self.window)
        shortcuts = []
        for key in keys:
            shortcuts += QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        action.setShortcuts(list(dict.fromkeys(s.toString() for s in shortcuts if not s.isEmpty())))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip("Scale every text of the window (Ctrl++, Ctrl+−, Ctrl+0)")
        action.triggered.connect(slot)
        return action

    @property
    def scale(self) -> float:
        return self.zoom * self.presentation_factor

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom + 1e-9), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self.zoom - 1e-9), ZOOM_STEPS[0]))

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(max(float(zoom), ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        self.apply()

    def set_presentation_factor(self, factor: float) -> None:
        self.presentation_factor = float(factor)
        self.apply()

    def font_at_scale(self, font: QFont, base_size: float, in_pixels: bool) -> QFont:
        scaled = QFont(font)
        if in_pixels:
            scaled.setPixelSize(max(1, round(base_size * self.scale)))
        else:
            scaled.setPointSizeF(base_size * self.scale)
        return scaled

    def apply(self) -> None:
        """Give the window and every widget with a font size of its own the current scale."""
        scale, previous = self.scale, self._applied
        own_fonts = []
        for widget in self.window.findChildren(QWidget):
            if isinstance(widget, QMenu):
                widget.setAttribute(Qt.WidgetAttribute.WA_WindowPropagation)  # menus are windows of their own
            elif widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                if widget.property(_BASE_SIZE) is None:
                    # First seen now, before the window's font changes: it was made at the scale
                    # in force until now.
                    font = widget.font()
                    pixels = font.pointSizeF() <= 0
                    size = font.pixelSize() if pixels else font.pointSizeF()
                    widget.setProperty(_BASE_SIZE, size / previous)
                    widget.setProperty(_IN_PIXELS, pixels)
                own_fonts.append(widget)
        base = self._base_font
        in_pixels = base.pointSizeF() <= 0
        if scale == 1.0:
            self.window.setFont(QFont())  # back to the application's font, as before any zoom
        else:
            self.window.setFont(self.font_at_scale(base, base.pixelSize() if in_pixels else base.pointSizeF(), in_pixels))
        for widget in own_fonts:
            size, pixels = float(widget.property(_BASE_SIZE)), bool(widget.property(_IN_PIXELS))
            widget.setFont(self.font_at_scale(widget.font(), size, pixels))
        for menu in self.window.findChildren(QMenu):
            menu.setFont(self.window.font())
        self._applied = scale
        self.changed.emit(scale)
