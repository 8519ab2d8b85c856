#!/usr/bin/env python3
"""Backprop GUI's speed and memory figures, one line each: the median of several runs, its target, ok or MISSED.

    python benchmarks/run.py            # every figure at full size (a few minutes)
    python benchmarks/run.py --quick    # every figure at a tiny size (well under a minute), for CI

The figures are noisy (other processes share the machine), so a missed target fails
nothing in --quick mode: that mode only keeps the benchmark from rotting, and exits
non-zero only when a benchmark crashes. The full run exits 1 when a target is missed.

 1. engine: per-row SGD on the notes' 2-2-1 network (Trainer.run_epoch), beside a plain NumPy loop
 2. engine: one full-batch epoch on 100,000 rows, 2-8-1 tanh
 3. start-up to the main window painted, against a bare PySide6 + pyqtgraph window
 4. the GUI thread's heartbeat while Train runs, and how long Stop takes
 5. epochs a second from the Train button, against engine.train() headless
 6. importing a 100,000-row CSV file into the table, until it is painted
 7. redrawing the loss plot with 1,000,000 epochs of history
 8. peak memory of the app after training 1,000,000 epochs
 9. engine per-row SGD, 2-2-1 linear, 300 rows (the compiled kernel), against PyTorch eager
10. engine per-row SGD, 2-8-8-1 tanh, 10,000 rows, against PyTorch eager
11. engine per-row SGD, 2-2-1, against the machine's limit (36 cycles a step at the CPU's clock)
12. one full-batch epoch, 100,000 rows, 2-8-1 tanh, against PyTorch
13. importing a 1,000,000-row, 3-column CSV file (read_csv_table): time and peak extra memory
14. per-sample SGD on 100,000 rows
15-19. the first minutes on a fresh install (benchmarks/first_run.py): the first Train, Stop and
    closing the window while the kernel compiles, a cold compilation's CPU seconds, and the second
    launch of a read-only install

Figures 9 to 13 are issue 13's targets that need no window. PyTorch is optional: without it
their PyTorch figures are skipped with a note.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # first_run.py beside this  # run from a checkout: this tree's backprop_gui, not an installed one
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from backprop_gui.engine import Network, Trainer, jit_available, train, warm_up  # noqa: E402


@dataclass(frozen=True)
class Sizes:
    repeats: int
    """Runs of the quick figures (1, 2 and 7), for their medians."""
    gui_repeats: int
    """Runs of the slow ones (3, 5 and 6)."""
    sgd_rows: int
    sgd_epochs: int
    batch_rows: int
    batch_epochs: int
    heartbeat_seconds: float
    gui_epochs: int
    csv_rows: int
    history: int
    memory_epochs: int
    torch_steps: int = 2_000
    """Per-row steps PyTorch eager is timed over (it makes a few thousand a second)."""
    deep_rows: int = 10_000
    big_csv_rows: int = 1_000_000


FULL = Sizes(
    repeats=7,
    gui_repeats=3,
    sgd_rows=300,
    sgd_epochs=100,
    batch_rows=100_000,
    batch_epochs=20,
    heartbeat_seconds=4.0,
    gui_epochs=100_000,
    csv_rows=100_000,
    history=1_000_000,
    memory_epochs=1_000_000,
)
QUICK = Sizes(
    repeats=1,
    gui_repeats=1,
    sgd_rows=300,
    sgd_epochs=5,
    batch_rows=10_000,
    batch_epochs=2,
    heartbeat_seconds=0.5,
    gui_epochs=20,
    csv_rows=5_000,
    history=10_000,
    memory_epochs=200,
    torch_steps=200,
    deep_rows=1_000,
    big_csv_rows=20_000,
)


# -- helpers ------------------------------------------------------------------------


def median(values) -> float:
    return float(statistics.median(values))


@dataclass(frozen=True)
class Figure:
    measured: str
    """The figure, with its unit and any figure measured beside it."""
    target: str
    ok: bool


def show(number: int, title: str, figure: Figure, quick: bool = False) -> None:
    verdict = "ok" if figure.ok else "MISSED"
    if quick:
        verdict += " (quick run: too small to judge)"
    print(f"{number}. {title + ':':<31} {figure.measured}  [target {figure.target}]  {verdict}", flush=True)


def notes_like_data(n_rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Rows like the notes' table (IQ, CGPA → package in LPA), standardised as the app does by default."""
    if n_rows == 3:
        X, y = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]]), np.array([5.0, 3.0, 8.0])
    else:
        rng = np.random.default_rng(seed)
        iq = rng.normal(100.0, 15.0, n_rows)
        cgpa = rng.normal(7.0, 1.0, n_rows)
        X = np.column_stack([iq, cgpa])
        y = 0.05 * iq + 0.6 * cgpa - 4.0 + rng.normal(0.0, 0.3, n_rows)
    return (X - X.mean(axis=0)) / X.std(axis=0), (y - y.mean()) / y.std()


