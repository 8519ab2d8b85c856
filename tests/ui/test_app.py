"""The installed entry point and the platform it stands on."""

import os
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


_PAINTED_BEFORE_PLOTTING = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from backprop_gui.ui import MainWindow
window = MainWindow()
window.interactive = False
seen = []

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen.append("pyqtgraph" in sys.modules)
        return False

window.winId()
watcher = FirstPaint()
window.windowHandle().installEventFilter(watcher)
window.show()
QTimer.singleShot(2000, app.quit)
app.exec()
print(seen[0], "pyqtgraph" in sys.modules, window.loss_panel.plot.curve is not None)
"""


def test_the_window_paints_before_pyqtgraph_loads_and_it_loads_right_after(tmp_path):
    """pyqtgraph takes a quarter of a second to import: the window opens without it, then loads it."""
    result = subprocess.run([sys.executable, "-c", _PAINTED_BEFORE_PLOTTING], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
