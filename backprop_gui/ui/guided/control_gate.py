"""Locking and hiding the window's controls while a lesson page is on, and giving them back.

Each control a lesson file can name (lesson/guided/lesson_file.py, CONTROLS) is a set of widgets
and QActions of the window. A closed control's widgets are disabled (or hidden) and its actions
disabled, so neither a click, a menu nor a shortcut reaches it. The window's own code enables
widgets as settings change (the batch size box with mini-batches, the buttons after a run): the
gate watches every closed widget and action and closes it again at once, for as long as the page
is on. ``release`` gives every control back and lets its owner set its state afresh.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QWidget

from ...lesson.guided import CONTROLS


def control_map(window) -> dict[str, tuple[list[QWidget], list[QAction]]]:
    """Every control of CONTROLS as the window's widgets and actions."""
    a, c, doc, table = window.actions, window.controls, window.document, window.table_actions
    return {
        "step": ([window.step_button], [a.step_action]),
        "next_phase": ([window.next_phase_button], [a.next_phase_action]),
        "back": ([window.back_button], [a.back_action]),
        "train": ([window.train_button, window.stop_button], [a.train_action, a.stop_action]),
        "reset": ([window.reset_button], [a.reset_action]),
        "gradient_check": ([window.gradient_check_button], [a.gradient_check_action]),
        "practice": ([], [a.practice_action, a.known_answer_action]),
        "task": ([c.task], []),
        "architecture": ([c.architecture], []),
        "activations": ([c.hidden_activation, c.output_activation], []),  # the per-layer row follows the first
        "init": ([c.init, c.seed, c.new_weights], []),
        "learning_rate": ([c.learning_rate], []),
        "epochs": ([c.epochs], []),
        "updates": ([c.mode, c.batch_size], []),
        "optimizer": ([c.optimizer, c.momentum], []),
        "regularisation": ([c.l2, c.l1], []),
        "validation": ([c.validation, c.patience], []),
        "order": ([c.order], []),
        "scaling": ([c.scaling], []),
        "stop_early": ([c.stop_at_convergence, c.tolerance], []),
        "table": ([], [table.paste_action, table.insert_above_action, table.insert_below_action, table.add_row_action,
                       table.delete_rows_action, table.clear_action]),  # fmt: skip
        "weights": ([window.nudge_panel], [window.nudge_panel.up_action, window.nudge_panel.down_action]),
        "undo": ([], [window.undo_action, window.redo_action]),
        "files": ([], [doc.new_action, doc.open_action, doc.save_action, doc.save_as_action, doc.import_action,
                       doc.recent_menu.menuAction(), doc.examples_menu.menuAction(), a.notes_example_action]),  # fmt: skip
        "predict": ([window.data_panel.prediction_panel], []),
    }
ALWAYS_HIDDEN = ("predict", "weights")
"""Controls hidden when closed even on a page that locks the others: they show answers (the
prediction's ŷ, the nudge strip's L and ∂L/∂w for the next row)."""


class ControlGate(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controls = control_map(window)
        missing = set(CONTROLS) - set(self.controls)
        assert not missing, f"controls without widgets: {missing}"  # a new control needs its widgets here
        self.closed: list[str] = []
        self.hidden = False
        self._widgets: list[QWidget] = []
        self._hide: list[QWidget] = []
        self._actions: list[QAction] = []
        self._edit_triggers = None

    # -- closing and opening ------------------------------------------------------
    def close_controls(self, names, hidden: bool = False) -> None:
        """Lock (or hide) the controls ``names``; every other one is given back."""
        self.release()
        self.closed, self.hidden = list(names), hidden
        for name in self.closed:
            widgets, actions = self.controls[name]
            self._widgets += widgets
            self._actions += actions
        self._hide = [w for name in self.closed for w in self.controls[name][0] if hidden or name in ALWAYS_HIDDEN]
        for widget in self._widgets:
            widget.installEventFilter(self)
            widget.setEnabled(False)
            if widget in self._hide:
                widget.hide()
        for action in self._actions:
            action.changed.connect(self._keep_closed)
            action.setEnabled(False)
            if hidden:
                action.setVisible(False)
        if "table" in self.closed:
            view = self.window.table
            self._edit_triggers = view.editTriggers()
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if "weights" in self.closed:
            self.window.parameter_editing.locked = "weights and biases are set by the lesson on this page"
        if "files" in self.closed:
            self.window.setAcceptDrops(False)

    def release(self) -> None:
        """Give every control back; their owners set their enabled state afresh."""
        widgets, actions = self._widgets, self._actions
        self._widgets, self._actions, self._hide, self.closed = [], [], [], []
        for widget in widgets:
            widget.removeEventFilter(self)
            widget.setEnabled(True)
            widget.setVisible(True)
        for action in actions:
            action.changed.disconnect(self._keep_closed)
            action.setVisible(True)
            action.setEnabled(True)
        if self._edit_triggers is not None:
            self.window.table.setEditTriggers(self._edit_triggers)
            self._edit_triggers = None
        self.window.parameter_editing.locked = None
        self.window.setAcceptDrops(True)
        if widgets or actions:
            self._refresh_owners()

    def is_closed(self, name: str) -> bool:
        return name in self.closed

    # -- keeping them closed --------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched in self._widgets:
            if kind == QEvent.Type.EnabledChange and watched.isEnabled():
                watched.setEnabled(False)
            elif kind == QEvent.Type.Show and watched in self._hide:
                watched.hide()
        return False

    def _keep_closed(self) -> None:
        for action in self._actions:
            if action.isEnabled():
                action.setEnabled(False)
            if self.hidden and action.isVisible():
                action.setVisible(False)

    def _refresh_owners(self) -> None:
        window = self.window
        running = window.lesson.is_running
        window.controls.refresh()
        window.controls.architecture.set_layers(window.lesson.settings.hidden_layers)
        window.actions._on_running_changed(running)
        window.document._on_training_changed(running)
        window.undo_action.setEnabled(window.undo_stack.canUndo())
        window.redo_action.setEnabled(window.undo_stack.canRedo())
        window.nudge_panel._on_cursor_changed()