def qt_app():
    """The QApplication of the in-process GUI figures, with settings in a throw-away folder."""
    from PySide6.QtCore import QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_quiet_offscreen_warnings)
        app = QApplication(sys.argv[:1])
        folder = tempfile.mkdtemp(prefix="backprop-bench-settings-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    return app


def _quiet_offscreen_warnings(mode, context, message: str) -> None:
    if "propagateSizeHints" not in message:  # the offscreen platform says so for every window
        print(message, file=sys.stderr)


def subprocess_env(config_home: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = config_home  # the app's QSettings: never the user's own
    env["BACKPROP_GUI_DATA_DIR"] = config_home  # nor the user's recovery files (and no recovery offer)
    # As installed, the app's modules are compiled to bytecode (pip does it on install, as for
    # PySide6 and pyqtgraph): a shell that forbids writing .pyc files would time Python
    # compiling the app's source at every start instead (about 100 ms here).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wait_until(condition, timeout: float = 30.0) -> float:
    """Process Qt events until condition() holds; the seconds it took."""
    app = qt_app()
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the condition did not come true in time")
        app.processEvents()
        time.sleep(0.0002)
    return time.perf_counter() - start


def new_window():
    from backprop_gui.ui import MainWindow

    qt_app()
    window = MainWindow()
    window.interactive = False  # errors go to the status bar, never to a modal box
    window.show()
    wait_until(lambda: window.isVisible())
    # Once its window shows, the app prepares the training kernel in the background and loads
    # pyqtgraph: the figures are of training at full speed, so they start once both are done, as
    # a second after launch.
    from backprop_gui.engine.compiled.backprop_compiled import jit_available, kernel_loaded
    from backprop_gui.ui.main_window import settled

    wait_until(settled, timeout=60)
    if jit_available():
        wait_until(kernel_loaded, timeout=300)
    for _ in range(3):
        qt_app().processEvents()
    return window


def close_window(window) -> None:
    window.document.mark_unmodified()
    window.close()
    window.deleteLater()
    qt_app().processEvents()


class PaintWatcher:
    """Counts the paint events a widget (or a window) receives."""

    def __init__(self, target) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def eventFilter(inner, watched, event):  # noqa: N805
                if event.type() == QEvent.Type.Paint:
                    self.paints += 1
                return False

        self.paints = 0
        self._filter = Filter()
        target.installEventFilter(self._filter)


# -- 1. engine: per-row SGD -----------------------------------------------------------


def reference_sgd_epoch(W1, b1, W2, b2, X, y, learning_rate) -> float:
    """A straightforward per-row loop for the 2-2-1 linear network: plain NumPy, new arrays as it goes."""
    loss_sum = 0.0
    for i in range(len(X)):
        x, t = X[i : i + 1], y[i : i + 1]
        hidden = x @ W1 + b1
        y_hat = hidden @ W2 + b2
        error = y_hat - t
        loss_sum += (error**2).item()
        delta2 = 2.0 * error
        delta1 = delta2 @ W2.T
        W2 -= learning_rate * (hidden.T @ delta2)
        b2 -= learning_rate * delta2.sum(axis=0)
        W1 -= learning_rate * (x.T @ delta1)
        b1 -= learning_rate * delta1.sum(axis=0)
    return loss_sum / len(X)


def engine_sgd_rate(X, y, epochs: int, learning_rate: float) -> tuple[float, Network]:
    warm_up()  # numba compiles, or loads from its cache, before the clock starts
    network = Network([2, 2, 1], init="random", seed=0)
    trainer = Trainer(network, X, y, learning_rate=learning_rate, mode="sgd", order="sequential")
    start = time.perf_counter()
    for _ in range(epochs):
        trainer.run_epoch()
    return epochs * len(X) / (time.perf_counter() - start), network


def reference_sgd_rate(X, y, epochs: int, learning_rate: float) -> tuple[float, list]:
    start_network = Network([2, 2, 1], init="random", seed=0)
    W1, W2 = (w.copy() for w in start_network.weights)
    b1, b2 = (b.copy() for b in start_network.biases)
    y = y.reshape(-1, 1)
    start = time.perf_counter()
    for _ in range(epochs):
        reference_sgd_epoch(W1, b1, W2, b2, X, y, learning_rate)
    return epochs * len(X) / (time.perf_counter() - start), [W1, W2, b1, b2]


def figure_engine_sgd(sizes: Sizes) -> Figure:
    learning_rate = 0.01
    X, y = notes_like_data(sizes.sgd_rows)
    engine, reference, ratios = [], [], []
    for _ in range(sizes.repeats):
        engine_rate, network = engine_sgd_rate(X, y, sizes.sgd_epochs, learning_rate)
        reference_rate, parameters = reference_sgd_rate(X, y, sizes.sgd_epochs, learning_rate)
        engine.append(engine_rate)
        reference.append(reference_rate)
        ratios.append(engine_rate / reference_rate)
    # The two loops must compute the same thing, or the ratio means nothing.
    for ours, theirs in zip(network.weights + network.biases, parameters):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    notes_X, notes_y = notes_like_data(3)
    notes = median(engine_sgd_rate(notes_X, notes_y, 10 * sizes.sgd_epochs, learning_rate)[0] for _ in range(sizes.repeats))
    rate, ratio = median(engine), median(ratios)
    return Figure(
        f"{rate:,.0f} steps/s on {len(X)} rows (reference {median(reference):,.0f}, ratio {ratio:.2f}; "
        f"notes' 3 rows {notes:,.0f})",
        "≥ 50,000 steps/s, ratio ≥ 1.0",
        rate >= 50_000 and ratio >= 1.0,
    )


# -- 2. engine: full batch --------------------------------------------------------------


def figure_engine_batch(sizes: Sizes) -> Figure:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(sizes.batch_rows, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] + rng.normal(0.0, 0.1, sizes.batch_rows)
    network = Network([2, 8, 1], hidden_activation="tanh", output_activation="linear", init="xavier", seed=0)
    trainer = Trainer(network, X, y, learning_rate=0.05, loss="mse", mode="batch")
    trainer.run_epoch()  # buffers allocated and touched once, as in a real run
    times = []
    for _ in range(sizes.batch_epochs * sizes.repeats):
        start = time.perf_counter()
        trainer.run_epoch()
        times.append(time.perf_counter() - start)
    ms = 1000 * median(times)
    return Figure(f"{ms:.1f} ms per epoch on {sizes.batch_rows:,} rows", "≤ 20 ms", ms <= 20.0)


# -- 3. start-up ----------------------------------------------------------------------------

_STARTUP_SCRIPT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
{build}

class FirstPaint(QObject):
    done = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, finish)  # runs once this paint is over
        return False

def finish():
    print("painted", flush=True)
    app.quit()

window.winId()  # creates the native window, to watch its paint events
watcher = FirstPaint()
window.windowHandle().installEventFilter(watcher)
window.show()
app.processEvents()
app.exec()
"""

_BUILD_APP = """
from backprop_gui.ui import MainWindow
window = MainWindow()
"""

_BUILD_BARE = """
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1440, 900)
"""


def time_to_first_paint(build: str, env: dict) -> float:
    script = _STARTUP_SCRIPT.format(build=textwrap.dedent(build))
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    watchdog = threading.Timer(120, child.kill)  # a child that never paints must not hang the benchmark
    watchdog.start()
    try:
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        child.wait()
    finally:
        watchdog.cancel()
    if line.strip() != "painted" or child.returncode != 0:
        raise RuntimeError(f"the start-up script failed (exit code {child.returncode})")
    return elapsed


def figure_startup(sizes: Sizes) -> Figure:
    with tempfile.TemporaryDirectory() as config_home:
        env = subprocess_env(config_home)
        time_to_first_paint(_BUILD_APP, env)  # warm the file cache and write .pyc files
        app_times, bare_times = [], []
        for _ in range(2 * sizes.gui_repeats - 1):
            app_times.append(time_to_first_paint(_BUILD_APP, env))
            bare_times.append(time_to_first_paint(_BUILD_BARE, env))
    app_s, bare_s = median(app_times), median(bare_times)
    ratio = app_s / bare_s
    return Figure(
        f"{app_s:.2f} s to the window painted (bare PySide6 + pyqtgraph {bare_s:.2f} s, ratio {ratio:.2f}×)",
        "≤ 1.3×",
        ratio <= 1.3,
    )


# -- 4. responsiveness ------------------------------------------------------------------------


def example_path(name: str) -> Path:
    from backprop_gui.files.resources import resource_path

    return resource_path(name)


def figure_responsiveness(sizes: Sizes) -> Figure:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QPushButton, QSpinBox

    window = new_window()
    try:
        if not window.document.import_csv(example_path("package_regression.csv")):
            raise RuntimeError(window.last_error)
        window.findChild(QSpinBox, "epochsInput").setValue(10_000_000)
        train_button = window.findChild(QPushButton, "trainButton")
        stop_button = window.findChild(QPushButton, "stopButton")

        beats: list[float] = []
        heartbeat = QTimer()
        heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
        heartbeat.setInterval(5)
        heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
        train_button.click()
        if not window.runner.is_training:
            raise RuntimeError("the Train button did not start a run")
        heartbeat.start()
        loop = QEventLoop()
        QTimer.singleShot(int(1000 * sizes.heartbeat_seconds), loop.quit)
        loop.exec()
        heartbeat.stop()
        epochs_seen = len(window.lesson.loss_history)

        start = time.perf_counter()
        stop_button.click()
        wait_until(lambda: window.runner.running_threads() == 0 and train_button.isEnabled())
        stop_ms = 1000 * (time.perf_counter() - start)
    finally:
        window.runner.shutdown()
        close_window(window)
    if epochs_seen == 0:
        raise RuntimeError("no epoch reached the window while training")
    gaps = 1000 * np.diff(beats)
    p50, p99, worst = np.percentile(gaps, 50), np.percentile(gaps, 99), gaps.max()
    return Figure(
        f"heartbeat gaps p50 {p50:.1f} / p99 {p99:.1f} / max {worst:.1f} ms; Stop {stop_ms:.0f} ms",
        "p99 ≤ 12, max ≤ 33, Stop ≤ 50 ms",
        p99 <= 12 and worst <= 33 and stop_ms <= 50,
    )


# -- 5. training speed with the GUI attached ----------------------------------------------------------


def figure_gui_training_speed(sizes: Sizes) -> Figure:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QPushButton, QSpinBox

    window = new_window()
    try:
        if not window.document.import_csv(example_path("package_regression.csv")):
            raise RuntimeError(window.last_error)
        window.findChild(QSpinBox, "epochsInput").setValue(sizes.gui_epochs)
        train_button = window.findChild(QPushButton, "trainButton")
        reset_button = window.findChild(QPushButton, "resetButton")
        runner, lesson = window.runner, window.lesson

        gui_rates, headless_rates = [], []
        for _ in range(sizes.gui_repeats):
            reset_button.click()
            finished = []
            loop = QEventLoop()
            runner.trainingFinished.connect(finished.append)
            runner.trainingFinished.connect(loop.quit)
            start = time.perf_counter()
            train_button.click()
            QTimer.singleShot(600_000, loop.quit)
            if not finished:
                loop.exec()
            gui_seconds = time.perf_counter() - start
            runner.trainingFinished.disconnect(finished.append)
            runner.trainingFinished.disconnect(loop.quit)
            if not finished or finished[0].epochs_run != sizes.gui_epochs:
                raise RuntimeError(f"the run from the Train button did not complete: {finished}")
            gui_rates.append(sizes.gui_epochs / gui_seconds)

            # The same run headless: the settings, network and scaled table the lesson trains on.
            settings = lesson.settings
            X = lesson.scaler().transform(lesson.table.inputs())
            trainer = settings.build_trainer(settings.build_network(X.shape[1]), X, lesson.table.targets())
            start = time.perf_counter()
            outcome = train(trainer, sizes.gui_epochs, convergence_tolerance=settings.tolerance_in_force)
            headless_rates.append(outcome.epochs_run / (time.perf_counter() - start))
    finally:
        window.runner.shutdown()
        close_window(window)
    gui, headless = median(gui_rates), median(headless_rates)
    ratio = gui / headless
    return Figure(
        f"{gui:,.0f} epochs/s from Train, {headless:,.0f} headless ({X.shape[0]} rows): {100 * ratio:.0f}%",
        "≥ 90%",
        ratio >= 0.90,
    )


# -- 6. a large CSV file ----------------------------------------------------------------------------


def write_large_csv(path: Path, n_rows: int) -> None:
    rng = np.random.default_rng(2)
    iq = rng.normal(100.0, 15.0, n_rows).round(0)
    cgpa = rng.normal(7.0, 1.0, n_rows).round(2)
    package = (0.05 * iq + 0.6 * cgpa - 4.0 + rng.normal(0.0, 0.3, n_rows)).round(2)
    lines = ["IQ,CGPA,Package (LPA)"] + [f"{a:g},{b:g},{c:g}" for a, b, c in zip(iq, cgpa, package)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def figure_large_csv(sizes: Sizes) -> Figure:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "students.csv"
        write_large_csv(path, sizes.csv_rows)
        for _ in range(sizes.gui_repeats):
            window = new_window()
            try:
                viewport = window.table.viewport()
                watcher = PaintWatcher(viewport)
                start = time.perf_counter()
                # What File > Import CSV does once the file and its target column are chosen.
                if not window.document.import_csv(path):
                    raise RuntimeError(window.last_error)
                painted_before = watcher.paints
                wait_until(lambda: watcher.paints > painted_before)
                times.append(time.perf_counter() - start)
                if window.lesson.table.n_rows != sizes.csv_rows:
                    raise RuntimeError(f"the table holds {window.lesson.table.n_rows} rows")
            finally:
                close_window(window)
    seconds = median(times)
    return Figure(f"{seconds:.2f} s to import and show {sizes.csv_rows:,} rows", "≤ 2 s", seconds <= 2.0)


# -- 7. a long loss history ------------------------------------------------------------------------------


def figure_long_history(sizes: Sizes) -> Figure:
    from backprop_gui.engine import LossHistory
    from backprop_gui.ui.plots.loss_plot import LossPlot

    qt_app()
    epochs = np.arange(1, sizes.history + 1)
    rng = np.random.default_rng(3)
    history = LossHistory(2.0 / np.sqrt(epochs) + 0.01 * rng.random(sizes.history))
    plot = LossPlot()
    plot.resize(800, 400)
    plot.show()
    wait_until(lambda: plot.isVisible())
    times = []
    try:
        plot.show_history(history.values)  # the first drawing sizes the axes
        plot.plot_widget.grab()
        for _ in range(5 * sizes.repeats):
            history.extend(0.01 * rng.random(100))  # as during training: a few more epochs each time
            start = time.perf_counter()
            plot.show_history(history.values)
            plot.plot_widget.grab()  # renders the plot now, as a repaint would
            times.append(time.perf_counter() - start)
    finally:
        plot.close()
        plot.deleteLater()
    ms = 1000 * median(times)
    return Figure(f"{ms:.1f} ms to redraw {len(history):,} epochs at 800×400", "≤ 50 ms", ms <= 50.0)


# -- 8. memory ----------------------------------------------------------------------------------------------

_MEMORY_SCRIPT = """
import resource, sys
from backprop_gui.app import main
code = main(["--screenshot", sys.argv[1], "--train-epochs", sys.argv[2]])
print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
sys.exit(code)
"""


def figure_memory(sizes: Sizes) -> Figure:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [sys.executable, "-c", _MEMORY_SCRIPT, str(Path(folder) / "window.png"), str(sizes.memory_epochs)],
            capture_output=True,
            text=True,
            env=subprocess_env(folder),
            timeout=1800,
        )
    if result.returncode != 0:
        raise RuntimeError(f"the app exited with {result.returncode}: {result.stderr.strip()[-500:]}")
    if f"Trained {sizes.memory_epochs} epochs" not in result.stdout:
        raise RuntimeError(f"the training did not complete: {result.stdout.strip()[-300:]}")
    maxrss = int(result.stdout.split("maxrss")[1].split()[0])
    megabytes = maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, kB elsewhere
    return Figure(
        f"{megabytes:.0f} MB peak RSS after training {sizes.memory_epochs:,} epochs (--screenshot)",
        "≤ 400 MB",
        megabytes <= 400,
    )


# -- 9 to 13: issue 13's figures without a window ---------------------------------------------


def _torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def compiled_note() -> str:
    return "compiled kernel" if jit_available() else "NumPy path (numba missing or BACKPROP_GUI_JIT=0)"


def engine_steps_per_second(sizes_of_layers, activation, X, y, epochs: int, repeats: int) -> float:
    """Per-row SGD steps a second of engine.train() (random order, as the app's default)."""
    warm_up()
    rates = []
    for _ in range(repeats):
        trainer = Trainer(Network(sizes_of_layers, activation, init="random", seed=0), X, y, learning_rate=0.001, order="random")
        start = time.perf_counter()
        train(trainer, epochs)
        rates.append(trainer.steps / (time.perf_counter() - start))
    return median(rates)


def torch_sgd_steps_per_second(torch, sizes_of_layers, activation, X, y, steps: int) -> float:
    """PyTorch eager, per-row SGD on the same network: forward, MSE, backward, update, one row at a time."""
    layers = []
    for n_in, n_out in zip(sizes_of_layers[:-1], sizes_of_layers[1:]):
        layers.append(torch.nn.Linear(n_in, n_out).double())
        layers.append({"linear": torch.nn.Identity, "tanh": torch.nn.Tanh}[activation]())
    model = torch.nn.Sequential(*layers[:-1])
    optimiser = torch.optim.SGD(model.parameters(), lr=0.001)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.reshape(-1, 1))
    start = time.perf_counter()
    for step in range(steps):
        i = step % len(X)
        optimiser.zero_grad()
        loss = ((model(Xt[i : i + 1]) - yt[i : i + 1]) ** 2).mean()
        loss.backward()
        optimiser.step()
    return steps / (time.perf_counter() - start)


