"""``backprop-gui --smoke-test``: open the window, press Train, Stop once the first epoch is on
the plot, close the window, exit 0; with the time each took. CI runs it on the bundle.

A step that does not happen within its limit fails the run (exit status 1), naming the step. The
limits are generous (a cold numba compile on a busy machine): the times printed are the figures.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication, QPushButton

SMOKE_EPOCHS = 10_000_000
"""Long enough that Stop is pressed while the run is going."""
LIMITS_S = {"the window to show": 30.0, "the first epoch after Train": 300.0, "idle after Stop": 5.0, "closing": 5.0}


class SmokeTest(QObject):
    def __init__(self, app: QApplication, window, started: float) -> None:
        super().__init__(window)
        self.app, self.window, self.started = app, window, started
        self.failure: str | None = None
        self.process_age: float | None = None
        self.times: dict[str, float] = {}
        self._step = "the window to show"
        self._step_started = started
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._timed_out)
        window.controls.epochs.setValue(SMOKE_EPOCHS)
        window.runner.runProgress.connect(self._on_progress)
        window.runner.trainingFinished.connect(self._on_finished)

    def start(self) -> None:
        self._arm()
        QTimer.singleShot(0, self._shown)  # the first turn of the event loop: the window is painted

    def _arm(self) -> None:
        elapsed = time.perf_counter() - self._step_started
        self._watchdog.start(max(0, int((LIMITS_S[self._step] - elapsed) * 1000)))

    def _done(self, next_step: str | None) -> None:
        now = time.perf_counter()
        self.times[self._step] = now - self._step_started
        self._step, self._step_started = next_step, now
        if next_step is not None:
            self._arm()

    def _button(self, name: str) -> QPushButton:
        return self.window.findChild(QPushButton, name)

    @Slot()
    def _shown(self) -> None:
        if not self.window.isVisible():
            QTimer.singleShot(10, self._shown)
            return
        self.process_age = seconds_since_process_start()
        self._done("the first epoch after Train")
        self._button("trainButton").click()

    @Slot(int)
    def _on_progress(self, epochs: int) -> None:
        if self._step == "the first epoch after Train" and epochs > 0:
            self._done("idle after Stop")
            self._button("stopButton").click()

    @Slot(object)
    def _on_finished(self, _outcome) -> None:
        if self._step == "idle after Stop":
            self._done("closing")
            self.window.close()
            self._done(None)
            self.app.quit()
        elif self._step == "the first epoch after Train":
            self._fail("the run ended before its first epoch was shown")

    @Slot()
    def _timed_out(self) -> None:
        self._fail(f"no {self._step} within {LIMITS_S[self._step]:.0f} s")

    def _fail(self, reason: str) -> None:
        self.failure = reason
        self._step = None
        self.window.close()
        self.app.quit()

    def report(self) -> int:
        if self.failure is not None:
            print(f"backprop-gui: smoke test failed: {self.failure}", file=sys.stderr)
            return 1
        figures = ", ".join(f"{step} {seconds:.3f} s" for step, seconds in self.times.items())
        age = "" if self.process_age is None else f"; the window showed {self.process_age:.2f} s after the process started"
        print(f"Smoke test passed: {figures} (the window: from the start of main()){age}")
        return 0


def seconds_since_process_start() -> float | None:
    """From /proc (Linux): how long ago this process started; None elsewhere."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
            return float(uptime.read().split()[0]) - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run_smoke_test(app: QApplication, window, started: float) -> int:
    test = SmokeTest(app, window, started)
    test.start()
    app.exec()
    return test.report()
