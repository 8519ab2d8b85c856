"""A guided lesson in the window: opening it, walking it, and leaving it (Help > Lessons goes
through guided_lessons.py, which makes this when a lesson is first wanted).

Opening checks the whole file first (every page built headless, lesson/guided/validation.py); a
file that fails changes nothing. Then the user's own session is put aside, the lesson panel
shows beside the diagram, and each page's controls are closed by the ControlGate. Closing the
lesson gives every control back and puts the user's session back as it was. The page reached is
remembered (QSettings), and reopening a lesson resumes there, the page rebuilt from the file.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QTextDocument, QUndoStack
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog

from ...lesson import UndoHistory
from ...lesson.guided import CONTROLS, LessonFileError, Tutor, builtin_lessons, check_lesson_file, find_lesson
from ...files import atomic_write_text
from ...lesson.guided.authoring import add_page
from ...lesson.guided.handout import lesson_handout_markdown
from ..window.app_settings import settings_store
from ..document.handout_pdf import write_pdf
from .control_gate import ControlGate
from .lesson_panel import LessonPanel

PROGRESS_GROUP = "guidedLessons"
LESSON_FILTER = "Lessons (*.md *.markdown *.txt);;All files (*)"
HANDOUT_FILTER = "PDF (*.pdf);;Markdown (*.md)"


def progress_key(path: Path) -> str:
    """A settings key for a lesson file: its name and a checksum of its full path."""
    resolved = str(Path(path).resolve())
    stem = "".join(ch if ch.isalnum() else "_" for ch in Path(path).stem)
    return f"{PROGRESS_GROUP}/{stem}_{zlib.crc32(resolved.encode('utf-8')):08x}"


ROOM_FOR_A_LEFT_DOCK = 1400
"""A narrower window has no width for a third column: the diagram's labels and the form would not fit."""