def figure_sgd_vs_torch(sizes: Sizes) -> Figure:
    X, y = notes_like_data(sizes.sgd_rows)
    epochs = 20_000 if sizes is FULL else 200
    engine = engine_steps_per_second([2, 2, 1], "linear", X, y, epochs, sizes.repeats)
    torch = _torch()
    if torch is None:
        return Figure(f"{engine:,.0f} steps/s ({compiled_note()}); PyTorch not installed, no ratio", "≥ 1,000× PyTorch eager, ≥ 5 M steps/s", engine >= 5e6)
    reference = torch_sgd_steps_per_second(torch, [2, 2, 1], "linear", X, y, sizes.torch_steps)
    ratio = engine / reference
    return Figure(
        f"{engine:,.0f} steps/s ({compiled_note()}); PyTorch {torch.__version__} eager {reference:,.0f} ({ratio:,.0f}×)",
        "≥ 1,000× PyTorch eager, ≥ 5 M steps/s",
        ratio >= 1000 and engine >= 5e6,
    )


def figure_deep_sgd_vs_torch(sizes: Sizes) -> Figure:
    X, y = notes_like_data(sizes.deep_rows, seed=1)
    epochs = 100 if sizes is FULL else 2
    engine = engine_steps_per_second([2, 8, 8, 1], "tanh", X, y, epochs, sizes.repeats)
    torch = _torch()
    if torch is None:
        return Figure(f"{engine:,.0f} steps/s ({compiled_note()}); PyTorch not installed, no ratio", "≥ 250× PyTorch eager", False)
    reference = torch_sgd_steps_per_second(torch, [2, 8, 8, 1], "tanh", X, y, sizes.torch_steps)
    ratio = engine / reference
    return Figure(
        f"{engine:,.0f} steps/s; PyTorch eager {reference:,.0f} ({ratio:,.0f}×)", "≥ 250× PyTorch eager", ratio >= 250
    )


