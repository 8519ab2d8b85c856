"""File > Open on mutated sessions: the verdict of the one loader (refused in one line, or opened),
never a traceback; what opens saves and reopens as the same lesson (hypothesis)."""

import copy
import importlib.util
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_gui.files import SessionFileError, load_session, save_session
from backprop_gui.lesson import Lesson

_spec = importlib.util.spec_from_file_location("session_strategies", Path(__file__).parents[1] / "session_strategies.py")
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


def base_document(folder: Path) -> dict:
    from backprop_gui.lesson.kept_runs import DescentPath

    lesson = Lesson()
    lesson.update_settings(optimizer="rmsprop", validation_percent=34, epochs=10)
    path = DescentPath(lesson)
    lesson.train()
    lesson.kept_runs.keep_lesson(lesson, path)
    save_session(folder / "base.bpsession", lesson.session_data())
    return json.loads((folder / "base.bpsession").read_text(encoding="utf-8"))


def without_colours(data):
    kept = copy.deepcopy(data.kept_runs or {"runs": []})
    for run in kept["runs"]:
        run["colour"] = ""  # the lesson gives each kept run a colour of its palette
    return kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_file_open_gives_the_loaders_verdict_and_what_opens_saves_identically(window, message_boxes, tmp_path, data):
    document, what = data.draw(strategies.mutated(base_document(tmp_path)))
    file = tmp_path / "mutated.bpsession"
    file.write_text(json.dumps(document), encoding="utf-8")
    try:
        expected = load_session(file)
        refusal = None
    except SessionFileError as error:
        expected, refusal = None, str(error)
    shown = len(message_boxes)
    opened = window.document.open_session(file)
    assert opened == (refusal is None), what
    if refusal is not None:
        assert message_boxes[shown:] == [("warning", "Cannot open the session", refusal)]
        return
    again = tmp_path / "again.bpsession"
    assert window.document.save_session(again), window.last_error
    reopened = load_session(again)
    kept_expected, kept_reopened = without_colours(expected), without_colours(reopened)
    assert kept_expected == kept_reopened
    reopened = type(reopened)(**{**vars(reopened), "kept_runs": expected.kept_runs})
    assert_same = strategies.assert_same
    try:
        assert_same(reopened, expected)
    except AssertionError:
        raise AssertionError(what) from None