class LessonSession(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.gate = ControlGate(window)
        self.tutor: Tutor | None = None
        self.path: Path | None = None
        self.panel: LessonPanel | None = None
        self.dock: QDockWidget | None = None
        self._saved = None
        """The user's own session while a lesson is open: (SessionData, path, modified, the table's
        undo history, the weight edits' undo stack, the step log)."""
        self._gated_page = -1

    # -- the dock ----------------------------------------------------------------------
    def _ensure_panel(self) -> LessonPanel:
        """The panel and its dock, made when first needed (reading the lessons costs start-up time)."""
        if self.panel is None:
            self.panel = LessonPanel(builtin_lessons())
            self.panel.chooser.chosen.connect(self.open_lesson)
            self.panel.chooser.fileRequested.connect(self._open_file_dialog)
            self.panel.closeRequested.connect(self.close_lesson)
            self.panel.pageChanged.connect(self._remember_page)
            self.panel.handoutRequested.connect(self._handout_dialog)
            self.dock = QDockWidget("Lesson", self.window)
            self.dock.setObjectName("lessonDock")
            self.dock.setWidget(self.panel)
            self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            if self.window.width() >= ROOM_FOR_A_LEFT_DOCK:
                self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
                self.window.resizeDocks([self.dock], [360], Qt.Orientation.Horizontal)
            else:  # a 1024- or 1366-pixel screen: beside the diagram, a tab in the right column
                self.window.tabifyDockWidget(self.window.docks["training"], self.dock)
        return self.panel

    def show_lessons(self) -> None:
        """Help > Lessons: the lesson on show, or the list to choose from."""
        self._ensure_panel()
        self.dock.show()
        self.dock.raise_()

    def _open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a Lesson", "", LESSON_FILTER)
        if path:
            self.open_lesson(path)

    def add_page_dialog(self) -> None:
        options = QFileDialog.Option.DontConfirmOverwrite  # the page is added to the file, not written over it
        path, _ = QFileDialog.getSaveFileName(self.window, "Add a Page to a Lesson", "", LESSON_FILTER, options=options)
        if not path:
            return
        title, ok = QInputDialog.getText(self.window, "Add a Page", "The page's title:")
        if ok:
            self.add_page(path, title)

    def add_page(self, path, title: str) -> bool:
        """Write the setup on screen as a new page of the lesson file at ``path``, offering the
        controls open now (all of them outside a lesson)."""
        window = self.window
        if window.lesson.is_running:
            window.show_error("Lesson", "Stop training before you add a page from the setup.")
            return False
        controls = [name for name in CONTROLS if not self.gate.is_closed(name)]
        try:
            number = add_page(path, window.lesson, title, controls)
        except LessonFileError as error:
            window.show_error("Lesson", f"The page was not added: {error}")
            return False
        window.statusBar().showMessage(f"Added page {number} to {Path(path).name}: write its text in an editor.", 10000)
        return True

    def _handout_dialog(self) -> None:
        if self.tutor is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.window, "Lesson Handout", f"{self.path.stem}.pdf", HANDOUT_FILTER)
        if path:
            self.export_handout(path)

    def export_handout(self, path) -> bool:
        """The open lesson's pages, questions and worked answers as a PDF (or Markdown) handout."""
        if self.tutor is None:
            return False
        markdown = lesson_handout_markdown(self.tutor.guided)
        try:
            if str(path).lower().endswith(".md"):
                atomic_write_text(path, markdown)
            else:
                document = QTextDocument()
                document.setMarkdown(markdown)
                document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, self.tutor.guided.title)
                write_pdf(path, document.toHtml())
        except OSError as error:
            self.window.show_error("Lesson", f"Cannot write {path}: {error.strerror or error}")
            return False
        self.window.statusBar().showMessage(f"Wrote the handout of “{self.tutor.guided.title}” to {Path(path).name}.", 8000)
        return True

    # -- opening and closing -------------------------------------------------------------
    def open_lesson(self, name_or_path) -> bool:
        """Open a lesson by built-in title or file name, or from a file; False (with a message, and
        nothing changed) if it cannot be opened."""
        window = self.window
        if window.lesson.is_running:
            window.show_error("Lesson", "Stop training before you open a lesson.")
            return False
        try:
            path = find_lesson(name_or_path)
            guided = check_lesson_file(path)
        except LessonFileError as error:
            window.show_error("Lesson", f"This lesson cannot be opened: {error}")
            return False
        if self.tutor is not None:
            self._leave_tutor()
        else:
            self._set_aside_user_session()
        self.path = Path(path)
        self.tutor = Tutor(guided, window.lesson, window.cursor)
        self.tutor.changed.connect(self._on_tutor_changed)
        stored = settings_store().value(progress_key(self.path), 0)
        start = min(max(int(stored) if str(stored).isdigit() else 0, 0), self.tutor.n_pages - 1)
        panel = self._ensure_panel()
        self.tutor.open_page(start)
        panel.show_tutor(self.tutor)
        self.show_lessons()
        window.statusBar().showMessage(f"Lesson: {guided.title}, {self.tutor.progress_text()}.", 8000)
        return True

    def close_lesson(self) -> None:
        """Leave the lesson: every control back, and the user's own session as it was."""
        if self.tutor is None:
            return
        self._stop_run()
        self._leave_tutor()
        saved, self._saved = self._saved, None
        if self.panel is not None:
            self.panel.show_tutor(None)
        window = self.window
        data, path, modified, history, stack, step_log = saved
        window.cursor.clear()
        lesson = window.lesson
        lesson.load(data)  # clears the lesson's own undo history, not the user's
        # The step log too, so Back takes the user's own steps back as before the lesson.
        lesson.step_log[:] = step_log
        last = step_log[-1] if step_log else None
        lesson.last_record = last.record if last is not None and last.kind == "step" else None
        lesson.step_log_changed.emit()
        lesson.table.history = history
        window.parameter_editing.undo_stack = stack
        window.document.path = path
        if not modified:
            window.document.mark_unmodified()
        window.document._update_title()
        window.statusBar().showMessage("Lesson closed: your own session is back.", 8000)

    @property
    def is_open(self) -> bool:
        return self.tutor is not None

    # -- internals -----------------------------------------------------------------------
    def _set_aside_user_session(self) -> None:
        """Keep the user's session, and its undo history out of the lesson's reach: the lesson's
        table edits and weight edits go to histories of their own while it is open."""
        window = self.window
        self._saved = (window.lesson.session_data(), window.document.path, window.document.is_modified(),
                       window.lesson.table.history, window.parameter_editing.undo_stack, list(window.lesson.step_log))  # fmt: skip
        window.lesson.table.history = UndoHistory()
        window.parameter_editing.undo_stack = QUndoStack(self)
        # A page that offers the files must not save the lesson's state over the user's session file.
        window.document.path = None
        window.document._update_title()

    def _leave_tutor(self) -> None:
        self.tutor.changed.disconnect(self._on_tutor_changed)
        self.tutor.close()
        self.tutor, self.path, self._gated_page = None, None, -1
        self.gate.release()

    def _stop_run(self) -> None:
        """End a training run of the lesson's page before its state goes."""
        runner = self.window.runner
        if not self.window.lesson.is_running:
            return
        loop = QEventLoop()
        runner.trainingFinished.connect(loop.quit)
        runner.stop()
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
        runner.trainingFinished.disconnect(loop.quit)

    def _on_tutor_changed(self) -> None:
        tutor = self.tutor
        if tutor is None or tutor.page_index == self._gated_page:
            return
        self._gated_page = tutor.page_index
        # Undo and Redo stay locked on every page: their history is the user's own session's.
        self.gate.close_controls([*tutor.closed_controls(), "undo"], hidden=tutor.page.others == "hidden")
        self._remember_page(tutor.page_index)

    def _remember_page(self, index: int) -> None:
        if self.path is not None:
            settings_store().setValue(progress_key(self.path), index)
