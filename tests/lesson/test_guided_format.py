"""The lesson file format (lesson/guided/lesson_file.py): every directive read, every error refused
with one message naming the file and the line, before any state changes."""

from __future__ import annotations

import pytest

from backprop_gui.engine.notation import ParameterRef
from backprop_gui.lesson import Lesson, StepCursor
from backprop_gui.lesson.guided import LessonFileError, Tutor, check_lesson_text, load_lesson_file, parse_lesson

HEAD = "# A lesson\n## A page\n"
"""Lines 1 and 2: a title and a page; the directive under test is on line 3."""


def error_of(text: str) -> LessonFileError:
    with pytest.raises(LessonFileError) as caught:
        check_lesson_text(text, "mine.md")
    return caught.value


def test_a_complete_page_reads_every_directive():
    lesson = check_lesson_text(
        "# Title\nIntro.\n## First\nSome *text* with {{O₁₁ row 1}}.\n"
        "@columns IQ, CGPA, Package\n@row 80, 8, 5\n@row 60, 5, 3\n"
        "@set init = ones\n@set η = 0.001\n@set architecture = 2\n@set scaling = none\n@set order = sequential\n"
        "@weight w¹₁₁ = 2\n@do next_phase 2\n@controls step, back\n@others hidden\n"
        "@ask What is ŷ?\n@answer ŷ\n@reveal next_phase\n@wait steps >= 1\n"
        "## Second\n@table notes\n@do step\n",
        "mine.md",
    )
    first, second = lesson.pages
    assert lesson.title == "Title" and lesson.intro == "Intro."
    assert first.title == "First" and first.text.startswith("Some *text*")
    assert first.table.columns == ("IQ", "CGPA", "Package") and first.table.rows == ((80, 8, 5), (60, 5, 3))
    assert first.settings == {"init": "ones", "learning_rate": 0.001, "hidden_layers": (2,), "scaling": "none", "order": "sequential"}
    assert first.weights == {ParameterRef("w", 0, 0, 0): 2.0}
    assert [(a.name, a.count) for a in first.actions] == [("next_phase", 2)]
    assert first.controls == ("step", "back") and first.others == "hidden"
    assert first.question == "What is ŷ?" and first.answer.kind == "output" and first.answer_line == 18
    assert [a.name for a in first.reveal] == ["next_phase"]
    assert first.wait.text == "steps >= 1" and first.wait_line == 20
    assert [text for text, _, line in first.shown] == ["O₁₁ row 1"]
    # The second page inherits settings and weights, not actions, controls or the checkpoint.
    assert second.settings == first.settings and second.weights == first.weights
    assert second.table.example == "notes" and second.controls == () and second.others == "locked"
    assert second.answer is None and [a.name for a in second.actions] == ["step"]


def test_the_checkpoint_is_the_engines_number_on_the_page_state():
    lesson = check_lesson_text(HEAD + "@set init = ones\n@set scaling = none\n@weight w¹₁₁ = 2\n@ask O11?\n@answer O11 row 1\n")
    state = Lesson()
    tutor = Tutor(lesson, state, StepCursor(state))
    tutor.open_page(0)
    assert tutor.asked.value == 2 * 80 + 8  # the weight the page set, the notes' row 1
    assert tutor.page_text() == ""


def test_comments_and_blank_lines_are_not_text():
    lesson = parse_lesson("\n<!-- a note\nfor the teacher -->\n# T\n## P\n<!-- @frobnicate -->\nText\n")
    assert lesson.pages[0].text == "Text"


