"""Contrast between colours by WCAG 2.x, and colours adjusted until they read.

``contrast_ratio`` is WCAG's (L1 + 0.05) / (L2 + 0.05) of the relative luminances; text needs
4.5:1 (AA) or 7:1 (AAA), lines and other graphics 3:1 (AA; this app asks 4.5:1 in high contrast).
``legible`` moves a colour toward white or black, keeping its hue, until it reaches a ratio.
The high-contrast theme is marked on the application (``HIGH_CONTRAST``) so the diagram and the
plots, which draw with colours of their own, can pick their high-contrast colours.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

HIGH_CONTRAST = "highContrast"
"""The application's property set True while View > Theme > High Contrast is on."""


def relative_luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def legible(colour: QColor, background: QColor, ratio: float) -> QColor:
    """``colour``, mixed toward white (dark background) or black until it has ``ratio`` against ``background``."""
    if contrast_ratio(colour, background) >= ratio:
        return QColor(colour)
    target = QColor("white") if relative_luminance(background) < 0.18 else QColor("black")
    for step in range(1, 21):
        s = step / 20
        mixed = QColor.fromRgbF(
            colour.redF() * (1 - s) + target.redF() * s,
            colour.greenF() * (1 - s) + target.greenF() * s,
            colour.blueF() * (1 - s) + target.blueF() * s,
        )
        if contrast_ratio(mixed, background) >= ratio:
            return mixed
    return target


def high_contrast() -> bool:
    app = QCoreApplication.instance()
    return bool(app is not None and app.property(HIGH_CONTRAST))