def cpu_clock_hz() -> float | None:
    """The clock /proc/cpuinfo reports for the first CPU (Linux), or None."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("cpu MHz"):
                return float(line.split(":")[1]) * 1e6
    except OSError:
        pass
    return None


PHYSICAL_LIMIT_CYCLES = 36
"""A 2-2-1 step is 42 floating-point operations whose longest dependent chain is about 36 cycles."""


def figure_physical_limit(sizes: Sizes) -> Figure:
    X, y = notes_like_data(sizes.sgd_rows)
    epochs = 20_000 if sizes is FULL else 200
    engine = engine_steps_per_second([2, 2, 1], "linear", X, y, epochs, sizes.repeats)
    clock = cpu_clock_hz()
    if clock is None:
        return Figure(f"{engine:,.0f} steps/s; the CPU clock is unknown here (no /proc/cpuinfo)", "within 10× of 36 cycles a step", False)
    limit = clock / PHYSICAL_LIMIT_CYCLES
    return Figure(
        f"{1e9 / engine:.1f} ns a step = {clock / engine:.0f} cycles at {clock / 1e9:.2f} GHz; limit {limit / 1e6:.0f} M steps/s ({limit / engine:.1f}× away)",
        "within 10× of 36 cycles a step",
        limit / engine <= 10,
    )


def figure_batch_vs_torch(sizes: Sizes) -> Figure:
    X, y = notes_like_data(sizes.batch_rows)
    warm_up()
    trainer = Trainer(Network([2, 8, 1], "tanh", init="random", seed=0), X, y, learning_rate=0.01, mode="batch")
    trainer.run_epoch()
    times = []
    for _ in range(max(3, sizes.repeats)):
        start = time.perf_counter()
        trainer.run_epoch()
        times.append(time.perf_counter() - start)
    engine = median(times)
    torch = _torch()
    if torch is None:
        return Figure(f"{engine * 1e3:.1f} ms an epoch ({compiled_note()}); PyTorch not installed, no ratio", "≥ 1.0× PyTorch's speed", False)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.reshape(-1, 1))
    torch_times = []
    for _ in range(max(3, sizes.repeats) + 1):
        start = time.perf_counter()
        optimiser.zero_grad()
        loss = ((model(Xt) - yt) ** 2).mean()
        loss.backward()
        optimiser.step()
        torch_times.append(time.perf_counter() - start)
    reference = median(torch_times[1:])
    return Figure(
        f"{engine * 1e3:.1f} ms an epoch; PyTorch (1 thread) {reference * 1e3:.1f} ms ({reference / engine:.2f}× its speed)",
        "≥ 1.0× PyTorch's speed",
        reference / engine >= 1.0,
    )


def figure_million_row_csv(sizes: Sizes) -> Figure:
    import tracemalloc

    from backprop_gui.files import read_csv_table

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.csv"
        write_large_csv(path, sizes.big_csv_rows)
        file_size = path.stat().st_size
        times = []
        for _ in range(max(1, sizes.gui_repeats)):
            start = time.perf_counter()
            table = read_csv_table(path)
            times.append(time.perf_counter() - start)
            del table
        tracemalloc.start()
        table = read_csv_table(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    seconds = median(times)
    return Figure(
        f"{table.n_rows:,} rows in {seconds:.2f} s; peak extra memory {peak / 1e6:.0f} MB = {peak / file_size:.1f}× the {file_size / 1e6:.0f} MB file",
        "≤ 3 s, ≤ 4× the file",
        seconds <= 3 and peak <= 4 * file_size,
    )


def figure_sgd_on_a_large_table(sizes: Sizes) -> Figure:
    """The issue: per-sample training on 100,000 rows runs at the kernel's speed. The rows are
    read in a random order from memory, where 300 rows stay in the processor's cache."""
    small_X, small_y = notes_like_data(sizes.sgd_rows)
    small = engine_steps_per_second([2, 2, 1], "linear", small_X, small_y, 20_000 if sizes is FULL else 200, sizes.repeats)
    X, y = notes_like_data(sizes.batch_rows)
    large = engine_steps_per_second([2, 2, 1], "linear", X, y, 60 if sizes is FULL else 2, sizes.repeats)
    return Figure(
        f"{large:,.0f} steps/s on {sizes.batch_rows:,} rows, {100 * large / small:.0f}% of the {small:,.0f} on {sizes.sgd_rows} rows",
        "≥ 5 M steps/s (figure 9's)",
        large >= 5e6,
    )


