"""backprop-gui --export-code and --export-step: files written, bad input refused with exit 2, no window."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.export import LessonSnapshot
from backprop_gui.files import SessionData, save_session

from .conftest import NOTES_SETTINGS, NOTES_TABLE, run_python


def backprop_gui(*args, env_extra=None):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the command must manage without a display on its own
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "backprop_gui", *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def notes_csv(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("IQ,CGPA,Package\n80,8,5\n60,5,3\n110,7,8\n", encoding="utf-8")
    return path


@pytest.fixture
def notes_session(tmp_path):
    lesson = LessonSnapshot.from_table(*NOTES_TABLE, NOTES_SETTINGS)
    data = SessionData(
        lesson.column_names, lesson.values, NOTES_SETTINGS, lesson.layer_sizes, lesson.weights, lesson.biases,
        lesson.initial_weights, lesson.initial_biases, np.array([]),
    )
    path = tmp_path / "notes.bpsession"
    save_session(path, data)
    return path


@pytest.mark.parametrize("kind, name", [("numpy", "out.py"), ("notebook", "out.ipynb")])
def test_export_code_of_a_csv_uses_the_default_settings(kind, name, notes_csv, tmp_path):
    out = tmp_path / name
    result = backprop_gui("--export-code", kind, str(out), str(notes_csv))
    assert result.returncode == 0, result.stderr
    lesson = LessonSnapshot.from_table(*NOTES_TABLE, TrainingSettings())
    expected = lesson.network().predict(lesson.scaled_inputs())[:, 0]
    if kind == "numpy":
        printed = run_python(out)
    else:
        cells = [c for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code"]
        script = tmp_path / "cells.py"
        script.write_text("\n".join("".join(c["source"]) for c in cells[:-1]))  # every cell but the training
        printed = run_python(script)
    np.testing.assert_allclose([float(v) for v in printed], expected, rtol=1e-12)


def test_export_code_of_a_session(notes_session, tmp_path):
    out = tmp_path / "notes.py"
    assert backprop_gui("--export-code", "numpy", str(out), str(notes_session)).returncode == 0
    assert run_python(out) == ["176.0", "130.0", "234.0"]


@pytest.mark.parametrize("suffix", [".md", ".tex", ".pdf"])
def test_export_step_writes_the_next_step(suffix, notes_session, tmp_path):
    out = tmp_path / f"step{suffix}"
    result = backprop_gui("--export-step", str(out), str(notes_session))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF")
    else:
        text = data.decode("utf-8")
        assert "176" in text and "29241" in text and "27360" in text


def test_bad_files_exit_2_with_one_line(tmp_path, notes_csv):
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("a,b\n1,x\n", encoding="utf-8")
    broken = tmp_path / "broken.bpsession"
    broken.write_text('{"format": "backprop-gui-session", "version": 1', encoding="utf-8")
    cases = [
        (("--export-code", "numpy", str(tmp_path / "o.py"), str(tmp_path / "missing.csv")), "does not exist"),
        (("--export-code", "numpy", str(tmp_path / "o.py"), str(bad_csv)), "line 2"),
        (("--export-code", "notebook", str(tmp_path / "o.ipynb"), str(broken)), "broken.bpsession"),
        (("--export-code", "numpy", str(tmp_path / "no" / "such" / "o.py"), str(notes_csv)), "cannot write"),
        (("--export-code", "fortran", str(tmp_path / "o.f"), str(notes_csv)), "numpy, pytorch, notebook"),
        (("--export-step", str(tmp_path / "o.docx"), str(notes_csv)), ".md"),
        (("--export-step", str(tmp_path / "no" / "o.md"), str(notes_csv)), "cannot write"),
        (("--export-step", str(tmp_path / "no" / "o.pdf"), str(notes_csv)), "cannot write"),
        (("--export-step", str(tmp_path / "o.md"), str(tmp_path)), "folder"),
    ]
    for args, words in cases:
        result = backprop_gui(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert words in result.stderr, (words, result.stderr)


def test_a_failed_write_keeps_the_previous_file(notes_csv, tmp_path):
    out = tmp_path / "keep.py"
    out.write_text("previous", encoding="utf-8")
    os.chmod(tmp_path, 0o500)
    try:
        if os.access(tmp_path, os.W_OK):
            pytest.skip("running with rights that ignore folder permissions")
        result = backprop_gui("--export-code", "numpy", str(out), str(notes_csv))
        assert result.returncode == 2 and "cannot write" in result.stderr
    finally:
        os.chmod(tmp_path, 0o700)
    assert out.read_text(encoding="utf-8") == "previous"
