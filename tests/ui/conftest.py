import os
from pathlib import Path

# Before anything imports Qt: tests run without a display, on CI and locally alike, on a screen
# of 1920×1080 (offscreen's own is 800×800, smaller than any screen the app is made for: a window
# fitted to it would be narrower than its least width). tests/ui/test_screens.py tries the others.
SCREENS = Path(__file__).with_name("screens")
if os.environ.setdefault("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS / 'screen-1920x1080.json'}"

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch, tmp_path_factory):
    """No test blocks on a modal dialog or touches the user's settings.

    Message boxes answer at once (question: Discard, the others: Ok) and are recorded in the
    list this fixture gives; file dialogs are cancelled; QSettings (recent files) writes to a
    fresh folder. A test that wants other answers patches them itself.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    shown = []

    def answer(kind, button):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return button

        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "question", answer("question", QMessageBox.StandardButton.Discard))
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, answer(kind, QMessageBox.StandardButton.Ok))
    for kind in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, kind, staticmethod(lambda *args, **kwargs: ("", "")))
    folder = str(tmp_path_factory.mktemp("settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    return shown


@pytest.fixture
def window(qtbot):
    """The main window with default settings; fails the test if a training thread outlives it."""
    from backprop_gui.ui import MainWindow

    main_window = MainWindow()
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    main_window.close()
    assert main_window.runner.running_threads() == 0, "a training thread is still running after close"


def choose_the_notes_settings(window):
    """Set a window to the notes' own choices through its controls: weights 1, biases 0, raw inputs, rows in order."""
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    controls.scaling.setCurrentIndex(controls.scaling.findData("none"))
    controls.order.setCurrentIndex(controls.order.findData("sequential"))
    controls.learning_rate.setValue(1e-6)
    window.reset_button.click()
    return window


@pytest.fixture
def notes_window(window):
    """The window set to the notes' own choices."""
    return choose_the_notes_settings(window)


@pytest.fixture
def window_factory(qtbot):
    """Makes further windows set to the notes' choices (weights 1, raw inputs, rows in order)."""
    from backprop_gui.ui import MainWindow

    made = []

    def make():
        other = MainWindow()
        qtbot.addWidget(other)
        choose_the_notes_settings(other)
        made.append(other)
        return other

    yield make
    for other in made:
        other.close()
