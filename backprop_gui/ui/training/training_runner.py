"""Training runs in a worker thread: starts them, feeds their snapshots to the lesson, stops them.

The lesson's network is only ever written on the GUI thread: a run trains a private copy
(``Lesson.begin_run``), and each snapshot is copied back here (``Lesson.apply_progress``).

The compiled kernel is made ready beside it, never in a run's way (``warm_up``): a child process
loads it from numba's cache or compiles it into the cache (a compilation holds the GIL for
seconds), at a low priority, and then a thread loads it from the cache into this process. Runs meanwhile train on the NumPy path and move
to the kernel as soon as it is loaded; quitting kills the child.
"""

from __future__ import annotations

import atexit
import gc
import os
import subprocess
import sys
import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from ...engine import TrainingOutcome, jit_available
from ...engine.compiled.backprop_compiled import KINDS, kernel_loaded, load_kernel
from ...lesson import Lesson
from .training_worker import TrainingSnapshot, TrainingWorker

FRAME_TIMEOUT_MS = 100
"""How long a snapshot waits to be painted before the worker goes on anyway."""
GIL_SWITCH_SECONDS = 0.001
SLOW_WARM_UP_MS = 1000
"""A compilation that takes longer than this is announced in the status bar."""
_warm_up_started = False
"""The compiled kernel is compiled (or loaded from numba's cache) once per process."""
_WARM_UP_CODE = """
import os, sys
if sys.platform.startswith("linux"):  # die with the app, even when it is killed, not quit
    import ctypes
    ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    if os.getppid() != PARENT:
        sys.exit(0)  # the app was gone before that took hold
from backprop_gui.engine.compiled.backprop_compiled import KernelNotCached, load_kernel
kind = sys.argv[1]
try:
    load_kernel(may_compile=False, kind=kind)  # in numba's cache already: a second's work, at full speed
except KernelNotCached:
    os.nice(10)  # compiling: the window and the run training meanwhile come first
    load_kernel(kind=kind)
"""
SLOW_WARM_UP_MESSAGE = "Preparing the fast training kernel (the first time only): training runs meanwhile and speeds up when it is ready."
WARM_UP_COMMAND = [sys.executable, "-c", _WARM_UP_CODE.replace("PARENT", str(os.getpid()))]
_warm_up_child: subprocess.Popen | None = None
"""The process compiling the kernel into numba's cache, while it runs."""
_warm_up_stopped = False
_warm_up_lock = threading.Lock()


def stop_warm_up() -> None:
    """End the compiling process, or keep it from starting: the app is quitting, and a compiler
    left running after it would keep a core busy for seconds with nobody waiting for it."""
    global _warm_up_stopped
    with _warm_up_lock:
        _warm_up_stopped = True
        child = _warm_up_child
    if child is not None and child.poll() is None:
        child.kill()


_loading = threading.Lock()
"""Held while this process loads the kernel from numba's cache."""


def _at_exit() -> None:
    """As Python exits (after Qt's quit, or without it): no compiling child left behind, and no
    load of the kernel under way in the daemon thread when the interpreter goes."""
    stop_warm_up()
    with _loading:
        pass


atexit.register(_at_exit)


