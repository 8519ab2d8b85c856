"""File > Export as Code, Export Worked Step and Export Exercise Sheet, as a teacher uses them in the window.

File dialogs are cancelled and message boxes recorded by the autouse fixture in conftest; the
exports are driven through the methods that take the path, and the dialogs by patching them.
"""

import gc
import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from backprop_gui.export import LessonSnapshot
from backprop_gui.ui.document.export_actions import ExerciseSheetDialog, ExportActions

NOTES_NUMBERS = ("&= 176", "&= 29241", "&= 27360")  # ŷ, L = (5 − 176)², ∂L/∂w¹₁₁


def exports_of(window) -> ExportActions:
    return ExportActions(window.lesson, window.cursor, window.feedback)


def errors(shown):
    return [(title, text) for kind, title, text in shown if kind == "warning"]


def choose_file(monkeypatch, path, chosen_filter=""):
    """The next save dialog answers ``path`` with ``chosen_filter`` selected."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(path), chosen_filter)))


def test_the_file_menu_gets_the_three_exports_with_tooltips(window):
    exports = exports_of(window)
    menu = QMenu(window)
    exports.add_to_menu(menu)
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["Export as &Code…", "Export &Worked Step…", "Export E&xercise Sheet…"]
    assert all(action.toolTip() and action.statusTip() for action in exports.actions)


def test_the_exports_live_on_with_the_window_when_only_the_menu_holds_them(window):
    """main_window may write ``ExportActions(...).add_to_menu(file_menu)`` without keeping a reference."""
    menu = QMenu(window)
    exports_of(window).add_to_menu(menu)
    gc.collect()
    (kept,) = [exports for exports in window.findChildren(ExportActions) if exports.code_action in menu.actions()]
    assert kept.lesson is window.lesson


def test_code_export_predicts_what_the_window_predicts(notes_window, tmp_path):
    notes_window.actions.step()
    path = tmp_path / "lesson.py"
    assert exports_of(notes_window).export_code("numpy", path)
    printed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, check=True).stdout.split()
    expected = LessonSnapshot.from_session(notes_window.lesson.session_data()).predictions()
    assert [float(value) for value in printed] == expected.tolist()
    assert str(path) in notes_window.statusBar().currentMessage()


def test_notebook_export_writes_a_notebook(window, tmp_path):
    path = tmp_path / "lesson.ipynb"
    assert exports_of(window).export_code("notebook", path)
    book = json.loads(path.read_text(encoding="utf-8"))
    assert book["nbformat"] == 4 and any(cell["cell_type"] == "code" for cell in book["cells"])


def test_worked_step_is_the_step_on_show(notes_window, tmp_path):
    notes_window.actions.step()
    path = tmp_path / "step.md"
    assert exports_of(notes_window).export_worked_step(path)
    text = path.read_text(encoding="utf-8")
    assert all(number in text for number in NOTES_NUMBERS)
    assert "step 1" in notes_window.statusBar().currentMessage()


def test_worked_step_of_a_step_half_walked_has_every_phase(notes_window, tmp_path):
    notes_window.actions.next_phase()
    assert notes_window.cursor.phase_index == 0
    path = tmp_path / "step.md"
    assert exports_of(notes_window).export_worked_step(path)
    text = path.read_text(encoding="utf-8")
    for phase in ("1. Pick the row", "2. Forward pass", "3. Loss", "4. Backward pass", "5. Update"):
        assert phase in text


def test_worked_step_without_a_step_on_show_is_the_next_step_and_makes_none(notes_window, tmp_path):
    assert notes_window.cursor.explainer is None
    path = tmp_path / "step.tex"
    assert exports_of(notes_window).export_worked_step(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(r"\documentclass") and all(number in text for number in NOTES_NUMBERS)
    assert notes_window.lesson.step_log == [] and notes_window.cursor.explainer is None
    assert "the next step" in notes_window.statusBar().currentMessage()


def test_worked_step_and_exercise_sheet_as_pdf(notes_window, tmp_path):
    exports = exports_of(notes_window)
    assert exports.export_worked_step(tmp_path / "step.pdf")
    assert exports.export_exercise_sheet(tmp_path / "sheet.pdf", 2, seed=1)
    for name in ("step.pdf", "sheet.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")


def test_exercise_sheet_has_the_count_asked_for_and_its_seed(window, tmp_path):
    exports = exports_of(window)
    first, again = tmp_path / "a.md", tmp_path / "b.md"
    assert exports.export_exercise_sheet(first, 3, seed=7) and exports.export_exercise_sheet(again, 3, seed=7)
    text = first.read_text(encoding="utf-8")
    assert text.count("## Exercise ") == 3 and text.count("Answer key to exercise") == 3 and "Seed 7" in text
    assert text == again.read_text(encoding="utf-8")
    assert "3 exercises" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    "export, expected",
    [
        (lambda e, folder: e.export_code("numpy", folder / "missing" / "lesson.py"), "Could not write"),
        (lambda e, folder: e.export_worked_step(folder / "missing" / "step.pdf"), "Could not write"),
        (lambda e, folder: e.export_worked_step(folder / "step.txt"), ".md, .tex, .pdf"),
        (lambda e, folder: e.export_exercise_sheet(folder / "sheet.tex", 2), ".md, .pdf"),
        (lambda e, folder: e.export_exercise_sheet(folder / "sheet.md", 0), "at least one"),
    ],
    ids=["code-no-folder", "pdf-no-folder", "step-suffix", "sheet-suffix", "no-exercises"],
)
def test_a_failed_export_says_why_in_one_message(window, message_boxes, tmp_path, export, expected):
    assert export(exports_of(window), tmp_path) is False
    ((title, text),) = errors(message_boxes)
    assert title.startswith("Cannot export") and expected in text and "Traceback" not in text
    assert list(tmp_path.iterdir()) == []


def test_an_empty_table_cannot_give_a_worked_step(window, message_boxes, tmp_path):
    window.lesson.table.clear()
    assert exports_of(window).export_worked_step(tmp_path / "step.md") is False
    ((title, text),) = errors(message_boxes)
    assert "cannot make a step" in text


def test_cancelled_dialogs_write_nothing(window, message_boxes, tmp_path, monkeypatch):
    monkeypatch.setattr(ExerciseSheetDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    for action in exports_of(window).actions:
        action.trigger()
    assert message_boxes == [] and list(tmp_path.iterdir()) == []


def test_the_dialogs_add_the_suffix_of_the_chosen_format(notes_window, tmp_path, monkeypatch):
    exports = exports_of(notes_window)
    choose_file(monkeypatch, tmp_path / "lesson", "Jupyter notebook (*.ipynb)")
    exports.code_action.trigger()
    choose_file(monkeypatch, tmp_path / "step", "LaTeX document (*.tex)")
    exports.worked_step_action.trigger()

    def accept_four_exercises(dialog):
        dialog.count.setValue(4)
        dialog.seed.setValue(3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExerciseSheetDialog, "exec", accept_four_exercises)
    choose_file(monkeypatch, tmp_path / "sheet", "Markdown with LaTeX math (*.md)")
    exports.exercise_sheet_action.trigger()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.ipynb", "sheet.md", "step.tex"]
    assert (tmp_path / "sheet.md").read_text(encoding="utf-8").count("## Exercise ") == 4


def test_the_file_menu_offers_the_exports(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text().replace("&", "") for action in file_menu.actions()]  # mnemonics: ui/window/keyboard.py
    assert {"Export as Code…", "Export Worked Step…", "Export Exercise Sheet…"} <= set(texts)