# -- 15-19. the first minutes on a fresh install ---------------------------------------------------


def figure_first_train(sizes: Sizes) -> Figure:
    import first_run

    runs = first_run.first_train(sizes.gui_repeats)
    plotted = [r.get("first_plotted_s", float("inf")) for r in runs]
    finished = [r["finished_s"] for r in runs]
    pauses = [r["longest_pause_ms"] for r in runs]
    return Figure(
        f"first epoch plotted {first_run.spread(plotted, 's')}, 1,000 epochs done {first_run.spread(finished, 's')}, "
        f"longest GUI pause {first_run.spread(pauses, 'ms', 0)}",
        "≤ 1 s, ≤ 3 s, ≤ 100 ms",
        median(plotted) <= 1 and median(finished) <= 3 and median(pauses) <= 100,
    )


def figure_stop_while_compiling(sizes: Sizes) -> Figure:
    import first_run

    runs = first_run.stop_during_compile(sizes.gui_repeats)
    stops = [r["stop_ms"] for r in runs]
    compiling = sum(not r["kernel_loaded_at_stop"] for r in runs)
    return Figure(
        f"Stop 0.5 s into a first run: idle in {first_run.spread(stops, 'ms', 0)} ({compiling} of {len(runs)} while compiling)",
        "≤ 100 ms",
        median(stops) <= 100,
    )