@pytest.mark.parametrize(
    "text, line, phrase",
    [
        ("Not a title\n", 1, "starts with its title"),
        ("# T\n## \n", 2, "needs a title"),
        ("# T\n@set seed = 1\n", 2, "before the first page"),
        ("# T\n## P\n# Another\n", 3, "has one '# title'"),
        (HEAD + "@frobnicate 1\n", 3, "unknown directive '@frobnicate'"),
        (HEAD + "@ask A?\n@ask B?\n@answer L row 1\n", 4, "a second '@ask' on this page (the first is on line 3)"),
        (HEAD + "@set\n", 3, "'@set' needs a value"),
        (HEAD + "@table nowhere\n", 3, "unknown table 'nowhere'"),
        (HEAD + "@columns a, b\n@table notes\n", 4, "a page has one table"),
        (HEAD + "@columns a\n", 3, "at least two columns"),
        (HEAD + "@columns a, a\n", 3, "names a column twice"),
        (HEAD + "@row 1, 2\n", 3, "needs '@columns'"),
        (HEAD + "@columns a, b\n@row 1\n", 4, "has 1 values; the table has 2 columns"),
        (HEAD + "@columns a, b\n@row 1, x\n", 4, "takes numbers"),
        (HEAD + "@columns a, b\n@row 1, inf\n", 4, "finite numbers"),
        (HEAD + "@columns a, b\n", 3, "needs at least one '@row'"),
        (HEAD + "@set learning_rate 0.1\n", 3, "'name = value'"),
        (HEAD + "@set speed = 3\n", 3, "unknown setting 'speed'"),
        (HEAD + "@set init = huge\n", 3, "init is one of"),
        (HEAD + "@set learning_rate = fast\n", 3, "needs a number"),
        (HEAD + "@set learning_rate = 50\n", 3, "learning_rate must be a number from"),
        (HEAD + "@set epochs = 2.5\n", 3, "whole number"),
        (HEAD + "@set stop_early = maybe\n", 3, "on or off"),
        (HEAD + "@set architecture = 9\n", 3, "at most 4 hidden layers of 1 to 8 neurons"),
        (HEAD + "@set architecture = two\n", 3, "the neurons of each hidden layer"),
        (HEAD + "@weight w11 = 1\n", 3, "is not a weight"),
        (HEAD + "@weight w¹₁₁ 1\n", 3, "'name = value'"),
        (HEAD + "@weight w¹₁₁ = heavy\n", 3, "needs a number"),
        (HEAD + "@set hidden_activation = mish\n", 3, "not 'mish'"),
        (HEAD + "@set hidden_activations = gelu, swish\n", 3, "not 'swish'"),
        (HEAD + "@set frozen = w11\n", 3, "not 'w11'"),
        (HEAD + "@weight w¹₁₁ = nan\n", 3, "finite number"),
        (HEAD + "@weight w⁰₁₁ = 1\n", 3, "count layers and neurons from 1"),
        (HEAD + "@do jump\n", 3, "'@do' takes one of step, next_phase, back, reset"),
        (HEAD + "@do step 0\n", 3, "a whole number from 1 to 50"),
        (HEAD + "@do step 3 4\n", 3, "'@do' takes one of"),
        (HEAD + "@controls step, fly\n", 3, "unknown control 'fly'"),
        (HEAD + "@others gone\n", 3, "'locked' or 'hidden'"),
        (HEAD + "@ask A?\n@answer the weather\n", 4, "expected one symbol"),
        (HEAD + "@ask A?\n@answer Q₁₁ row 1\n", 4, "is not a quantity"),
        (HEAD + "@ask A?\n@answer O₁₁ row zero\n", 4, "a whole number from 1"),
        (HEAD + "@ask A?\n@answer O₁₁ row 0\n", 4, "rows count from 1"),
        (HEAD + "@ask A?\n@answer w¹₁₁ row 1\n", 4, "the same for every row"),
        (HEAD + "@wait soon\n", 3, "is not a condition"),
        (HEAD + "@wait speed > 1\n", 3, "is not a quantity"),
        (HEAD + "@wait steps >= many\n", 3, "is not a number"),
        (HEAD + "@wait steps >= inf\n", 3, "finite number"),
        (HEAD + "@wait L < 1\n", 3, "cannot use the step on show"),
        (HEAD + "@wait steps + 1\n", 3, "is not a condition"),
        (HEAD + "@ask A?\n", 3, "needs an '@answer'"),
        (HEAD + "@answer L row 1\n", 3, "needs an '@ask'"),
        (HEAD + "@reveal step\n", 3, "needs a checkpoint"),
        (HEAD + "Text {{speed}}\n", 3, "{{speed}}"),
        ("# Only a title\n", None, "has no pages"),
    ],
)
def test_each_reading_error_names_the_file_and_line(text, line, phrase):
    error = error_of(text)
    assert phrase in str(error)
    assert str(error).startswith(f"mine.md:{line}: " if line else "mine.md: ")
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    "text, line, phrase",
    [
        # A checkpoint without a computable answer.
        (HEAD + "@ask A?\n@answer O₃₁ row 1\n", 4, "has no O₃₁"),
        (HEAD + "@ask A?\n@answer L row 4\n", 4, "needs row 4; the table has 3 rows"),
        (HEAD + "@ask A?\n@answer L\n", 4, "shows none"),
        (HEAD + "@ask A?\n@answer ∂L/∂w³₁₁ row 1\n", 4, "has no w³₁₁"),
        (HEAD + "@ask A?\n@answer O₁₁ batch\n", 4, "is one row's"),
        (HEAD + "@ask A?\n@answer epoch loss\n", 4, "no finite value"),
        # A page that needs a column the data lacks.
        (HEAD + "@ask A?\n@answer ∂L/∂w¹₃₁ row 1\n", 4, "needs input column 3; the table has 2 input columns (IQ, CGPA)"),
        (HEAD + "@weight w¹₃₁ = 1\n", 3, "needs input column 3 and the table has 2"),
        (HEAD + "@ask A?\n@answer x₃ row 1\n", 4, "needs input column 3"),
        # Settings that do not go together, targets that do not fit, actions that cannot be done.
        (HEAD + "@set loss = bce\n", 3, "binary cross-entropy needs a sigmoid output"),
        (HEAD + "@set task = classification\n", 3, "0/1"),
        (HEAD + "@do back\n", 3, "cannot do 'back' here: Nothing to go back to"),
        (HEAD + "@table missing.csv\n", 3, "cannot read the table missing.csv"),
        # A wait no offered control can meet, or that cannot be computed.
        (HEAD + "@wait steps >= 1\n", 3, "offers none of the controls"),
        (HEAD + "@controls train\n@wait L row 9 < 1\n", 4, "needs row 9"),
        (HEAD + "Text {{L}}\n", 3, "{{L}} cannot be shown"),
    ],
)
def test_each_page_error_names_the_line_to_blame(text, line, phrase):
    error = error_of(text)
    assert str(error).startswith(f"mine.md:{line}: ")
    assert phrase in str(error)


