"""The main window: lays out the lesson's views around the diagram and builds the menus.

Each view takes the lesson (and the step cursor) it shows and follows them itself; nothing here computes
or formats what they show.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QDeadlineTimer, QEvent, QEventLoop, QObject, QThread, QTimer, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QDockWidget, QHBoxLayout, QMainWindow, QTabWidget, QToolButton, QVBoxLayout, QWidget

from ..engine import TrainingOutcome, TrainingSettings
from ..lesson import Lesson, StepCursor, Table
from .plots import plotting_loader
from .widgets.actions import button_for
from .window.app_settings import WindowSettings
from .document import autosave, recovery_offer
from .panels.chain_rule_panel import ChainRulePanel
from .table.data_panel import DataPanel
from .document.document import SessionDocument
from .document.export_actions import ExportActions
from .widgets.feedback import Feedback
from .widgets.file_drop import FileDrop
from .guided import GuidedLessons
from .plots.learning_views import LearningViews
from .training.lesson_actions import LessonActions
from .diagram.lesson_diagram import LessonDiagram
from .plots.loss_panel import LossPanel
from .panels.nudge_panel import NudgePanel
from .window.notes_offer import NotesOffer
from .widgets.parameter_edit import ParameterEditing
from .widgets.background import LatestJob
from .widgets.throttle import Throttle
from .window.presentation import PresentationMode
from .panels.step_log_view import StepLogView
from .widgets.text_zoom import TextZoom
from .window.theme import ThemeChooser
from .window.accessibility import Accessibility
from .training.training_panel import TrainingPanel
from .training.training_runner import TrainingRunner
from .window.undo_bridge import QtUndoHistory
from .window.user_guide import HelpActions
from .widgets.wheel_guard import guard_wheel
from .training.divergence_advisor import DivergenceAdvisor
from .window.window_fit import PREFERRED_SIZE, clamp_to_screen, fit_first_run, size_docks
from .. import APP_TITLE


class _PaintWatcher(QObject):
    """Calls back after each repaint of a top-level widget (Qt paints on its UpdateRequest)."""

    def __init__(self, on_painted, parent: QObject) -> None:
        super().__init__(parent)
        self._on_painted = on_painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            QTimer.singleShot(0, self._on_painted)  # runs once this repaint is done
        return False


class _AfterFirstPaint(QObject):
    """Calls back once, ``delay_ms`` after the first repaint of a top-level widget."""

    def __init__(self, on_painted, parent: QObject, delay_ms: int) -> None:
        super().__init__(parent)
        self._on_painted, self._delay_ms = on_painted, delay_ms
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            QTimer.singleShot(self._delay_ms, self._on_painted)
        return False


LOAD_PLOTTING_DELAY_MS = 0
"""How long after the window's first paint pyqtgraph starts loading, in a thread (load_plotting)."""


def load_plotting() -> None:
    """Import pyqtgraph and the loss plot once the window is on screen, in a background thread
    (plotting_loader.py): the window opens on the chain rule, not on a plot, and the plots are
    made when first shown once it is done, so neither the window nor a Train pressed at once
    waits for it. The window's objects are frozen out of the garbage collector's way first (the
    import's allocations set off a full collection that walked them: 120 ms), pyqtgraph's after."""
    freeze_long_lived_objects()
    plotting_loader.load(then=_plotting_loaded)


_frozen = False


def settled() -> bool:
    """Whether the app has done what it does once after its first paint: pyqtgraph loaded and the
    long-lived objects frozen (load_plotting). The benchmark measures a run once this holds."""
    return _frozen


def _plotting_loaded() -> None:
    global _frozen
    freeze_long_lived_objects()
    _frozen = True


def freeze_long_lived_objects() -> None:
    """Take the objects made so far out of Python's garbage collector's way.

    They live as long as the app, yet a full collection walks them all: one took 61 ms in the
    middle of a training run, a pause the student sees as a stutter of the loss curve. Frozen
    (``gc.freeze``), they are never walked again; objects made later are collected as usual.
    Only the young garbage is collected first: a full collection here held the GUI thread for
    200 ms just as a Train pressed at once began (the few older objects that are garbage stay, as
    the training runner's freeze after loading the kernel leaves them too).
    """
    gc.collect(1)
    gc.freeze()


