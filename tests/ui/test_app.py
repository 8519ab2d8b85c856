"""The installed entry point and the platform it stands on."""

import subprocess
import sys
from pathlib import Path

import pytest

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage


def test_engine_imports_without_qt():
    code = "import sys, backprop_gui.engine; sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_void_qt_calls_do_not_leak_references_to_none(qapp):
    """PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None on every void call
    and aborts the interpreter after some thousands; a build like that must not be installed."""
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(500):
        holder.setObjectName("probe")
        qapp.processEvents()
    assert abs(sys.getrefcount(None) - before) < 50


@pytest.mark.parametrize("where", ["outside", "checkout"])
def test_screenshot_mode_trains_and_writes_a_png(tmp_path, where):
    """Run from any folder, and from a source checkout, where the source tree shadows the install."""
    path = tmp_path / "window.png"
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--screenshot", str(path), "--train-epochs", "50"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path if where == "outside" else Path(__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert "Trained 50 epochs" in result.stdout
    image = QImage(str(path))
    assert image.width() >= 1000 and image.height() >= 600