def _compile_in_a_child(kind: str) -> bool:
    """Have a child process compile the kernel of ``kind`` into numba's cache (or find it there);
    whether it did. Compiling holds the GIL for seconds, which would stall the window and the runs."""
    global _warm_up_child
    with _warm_up_lock:  # an app that quits as this thread starts must not leave a child behind
        if _warm_up_stopped:
            return False
        child = subprocess.Popen([*WARM_UP_COMMAND, kind], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _warm_up_child = child
    return child.wait() == 0 and not _warm_up_stopped


class TrainingRunner(QObject):
    runStarted = Signal(int)
    """A run of this many epochs started."""
    runProgress = Signal(int)
    """Epochs the running run has completed, after each snapshot."""
    trainingFinished = Signal(object)
    """The TrainingOutcome of a run."""
    message = Signal(str)
    """Something for the status bar: the training kernel is being compiled, or is ready."""
    _warmedUp = Signal(float)

    def __init__(self, lesson: Lesson, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self._worker: TrainingWorker | None = None
        self._runs: dict[QThread, TrainingWorker] = {}
        """Every thread not yet finished, with its worker."""
        self._awaiting_frame = False
        self._frame_timeout = QTimer(self)
        self._frame_timeout.setSingleShot(True)
        self._frame_timeout.setInterval(FRAME_TIMEOUT_MS)
        self._frame_timeout.timeout.connect(self.frame_drawn)
        lesson.stop_requested.connect(self.stop)
        self._warmedUp.connect(self._on_warmed_up)
        self._slow_warm_up = QTimer(self)
        self._slow_warm_up.setSingleShot(True)
        self._slow_warm_up.setInterval(SLOW_WARM_UP_MS)
        self._slow_warm_up.timeout.connect(self._say_warm_up_is_slow)

    def warm_up(self) -> None:
        """Make the training kernel ready in the background, once, so that neither the window nor a
        run waits for the compiler; say so if it takes more than a second."""
        global _warm_up_started
        if _warm_up_started or not jit_available():
            return
        _warm_up_started = True
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(stop_warm_up)
        self._slow_warm_up.start()
        # A daemon, so that a process ending without Qt's quit (a --screenshot run, a test run)
        # does not wait for the compiling child; _at_exit kills the child and waits for a load
        # under way (under a second), so no thread is inside numba as Python shuts down.
        threading.Thread(target=self._warm_up_in_background, name="kernel warm-up", daemon=True).start()

    def _warm_up_in_background(self) -> None:
        # The child loads the kernel from numba's cache, or compiles it into the cache; only then
        # does this process import numba (half a second of the GIL) and load it.
        # The kernel of the default lesson's runs first (a third of the compiling), then the
        # kernel of every other kind of run (mini-batches, full batches, validation rows).
        started = time.perf_counter()
        for kind in KINDS:
            if not _compile_in_a_child(kind):
                return  # the app quits, or the child failed: those runs stay on the NumPy path
            # Under _loading, and never once the app has quit: _at_exit waits for this block, so
            # nothing here touches numba or a Qt object while the interpreter tears them down.
            with _loading:
                if _warm_up_stopped:
                    return
                try:
                    load_kernel(may_compile=False, kind=kind)
                except Exception:  # noqa: BLE001 - no cache to be had (nowhere writable): the NumPy path trains
                    return
                if kind == KINDS[0]:
                    try:
                        self._warmedUp.emit(time.perf_counter() - started)  # queued to the GUI thread
                    except RuntimeError:
                        return  # the window has closed meanwhile: nobody is waiting to hear it

    @Slot()
    def _say_warm_up_is_slow(self) -> None:
        if not kernel_loaded():
            self.message.emit(SLOW_WARM_UP_MESSAGE)

    @Slot(float)
    def _on_warmed_up(self, seconds: float) -> None:
        # numba's hundreds of thousands of objects live as long as the app: out of the
        # collector's way, or a full collection walks them all in the middle of a run. The young
        # garbage is collected first (a full collection here paused a run that had begun for
        # 80 ms); the window's own was collected when it was frozen (main_window.py).
        gc.collect(1)
        gc.freeze()
        if not self._slow_warm_up.isActive():  # the slow message was shown: say it is over
            self.message.emit(f"The fast training kernel is ready (prepared in {seconds:.1f} s).")
        self._slow_warm_up.stop()

    @property
    def is_training(self) -> bool:
        return self._worker is not None

    def start(self) -> bool:
        plan = self.lesson.begin_run()
        if plan is None:
            return False
        # The worker needs the GIL only between kernel calls, the GUI thread only to paint and
        # react: hand it over every millisecond, not every five, so neither waits long for it.
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        worker = TrainingWorker(plan)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.snapshotReady.connect(self._on_snapshot)
        worker.finished.connect(self._on_finished)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        # The worker is not deleteLater()'d: Python owns it, and dropping our reference while Qt
        # deletes it in its own thread would delete it twice. It is released in
        # _on_thread_finished, on this thread, once its thread has stopped.
        self._worker = worker
        self._runs[thread] = worker
        thread.start()
        self.runStarted.emit(plan.epochs)
        return True

    @Slot()
    def stop(self) -> None:
        if self._worker is not None:
            self._worker.request_stop()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop any run and wait for its thread; call before the window goes away."""
        self.stop()
        for thread in list(self._runs):
            thread.quit()
            thread.wait(timeout_ms)

    def running_threads(self) -> int:
        return sum(thread.isRunning() for thread in self._runs)

    @Slot()
    def frame_drawn(self) -> None:
        """The window has painted: the worker may send the next snapshot.

        A window calls this after each repaint; if none comes (a minimised window, or no window
        at all), a timeout lets the worker go on.
        """
        if not self._awaiting_frame:
            return
        self._awaiting_frame = False
        self._frame_timeout.stop()
        if self._worker is not None:
            self._worker.acknowledge()

    # -- worker callbacks (GUI thread) -----------------------------------
    @Slot(object)
    def _on_snapshot(self, snapshot: TrainingSnapshot) -> None:
        self.lesson.apply_progress(snapshot.weights, snapshot.biases, snapshot.new_losses)
        self.runProgress.emit(snapshot.epochs_done)
        # The worker waits, with the GIL released, until this is on screen: painting while it
        # computes made every Qt call wait for the GIL.
        self._awaiting_frame = True
        self._frame_timeout.start()

    @Slot(object)
    def _on_finished(self, outcome: TrainingOutcome) -> None:
        self._worker = None
        self.lesson.finish_run(outcome)
        self.trainingFinished.emit(outcome)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self.sender()
        self._runs.pop(thread, None)
        thread.deleteLater()
