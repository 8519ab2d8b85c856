"""Issue 12, defect 12: a scripted --screenshot run leaves the user's Open Recent list alone and
prints nothing to standard error."""

import os
import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.files import SessionData, save_session


def run_app(*args, home):
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("QT_QPA_PLATFORM", None)  # the app chooses offscreen itself in screenshot mode
    return subprocess.run(
        [sys.executable, "-m", "backprop_gui", *map(str, args)], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture
def session_path(tmp_path):
    settings = TrainingSettings()
    network = settings.build_network(2)
    w, b = network.get_parameters()
    values = np.array([[80.0, 8.0, 5.0], [60.0, 5.0, 3.0], [110.0, 7.0, 8.0]])
    path = tmp_path / "lesson.bpsession"
    save_session(path, SessionData(["IQ", "CGPA", "Package"], values, settings, network.layer_sizes, w, b, w, b, np.array([])))
    return path


def settings_files(home):
    return [p for p in home.rglob("*") if p.is_file() and p.suffix in (".ini", ".conf")]


def test_a_screenshot_run_prints_nothing_to_stderr_and_adds_no_recent_file(tmp_path, session_path):
    home = tmp_path / "home"
    home.mkdir()
    result = run_app("--screenshot", tmp_path / "shot.png", "--train-epochs", "5", session_path, home=home)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no "This plugin does not support propagateSizeHints()"
    assert (tmp_path / "shot.png").stat().st_size > 0
    written = settings_files(home)
    assert not any("lesson.bpsession" in p.read_text(errors="replace") for p in written), written


def test_screenshot_mode_still_passes_other_qt_messages_on(monkeypatch, capfd):
    from backprop_gui import app

    from PySide6.QtCore import qInstallMessageHandler, qWarning

    previous = app._quiet_offscreen_notices()
    try:
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("something that matters")
    finally:
        qInstallMessageHandler(previous)  # pytest-qt's own, which captures Qt messages
    err = capfd.readouterr().err
    assert "propagateSizeHints" not in err and "something that matters" in err


def test_recent_files_can_be_switched_off(tmp_path):
    from backprop_gui.ui.document.recent_files import RecentFiles, remember_files

    recent = RecentFiles()
    recent.clear()
    remember_files(False)
    try:
        recent.add(tmp_path / "a.bpsession")
        assert recent.paths() == []
    finally:
        remember_files(True)
    recent.add(tmp_path / "a.bpsession")
    assert recent.paths() == [str((tmp_path / "a.bpsession").resolve())]


def test_train_epochs_beyond_the_forms_range_is_refused_by_the_command_line(tmp_path):
    result = run_app("--screenshot", tmp_path / "shot.png", "--train-epochs", "3000000000", home=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--train-epochs must be from 0 to 10,000,000" in result.stderr


def test_a_scripted_picture_shows_the_loss_plot_and_the_views_at_the_weights_reached(qtbot):
    """--screenshot waits for pyqtgraph (loaded in a thread after the first paint) and for every
    throttled view, so the picture holds the plot and the metrics and prediction of the trained
    weights, not of the weights before the run."""
    from PySide6.QtWidgets import QLineEdit

    from backprop_gui.engine.notation import format_number
    from backprop_gui.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.settle()
    assert window.findChild(QLineEdit, "metricLoss") is not None
    window.controls.epochs.setValue(50)
    window.train_and_wait()
    window.settle()
    assert len(window.lesson.loss_history) == 50
    shown = window.findChild(QLineEdit, "metricLoss").text()
    assert shown == format_number(window.lesson.metrics().loss)