def figure_close_while_compiling(sizes: Sizes) -> Figure:
    import first_run

    outcomes = first_run.close_during_first_run(sizes.gui_repeats)
    statuses = sorted({status for _, _, status, _ in outcomes})
    complained = sum(qthread for *_, qthread in outcomes)
    ends = [seconds for _, seconds, _, _ in outcomes]
    return Figure(
        f"window closed 0.5 s into a first run: exit status {statuses}, process ended {first_run.spread(ends, 's')} "
        f"after launch, QThread warnings in {complained}",
        "status 0, ≤ 3.5 s, none",
        statuses == [0] and median(ends) <= 3.5 and complained == 0,
    )


def figure_cold_compile(sizes: Sizes) -> Figure:
    import first_run

    if not jit_available():
        return Figure("no compiled kernel (numba missing or BACKPROP_GUI_JIT=0)", "≤ 8 s CPU", True)
    repeats = max(1, sizes.gui_repeats - 1)
    rows = first_run.cold_compile_cpu_seconds(repeats, "rows")
    blocks = first_run.cold_compile_cpu_seconds(1 if sizes is QUICK else repeats, "blocks")
    return Figure(
        f"cold warm_up() in a child: the default lesson's kernel (rows) {first_run.spread(rows, 's CPU', 1)}; "
        f"every other kind of run's (blocks, compiled next) {first_run.spread(blocks, 's CPU', 1)}",
        "≤ 8 s CPU (the lesson's)",
        median(rows) <= 8,
    )


