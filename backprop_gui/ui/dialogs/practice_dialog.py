"""Training > Practice: the student works a step by hand, phase by phase, and the app checks each number."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...engine.activations import hidden_activation_text
from ...engine.notation import all_parameters, format_number
from ...lesson import CellError, Lesson, parse_cell
from ...lesson.practice import Practice

TEXT_PIXELS = 17


class PracticeDialog(QDialog):
    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceDialog")
        self.setWindowTitle("Practice: work a step by hand")
        self.resize(900, 640)
        self.lesson = lesson
        self.practice: Practice | None = None
        self._seed = 0
        self._revealed: list = []
        """The phases whose worked lines are on show."""

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPixelSize(TEXT_PIXELS)
        self.worked = QTextBrowser()
        self.worked.setObjectName("practiceWorked")
        self.worked.setFont(font)
        self.worked.setToolTip("The exercise's numbers, and each phase once it is answered")
        self.question = QLabel()
        self.question.setObjectName("practiceQuestion")
        self.question.setWordWrap(True)
        self.question.setFont(font)
        self.choice = QComboBox()
        self.choice.setObjectName("practiceChoice")
        self.choice.setToolTip("Which quantity of this phase to compute: the app picks one at random, or choose")
        self.choice.activated.connect(lambda: self._choose(self.choice.currentText()))
        self.answer_input = QLineEdit()
        self.answer_input.setObjectName("practiceAnswerInput")
        self.answer_input.setPlaceholderText("your number, e.g. −342 or 0.25")
        self.answer_input.returnPressed.connect(self.check)
        self.check_button = QPushButton("Check")
        self.check_button.clicked.connect(self.check)
        self.next_button = QPushButton("Next Phase")
        self.next_button.clicked.connect(self.next_phase)
        self.new_button = QPushButton("New Exercise")
        self.new_button.setToolTip("Other seeded random weights, another row and another η")
        self.new_button.clicked.connect(self.new_exercise)
        for button in (self.check_button, self.next_button, self.new_button):
            button.setAutoDefault(False)  # Return in the answer field checks once, not twice
        self.feedback = QLabel()
        self.feedback.setObjectName("practiceFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score = QLabel()
        self.score.setObjectName("practiceScore")

        row = QHBoxLayout()
        row.addWidget(QLabel("Compute"))
        row.addWidget(self.choice)
        row.addWidget(self.answer_input, 1)
        row.addWidget(self.check_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.score, 1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.worked, 1)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)

    # -- actions ------------------------------------------------------------------
    def start(self) -> bool:
        """A new session on the lesson's table and settings; False, with a message, if it cannot."""
        lesson, table = self.lesson, self.lesson.table
        if table.n_rows == 0:
            self.feedback.setText("The table is empty: add a row to practise on.")
            return False
        # The inputs as the network sees them, to two decimals so they can be worked by hand.
        inputs = np.round(lesson.scaler().transform(table.inputs()), 2)
        self.practice = Practice(lesson.settings, inputs, table.targets(), table.input_names, table.target_name, self._seed)
        self._show_exercise()
        return True

    @Slot()
    def new_exercise(self) -> None:
        if self.practice is None:
            self.start()
            return
        self.practice.new_exercise()
        self._show_exercise()

    @Slot()
    def check(self) -> None:
        try:
            value = parse_cell(self.answer_input.text())
        except CellError as error:
            self.feedback.setText(f"Type a number: {error}.")
            return
        verdict = self.practice.answer(value)
        self.feedback.setText(("✓ " if verdict.correct else "✗ ") + verdict.message)
        self.score.setText(self.practice.score_text())
        self._reveal(self.practice.phase)

    @Slot()
    def next_phase(self) -> None:
        self._reveal(self.practice.phase)
        if self.practice.next_phase() is None:
            self.feedback.setText("That was the whole step. New Exercise gives another.")
            return
        self._show_question()

    # -- showing --------------------------------------------------------------------
    def _show_exercise(self) -> None:
        exercise = self.practice.exercise
        e = exercise.explainer
        weights = [f"{ref.name} = {format_number(e.values(ref)[0])}" for ref in all_parameters(e.layer_sizes)]
        lines = [f"Network {'-'.join(map(str, e.layer_sizes))}, hidden {hidden_activation_text(e.hidden_activation)}, output "
                 f"{e.output_activation}, loss {e.loss}, η = {format_number(exercise.learning_rate)}",  # fmt: skip
                 *e.pick_lines(), "Weights and biases: " + ", ".join(weights), ""]
        self._revealed = []
        self.worked.setPlainText("\n".join(lines))
        self.feedback.setText("")
        self.score.setText(self.practice.score_text())
        self._show_question()

    def _show_question(self) -> None:
        question = self.practice.question
        title = self.practice.exercise.explainer.phase_title(question.phase)
        self.question.setText(f"{title}:  compute {question.symbol}")
        self.choice.clear()
        self.choice.addItems([q.symbol for q in self.practice.exercise.questions(question.phase)])
        self.choice.setCurrentText(question.symbol)
        self.answer_input.clear()
        self.answer_input.setFocus()

    def _choose(self, symbol: str) -> None:
        if self.practice.choose(symbol) is not None:
            self._show_question()

    def _reveal(self, phase) -> None:
        """Once answered (or skipped), a phase's worked lines join the exercise above."""
        if phase in self._revealed:
            return
        self._revealed.append(phase)
        e = self.practice.exercise.explainer
        self.worked.append("\n".join([e.phase_title(phase), *e.phase_lines(phase), ""]))
