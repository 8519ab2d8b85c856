"""The main window: the diagram in the middle, data, training controls and loss plot around it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..engine import INITIALISATIONS, StepRecord, TrainingOutcome, TrainingSettings
from ..engine.notation import format_number
from ..files.step_log_csv import write_step_log
from .chain_rule_panel import ChainRulePanel
from .dataset_model import DatasetModel
from .document import SessionDocument
from .gradient_check_dialog import GradientCheckDialog
from .loss_plot import LossPlot
from .metrics_panel import MetricsPanel
from .network_view import NetworkView
from .prediction_panel import PredictionPanel
from .run_progress import RunProgress
from .step_log_view import StepLogView
from .step_through import StepThrough
from .table_actions import TableActions
from .training_controls import TrainingControls
from .training_session import TrainingSession

APP_TITLE = "Backprop GUI"


class _PaintWatcher(QObject):
    """Calls back after each repaint of a top-level widget (Qt paints on its UpdateRequest)."""

    def __init__(self, on_painted, parent: QObject) -> None:
        super().__init__(parent)
        self._on_painted = on_painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            QTimer.singleShot(0, self._on_painted)  # runs once this repaint is done
        return False


class _RowHighlight(QStyledItemDelegate):
    """Paints the rows of the step on show in the table, without touching the data or selection."""

    COLOUR = QColor("#fefcbf")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: set[int] = set()

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        if index.row() in self.rows:
            option.backgroundBrush = self.COLOUR


def _button_for(action: QAction, object_name: str) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state and tooltip."""
    button = QPushButton(action.text().replace("&", ""))
    button.setObjectName(object_name)
    button.setToolTip(action.toolTip())
    button.setMinimumHeight(34)
    button.clicked.connect(action.trigger)
    action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
    button.setEnabled(action.isEnabled())
    return button


