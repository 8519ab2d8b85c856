"""Runs side by side: keep the current run, compare two settings, and overlay them on the loss plot.

The kept runs are lesson state (``lesson.kept_runs.KeptRuns``); this panel lists them with their
colours, draws their loss curves on the loss plot it is given, and trains comparisons in a worker
thread of its own, one run after the other, away from the lesson's network.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...engine import INITIALISATIONS, MODES, ORDERS, SCALINGS
from ...lesson import Lesson
from ...lesson.kept_runs import (
    COMPARABLE_CHOICES,
    MAX_KEPT_RUNS,
    MODE_NAMES,
    SCALING_NAMES,
    ComparisonPlan,
    DescentPath,
    KeptRuns,
    plan_comparison,
    run_comparison,
)
from ..widgets.number_inputs import LearningRateSpinBox

if TYPE_CHECKING:
    from .loss_plot import LossPlot

PROGRESS_INTERVAL = 0.1
"""Seconds between progress reports of a comparison."""
YIELD_INTERVAL = 0.002
"""Seconds of training between two offers of the GIL to the GUI thread (as the training worker)."""

CHOICE_VALUES = {
    "mode": [(MODE_NAMES[m], m) for m in MODES],
    "init": [(k, k) for k in INITIALISATIONS],
    "scaling": [(SCALING_NAMES[s], s) for s in SCALINGS],
    "order": [(o, o) for o in ORDERS],
}


class ComparisonWorker(QObject):
    runDone = Signal(object)
    """A KeptRun, after each of the plans."""
    progress = Signal(int, int)
    """(plan number from 0, epochs done)."""
    finished = Signal()

    def __init__(self, plans: list[ComparisonPlan]) -> None:
        super().__init__()
        self._plans = plans
        self._stop = threading.Event()
        self._last_yield = self._last_report = 0.0

    def request_stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        for number, plan in enumerate(self._plans):
            if self._stop.is_set():
                break
            try:
                run = run_comparison(plan, self._should_stop, lambda epochs, n=number: self._report(n, epochs))
            except Exception as error:  # an engine bug must not kill the thread silently
                run = error
            self.runDone.emit(run)
        self.finished.emit()

    def _should_stop(self) -> bool:
        now = time.perf_counter()
        if now - self._last_yield >= YIELD_INTERVAL:
            time.sleep(0)  # hand the GIL to the GUI thread now and then
            self._last_yield = now
        return self._stop.is_set()

    def _report(self, number: int, epochs: int) -> None:
        now = time.perf_counter()
        if now - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = now
            self.progress.emit(number, epochs)


class CompareDialog(QDialog):
    """Which choice to vary, its two values and how many epochs."""

    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare two settings")
        self.lesson = lesson
        settings = lesson.settings
        self.choice = QComboBox(objectName="compareChoice")
        for key, text in COMPARABLE_CHOICES.items():
            self.choice.addItem(text, key)
        self.first_rate, self.second_rate = LearningRateSpinBox(), LearningRateSpinBox()
        self.first_rate.setValue(settings.learning_rate)
        self.second_rate.setValue(min(settings.learning_rate * 10, 10.0))
        self.first_value, self.second_value = QComboBox(), QComboBox()
        self.epochs = QSpinBox(objectName="compareEpochs")
        self.epochs.setRange(1, 1_000_000)
        self.epochs.setValue(min(settings.epochs, 100_000))
        form = QFormLayout()
        form.addRow("Vary", self.choice)
        form.addRow("First", self._pair(self.first_rate, self.first_value))
        form.addRow("Second", self._pair(self.second_rate, self.second_value))
        form.addRow("Epochs", self.epochs)
        note = QLabel("Both runs start from the weights of the last Reset and take the rows in the same order; "
                      "everything else is as in the form. The lesson's own network does not change.")  # fmt: skip
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Train both")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self._choice_changed()

    @staticmethod
    def _pair(rate: QWidget, box: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(rate)
        row.addWidget(box)
        return holder

    def _choice_changed(self) -> None:
        key = self.choice.currentData()
        rate = key == "learning_rate"
        for widget in (self.first_rate, self.second_rate):
            widget.setVisible(rate)
        for widget in (self.first_value, self.second_value):
            widget.setVisible(not rate)
        if rate:
            return
        current = getattr(self.lesson.settings, key)
        for box, pick_other in ((self.first_value, False), (self.second_value, True)):
            box.clear()
            for text, value in CHOICE_VALUES[key]:
                box.addItem(text, value)
            index = box.findData(current)
            if pick_other:
                index = next(i for i in range(box.count()) if i != index)
            box.setCurrentIndex(max(index, 0))

    def chosen(self) -> tuple[str, list, int]:
        key = self.choice.currentData()
        if key == "learning_rate":
            values = [self.first_rate.value(), self.second_rate.value()]
        else:
            values = [self.first_value.currentData(), self.second_value.currentData()]
        return key, values, self.epochs.value()


class KeptRunsPanel(QWidget):
    comparisonFinished = Signal()
    message = Signal(str)

    def __init__(self, lesson: Lesson, path: DescentPath, kept: KeptRuns, loss_plot: Callable[[], LossPlot],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        """``loss_plot`` gives the loss plot the kept curves are drawn on (made when first asked for)."""
        super().__init__(parent)
        self.setObjectName("keptRunsPanel")
        self.lesson, self.path, self.kept, self.loss_plot = lesson, path, kept, loss_plot
        self.curves: list = []
        """The kept runs' curves on the loss plot (its ``set_overlays``)."""
        self._thread: QThread | None = None
        self._worker: ComparisonWorker | None = None
        self._plans: list[ComparisonPlan] = []

        self.keep_button = QPushButton("Keep this run", objectName="keepRunButton")
        self.keep_button.setToolTip("Pin the loss curve and the landscape path of the lesson as they are now, "
                                    f"to compare with later runs (up to {MAX_KEPT_RUNS})")  # fmt: skip
        self.keep_button.clicked.connect(self.keep_current)
        self.compare_button = QPushButton("Compare…", objectName="compareButton")
        self.compare_button.setToolTip("Train two settings that differ in one choice, from the same weights and row "
                                       "order, and overlay them")  # fmt: skip
        self.compare_button.clicked.connect(self._ask_and_compare)
        self.list = QListWidget(objectName="keptRuns")
        self.list.setToolTip("Kept runs, in the colours of their curves; Delete removes the selected one")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.remove_button = QPushButton("Remove", objectName="removeKeptRunButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton("Remove All", objectName="clearKeptRunsButton")
        self.clear_button.clicked.connect(kept.clear)
        self.status = QLabel(objectName="keptRunsStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.keep_button)
        top.addWidget(self.compare_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.remove_button)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)

        kept.changed.connect(self._show_runs)
        lesson.running_changed.connect(lambda _running: self._update_buttons())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._show_runs()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.list.currentRow() >= 0:
            self.remove_selected()
            return
        super().keyPressEvent(event)

    # -- keeping ---------------------------------------------------------------------------
    @Slot()
    def keep_current(self) -> None:
        try:
            run = self.kept.keep_lesson(self.lesson, self.path)
        except ValueError as error:
            self.message.emit(str(error))
            return
        self.message.emit(f"Kept: {run.label}.")

    @Slot()
    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.kept):
            self.kept.remove(row)

    def _show_runs(self) -> None:
        self.list.clear()
        for run in self.kept.runs:
            swatch = QPixmap(14, 14)
            swatch.fill(QColor(run.colour))
            epochs = len(run.loss_history)
            if epochs:
                summary = f"{epochs:,} epoch{'s' if epochs != 1 else ''}, last loss {run.loss_history[-1]:.4g}"
            else:
                summary = f"no whole epoch; a path of {len(run.path)} points"
            item = QListWidgetItem(QIcon(swatch), f"{run.short_label}\n{summary}")
            item.setToolTip(f"{run.label}\n{summary}")
            self.list.addItem(item)
        self._draw_curves()
        self._update_buttons()

    def _draw_curves(self) -> None:
        if not self.curves and not self.kept.runs:
            return  # nothing to take off or draw: leave the loss plot unmade until it is shown
        runs = [(run.label, run.colour, run.loss_history) for run in self.kept.runs if len(run.loss_history)]
        self.curves = self.loss_plot().set_overlays(runs)

    def _update_buttons(self) -> None:
        busy = self._thread is not None
        self.keep_button.setEnabled(not self.lesson.is_running and not self.kept.full)
        self.compare_button.setEnabled(not busy and not self.lesson.is_running and len(self.kept) <= MAX_KEPT_RUNS - 2)
        self.remove_button.setEnabled(self.list.currentRow() >= 0)
        self.clear_button.setEnabled(len(self.kept) > 0)
        if self.kept.full:
            self.keep_button.setToolTip(f"{MAX_KEPT_RUNS} runs are kept: remove one to keep another")

    # -- comparing ---------------------------------------------------------------------------
    def _ask_and_compare(self) -> None:
        dialog = CompareDialog(self.lesson, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.compare(*dialog.chosen())

    def compare(self, choice: str, values, epochs: int | None = None) -> bool:
        """Train the lesson's settings with ``choice`` at each of ``values``, one after the other in
        the background; each is kept (and overlaid) when it is done."""
        if self._thread is not None or self.lesson.is_running:
            return False
        if len(self.kept) + len(values) > MAX_KEPT_RUNS:
            self.message.emit(f"A comparison keeps {len(values)} runs: remove some of the {len(self.kept)} kept first.")
            return False
        try:
            self._plans = plan_comparison(self.lesson, choice, values, epochs)
        except ValueError as error:
            self.message.emit(str(error))
            return False
        worker = ComparisonWorker(self._plans)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.runDone.connect(self._on_run_done)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.finished.connect(thread.quit)
        self._worker, self._thread = worker, thread
        self.status.setText(f"Comparing {COMPARABLE_CHOICES[choice].lower()}: run 1 of {len(self._plans)}…")
        self._update_buttons()
        thread.start()
        return True

    @property
    def comparing(self) -> bool:
        return self._thread is not None

    @Slot(int, int)
    def _on_progress(self, number: int, epochs: int) -> None:
        plan = self._plans[number]
        self.status.setText(f"Comparing: run {number + 1} of {len(self._plans)} ({plan.varied_text}), "
                            f"epoch {epochs:,} of {plan.epochs:,}")  # fmt: skip

    @Slot(object)
    def _on_run_done(self, run) -> None:
        if isinstance(run, Exception):
            self.message.emit(f"The comparison failed: {run}")
            return
        if not self.kept.full:
            self.kept.keep(run)

    @Slot()
    def _on_finished(self) -> None:
        thread = self._thread
        self._thread = self._worker = None
        if thread is not None:
            thread.wait(5000)
            thread.deleteLater()
        self.status.setText("Comparison done: the runs are kept and drawn on the loss plot and the landscape.")
        self._update_buttons()
        self.comparisonFinished.emit()

    def shutdown(self) -> None:
        """Stop a comparison and wait for its thread; call before the window goes away."""
        if self._worker is not None:
            self._worker.request_stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(5000)