@pytest.mark.parametrize(
    "content, phrase",
    [(b"", "is empty"), (b" \n", "is empty"), (b"\0\1\2", "binary"), (b"# T\n## \xff\n", "not UTF-8")],
)
def test_files_that_are_not_lessons(tmp_path, content, phrase):
    path = tmp_path / "x.md"
    path.write_bytes(content)
    with pytest.raises(LessonFileError, match=phrase):
        load_lesson_file(path)


def test_missing_folder_and_huge_files(tmp_path):
    with pytest.raises(LessonFileError, match="no such file"):
        load_lesson_file(tmp_path / "none.md")
    with pytest.raises(LessonFileError, match="is a folder"):
        load_lesson_file(tmp_path)
    big = tmp_path / "big.md"
    big.write_bytes(b"# T\n" + b"x" * 1_000_001)
    with pytest.raises(LessonFileError, match="at most"):
        load_lesson_file(big)


def test_a_csv_table_beside_the_lesson(tmp_path):
    (tmp_path / "data.csv").write_text("x,y\n1,2\n3,4\n", encoding="utf-8")
    path = tmp_path / "lesson.md"
    path.write_text("# T\n## P\n@table data.csv\n@set architecture = 1\n@ask y?\n@answer y row 2\n", encoding="utf-8")
    from backprop_gui.lesson.guided import check_lesson_file

    lesson = check_lesson_file(path)
    state = Lesson()
    tutor = Tutor(lesson, state, StepCursor(state))
    tutor.open_page(0)
    assert tutor.asked.value == 4.0 and state.table.column_names == ["x", "y"]


def test_a_failed_check_leaves_a_lesson_alone():
    """Validation builds pages on a lesson of its own: nothing the user has is touched."""
    state = Lesson()
    before = state.session_data()
    error_of(HEAD + "@set init = ones\n@ask A?\n@answer O₉₁ row 1\n")
    after = state.session_data()
    assert before.settings == after.settings
    assert all((a == b).all() for a, b in zip(before.weights, after.weights))