class MainWindow(QMainWindow):
    def __init__(self, settings: TrainingSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — learn backpropagation")
        self.resize(1440, 900)

        self.dataset = DatasetModel(parent=self)
        self.undo_stack = self.dataset.undo_stack
        self.session = TrainingSession(self.dataset, settings, parent=self)
        self.interactive = True
        """False in the screenshot mode: errors are not shown in message boxes and closing never asks."""
        self.last_error: str | None = None

        self.network_view = NetworkView()
        self.setCentralWidget(self.network_view)
        self._create_actions()
        self.controls = TrainingControls()
        self.table = self._create_table()
        self.table_actions = TableActions(self.table, self.dataset, self)
        self.loss_plot = LossPlot()
        self.metrics_panel = MetricsPanel()
        self.gradient_check_dialog: GradientCheckDialog | None = None
        self.step_through = StepThrough(self.session, self._selected_rows, parent=self)
        self.chain_rule_panel = ChainRulePanel(self.step_through)
        self.step_log = StepLogView(self.session)
        self.prediction_panel = PredictionPanel(self.session)
        self._create_docks()
        self.document = SessionDocument(self)
        self._create_menus()
        self.statusBar().showMessage("Press Step to send one row through the network, or Train to run every epoch.")

        self.controls.show_settings(self.session.settings)
        self.controls.settingsEdited.connect(self._on_settings_edited)
        self.controls.taskChosen.connect(self._on_task_chosen)
        self.controls.newWeightsRequested.connect(self.new_random_weights)
        self.controls.scaling_statistics.attach(self.session)
        self.controls.target_warning.attach(self.session)
        self.metrics_panel.attach(self.session)
        self.session.settingsChanged.connect(self._show_settings)
        self.dataset.editRejected.connect(self._on_edit_rejected)
        self.dataset.modelReset.connect(self._on_table_replaced)
        self.table_actions.refused.connect(self._on_edit_rejected)
        self.table_actions.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session.parametersChanged.connect(self._show_parameters)
        self.session.structureChanged.connect(self._rebuild_diagram)
        self.session.historyChanged.connect(self._show_history)
        self.session.settingsChanged.connect(self._show_caption)
        self.session.stepped.connect(self._show_step)
        self.step_through.changed.connect(self._show_step_through)
        self.step_through.changed.connect(
            lambda: self.step_through.active and self.lesson_tabs.setCurrentWidget(self.chain_rule_panel)
        )
        self.session.trainingChanged.connect(
            lambda running: running and self.lesson_tabs.setCurrentWidget(self.lesson_tabs.widget(1))
        )
        self.step_through.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.network_view.parameterClicked.connect(self.chain_rule_panel.choose)
        self.step_log.entryActivated.connect(self.step_through.show_log_entry)
        self.step_log.exportRequested.connect(self._export_step_log_dialog)
        self.session.trainingChanged.connect(self._on_training_changed)
        self.session.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._rebuild_diagram()
        self._on_training_changed(False)
        self.installEventFilter(_PaintWatcher(self.session.frame_drawn, self))

    # -- construction ----------------------------------------------------
    def _create_actions(self) -> None:
        def action(text: str, shortcut, tip: str, slot) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            shortcut_text = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({shortcut_text})")
            act.setStatusTip(tip)
            act.triggered.connect(slot)
            return act

        self.step_action = action("&Step", "F10", "One update of gradient descent on one row, all phases at once", self.step)
        self.next_phase_action = action(
            "&Next Phase",
            "F11",
            "Show the next phase of a step: pick the row, forward pass, loss, backward pass, update",
            self.next_phase,
        )
        self.back_action = action(
            "&Back", "Alt+Left", "Go back one phase, or take back the last step or training run exactly", self.back
        )
        self.train_action = action("&Train", "F5", "Run the set number of epochs in the background", self.train)
        self.stop_action = action("St&op", "Shift+F5", "Stop training now, keeping the weights reached", self.stop)
        self.reset_action = action(
            "&Reset", "Ctrl+R", "Re-initialise the weights with the chosen initialisation and seed", self.reset
        )
        self.gradient_check_action = action(
            "Check &Gradients",
            "Ctrl+G",
            "Compare every backpropagated gradient on the next row with a central finite difference",
            self.check_gradients,
        )
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.add_row_action = action("&Add Row", "Ctrl+Shift+N", "Add a student below the selected row", self.add_row)
        self.delete_rows_action = action(
            "&Delete Rows", QKeySequence(QKeySequence.StandardKey.Delete), "Delete the selected rows", self.delete_rows
        )
        self.delete_rows_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _create_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("datasetTable")
        table.setModel(self.dataset)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)  # rectangles to copy and paste
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setDefaultSectionSize(28)
        table.setToolTip("Double-click a cell to edit it; the last column is the target the network learns")
        table.addAction(self.delete_rows_action)
        self._row_highlight = _RowHighlight(table)
        table.setItemDelegate(self._row_highlight)
        return table

    def _create_docks(self) -> None:
        buttons = QGridLayout()
        self.step_button = _button_for(self.step_action, "stepButton")
        self.train_button = _button_for(self.train_action, "trainButton")
        self.stop_button = _button_for(self.stop_action, "stopButton")
        self.reset_button = _button_for(self.reset_action, "resetButton")
        self.gradient_check_button = _button_for(self.gradient_check_action, "gradientCheckButton")
        buttons.addWidget(self.step_button, 0, 0)
        buttons.addWidget(self.train_button, 0, 1)
        buttons.addWidget(self.stop_button, 0, 2)
        buttons.addWidget(self.reset_button, 1, 0)
        buttons.addWidget(self.gradient_check_button, 1, 1, 1, 2)
        training = QWidget()
        layout = QVBoxLayout(training)
        layout.setContentsMargins(0, 0, 0, 8)
        # On a small screen the form scrolls rather than squashing its rows.
        controls_scroll = QScrollArea()
        controls_scroll.setWidget(self.controls)
        controls_scroll.setWidgetResizable(True)
        controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        controls_scroll.setMinimumWidth(
            self.controls.minimumSizeHint().width() + controls_scroll.verticalScrollBar().sizeHint().width()
        )
        layout.addWidget(controls_scroll, 1)
        layout.addLayout(buttons)
        self.run_progress = RunProgress()
        self.session.runStarted.connect(self.run_progress.start)
        self.session.runProgress.connect(self.run_progress.advance)
        self.session.trainingFinished.connect(self.run_progress.finish)
        layout.addWidget(self.run_progress)

        data = QWidget()
        data_layout = QVBoxLayout(data)
        data_layout.setContentsMargins(4, 4, 4, 4)
        data_layout.addWidget(self.table, 1)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(_button_for(self.add_row_action, "addRowButton"))
        row_buttons.addWidget(_button_for(self.delete_rows_action, "deleteRowsButton"))
        data_layout.addLayout(row_buttons)
        data_layout.addWidget(self.prediction_panel)

        self.next_phase_button = _button_for(self.next_phase_action, "nextPhaseButton")
        self.back_button = _button_for(self.back_action, "backButton")
        self.chain_rule_panel.buttons.addWidget(self.next_phase_button)
        self.chain_rule_panel.buttons.addWidget(self.back_button)

        loss = QWidget()
        loss_layout = QHBoxLayout(loss)
        loss_layout.setContentsMargins(0, 0, 0, 0)
        loss_layout.addWidget(self.loss_plot, 1)
        loss_layout.addWidget(self.metrics_panel)

        # The chain rule and the loss plot share the bottom as tabs, each the full width: a step
        # brings the chain rule forward, a training run the loss. (Tabs of a QTabWidget, not
        # tabified docks: Qt 6.11 drew a second, stale tab bar for a second group of dock tabs.)
        self.lesson_tabs = QTabWidget()
        self.lesson_tabs.setObjectName("lessonTabs")
        self.lesson_tabs.addTab(self.chain_rule_panel, "Step by step: the chain rule")
        self.lesson_tabs.addTab(loss, "Loss")
        self.lesson_tabs.setTabToolTip(0, "Each phase of a step and the chain rule of any weight, with the numbers")
        self.lesson_tabs.setTabToolTip(1, "The mean loss of each epoch, and how well the network fits the table")

        self.docks = {}
        # The right column runs the window's full height; the step-by-step panel and the loss share the bottom.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        # Docks with no area of their own go in as tabs of another (tabified below).
        for key, title, widget, area in (
            ("training", "Training", training, Qt.DockWidgetArea.RightDockWidgetArea),
            ("data", "Data: students", data, Qt.DockWidgetArea.RightDockWidgetArea),
            ("stepLog", "Step log", self.step_log, None),
            ("lesson", "Backpropagation", self.lesson_tabs, Qt.DockWidgetArea.BottomDockWidgetArea),
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
        self.resizeDocks([self.docks["lesson"]], [300], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["training"], self.docks["data"]], [470, 330], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["training"]], [440], Qt.Orientation.Horizontal)

    def _create_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.document.add_to_menu(file_menu)
        quit_action = file_menu.addAction("&Quit", QKeySequence(QKeySequence.StandardKey.Quit), self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.table_actions.copy_action)
        edit_menu.addAction(self.table_actions.paste_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.add_row_action)
        edit_menu.addAction(self.table_actions.insert_above_action)
        edit_menu.addAction(self.table_actions.insert_below_action)
        edit_menu.addAction(self.delete_rows_action)
        edit_menu.addAction(self.table_actions.clear_action)
        training_menu = menu.addMenu("&Training")
        for act in (self.step_action, self.next_phase_action, self.back_action):
            training_menu.addAction(act)
        training_menu.addSeparator()
        for act in (self.train_action, self.stop_action, self.reset_action):
            training_menu.addAction(act)
        training_menu.addSeparator()
        training_menu.addAction(self.gradient_check_action)
        view_menu = menu.addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        log_action = view_menu.addAction("&Log Scale for Loss")
        log_action.setCheckable(True)
        log_action.toggled.connect(self.loss_plot.log_scale.setChecked)
        self.loss_plot.log_scale.toggled.connect(log_action.setChecked)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction("&Notation", self._show_notation_help)
        help_menu.addAction(f"&About {APP_TITLE}", self._show_about)

    # -- actions ---------------------------------------------------------
    @Slot()
    def step(self) -> None:
        self.step_through.step()

    @Slot()
    def next_phase(self) -> None:
        self.step_through.next_phase()

    @Slot()
    def back(self) -> None:
        self.step_through.back()

    def export_step_log(self, path) -> bool:
        """Write every logged step to a CSV file (atomically); False, with the reason shown, if it cannot."""
        records = [entry.record for entry in self.session.step_log if entry.record is not None]
        if not records:
            self.show_error("Export Step Log", "There are no steps to export yet: press Step first.")
            return False
        try:
            write_step_log(path, records, self.session.network.layer_sizes)
        except OSError as error:
            self.show_error("Export Step Log", f"Could not write {path}: {error.strerror or error}.")
            return False
        self.statusBar().showMessage(f"Exported {len(records)} steps to {path}.", 8000)
        return True

    @Slot()
    def _export_step_log_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Step Log", "step-log.csv", "CSV files (*.csv)")
        if path:
            self.export_step_log(path)

    @Slot()
    def train(self) -> None:
        if self.session.start_training():
            self.statusBar().showMessage(f"Training {self.session.settings.epochs:,} epochs…")

    @Slot()
    def stop(self) -> None:
        self.session.stop_training()

    @Slot()
    def reset(self) -> None:
        self.session.reset()
        name = INITIALISATIONS[self.session.settings.init]
        self.statusBar().showMessage(f"Weights re-initialised: {name}, seed {self.session.settings.seed}.", 8000)

    @Slot()
    def new_random_weights(self) -> None:
        seed = self.session.new_random_weights()
        name = INITIALISATIONS[self.session.settings.init]
        self.statusBar().showMessage(f"New weights drawn: {name}, seed {seed}.", 8000)

    @Slot()
    def check_gradients(self) -> None:
        selected = self._selected_rows()
        result = self.session.gradient_check(selected[0] if selected else None)
        if result is None:
            return
        row, comparisons = result
        if self.gradient_check_dialog is None:
            self.gradient_check_dialog = GradientCheckDialog(self)
        values = ", ".join(
            f"{name} {format_number(value)}" for name, value in zip(self.dataset.column_names, self.dataset.values()[row])
        )
        self.gradient_check_dialog.show_comparisons(f"row {row + 1} ({values})", comparisons)
        self.gradient_check_dialog.show()
        self.gradient_check_dialog.raise_()

    @Slot()
    def add_row(self) -> None:
        selected = self._selected_rows()
        row = (selected[-1] + 1) if selected else self.dataset.rowCount()
        source = selected[-1] if selected else self.dataset.rowCount() - 1
        values = self.dataset.values()[source] if source >= 0 else np.zeros(self.dataset.columnCount())
        self.dataset.insert_rows(row, values)
        self.table.selectRow(row)
        self.table.edit(self.dataset.index(row, 0))

    @Slot()
    def delete_rows(self) -> None:
        rows = self._selected_rows()
        if not rows:
            self.statusBar().showMessage("Select the rows to delete first.", 5000)
            return
        self.dataset.remove_rows(rows)

    # -- files (see document.py) -------------------------------------------
    def import_csv(self, path, target_column: int | str | None = None) -> bool:
        """Replace the table with a CSV file's (undoable); False, with the reason shown, if it cannot."""
        return self.document.import_csv(path, target_column)

    def open_session(self, path) -> bool:
        """Open a saved session (asking about unsaved changes); False, changing nothing, if it cannot."""
        return self.document.open_session(path)

    def save_session(self, path) -> bool:
        """Save the session atomically; False, keeping any previous file, if it cannot."""
        return self.document.save_session(path)

    def open_path(self, path) -> bool:
        """Open a session file or import a CSV file, as when a file is handed to the app."""
        return self.document.open_path(path)

    def show_error(self, title: str, text: str) -> None:
        """Every file error goes through here: a message box, or only the status bar when not interactive."""
        self.last_error = text
        self.statusBar().showMessage(text, 15000)
        if self.interactive:
            QMessageBox.warning(self, title, text)

    def train_and_wait(self, timeout_ms: int = 600_000) -> TrainingOutcome | None:
        """Start training and return its outcome once finished (for scripts and the screenshot mode)."""
        outcomes: list[TrainingOutcome] = []
        loop = QEventLoop()
        self.session.trainingFinished.connect(outcomes.append)
        self.session.trainingFinished.connect(loop.quit)
        try:
            if not self.session.start_training():
                return None
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        finally:
            self.session.trainingFinished.disconnect(outcomes.append)
            self.session.trainingFinished.disconnect(loop.quit)
        return outcomes[0] if outcomes else None

    # -- reacting to the session -----------------------------------------
    @Slot(dict)
    def _on_settings_edited(self, change: dict) -> None:
        try:
            self.session.update_settings(**change)
        except ValueError as error:
            self.statusBar().showMessage(f"Refused: {error}", 10000)
            self.controls.show_settings(self.session.settings)

    @Slot(str)
    def _on_task_chosen(self, task: str) -> None:
        try:
            self.session.choose_task(task)
        except ValueError as error:
            self.statusBar().showMessage(f"Refused: {error}", 10000)
            self.controls.show_settings(self.session.settings)

    @Slot()
    def _show_settings(self) -> None:
        self.controls.show_settings(self.session.settings)

    @Slot()
    def _rebuild_diagram(self) -> None:
        self.network_view.set_structure(
            self.session.network.layer_sizes, self.dataset.input_names, [self.dataset.target_name]
        )
        self.chain_rule_panel.set_structure(self.session.network.layer_sizes)
        self._show_parameters()
        self._show_caption()

    @Slot()
    def _show_parameters(self) -> None:
        if self.step_through.active:
            self._show_step_through()  # the step on show draws its own values
            return
        self.network_view.show_parameters(self.session.network.weights, self.session.network.biases)

    @Slot()
    def _show_step_through(self) -> None:
        through = self.step_through
        if not through.active:
            self.network_view.clear_step()
            self.network_view.show_parameters(self.session.network.weights, self.session.network.biases)
            self._row_highlight.rows = set()
            self.table.viewport().update()
            self.step_log.select(None)
            return
        explainer, phase = through.explainer, through.phase
        title = explainer.phase_title(phase)
        record = explainer.record
        if through.inspecting_old_step:
            title = f"Step {record.step} (an earlier step; the network is at the latest)  ·  {title}"
        else:
            title = f"Step {record.step}  ·  {title}"
        self.network_view.show_step(explainer, phase, title)
        self._row_highlight.rows = {int(r) for r in record.rows}
        self.table.viewport().update()
        if len(record.rows) and int(record.rows[0]) < self.dataset.rowCount():
            self.table.scrollTo(self.dataset.index(int(record.rows[0]), 0))
        self.step_log.select(through.log_index)

    @Slot()
    def _show_history(self) -> None:
        self.loss_plot.show_history(self.session.loss_history.values)

    @Slot()
    def _show_caption(self) -> None:
        s = self.session.settings
        scaling = "inputs standardised" if s.scaling == "standardize" else "raw inputs"
        init = {"ones": "weights 1, biases 0"}.get(s.init, f"{s.init} weights, seed {s.seed}")
        self.network_view.set_caption(
            f"η = {format_number(s.learning_rate, 6)}  ·  {scaling}  ·  {init}  ·  {s.order} row order"
        )

    @Slot(object)
    def _show_step(self, record: StepRecord) -> None:
        rows = ", ".join(str(r + 1) for r in record.rows)
        if len(record.rows) == 1:
            y, y_hat = float(record.targets[0, 0]), float(record.y_hat[0, 0])
            if self.session.settings.loss == "bce":
                detail = (
                    f"y = {format_number(y)}, ŷ = {format_number(y_hat)}, L = −y log ŷ − (1 − y) log(1 − ŷ) "
                    f"= {format_number(record.loss)}"
                )
            else:
                detail = (
                    f"ŷ = {format_number(y_hat)}, L = (y − ŷ)² = ({format_number(y)} − {format_number(y_hat)})² "
                    f"= {format_number(record.loss)}"
                )
        else:
            detail = f"mean loss L = {format_number(record.loss)}"
        self.statusBar().showMessage(f"Step {record.step}, epoch {record.epoch}, row {rows}: {detail}")

    @Slot(bool)
    def _on_training_changed(self, running: bool) -> None:
        for act in (
            self.step_action,
            self.next_phase_action,
            self.back_action,
            self.train_action,
            self.reset_action,
            self.gradient_check_action,
        ):
            act.setEnabled(not running)
        self.stop_action.setEnabled(running)
        self.controls.setEnabled(not running)

    @Slot()
    def _on_table_replaced(self) -> None:
        # New column names with the same number of inputs: only the labels change. (With another
        # number, the session rebuilds the network and says so through structureChanged.)
        if self.session.network.n_inputs == len(self.dataset.input_names):
            self._rebuild_diagram()

    @Slot(str)
    def _on_edit_rejected(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        index = self.table.currentIndex()
        if index.isValid():
            rect = self.table.visualRect(index)
            QToolTip.showText(self.table.viewport().mapToGlobal(rect.bottomLeft()), message, self.table)

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})

    def _show_notation_help(self) -> None:
        QMessageBox.information(
            self,
            "Notation",
            "w^k_ij is the weight from neuron i of layer k−1 to neuron j of layer k (the inputs are layer 0).\n"
            "b_kj is the bias of neuron j in layer k, and O_kj is that neuron's output.\n\n"
            "O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁\n"
            "ŷ = O₂₁ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁\n"
            "L = (y − ŷ)²,   w_new = w_old − η·∂L/∂w",
        )

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<b>{APP_TITLE}</b><p>Learn backpropagation on the course notes' network: step one row through "
            "the forward pass, the loss and the chain rule, and watch gradient descent train it.</p>",
        )

    # -- closing ---------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.document.maybe_save():
            event.ignore()
            return
        self.session.shutdown()
        super().closeEvent(event)
