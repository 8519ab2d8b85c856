"""The Training dock: the settings form, the Step / Train / Stop / Reset / Check Gradients buttons and
the progress of a run."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QGridLayout, QScrollArea, QVBoxLayout, QWidget

from ...lesson import Lesson
from ..widgets.actions import button_for
from .lesson_actions import LessonActions
from .run_progress import RunProgress
from .training_controls import TrainingControls
from .training_runner import TrainingRunner


class TrainingPanel(QWidget):
    def __init__(self, lesson: Lesson, actions: LessonActions, runner: TrainingRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = TrainingControls(lesson)
        self.step_button = button_for(actions.step_action, "stepButton")
        self.train_button = button_for(actions.train_action, "trainButton")
        self.stop_button = button_for(actions.stop_action, "stopButton")
        self.reset_button = button_for(actions.reset_action, "resetButton")
        self.gradient_check_button = button_for(actions.gradient_check_action, "gradientCheckButton")
        buttons = QGridLayout()
        buttons.addWidget(self.step_button, 0, 0)
        buttons.addWidget(self.train_button, 0, 1)
        buttons.addWidget(self.stop_button, 0, 2)
        buttons.addWidget(self.reset_button, 1, 0)
        buttons.addWidget(self.gradient_check_button, 1, 1, 1, 2)
        self.run_progress = RunProgress()
        # Its line is kept while it is hidden: Step, Train and Stop never move when a run starts or
        # ends (a click aimed at Stop lands on Stop).
        policy = self.run_progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.run_progress.setSizePolicy(policy)
        runner.runStarted.connect(self.run_progress.start)
        runner.runProgress.connect(self.run_progress.advance)
        runner.trainingFinished.connect(self.run_progress.finish)

        # A narrow window (a 1024×768 projector) puts a long row's field under its label, not
        # beside it, rather than forcing the window wider; on a small screen the form scrolls.
        self.controls.layout().setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.controls.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.run_progress)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # A hidden widget does not tell its layout that its size changed: the progress bar's
            # kept line would keep the height of the old text size (presentation mode's).
            self.layout().invalidate()