def test_the_documented_example_is_a_lesson_that_checks():
    import re
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "LESSONS.md").read_text(encoding="utf-8")
    example = re.findall(r"```markdown\n(.*?)```", docs, re.S)[-1]
    lesson = check_lesson_text(example, "LESSONS.md")
    assert len(lesson.pages) == 3 and sum(p.answer is not None for p in lesson.pages) == 2


def test_add_page_from_the_setup_writes_a_page_that_rebuilds_it(tmp_path):
    from backprop_gui.engine import TrainingSettings
    from backprop_gui.lesson.guided.authoring import add_page

    path = tmp_path / "mine.md"
    lesson = Lesson(TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=0.001))
    lesson.step()
    assert add_page(path, lesson, "After one step", ["step", "back"]) == 1
    lesson.update_settings(hidden_layers=(3,), hidden_activation="tanh")
    lesson.table.edit_cell(0, 0, "90")
    assert add_page(path, lesson, "Tanh", ["train"]) == 2
    written = load_lesson_file(path)
    assert [p.title for p in written.pages] == ["After one step", "Tanh"]
    assert written.pages[0].table.example == "notes" and written.pages[1].table.rows[0] == (90, 8, 5)
    assert written.pages[0].controls == ("step", "back")
    rebuilt = Lesson()
    tutor = Tutor(written, rebuilt, StepCursor(rebuilt))
    tutor.open_page(0)
    assert rebuilt.network.weights[0][0, 0] == -26.36  # exactly, as the step left it
    tutor.open_page(1)
    assert rebuilt.settings == lesson.settings and rebuilt.table.value(0, 0) == 90


def test_a_page_gives_each_hidden_layer_its_activation_and_freezes_weights(tmp_path):
    from backprop_gui.engine import TrainingSettings
    from backprop_gui.lesson.guided.authoring import add_page

    lesson = check_lesson_text(HEAD + "@set architecture = 3, 2\n@set hidden_activations = gelu, elu\n@set frozen = w¹₁₁, b₂₂\n")
    assert lesson.pages[0].settings["hidden_activations"] == ("gelu", "elu")
    state = Lesson()
    Tutor(lesson, state, StepCursor(state)).open_page(0)
    assert [a.name for a in state.network.activations] == ["gelu", "elu", "linear"] and state.frozen == {"w¹₁₁", "b₂₂"}
    # A page written from such a setup rebuilds it exactly.
    path = tmp_path / "mine.md"
    setup = Lesson(TrainingSettings(hidden_layers=(3, 2), hidden_activation="tanh", hidden_activations=("silu", "softplus")))
    setup.freeze("w²₃₂")
    assert add_page(path, setup, "Per layer", ["step"]) == 1
    rebuilt = Lesson()
    Tutor(load_lesson_file(path), rebuilt, StepCursor(rebuilt)).open_page(0)
    assert rebuilt.settings == setup.settings and rebuilt.frozen == {"w²₃₂"}


def test_add_page_leaves_a_broken_file_alone(tmp_path):
    from backprop_gui.lesson.guided.authoring import add_page

    path = tmp_path / "broken.md"
    path.write_text("# T\n## P\n@frobnicate\n", encoding="utf-8")
    with pytest.raises(LessonFileError, match="broken.md:3"):
        add_page(path, Lesson(), "More", [])
    assert path.read_text(encoding="utf-8") == "# T\n## P\n@frobnicate\n"


def test_a_large_table_goes_beside_the_lesson_as_csv(tmp_path):
    from backprop_gui.lesson.guided.authoring import add_page
    from backprop_gui.lesson.table import Table

    rows = [[float(i), float(i % 3), float(i % 2)] for i in range(30)]
    lesson = Lesson(table=Table(rows, ["a", "b", "c"]))
    add_page(tmp_path / "big.md", lesson, "Big", [])
    assert (tmp_path / "big-page-1.csv").exists()
    assert load_lesson_file(tmp_path / "big.md").pages[0].table.csv_path == tmp_path / "big-page-1.csv"
