"""The open lesson as a document: its file, whether it has unsaved changes, and the File menu.

New, Open, Open Recent, Open Example, Save, Save As, Import CSV, Export CSV and Export Step Log
live here. Every one either completes or shows why not and changes nothing.

Choices made here:
- Importing a CSV file replaces the table as one undoable edit ("Undo Import x.csv"); the
  imported columns are reordered so the target comes last, which is what the rest of the app
  expects (X = every column but the last, y = the last). The network starts afresh for the
  new table; Back brings a trained one back.
- Opening a session or New replaces everything and starts a fresh undo history.
- "Modified" means the table differs from its saved state (the undo stack is not clean) or
  the network, its settings or its loss history changed since the last save or open.
"""

from __future__ import annotations

import os
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from ...files import (
    SESSION_SUFFIX,
    CsvError,
    CsvTable,
    SessionFileError,
    load_session,
    read_csv_table,
    save_session,
    write_csv_table,
)
from ...files.step_log_csv import write_step_log
from ...lesson import NOTES_COLUMNS, NOTES_ROWS, Lesson
from ...lesson.table_import import columns_for_lesson
from ..widgets.feedback import Feedback
from ..dialogs.import_dialog import ImportDialog
from .recent_files import RecentFiles
from ...files.file_kinds import is_session_file
from ...files.resources import resource_path

APP_TITLE = "Backprop GUI"
SESSION_FILTER = f"Backprop GUI sessions (*{SESSION_SUFFIX});;All files (*)"
CSV_FILTER = "CSV tables (*.csv *.tsv *.txt);;All files (*)"
EXAMPLES = [
    ("notes_example.csv", "&Notes: IQ, CGPA → package (3 rows)"),
    ("placement.csv", "&Placement: IQ, CGPA → placed 0/1, for classification (40 rows)"),
    ("package_regression.csv", "Package &regression: IQ, CGPA → package (300 rows)"),
    ("overfitting.csv", "Over&fitting: x → noisy y (20 rows; try 8, 8 tanh neurons, Adam, 30% validation)"),
]


