"""The command line reads sessions through the same strict loader as the window: the same verdict
on every mutated session, the same one-line refusal, and never a traceback (hypothesis)."""

import importlib.util
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_gui.export import LessonError
from backprop_gui.export.cli import export_code_command
from backprop_gui.export.snapshot import load_lesson_snapshot
from backprop_gui.files import SessionFileError, load_session, save_session
from backprop_gui.lesson import Lesson

_spec = importlib.util.spec_from_file_location("session_strategies", Path(__file__).parents[1] / "session_strategies.py")
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


def base_document(folder: Path) -> dict:
    from backprop_gui.lesson.kept_runs import DescentPath

    lesson = Lesson()
    lesson.update_settings(optimizer="momentum", validation_percent=34, epochs=10)
    path = DescentPath(lesson)
    lesson.train()
    lesson.kept_runs.keep_lesson(lesson, path)
    save_session(folder / "base.bpsession", lesson.session_data())
    return json.loads((folder / "base.bpsession").read_text(encoding="utf-8"))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_command_line_and_the_window_give_the_same_verdict(tmp_path, capsys, data):
    document, what = data.draw(strategies.mutated(base_document(tmp_path)))
    file = tmp_path / "mutated.bpsession"
    file.write_text(json.dumps(document), encoding="utf-8")
    try:
        load_session(file)
        refusal = None
    except SessionFileError as error:
        refusal = " ".join(str(error).split())
    try:
        load_lesson_snapshot(file)
        export_refusal = None
    except LessonError as error:
        export_refusal = str(error)
    assert export_refusal == refusal, what
    capsys.readouterr()
    status = export_code_command("numpy", str(tmp_path / "out.py"), str(file))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if refusal is not None:
        assert status == 2 and err.strip() == f"backprop-gui: {refusal}", what
    else:
        assert status == 0, (what, err)
