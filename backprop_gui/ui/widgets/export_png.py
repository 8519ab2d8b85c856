"""Saving a picture of a view, as on screen, to a PNG file the user names."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def export_widget_png(widget: QWidget, name: str) -> None:
    """Ask for a file name and save a picture of ``widget``, as on screen."""
    path, _ = QFileDialog.getSaveFileName(widget, "Export PNG", f"{name}.png", "PNG images (*.png)")
    if path:
        if not path.lower().endswith(".png"):
            path += ".png"
        widget.grab().save(path, "PNG")