class SessionDocument(QObject):
    unmodified = Signal()  # taken as saved (a save, an open, New): autosave counts afresh

    def __init__(self, lesson: Lesson, undo_stack: QUndoStack, feedback: Feedback) -> None:
        super().__init__(feedback.window)
        self._window = feedback.window
        self.feedback = feedback
        self.lesson = lesson
        self.undo_stack = undo_stack
        self.path: Path | None = None
        """The session file the window shows, or None while untitled."""
        self.recent = RecentFiles()
        self._default_settings = lesson.settings
        self._session_changed = False
        self._create_actions()
        undo_stack.cleanChanged.connect(self._update_title)
        for changed in (lesson.parameters_changed, lesson.history_changed, lesson.settings_changed):
            changed.connect(self._on_session_changed)
        lesson.running_changed.connect(self._on_training_changed)
        self._update_title()

    # -- menu -------------------------------------------------------------
    def _create_actions(self) -> None:
        window = self._window

        def action(text: str, shortcut, tip: str, slot) -> QAction:
            act = QAction(text, window)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.new_action = action(
            "&New", QKeySequence.StandardKey.New, "Start again from the notes' table with fresh weights", self.new_session
        )
        self.open_action = action("&Open…", QKeySequence.StandardKey.Open, "Open a saved session", self._open_dialog)
        self.save_action = action("&Save", QKeySequence.StandardKey.Save, "Save the session", self.save)
        self.save_as_action = action(
            "Save &As…", QKeySequence.StandardKey.SaveAs, "Save the session under a new name", self.save_as
        )
        self.import_action = action(
            "&Import CSV…", "Ctrl+I", "Replace the table with a CSV file's (undoable)", self._import_dialog
        )
        self.export_action = action("&Export CSV…", "Ctrl+E", "Write the table to a CSV file", self._export_dialog)
        self.export_log_action = action(
            "Export Step &Log…", None, "Save every step with its loss, parameters and gradients as a CSV file",
            self._export_step_log_dialog,
        )  # fmt: skip
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.examples_menu = QMenu("Open E&xample", window)
        for file_name, text in EXAMPLES:
            act = self.examples_menu.addAction(text)
            act.setStatusTip(f"Import the example table {file_name}")
            act.triggered.connect(lambda checked=False, name=file_name: self.open_example(name))
        self._replacing_actions = [self.new_action, self.open_action, self.import_action]

    def add_to_menu(self, menu: QMenu, before: QAction | None = None) -> None:
        """Put the file actions into ``menu`` (the File menu), above ``before``."""
        items = [
            self.new_action, self.open_action, self.recent_menu, self.examples_menu, None,
            self.save_action, self.save_as_action, None, self.import_action, self.export_action,
            self.export_log_action, None,
        ]  # fmt: skip
        for item in items:
            if item is None:
                menu.insertSeparator(before) if before else menu.addSeparator()
            elif isinstance(item, QMenu):
                menu.insertMenu(before, item) if before else menu.addMenu(item)
            else:
                menu.insertAction(before, item) if before else menu.addAction(item)

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            act = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            act.setStatusTip(path)
            act.setToolTip(path)
            act.setEnabled(not self.lesson.is_running)
            act.triggered.connect(lambda checked=False, p=path: self.open_recent(p))
        if not paths:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear List", self.recent.clear)
        clear.setEnabled(bool(paths))

    # -- state --------------------------------------------------------------
    def is_modified(self) -> bool:
        return self._session_changed or not self.undo_stack.isClean()

    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def mark_unmodified(self) -> None:
        """Take the window's state as saved: no prompt on close until something changes."""
        self._session_changed = False
        self.undo_stack.setClean()
        self._update_title()
        self.unmodified.emit()

    def mark_modified(self) -> None:  # a recovered lesson: unsaved, prompting on close
        self._session_changed = True
        self._update_title()

    @Slot()
    def _on_session_changed(self) -> None:
        if not self._session_changed:
            self._session_changed = True
            self._update_title()

    @Slot()
    def _update_title(self, *args) -> None:
        if not shiboken6.isValid(self._window):
            return  # the undo stack says "clean" once more while the window is being destroyed
        self._window.setWindowTitle(f"{self.display_name()}[*] — {APP_TITLE}")
        self._window.setWindowModified(self.is_modified())

    @Slot(bool)
    def _on_training_changed(self, running: bool) -> None:
        for act in self._replacing_actions:
            act.setEnabled(not running)
        self.examples_menu.setEnabled(not running)

    def _refused_while_training(self, what: str) -> bool:
        if self.lesson.is_running:
            self.feedback.error(APP_TITLE, f"Stop training before you {what}.")
            return True
        return False

    def maybe_save(self) -> bool:
        """With unsaved changes, ask Save / Discard / Cancel; True when it is fine to go on."""
        if not self.is_modified() or not self.feedback.interactive:
            return True
        answer = QMessageBox.question(
            self._window,
            "Unsaved changes",
            f"“{self.display_name()}” has changes that are not saved.\n\nSave them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- new, open ----------------------------------------------------------
    @Slot()
    def new_session(self) -> bool:
        if self._refused_while_training("start a new session") or not self.maybe_save():
            return False
        self.lesson.start_afresh(self._default_settings, NOTES_ROWS, NOTES_COLUMNS)
        self.path = None
        self.mark_unmodified()
        self.feedback.status("New session: the notes' table, with fresh weights.")
        return True

    def open_path(self, path: str | os.PathLike) -> bool:
        """Open a session file or import a CSV file, judged by its name and then its first character."""
        path = Path(path)
        return self.open_session(path) if is_session_file(path) else self.import_csv(path)

    def open_session(self, path: str | os.PathLike) -> bool:
        if self._refused_while_training("open a session"):
            return False
        try:
            data = load_session(path)
        except SessionFileError as error:
            self.feedback.error("Cannot open the session", str(error))
            return False
        if not self.maybe_save():
            return False
        try:
            self.lesson.load(data)
        except (ValueError, TypeError) as error:  # the lesson's own checks (kept runs); nothing changed
            self.feedback.error("Cannot open the session", f"{Path(path).name} cannot be opened: {error}.")
            return False
        self.path = Path(path).resolve()
        self.mark_unmodified()
        self.recent.add(self.path)
        epochs = len(data.loss_history)
        self.feedback.status(f"Opened {self.path.name}: {_count(len(data.values), 'row')}, {_count(epochs, 'epoch')} trained.")
        return True

    def open_recent(self, path: str) -> bool:
        if not Path(path).exists():
            self.recent.remove(path)
            self.feedback.error("Cannot open", f"{path} no longer exists; it has been taken off the recent list.")
            return False
        return self.open_path(path)

    def open_example(self, file_name: str) -> bool:
        return self._import(resource_path(file_name), None, remember=False)

    @Slot()
    def _open_dialog(self) -> None:
        if self._refused_while_training("open a session"):
            return
        path, _ = QFileDialog.getOpenFileName(self._window, "Open Session", self._folder(), SESSION_FILTER)
        if path:
            self.open_path(path)

    # -- save -----------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        return self.save_session(self.path) if self.path else self.save_as()

    @Slot()
    def save_as(self) -> bool:
        suggested = str(Path(self._folder()) / (self.path.name if self.path else f"Untitled{SESSION_SUFFIX}"))
        path, _ = QFileDialog.getSaveFileName(self._window, "Save Session As", suggested, SESSION_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += SESSION_SUFFIX
        return self.save_session(path)

    def save_session(self, path: str | os.PathLike) -> bool:
        path = Path(path)
        existed = path.exists()
        try:
            save_session(path, self.lesson.session_data())
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            kept = f" The previous {path.name} is unchanged." if existed else ""
            self.feedback.error("Cannot save the session", f"Could not save {path}: {reason}.{kept}")
            return False
        self.path = path.resolve()
        self.mark_unmodified()
        self.recent.add(self.path)
        self.feedback.status(f"Saved {self.path}.")
        return True

    # -- CSV ------------------------------------------------------------------
    def import_csv(self, path: str | os.PathLike, target_column: int | str | None = None) -> bool:
        """Replace the table with a CSV file's; the target is the last column unless named or numbered."""
        return self._import(Path(path), target_column, remember=True)

    def _import(self, path: Path, target_column, remember: bool, table: CsvTable | None = None) -> bool:
        if self._refused_while_training("import a table"):
            return False
        if table is None:
            try:
                table = read_csv_table(path)
            except CsvError as error:
                self.feedback.error("Cannot import the table", str(error))
                return False
        try:
            names, values = columns_for_lesson(table, target_column, path.name)
            self.lesson.table.replace(values, names, f"Import {path.name}")
        except ValueError as error:  # ImportRefused, or a CellError of a value out of range
            self.feedback.error("Cannot import the table", str(error))
            return False
        if remember:
            self.recent.add(path)
        inputs = names[:-1]
        listed = ", ".join(inputs) if len(inputs) <= 6 else f"{', '.join(inputs[:3])}, … {inputs[-1]} ({len(inputs)})"
        self.feedback.status(
            f"Imported {_count(table.n_rows, 'row')} from {path.name}: inputs {listed}; target {names[-1]}. "
            "Undo (Ctrl+Z) puts the previous table back.",
            15000,
        )
        return True

    def choose_target(self, table: CsvTable, file_name: str) -> int | None:
        """Ask which column is the target (the import dialog); None if cancelled."""
        dialog = ImportDialog(table, file_name, self._window)
        try:
            return dialog.target_column() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    @Slot()
    def _import_dialog(self) -> None:
        if self._refused_while_training("import a table"):
            return
        chosen, _ = QFileDialog.getOpenFileName(self._window, "Import CSV", self._folder(), CSV_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        try:
            table = read_csv_table(path)
        except CsvError as error:
            self.feedback.error("Cannot import the table", str(error))
            return
        target = self.choose_target(table, path.name)
        if target is not None:
            self._import(path, target, remember=True, table=table)

    def export_csv(self, path: str | os.PathLike) -> bool:
        path = Path(path)
        try:
            write_csv_table(path, self.lesson.table.column_names, self.lesson.table.values())
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.feedback.error("Cannot export the table", f"Could not write {path}: {reason}.")
            return False
        self.feedback.status(f"Exported {_count(self.lesson.table.n_rows, 'row')} to {path}.")
        return True

    def export_step_log(self, path) -> bool:
        """Write every logged step to a CSV file (atomically); False, with the reason shown, if it cannot."""
        records = [entry.record for entry in self.lesson.step_log if entry.kind == "step"]
        if not records:
            self.feedback.error("Export Step Log", "There are no steps to export yet: press Step first.")
            return False
        try:
            write_step_log(path, records, self.lesson.network.layer_sizes)
        except OSError as error:
            self.feedback.error("Export Step Log", f"Could not write {path}: {error.strerror or error}.")
            return False
        self.feedback.status(f"Exported {_count(len(records), 'step')} to {path}.")
        return True

    @Slot()
    def _export_step_log_dialog(self) -> None:
        suggested = str(Path(self._folder()) / "step-log.csv")
        path, _ = QFileDialog.getSaveFileName(self._window, "Export Step Log", suggested, "CSV files (*.csv)")
        if path:
            self.export_step_log(path)

    @Slot()
    def _export_dialog(self) -> None:
        stem = self.path.stem if self.path else "table"
        suggested = str(Path(self._folder()) / f"{stem}.csv")
        path, _ = QFileDialog.getSaveFileName(self._window, "Export CSV", suggested, CSV_FILTER)
        if path:
            self.export_csv(path if Path(path).suffix else path + ".csv")

    def _folder(self) -> str:
        """Where file dialogs start: the session's folder, else the folder of the last file opened,
        saved or imported (the recent list, kept between runs), else the home folder."""
        if self.path:
            return str(self.path.parent)
        for recent in self.recent.paths()[:1]:
            if Path(recent).parent.is_dir():
                return str(Path(recent).parent)
        return str(Path.home())


def _count(n: int, noun: str) -> str:
    """ "1 row", "2,000 rows" """
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
