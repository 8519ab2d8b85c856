"""The first minutes on a fresh install (issue 23), figures 15 to 19 of benchmarks/run.py.

Each figure runs the app (or the engine) in a child process on an empty cache: a copy of this
checkout's package without numba's .nbi/.nbc files, and empty NUMBA_CACHE_DIR, XDG_CACHE_HOME and
HOME, as on the machine of a student who has never run it.

15. Train pressed as the window shows: its first epoch on screen, the default 1,000 epochs done,
    and the GUI thread's longest pause meanwhile (a 5 ms heartbeat timer)
16. Stop pressed 0.5 s into a 10,000,000-epoch first run: from the click to the app idle
17. the window closed 0.5 s into a first run: the process's exit status and when it ended
18. the CPU seconds of a cold warm_up() in a child process (the compilation itself): of the kernel
    the default lesson uses (runs a row at a time), and of the one of every other kind of run
19. a read-only install launched a second time: from the launch to the kernel loaded
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_APP_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication([])
from backprop_gui.engine.compiled.backprop_compiled import kernel_loaded
from backprop_gui.ui import MainWindow

MODE, EPOCHS = sys.argv[1], int(sys.argv[2])
window = MainWindow()
window.interactive = False
window.controls.epochs.setValue(EPOCHS)
train, stop = window.findChild(QPushButton, "trainButton"), window.findChild(QPushButton, "stopButton")
result = {}
beats = []
heartbeat = QTimer()
heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
heartbeat.setInterval(5)
heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))


def report():
    if len(beats) > 1:
        result["longest_pause_ms"] = 1000 * max(b - a for a, b in zip(beats, beats[1:]))
    print(json.dumps(result), flush=True)


def first_epoch(done):
    result.setdefault("first_epoch_s", time.perf_counter() - result["train_at"])


def plotted():
    plot = window.loss_panel._plot
    if plot is not None and plot.curve.getData()[0] is not None and len(plot.curve.getData()[0]):
        result["first_plotted_s"] = time.perf_counter() - result["train_at"]
    else:
        QTimer.singleShot(2, plotted)


def finished(outcome):
    result["finished_s"] = time.perf_counter() - result["train_at"]
    result["epochs"] = len(window.lesson.loss_history)
    if MODE == "train":
        done_when_plotted()


def done_when_plotted():
    if "first_plotted_s" in result or time.perf_counter() - result["train_at"] > 60:
        heartbeat.stop()
        report()
        window.close()
    else:
        QTimer.singleShot(5, done_when_plotted)


def press_train():
    result["shown_s"] = time.perf_counter() - started
    result["train_at"] = time.perf_counter()
    heartbeat.start()
    train.click()
    plotted()
    if MODE == "stop":
        QTimer.singleShot(500, press_stop)
    elif MODE == "close":
        QTimer.singleShot(500, close)


def press_stop():
    clicked = time.perf_counter()
    result["kernel_loaded_at_stop"] = kernel_loaded()
    stop.click()

    def idle():
        if window.runner.running_threads() == 0 and train.isEnabled():
            result["stop_ms"] = 1000 * (time.perf_counter() - clicked)
            report()
            window.close()
        else:
            QTimer.singleShot(1, idle)

    idle()


def close():
    result["kernel_loaded_at_close"] = kernel_loaded()
    print(json.dumps(result), flush=True)
    window.close()


def launched():
    def loaded():
        if kernel_loaded():
            result["kernel_loaded_s"] = time.perf_counter() - started
            report()
            window.close()
        else:
            QTimer.singleShot(5, loaded)

    loaded()


window.runner.runProgress.connect(first_epoch)
window.runner.trainingFinished.connect(finished)
window.show()
QTimer.singleShot(0, launched if MODE == "launch" else press_train)
sys.exit(app.exec())
"""


