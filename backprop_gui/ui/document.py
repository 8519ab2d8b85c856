"""The open lesson as a document: its file, whether it has unsaved changes, and the File menu.

New, Open, Open Recent, Open Example, Save, Save As, Import CSV and Export CSV live here;
the main window offers them as ``import_csv``, ``open_session``, ``save_session`` and
``open_path``. Every one either completes or shows why not and changes nothing.

Choices made here:
- Importing a CSV file replaces the table as one undoable edit ("Undo Import x.csv"); the
  imported columns are reordered so the target comes last, which is what the rest of the app
  expects (X = every column but the last, y = the last). The weights are kept unless the
  number of inputs changes, as for any other edit of the table; Reset starts afresh.
- Opening a session or New replaces everything and starts a fresh undo history.
- "Modified" means the table differs from its saved state (the undo stack is not clean) or
  the network, its settings or its loss history changed since the last save or open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from ..files import (
    SESSION_SUFFIX,
    CsvError,
    CsvTable,
    SessionData,
    SessionFileError,
    load_session,
    read_csv_table,
    save_session,
    write_csv_table,
)
from .dataset_model import NOTES_COLUMNS, NOTES_ROWS
from .import_dialog import ImportDialog, target_last
from .recent_files import RecentFiles
from .resources import resource_path

if TYPE_CHECKING:
    from .main_window import MainWindow

APP_TITLE = "Backprop GUI"
SESSION_FILTER = f"Backprop GUI sessions (*{SESSION_SUFFIX});;All files (*)"
CSV_FILTER = "CSV tables (*.csv *.tsv *.txt);;All files (*)"
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
MAX_INPUTS = 50
"""More input columns than this are refused (a table saved sideways, say): the diagram of even
16 inputs is crowded, though it draws and trains quickly up to hundreds."""

EXAMPLES = [
    ("notes_example.csv", "&Notes: IQ, CGPA → package (3 rows)"),
    ("placement.csv", "&Placement: IQ, CGPA → placed 0/1, for classification (40 rows)"),
    ("package_regression.csv", "Package &regression: IQ, CGPA → package (300 rows)"),
]


class SessionDocument(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self._window = window
        self.dataset = window.dataset
        self.session = window.session
        self.path: Path | None = None
        """The session file the window shows, or None while untitled."""
        self.recent = RecentFiles()
        self._default_settings = window.session.settings
        self._session_changed = False
        self._create_actions()
        self.dataset.undo_stack.cleanChanged.connect(self._update_title)
        for changed in (self.session.parametersChanged, self.session.historyChanged, self.session.settingsChanged):
            changed.connect(self._on_session_changed)
        self.session.trainingChanged.connect(self._on_training_changed)
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
            self.save_action, self.save_as_action, None, self.import_action, self.export_action, None,
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
            act.setEnabled(not self.session.is_training)
            act.triggered.connect(lambda checked=False, p=path: self.open_recent(p))
        if not paths:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear List", self.recent.clear)
        clear.setEnabled(bool(paths))

    # -- state --------------------------------------------------------------
    def is_modified(self) -> bool:
        return self._session_changed or not self.dataset.undo_stack.isClean()

    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def mark_unmodified(self) -> None:
        """Take the window's state as saved: no prompt on close until something changes."""
        self._session_changed = False
        self.dataset.undo_stack.setClean()
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
        if self.session.is_training:
            self._window.show_error(APP_TITLE, f"Stop training before you {what}.")
            return True
        return False

    def maybe_save(self) -> bool:
        """With unsaved changes, ask Save / Discard / Cancel; True when it is fine to go on."""
        if not self.is_modified() or not self._window.interactive:
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
        self.dataset.set_table(NOTES_ROWS, NOTES_COLUMNS)
        self.session.restore(self._default_settings)
        self._window.controls.show_settings(self.session.settings)
        self.path = None
        self.mark_unmodified()
        self._window.statusBar().showMessage("New session: the notes' table, with fresh weights.", 8000)
        return True

    def open_path(self, path: str | os.PathLike) -> bool:
        """Open a session file or import a CSV file, judged by its name and then its first character."""
        path = Path(path)
        if path.suffix.lower() in CSV_SUFFIXES:
            return self.import_csv(path)
        if path.suffix.lower() in (SESSION_SUFFIX, ".json") or _starts_with_brace(path):
            return self.open_session(path)
        return self.import_csv(path)

    def open_session(self, path: str | os.PathLike) -> bool:
        if self._refused_while_training("open a session"):
            return False
        try:
            data = load_session(path)
        except SessionFileError as error:
            self._window.show_error("Cannot open the session", str(error))
            return False
        if not self.maybe_save():
            return False
        self.dataset.set_table(data.values, data.column_names)
        self.session.restore(
            data.settings, data.weights, data.biases, data.initial_weights, data.initial_biases, data.loss_history
        )
        self._window.controls.show_settings(data.settings)
        self.path = Path(path).resolve()
        self.mark_unmodified()
        self.recent.add(self.path)
        epochs = len(data.loss_history)
        self._window.statusBar().showMessage(
            f"Opened {self.path.name}: {len(data.values):,} rows, {epochs:,} {'epoch' if epochs == 1 else 'epochs'} trained.", 8000
        )
        return True

    def open_recent(self, path: str) -> bool:
        if not Path(path).exists():
            self.recent.remove(path)
            self._window.show_error("Cannot open", f"{path} no longer exists; it has been taken off the recent list.")
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

    def session_data(self) -> SessionData:
        network = self.session.network
        weights, biases = network.get_parameters()
        initial_weights, initial_biases = self.session.initial_parameters
        return SessionData(
            column_names=self.dataset.column_names,
            values=self.dataset.values(),
            settings=self.session.settings,
            layer_sizes=list(network.layer_sizes),
            weights=weights,
            biases=biases,
            initial_weights=[w.copy() for w in initial_weights],
            initial_biases=[b.copy() for b in initial_biases],
            loss_history=self.session.loss_history.values.copy(),
        )

    def save_session(self, path: str | os.PathLike) -> bool:
        path = Path(path)
        existed = path.exists()
        try:
            save_session(path, self.session_data())
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            kept = f" The previous {path.name} is unchanged." if existed else ""
            self._window.show_error("Cannot save the session", f"Could not save {path}: {reason}.{kept}")
            return False
        self.path = path.resolve()
        self.mark_unmodified()
        self.recent.add(self.path)
        self._window.statusBar().showMessage(f"Saved {self.path}.", 8000)
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
                self._window.show_error("Cannot import the table", str(error))
                return False
        target = _target_index(table, target_column)
        if target is None:
            self._window.show_error(
                "Cannot import the table",
                f"{path.name} has no column {target_column!r}; its columns are {', '.join(table.column_names)}.",
            )
            return False
        if table.n_columns - 1 > MAX_INPUTS:
            self._window.show_error(
                "Cannot import the table",
                f"{path.name} has {table.n_columns - 1} input columns; Backprop GUI takes up to {MAX_INPUTS} inputs. "
                "Keep the columns you need in a spreadsheet and import again.",
            )
            return False
        names, values = target_last(table, target)
        self.dataset.replace_table(values, names, f"Import {path.name}")
        if remember:
            self.recent.add(path)
        inputs = names[:-1]
        listed = ", ".join(inputs) if len(inputs) <= 6 else f"{', '.join(inputs[:3])}, … {inputs[-1]} ({len(inputs)})"
        self._window.statusBar().showMessage(
            f"Imported {table.n_rows:,} rows from {path.name}: inputs {listed}; target {names[-1]}. "
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
            self._window.show_error("Cannot import the table", str(error))
            return
        target = self.choose_target(table, path.name)
        if target is not None:
            self._import(path, target, remember=True, table=table)

    def export_csv(self, path: str | os.PathLike) -> bool:
        path = Path(path)
        try:
            write_csv_table(path, self.dataset.column_names, self.dataset.values())
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self._window.show_error("Cannot export the table", f"Could not write {path}: {reason}.")
            return False
        self._window.statusBar().showMessage(f"Exported {self.dataset.rowCount():,} rows to {path}.", 8000)
        return True

    @Slot()
    def _export_dialog(self) -> None:
        stem = self.path.stem if self.path else "table"
        suggested = str(Path(self._folder()) / f"{stem}.csv")
        path, _ = QFileDialog.getSaveFileName(self._window, "Export CSV", suggested, CSV_FILTER)
        if path:
            self.export_csv(path if Path(path).suffix else path + ".csv")

    def _folder(self) -> str:
        return str(self.path.parent) if self.path else str(Path.home())


def _target_index(table: CsvTable, target: int | str | None) -> int | None:
    if target is None:
        return table.n_columns - 1
    if isinstance(target, str):
        return table.column_names.index(target) if target in table.column_names else None
    index = int(target)
    if -table.n_columns <= index < table.n_columns:
        return index % table.n_columns
    return None


def _starts_with_brace(path: Path) -> bool:
    """A JSON session starts with "{" (after a byte order mark and white space); a CSV table cannot."""
    try:
        with open(path, "rb") as file:
            start = file.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    return start.startswith(b"{")
