"""The first minutes on a fresh install: while the compiled kernel is being compiled or loaded,
Train trains at once (on the NumPy path), Stop and close act at once, and the run moves to the
kernel as soon as it is there. Nothing here is timed (benchmarks/run.py measures how soon): each
test waits for an event, with a generous timeout."""

import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QPushButton

from backprop_gui.engine import jit_available
from backprop_gui.engine.compiled import backprop_compiled


@pytest.fixture
def kernel_being_prepared(monkeypatch):
    """The kernel not loaded in this process, and its lock held as the loading thread holds it
    while it loads or compiles: whatever waits for the kernel waits until the test ends."""
    monkeypatch.setattr(backprop_compiled, "_compiled_kernel", None)
    with backprop_compiled._compiling:
        yield


def test_train_plots_and_stop_stops_while_the_kernel_is_being_prepared(window, qtbot, kernel_being_prepared):
    window.controls.epochs.setValue(10_000_000)
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 0, timeout=30_000)  # epochs on screen
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=30_000) as finished:
        window.findChild(QPushButton, "stopButton").click()
    assert finished.args[0].reason == "stopped"
    assert not window.runner.is_training and window.runner.running_threads() in (0, 1)
    qtbot.waitUntil(lambda: window.runner.running_threads() == 0, timeout=30_000)


def test_closing_the_window_mid_run_while_the_kernel_is_being_prepared_ends_the_run(window, qtbot, kernel_being_prepared):
    window.controls.epochs.setValue(10_000_000)
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 0, timeout=30_000)
    window.close()
    assert window.runner.running_threads() == 0


def test_a_run_moves_to_the_kernel_once_it_is_loaded(window, qtbot, monkeypatch):
    """A run started before the kernel is ready goes on with it once it is: the same run."""
    if not jit_available():
        pytest.skip("the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
    backprop_compiled.warm_up()
    # Not loaded, as far as runs can tell (a warm-up thread of an earlier window may still set
    # the kernel itself, so the test hides it where runs look).
    loaded = [False]
    monkeypatch.setattr(backprop_compiled, "kernel_loaded", lambda: loaded[0])
    calls = []
    if_ready = backprop_compiled.run_epochs_if_ready
    monkeypatch.setattr(backprop_compiled, "run_epochs_if_ready", lambda *args, **options: calls.append(if_ready(*args, **options)) or calls[-1])
    window.controls.epochs.setValue(10_000_000)
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: len(window.lesson.loss_history) > 0, timeout=30_000)
    assert not any(calls)  # on the NumPy path so far
    worker = window.runner._worker
    loaded[0] = True  # the loading thread is done
    qtbot.waitUntil(lambda: bool(calls) and calls[-1], timeout=30_000)
    assert window.runner._worker is worker  # the same run, not a new one
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=30_000):
        window.runner.stop()
    assert all(calls[calls.index(True) :])  # and stays on it


_CLOSE_MID_FIRST_RUN = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from backprop_gui.ui import MainWindow

app = QApplication([])
window = MainWindow()
window.interactive = False
window.controls.epochs.setValue(10_000_000)
window.show()
window.findChild(QPushButton, "trainButton").click()

def close_once_training():
    if len(window.lesson.loss_history) > 0:
        print("closing", len(window.lesson.loss_history), flush=True)
        window.close()
    else:
        QTimer.singleShot(20, close_once_training)

QTimer.singleShot(20, close_once_training)
sys.exit(app.exec())
"""


def test_closing_the_window_mid_first_run_exits_cleanly(tmp_path):
    """On an empty numba cache (the kernel compiling in a child): the process ends with status 0,
    and no thread is destroyed while running ("QThread: Destroyed while thread is still running"
    and an abort, as when a closed window's worker still waited for the compiler)."""
    cache = tmp_path / "numba"
    cache.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), NUMBA_CACHE_DIR=str(cache))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CLOSE_MID_FIRST_RUN)], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "closing" in result.stdout
    assert "QThread" not in result.stderr, result.stderr
