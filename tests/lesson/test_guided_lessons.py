"""The built-in guided lessons: each walked to its end, answers from the engine; lesson 1 with the
notes' own numbers; wrong answers diagnosed; the command line's --list-lessons and --check-lesson."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.app import main
from backprop_gui.engine import Network, Trainer
from backprop_gui.lesson import Lesson, StepCursor
from backprop_gui.lesson.guided import BUILTIN_FILES, Tutor, builtin_lessons, builtin_paths, check_lesson_file, find_lesson, load_builtin

_spec = importlib.util.spec_from_file_location("guided_walk", Path(__file__).with_name("guided_walk.py"))
guided_walk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(guided_walk)
walk = guided_walk.walk


def tutor_for(name: str) -> Tutor:
    lesson = Lesson()
    return Tutor(load_builtin(name), lesson, StepCursor(lesson))


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem)
def test_each_builtin_lesson_walks_to_its_end(path):
    lesson = Lesson()
    tutor = Tutor(check_lesson_file(path), lesson, StepCursor(lesson))
    verdicts = walk(tutor)
    assert tutor.page_index == tutor.n_pages - 1
    assert all(v.startswith("Right") for v in verdicts)


def test_seven_builtin_lessons_in_the_course_order():
    lessons = builtin_lessons()
    assert len(lessons) == len(BUILTIN_FILES) == 7
    assert lessons[0][0] == "The notes' first step"
    assert sum(page.answer is not None for page in load_builtin("notes-first-step").pages) >= 4


NOTES_ANSWERS = {"O₁₁": "88", "ŷ": "176", "L": "29241", "∂L/∂ŷ": "342", "∂L/∂w²₁₁": "30096", "∂L/∂w¹₁₁": "27360",
                 "w¹₁₁ after the update": "-26.36"}  # fmt: skip
"""The notes' numbers (000 and the README): O₁₁ = 1·80 + 1·8 + 0, ŷ = 88 + 88, L = (5 − 176)²,
∂L/∂ŷ = −2(5 − 176), ∂L/∂w²₁₁ = 342·88, ∂L/∂w¹₁₁ = 342·1·80, w¹₁₁ = 1 − 0.001·27360."""


def test_lesson_one_accepts_the_notes_numbers_and_ends_after_the_notes_first_step():
    tutor = tutor_for("The notes' first step")
    tutor.open_page(0)
    asked = []
    while True:
        if tutor.asked is not None:
            asked.append(tutor.asked.symbol)
            assert tutor.check_answer(NOTES_ANSWERS[tutor.asked.symbol]).correct
        if tutor.page.wait is not None:
            tutor.cursor.step()
        if not tutor.next():
            break
    assert set(asked) == set(NOTES_ANSWERS)
    assert tutor.at_end
    # The network is where one step of the notes leaves it: computed afresh, by the engine.
    network = Network([2, 2, 1], init="ones")
    Trainer(network, [[80, 8]], [5], learning_rate=0.001).step()
    for mine, expected in zip(tutor.lesson.network.get_parameters(), network.get_parameters()):
        for a, b in zip(mine, expected):
            np.testing.assert_allclose(a, b)
    assert tutor.lesson.network.weights[0][0, 0] == pytest.approx(-26.36)


def _page_asking(tutor: Tutor, symbol: str) -> None:
    for k in range(tutor.n_pages):
        tutor.open_page(k)
        if tutor.asked is not None and tutor.asked.symbol == symbol:
            return
    raise AssertionError(symbol)


def test_a_wrong_number_is_refused_with_the_slip_then_a_second_try_then_the_worked_answer():
    tutor = tutor_for("notes-first-step")
    _page_asking(tutor, "∂L/∂ŷ")
    first = tutor.check_answer("-342")
    assert not first.correct and first.slip == "sign" and "342" not in first.message.replace("−342", "")
    assert not tutor.can_go_next
    second = tutor.check_answer("171")
    assert not second.correct and second.slip == "factor 2"
    assert "∂L/∂ŷ = 342" in second.message  # the worked answer after the second try
    assert tutor.resolved and tutor.can_go_next


def test_a_wrong_path_is_named_in_the_notes_notation():
    tutor = tutor_for("All nine derivatives")
    _page_asking(tutor, "∂L/∂w¹₂₁")
    e = tutor.asked.exercise.explainer
    wrong = -2 * (5 - float(e.record.y_hat[0, 0])) * e.weight_before(1, 1, 0) * 8  # w²₂₁ instead of w²₁₁
    verdict = tutor.check_answer(str(wrong))
    assert not verdict.correct and verdict.slip == "wrong weight"
    assert "multiplied by w²₂₁ instead of w²₁₁" in verdict.message


def test_swapped_weights_are_named_as_the_issue_words_them():
    tutor = tutor_for("All nine derivatives")
    tutor.open_page(0)
    # O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁ with w¹₁₁ = 0.1, w¹₂₁ = 0.2: swapped, 0.2·80 + 0.1·8.
    from backprop_gui.lesson.guided import ask, check, parse_quantity

    asked = ask(parse_quantity("O₁₁ row 1"), tutor.lesson, tutor.cursor)
    verdict = check(asked, 0.2 * 80 + 0.1 * 8, attempt=1)
    assert verdict.slip == "swapped weights"
    assert "multiplied IQ by w¹₂₁ instead of w¹₁₁" in verdict.message


def test_text_that_is_not_a_number_uses_no_try():
    tutor = tutor_for("notes-first-step")
    _page_asking(tutor, "O₁₁")
    assert not tutor.check_answer("eighty-eight").correct
    assert tutor.attempts == 0 and not tutor.resolved
    assert tutor.check_answer("88").correct


def test_back_rebuilds_the_page_it_goes_to():
    tutor = tutor_for("notes-first-step")
    tutor.open_page(3)
    assert tutor.back() and tutor.page_index == 2
    assert tutor.cursor.active and tutor.asked.symbol == "ŷ" and tutor.attempts == 0


def test_find_lesson_by_title_file_name_and_path(tmp_path):
    first = builtin_paths()[0]
    assert find_lesson("The notes' first step") == first
    assert find_lesson("01-notes-first-step") == first
    assert find_lesson("notes-first-step.md") == first
    assert find_lesson(str(tmp_path / "mine.md")) == tmp_path / "mine.md"


# -- the command line ------------------------------------------------------------------------
def test_list_lessons_prints_title_tab_path(capsys):
    assert main(["--list-lessons"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7
    for line, path in zip(lines, builtin_paths()):
        title, file = line.split("\t")
        assert title and file == str(path)


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem)
def test_check_lesson_accepts_each_builtin(path, capsys):
    assert main(["--check-lesson", str(path)]) == 0


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "binary"),
        (b"# T\n## P\n@answer O\xe9 row 1\n", "not UTF-8"),
        (b"# T\n## P\n@frobnicate 3\n", ":3: unknown directive '@frobnicate'"),
        (b"# T\n## P\n@set learning_rate = 50\n", ":3: learning_rate must be a number from"),
        (b"# T\n## P\n@ask What?\n@answer O31 row 1\n", ":4: the checkpoint has no answer"),
        (b"# T\n## P\n@ask What?\n@answer O11 row 9\n", ":4:"),
    ],
)
def test_check_lesson_refuses_broken_files_with_one_line(tmp_path, capsys, content, expected):
    path = tmp_path / "broken.md"
    path.write_bytes(content)
    assert main(["--check-lesson", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_check_lesson_refuses_a_missing_path_and_a_folder(tmp_path, capsys):
    assert main(["--check-lesson", str(tmp_path / "nothing.md")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["--check-lesson", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err
