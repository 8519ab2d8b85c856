"""The progress bar of a training run: shown for runs longer than about a second, with rate and time left."""

import re

from PySide6.QtCore import QObject


def test_a_long_run_shows_epochs_done_rate_and_time_left_then_hides(window, qtbot):
    progress = window.findChild(QObject, "trainingProgress")
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    qtbot.waitUntil(progress.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: progress.value() > 0, timeout=5_000)
    text = progress.text()
    match = re.fullmatch(r"([\d,]+) / 10,000,000 epochs  ·  ([\d,]+) epochs/s  ·  (.+) left", text)
    assert match, text
    done = int(match.group(1).replace(",", ""))
    assert 0 < done <= len(window.lesson.loss_history)
    assert int(match.group(2).replace(",", "")) > 0
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=5_000):
        window.runner.stop()
    assert not progress.isVisible()


def test_a_short_run_shows_no_progress_bar(window, qtbot):
    progress = window.findChild(QObject, "trainingProgress")
    window.controls.epochs.setValue(20)
    shown = []
    window.runner.runProgress.connect(lambda _: shown.append(progress.isVisible()))
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=10_000):
        window.actions.train()
    assert shown and not any(shown)


def test_step_train_and_stop_stay_put_while_the_progress_bar_comes_and_goes(window, qtbot):
    progress = window.findChild(QObject, "trainingProgress")
    buttons = (window.step_button, window.train_button, window.stop_button)

    def where():
        return [b.mapTo(window, b.rect().topLeft()) for b in buttons]

    before = where()
    window.controls.epochs.setValue(10_000_000)
    window.actions.train()
    qtbot.waitUntil(progress.isVisible, timeout=10_000)
    qtbot.wait(50)  # a layout change would be applied by now
    assert where() == before
    assert progress.isVisible() and progress.geometry().bottom() < progress.parentWidget().height()
    with qtbot.waitSignal(window.runner.trainingFinished, timeout=5_000):
        window.runner.stop()
    qtbot.wait(50)
    assert where() == before