def figure_read_only_second_launch(sizes: Sizes) -> Figure:
    import first_run

    if not jit_available():
        return Figure("no compiled kernel (numba missing or BACKPROP_GUI_JIT=0)", "kernel loaded ≤ 3 s", True)
    if sizes is QUICK:
        return Figure("skipped in a quick run: it compiles the kernel at a low priority (a minute or more)", "kernel loaded ≤ 3 s", True)
    times = first_run.read_only_second_launch()
    if times is None:
        return Figure("skipped: no read-only mount here (needs Linux mount namespaces)", "kernel loaded ≤ 3 s", True)
    first, second = times
    return Figure(
        f"launch to kernel loaded: first launch {first:.1f} s (compiles), second {second:.1f} s (from the user's cache folder)",
        "second ≤ 3 s",
        second <= 3,
    )


FIGURES = [
    ("engine SGD, 2-2-1 per row", figure_engine_sgd),
    ("engine full batch, 2-8-1 tanh", figure_engine_batch),
    ("start-up", figure_startup),
    ("responsiveness while training", figure_responsiveness),
    ("training speed with the GUI", figure_gui_training_speed),
    ("large CSV import", figure_large_csv),
    ("long loss history", figure_long_history),
    ("memory", figure_memory),
    ("SGD 2-2-1 vs PyTorch eager", figure_sgd_vs_torch),
    ("SGD 2-8-8-1 tanh vs PyTorch", figure_deep_sgd_vs_torch),
    ("SGD 2-2-1 vs the machine's limit", figure_physical_limit),
    ("full batch 100k vs PyTorch", figure_batch_vs_torch),
    ("1 M-row CSV import", figure_million_row_csv),
    ("SGD 2-2-1 on 100,000 rows", figure_sgd_on_a_large_table),
    ("first Train, empty cache", figure_first_train),
    ("Stop while compiling", figure_stop_while_compiling),
    ("close while compiling", figure_close_while_compiling),
    ("cold compile, CPU", figure_cold_compile),
    ("read-only install, 2nd launch", figure_read_only_second_launch),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one repeat; exits 0 unless a benchmark crashes")
    parser.add_argument("--only", type=int, nargs="*", metavar="N", help=f"run only these figures (1-{len(FIGURES)})")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    crashed = missed = 0
    for number, (title, measure) in enumerate(FIGURES, start=1):
        if args.only and number not in args.only:
            continue
        try:
            figure = measure(sizes)
        except Exception as error:  # report it and go on; the exit code says so
            crashed += 1
            print(f"{number}. {title + ':':<31} CRASHED: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc(file=sys.stderr)
            continue
        show(number, title, figure, args.quick)
        missed += not figure.ok
    if crashed:
        return 2
    return 0 if args.quick or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