class MainWindow(QMainWindow):
    def __init__(self, settings: TrainingSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — learn backpropagation")
        self.resize(PREFERRED_SIZE)  # a first run fits it to the screen once shown (fit_first_run)
        self.undo_stack = QUndoStack(self)
        self.lesson = Lesson(settings, Table(history=QtUndoHistory(self.undo_stack)))
        self.cursor = StepCursor(self.lesson)
        self.runner = TrainingRunner(self.lesson, self)
        self.feedback = Feedback(self)
        self.divergence_advisor = DivergenceAdvisor(self.lesson, self)
        self.runner.trainingFinished.connect(self.divergence_advisor.on_training_finished)

        self.network_view = LessonDiagram(self.lesson, self.cursor)
        self.setCentralWidget(self.network_view)
        self.data_panel = DataPanel(self.lesson, self.cursor)
        self.table, self.table_model, self.table_actions = self.data_panel.view, self.data_panel.model, self.data_panel.actions
        self.actions = LessonActions(self.lesson, self.cursor, self.runner, self.data_panel.selected_rows, self)
        self.chain_rule_panel = ChainRulePanel(self.lesson, self.cursor)
        self.loss_panel = LossPanel(self.lesson, self.cursor)
        self.step_log = StepLogView(self.lesson, self.cursor)
        self.document = SessionDocument(self.lesson, self.undo_stack, self.feedback)
        self.autosave = autosave.Autosave(self.lesson, self.document, self.undo_stack, self)
        self.parameter_editing = ParameterEditing(self.lesson, self.cursor, self.undo_stack, self)
        self.nudge_panel = NudgePanel(self.lesson, self.cursor, self.parameter_editing)
        self._create_docks()
        self._create_view_tools()
        self._create_menus()
        self._connect_messages()
        QTimer.singleShot(0, self.runner.warm_up)  # once the window is on screen
        _AfterFirstPaint(load_plotting, self, LOAD_PLOTTING_DELAY_MS)
        self.network_view.parameterClicked.connect(self.chain_rule_panel.choose)
        self.network_view.parameterEdited.connect(self.parameter_editing.set_value)
        self.network_view.nudgeDragged.connect(self.nudge_panel.nudge_parameter)
        for chosen in (self.network_view.select_parameter, self.nudge_panel.choose):
            self.chain_rule_panel.parameterChosen.connect(chosen)
        self.nudge_panel.choose(self.chain_rule_panel.parameter)
        self.installEventFilter(_PaintWatcher(self.runner.frame_drawn, self))
        self.accessibility = Accessibility(self, self.network_view)  # screen readers, keys, mnemonics
        self.wheel_guard = guard_wheel(self)  # the wheel scrolls the form; only a clicked box changes
        self.statusBar().showMessage("Press Step to send one row through the network, or Train to run every epoch.")

    # -- layout ------------------------------------------------------------
    def _create_docks(self) -> None:
        actions = self.actions
        training = TrainingPanel(self.lesson, actions, self.runner)
        self.controls, self.run_progress = training.controls, training.run_progress
        self.step_button, self.train_button, self.stop_button = training.step_button, training.train_button, training.stop_button
        self.reset_button, self.gradient_check_button = training.reset_button, training.gradient_check_button

        self.next_phase_button = button_for(actions.next_phase_action, "nextPhaseButton")
        self.back_button = button_for(actions.back_action, "backButton")
        self.chain_rule_panel.add_buttons(self.next_phase_button, self.back_button)

        # The chain rule and the loss plot share the bottom as tabs, each the full width: a step
        # brings the chain rule forward, a training run the loss. (Tabs of a QTabWidget, not
        # tabified docks: Qt 6.11 drew a second, stale tab bar for a second group of dock tabs.)
        self.lesson_tabs = QTabWidget()
        self.lesson_tabs.setObjectName("lessonTabs")
        self.lesson_tabs.addTab(self.chain_rule_panel, "Step by step: the chain rule")
        self.lesson_tabs.addTab(self.loss_panel, "Loss")
        self.lesson_tabs.setTabToolTip(0, "Each phase of a step and the chain rule of any weight, with the numbers")
        self.lesson_tabs.setTabToolTip(1, "The mean loss of each epoch, and how well the network fits the table")
        lesson_pane = QWidget()
        lesson_layout = QVBoxLayout(lesson_pane)
        lesson_layout.setContentsMargins(0, 0, 0, 0)
        lesson_layout.setSpacing(2)
        lesson_layout.addWidget(self.lesson_tabs, 1)
        lesson_layout.addWidget(self.nudge_panel)
        self.cursor.changed.connect(lambda: self.cursor.active and self.learning.bring_forward(self.chain_rule_panel))
        self.lesson.running_changed.connect(lambda running: running and self.learning.bring_forward(self.loss_panel))
        self.runner.trainingFinished.connect(self.loss_panel.run_finished)
        self.runner.runStarted.connect(self.loss_panel.run_started)

        self.docks = {}
        # The right column runs the window's full height; the step-by-step panel and the loss share the bottom.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        for key, title, widget, area in (
            ("training", "Training", training, Qt.DockWidgetArea.RightDockWidgetArea),
            ("data", "Data: students", self.data_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            ("stepLog", "Step log", self.step_log, None),  # a tab of the data dock
            ("lesson", "Backpropagation", lesson_pane, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"{key}Dock")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            if area is not None:
                self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["data"], self.docks["stepLog"])
        self.docks["data"].raise_()
        self.size_docks()

    def size_docks(self) -> None:
        size_docks(self, self.docks)

    def _create_view_tools(self) -> None:
        """Zoom, theme, presentation mode, remembered settings and dropped files."""
        self.text_zoom = TextZoom(self)
        self.text_zoom.changed.connect(self.network_view.set_text_scale)
        self.theme = ThemeChooser(self)
        a = self.actions
        self.presentation = PresentationMode(
            self, self.text_zoom, self.docks, [a.step_action, a.next_phase_action, a.back_action, a.train_action, a.stop_action]
        )
        self.window_settings = WindowSettings(self, self.text_zoom, self.theme, self.presentation)
        self.file_drop = FileDrop(self, self.document.open_path)
        # The view's buttons sit at the right end of the menu bar, not on a toolbar of their own:
        # a 768-pixel screen has no line to spare.
        self.view_toolbar = QWidget()
        self.view_toolbar.setObjectName("viewToolBar")
        row = QHBoxLayout(self.view_toolbar)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(2)
        for action in (self.presentation.action, self.text_zoom.zoom_out_action, self.text_zoom.zoom_in_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            row.addWidget(button)
            self.view_toolbar.addAction(action)
        self.menuBar().setCornerWidget(self.view_toolbar, Qt.Corner.TopRightCorner)
        self.help = HelpActions(self)
        self._settings_restored = False
        self.notes_offer: NotesOffer | None = None

    def _create_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.document.add_to_menu(file_menu)
        self.document.examples_menu.addAction(self.actions.known_answer_action)
        ExportActions(self.lesson, self.cursor, self.feedback).add_to_menu(file_menu)
        quit_action = file_menu.addAction("&Quit", QKeySequence("Ctrl+Q"), self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        edit_menu = menu.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        table = self.table_actions
        for item in (self.undo_action, self.redo_action, None, table.copy_action, table.paste_action, None,
                     table.add_row_action, table.duplicate_row_action, table.insert_above_action, table.insert_below_action,
                     table.delete_rows_action, table.clear_action):  # fmt: skip
            edit_menu.addSeparator() if item is None else edit_menu.addAction(item)
        training_menu = menu.addMenu("&Training")
        a, nudge = self.actions, self.nudge_panel
        for item in (a.notes_example_action, None, a.step_action, a.next_phase_action, a.back_action, None, a.train_action, a.stop_action,
                     a.reset_action, None, a.gradient_check_action, a.practice_action, None, nudge.up_action, nudge.down_action):  # fmt: skip
            training_menu.addSeparator() if item is None else training_menu.addAction(item)
        view_menu = menu.addMenu("&View")
        zoom = self.text_zoom
        for item in (self.presentation.action, None, zoom.zoom_in_action, zoom.zoom_out_action, zoom.reset_action, None):
            view_menu.addSeparator() if item is None else view_menu.addAction(item)
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.addActions(list(self.theme.actions.values()))
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        log_action = view_menu.addAction("&Log Scale for Loss")
        log_action.setCheckable(True)
        log_action.toggled.connect(self.loss_panel.set_log_scale)
        self.loss_panel.logScaleToggled.connect(log_action.setChecked)
        self.learning = LearningViews(self, view_menu)  # the loss landscape, the input space, kept runs
        self.guided = GuidedLessons(self)  # Help > Lessons and the lesson panel (ui/guided/)
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.guided.lessons_action, self.guided.add_page_action])
        help_menu.addActions(self.help.actions)

    def _connect_messages(self) -> None:
        status = self.statusBar()
        self.lesson.message.connect(lambda text: status.showMessage(text, 15000))
        self.runner.message.connect(lambda text: status.showMessage(text, 8000))
        self.actions.status.connect(status.showMessage)
        self.table_actions.message.connect(lambda text: status.showMessage(text, 8000))
        for refused in (self.data_panel.model.editRefused, self.table_actions.refused, self.controls.refused,
                        self.parameter_editing.refused):  # fmt: skip
            refused.connect(self.feedback.refusal)
        self.controls.newWeightsDrawn.connect(lambda seed: status.showMessage(f"New weights drawn, seed {seed}.", 8000))
        # An accepted edit replaces an old refusal, which would otherwise still read as current.
        self.lesson.table.changed.connect(self.feedback.clear_refusal)

    # -- for scripts, the screenshot mode and tests -------------------------------
    @property
    def interactive(self) -> bool:
        return self.feedback.interactive

    @interactive.setter
    def interactive(self, value: bool) -> None:
        self.feedback.interactive = value

    @property
    def last_error(self) -> str | None:
        return self.feedback.last_error

    def show_error(self, title: str, text: str) -> None:
        self.feedback.error(title, text)

    def open_path(self, path) -> bool:
        """Open a session file or import a CSV file, as when a file is handed to the app."""
        return self.document.open_path(path)

    def open_lesson(self, name_or_path) -> bool:
        """Open a guided lesson: a built-in lesson's title or file name, or a lesson file."""
        return self.guided.open_lesson(name_or_path)

    def train_and_wait(self, timeout_ms: int = 600_000) -> TrainingOutcome | None:
        """Start training and return its outcome once finished."""
        outcomes: list[TrainingOutcome] = []
        loop = QEventLoop()
        self.runner.trainingFinished.connect(outcomes.append)
        self.runner.trainingFinished.connect(loop.quit)
        try:
            if not self.runner.start():
                return None
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        finally:
            self.runner.trainingFinished.disconnect(outcomes.append)
            self.runner.trainingFinished.disconnect(loop.quit)
        return outcomes[0] if outcomes else None

    def settle(self, timeout_ms: int = 60_000) -> None:
        """Return once pyqtgraph is loaded (in a thread) and every view's throttled or background
        refresh has run: a scripted picture shows the plots, at the weights reached."""
        deadline = QDeadlineTimer(timeout_ms)
        plotting_loader.load()
        while not deadline.hasExpired() and (not plotting_loader.loaded() or any(t.pending for t in self.findChildren(Throttle))
                                             or any(j.busy for j in self.findChildren(LatestJob))):  # fmt: skip
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            QThread.msleep(2)
        QApplication.processEvents()

    def showEvent(self, event: QShowEvent) -> None:
        # Read when first shown, once app.py has said whether this window is interactive.
        if not self._settings_restored:
            self._settings_restored = True
            if self.interactive:
                if self.window_settings.restore():  # a fresh profile's first start
                    fit_first_run(self)
                    if self.height() < PREFERRED_SIZE.height():
                        QTimer.singleShot(0, self.size_docks)  # for the smaller window, once it has its size
                    self.offer_notes_example()
                QTimer.singleShot(0, lambda: clamp_to_screen(self))  # once the frame's margins are known
                QTimer.singleShot(0, lambda: recovery_offer.look_for_unsaved_work(self))
        super().showEvent(event)

    def offer_notes_example(self) -> None:
        """The bar over the diagram that offers the notes' example (a fresh profile's first start)."""
        if self.notes_offer is None:
            self.notes_offer = NotesOffer(self.actions.notes_example_action, self)
            self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.notes_offer)
        self.notes_offer.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.guided.close_lesson()  # the user's own session is what maybe_save asks about
        if not self.document.maybe_save():
            event.ignore()
            return
        if self.interactive:
            self.window_settings.save()
        self.runner.shutdown()
        self.divergence_advisor.shutdown()
        self.autosave.close()  # a clean quit leaves no recovery file
        super().closeEvent(event)