@contextmanager
def fresh_install(read_only: bool = False):
    """A copy of this checkout's package and resources with no numba cache, and empty cache and
    home folders; yields (environment, folder of the copy)."""
    with tempfile.TemporaryDirectory(prefix="backprop-first-run-") as folder:
        folder = Path(folder)
        site = folder / "site"
        shutil.copytree(ROOT / "backprop_gui", site / "backprop_gui", ignore=shutil.ignore_patterns("*.nbi", "*.nbc"))
        shutil.copytree(ROOT / "resources", site / "resources")
        for name in ("home", "cache", "config", "numba"):
            (folder / name).mkdir()
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(site), QT_QPA_PLATFORM="offscreen", HOME=str(folder / "home"),
            XDG_CACHE_HOME=str(folder / "cache"), XDG_CONFIG_HOME=str(folder / "config"),
        )  # fmt: skip
        env["NUMBA_CACHE_DIR"] = str(folder / "numba")
        if read_only:
            del env["NUMBA_CACHE_DIR"]  # numba's own rule, then the app's: the user's cache folder
        env.pop("BACKPROP_GUI_JIT", None)
        # Python's own bytecode is written as pip writes it on install (not numba's cache).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(site)], check=True)
        yield env, site


def run_app(env: dict, mode: str, epochs: int, site: Path | None = None, read_only: bool = False) -> tuple[dict, float, int, str]:
    """The app in a child process: (its JSON result, seconds from launch to exit, exit status, stderr)."""
    command = [sys.executable, "-c", textwrap.dedent(_APP_SCRIPT), mode, str(epochs)]
    if read_only:
        # A read-only install even for root: the copy mounted read-only in a mount namespace of its own.
        inner = f"mount --bind -o ro {site} {site} && exec " + " ".join(_quote(part) for part in command)
        command = ["unshare", "-m", "sh", "-c", inner]
    started = time.perf_counter()
    child = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), seconds, child.returncode, child.stderr


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def first_train(repeats: int) -> list[dict]:
    results = []
    for _ in range(repeats):
        with fresh_install() as (env, _):
            result, _, status, stderr = run_app(env, "train", 1000)
            if status != 0 or "finished_s" not in result:
                raise RuntimeError(f"the first run failed (exit status {status}): {stderr[-500:]}")
            results.append(result)
    return results


def stop_during_compile(repeats: int) -> list[dict]:
    results = []
    for _ in range(repeats):
        with fresh_install() as (env, _):
            result, _, status, stderr = run_app(env, "stop", 10_000_000)
            if status != 0 or "stop_ms" not in result:
                raise RuntimeError(f"the stopped first run failed (exit status {status}): {stderr[-500:]}")
            results.append(result)
    return results


def close_during_first_run(repeats: int) -> list[tuple[dict, float, int, bool]]:
    """(result, seconds from launch to the process's end, exit status, whether Qt complained of a thread)."""
    outcomes = []
    for _ in range(repeats):
        with fresh_install() as (env, _):
            result, seconds, status, stderr = run_app(env, "close", 10_000_000)
            outcomes.append((result, seconds, status, "QThread" in stderr))
    return outcomes


_COLD_WARM_UP = "from backprop_gui.engine import warm_up; warm_up([{kind!r}])"


def cold_compile_cpu_seconds(repeats: int, kind: str) -> list[float]:
    """User + system CPU seconds of a child process doing a cold warm_up() of one kind of kernel
    (numba imported, the kernel compiled and cached), read from the child's resource usage."""
    seconds = []
    for _ in range(repeats):
        with fresh_install() as (env, _):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", _COLD_WARM_UP.format(kind=kind)], env=env, check=True, timeout=900)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return seconds


def read_only_second_launch() -> tuple[float, float] | None:
    """(first launch, second launch) seconds from the launch to the kernel loaded, of a read-only
    install; None where a read-only mount cannot be made (not Linux, or no mount namespace)."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        return None
    with fresh_install(read_only=True) as (env, site):
        times = []
        for _ in range(2):
            result, _, status, stderr = run_app(env, "launch", 1, site, read_only=True)
            if status != 0 or "kernel_loaded_s" not in result:
                raise RuntimeError(f"the read-only launch failed (exit status {status}): {stderr[-500:]}")
            times.append(result["kernel_loaded_s"])
        if any(site.rglob("*.nbi")):
            raise RuntimeError("numba wrote its cache into the read-only install")
    return times[0], times[1]


# -- the figures, as benchmarks/run.py prints them ---------------------------------------------


def spread(values, unit: str, digits: int = 2) -> str:
    values = sorted(values)
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit}"
    return f"{values[len(values) // 2]:.{digits}f} {unit} ({values[0]:.{digits}f}–{values[-1]:.{digits}f} over {len(values)} runs)"
