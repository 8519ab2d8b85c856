import os

# Before anything imports Qt: tests run without a display, on CI and locally alike.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


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
    assert main_window.session.running_threads() == 0, "a training thread is still running after close"


@pytest.fixture
def notes_window(window):
    """The window set to the notes' own choices: weights 1, biases 0, raw inputs, rows in order."""
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    controls.scaling.setCurrentIndex(controls.scaling.findData("none"))
    controls.order.setCurrentIndex(controls.order.findData("sequential"))
    controls.learning_rate.setValue(1e-6)
    window.reset_button.click()
    return window
