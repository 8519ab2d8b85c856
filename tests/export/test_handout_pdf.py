"""PDF handouts through Qt: the notes' first step and an exercise sheet, read back from the PDF."""

import os
import shutil
import subprocess

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from backprop_gui.ui.document.handout_pdf import exercise_sheet_plain_text, step_plain_text, write_exercise_sheet_pdf, write_step_pdf  # noqa: E402


@pytest.fixture(autouse=True)
def application(qapp):
    """pytest-qt's QApplication, so that the PDF writer does not make an application of its own."""
    return qapp


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_notes_first_step_as_pdf(notes_snapshot, tmp_path):
    path = tmp_path / "step.pdf"
    write_step_pdf(path, notes_snapshot)
    assert path.read_bytes().startswith(b"%PDF")
    text = step_plain_text(notes_snapshot)
    assert "ŷ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁ = 1·88 + 1·88 + 0 = 176" in text
    assert "L = (y − ŷ)² = (5 − 176)² = 29241" in text
    assert "∂L/∂w¹₁₁ = ∂L/∂ŷ · ∂ŷ/∂O₁₁ · ∂O₁₁/∂w¹₁₁" in text and "= 27360" in text
    if shutil.which("pdftotext"):
        printed = pdf_text(path)
        assert "176" in printed and "29241" in printed and "27360" in printed and "w¹₁₁" in printed


def test_exercise_sheet_pdf_has_a_page_per_exercise_and_per_key(notes_snapshot, tmp_path):
    path = tmp_path / "sheet.pdf"
    write_exercise_sheet_pdf(path, notes_snapshot, 2, seed=4)
    text = exercise_sheet_plain_text(notes_snapshot, 2, seed=4)
    assert text.count("Answer key to exercise") == 2
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages >= 4
    if shutil.which("pdftotext"):
        pages = pdf_text(path).split("\f")
        exercise_pages = [p for p in pages if "Exercise 2" in p]
        assert exercise_pages and all("Answer key" not in p for p in exercise_pages)


def test_an_unwritable_pdf_keeps_nothing_half_written(notes_snapshot, tmp_path):
    with pytest.raises(OSError):
        write_step_pdf(tmp_path / "missing" / "step.pdf", notes_snapshot)
    assert not list(tmp_path.iterdir())
