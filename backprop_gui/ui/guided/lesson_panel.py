"""The lesson panel beside the diagram: the page's title and text, its question with the answer
field, the verdict, what the page waits for, which controls it offers, and Back / Next.

It shows a ``Tutor`` (lesson/guided/tutor.py) and redraws from it whenever it changes; it holds
no state of its own beyond the field the student types in. With no lesson open it lists the
lessons to choose from.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...lesson.guided import CONTROLS, Tutor

WAITING_STYLE = "color: palette(mid);"


def _label(name: str, word_wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(word_wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LessonChooser(QWidget):
    """The built-in lessons, and a lesson file of one's own."""

    chosen = Signal(str)
    fileRequested = Signal()

    def __init__(self, lessons: list[tuple[str, object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("<b>Lessons</b>: the course notes, step by step. Choose one to begin.")
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("lessonList")
        for number, (title, path) in enumerate(lessons, start=1):
            item = QListWidgetItem(f"{number}. {title}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        self.list.itemActivated.connect(lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.open_button = QPushButton("Open Lesson")
        self.open_button.setObjectName("lessonOpenButton")
        self.open_button.clicked.connect(self._open_selected)
        self.file_button = QPushButton("Lesson File…")
        self.file_button.setObjectName("lessonFileButton")
        self.file_button.setToolTip("Open a lesson written as a Markdown file (docs/LESSONS.md says how)")
        self.file_button.clicked.connect(self.fileRequested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.file_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.setCurrentRow(0)

    def _open_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))


class LessonPanel(QWidget):
    closeRequested = Signal()
    handoutRequested = Signal()
    pageChanged = Signal(int)
    """The page on show changed (0-based), for the window to remember it."""

    def __init__(self, lessons: list[tuple[str, object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self.tutor: Tutor | None = None
        self._shown_page: tuple[int, int] | None = None
        self.chooser = LessonChooser(lessons)
        self.title = _label("lessonTitle")
        self.title.setStyleSheet("font-weight: bold; font-size: 120%;")
        self.progress = _label("lessonProgress", word_wrap=False)
        self.text = QTextBrowser()
        self.text.setObjectName("lessonText")
        self.text.setOpenExternalLinks(True)
        self.question = _label("lessonQuestion")
        self.question.setStyleSheet("font-weight: bold;")
        self.answer_input = QLineEdit()
        self.answer_input.setObjectName("lessonAnswerInput")
        self.answer_input.setPlaceholderText("your answer, e.g. 88 or −342")
        self.check_button = QPushButton("Check")
        self.check_button.setObjectName("lessonCheckButton")
        self.feedback = _label("lessonFeedback")
        self.waiting = _label("lessonWaiting")
        self.offered = _label("lessonControls")
        self.offered.setStyleSheet(WAITING_STYLE)
        self.back_button = QPushButton("Back")
        self.back_button.setObjectName("lessonBackButton")
        self.next_button = QPushButton("Next")
        self.next_button.setObjectName("lessonNextButton")
        self.next_button.setDefault(True)
        self.close_button = QPushButton("Close Lesson")
        self.close_button.setObjectName("lessonCloseButton")
        self.close_button.setToolTip("Leave the lesson: your own session comes back as it was")
        self.handout_button = QPushButton("Handout…")
        self.handout_button.setObjectName("lessonHandoutButton")
        self.handout_button.setToolTip("Every page with the engine's numbers, the questions, and the worked answers, as a PDF")
        self.handout_button.clicked.connect(self.handoutRequested.emit)
        self._lay_out()
        self.answer_input.returnPressed.connect(self.check)
        self.check_button.clicked.connect(self.check)
        self.next_button.clicked.connect(self.next)
        self.back_button.clicked.connect(self.back)
        self.close_button.clicked.connect(self.closeRequested.emit)

    def _lay_out(self) -> None:
        lesson_view = QWidget()
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_input, 1)
        answer_row.addWidget(self.check_button)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.handout_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(lesson_view)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.question)
        layout.addLayout(answer_row)
        layout.addWidget(self.feedback)
        layout.addWidget(self.waiting)
        layout.addWidget(self.offered)
        layout.addLayout(buttons)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chooser)
        self.stack.addWidget(lesson_view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    # -- following a tutor ------------------------------------------------------------
    def show_tutor(self, tutor: Tutor | None) -> None:
        if self.tutor is not None:
            self.tutor.changed.disconnect(self.refresh)
            self.tutor.lesson.running_changed.disconnect(self._on_running_changed)
        self.tutor = tutor
        if tutor is not None:
            tutor.changed.connect(self.refresh)
            tutor.lesson.running_changed.connect(self._on_running_changed)
        self.stack.setCurrentIndex(0 if tutor is None else 1)
        self.refresh()

    def refresh(self) -> None:
        tutor = self.tutor
        if tutor is None or tutor.page is None:
            return
        page = tutor.page
        self.title.setText(f"{tutor.guided.title}: {page.title}")
        self.progress.setText(tutor.progress_text())
        scroll = self.text.verticalScrollBar().value()
        self.text.setMarkdown(tutor.page_text())
        self.text.verticalScrollBar().setValue(scroll if self._same_page() else 0)
        asking = tutor.asked is not None
        for widget in (self.question, self.answer_input, self.check_button):
            widget.setVisible(asking)
        self.question.setText(page.question or "")
        self.answer_input.setEnabled(asking and not tutor.resolved)
        self.check_button.setEnabled(asking and not tutor.resolved)
        self._show_feedback()
        self._show_waiting()
        offered = ", ".join(CONTROLS[name] for name in page.controls) or "none"
        state = "hidden" if page.others == "hidden" else "locked"
        self.offered.setText(f"Controls on this page: {offered}. Every other control is {state} until the lesson closes.")
        running = tutor.lesson.is_running
        self.next_button.setEnabled(tutor.can_go_next and not running)
        self.back_button.setEnabled(tutor.can_go_back and not running)
        self.next_button.setText("Next" if tutor.page_index < tutor.n_pages - 1 else "Last page")

    def _same_page(self) -> bool:
        same = self._shown_page == (id(self.tutor), self.tutor.page_index)
        self._shown_page = (id(self.tutor), self.tutor.page_index)
        return same

    def _show_feedback(self) -> None:
        check = self.tutor.last_check
        self.feedback.setVisible(check is not None)
        if check is None:
            return
        self.feedback.setText(check.message)
        self.feedback.setProperty("correct", bool(check.correct))
        self.feedback.setStyleSheet("color: #1a7f37;" if check.correct else "color: #b3261e;")

    def _show_waiting(self) -> None:
        page = self.tutor.page
        if page.wait is None:
            self.waiting.hide()
            return
        self.waiting.show()
        done = self.tutor.waited
        what = page.wait.describe()
        self.waiting.setText(f"Done: {what} ✓  Press Next." if done else f"To go on: {what}.")

    # -- the student's actions ----------------------------------------------------------
    def check(self) -> None:
        if self.tutor is None or self.tutor.asked is None or self.tutor.resolved:
            return
        self.tutor.check_answer(self.answer_input.text())
        if self.tutor.resolved:
            self.answer_input.clear()

    def next(self) -> None:
        if self.tutor is not None and not self.tutor.lesson.is_running and self.tutor.next():
            self.pageChanged.emit(self.tutor.page_index)

    def back(self) -> None:
        if self.tutor is not None and self.tutor.back():
            self.pageChanged.emit(self.tutor.page_index)

    def _on_running_changed(self, running: bool) -> None:
        self.refresh()
