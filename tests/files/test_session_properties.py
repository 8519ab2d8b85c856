"""Anything that can be opened can be saved and opened again identically (generated valid sessions),
and a mutated session is refused in one line naming the field, or opened, saved and reopened
identically, and opened by a lesson, never a traceback (hypothesis)."""

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_gui.files import SessionFileError, load_session, save_session
from backprop_gui.files.session_file import session_from_json, session_to_json
from backprop_gui.lesson import Lesson

_spec = importlib.util.spec_from_file_location("session_strategies", Path(__file__).parents[1] / "session_strategies.py")
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategies.sessions())
def test_every_valid_session_saves_and_reopens_identically(data):
    text = session_to_json(data)
    again = session_from_json(text, "generated.bpsession")
    strategies.assert_same(again, data)
    assert session_to_json(again) == text  # and saving what was opened writes the same file


def saved_lesson_document(tmp_path_factory) -> dict:
    """A lesson with everything a session holds: a trained network, Adam's state, validation rows, a kept run."""
    from backprop_gui.lesson.kept_runs import DescentPath

    lesson = Lesson()
    lesson.update_settings(optimizer="adam", validation_percent=34, epochs=20, hidden_layers=(3, 2))
    path = DescentPath(lesson)
    lesson.step()
    lesson.train()
    lesson.kept_runs.keep_lesson(lesson, path)
    lesson.step()
    file = tmp_path_factory.mktemp("base") / "base.bpsession"
    save_session(file, lesson.session_data())
    return json.loads(file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base_document(tmp_path_factory):
    return saved_lesson_document(tmp_path_factory)


def verdict(text: str):
    """The session, or the one-line refusal; anything else propagates and fails the test."""
    try:
        return session_from_json(text, "mutated.bpsession")
    except SessionFileError as error:
        message = str(error)
        assert "\n" not in message and message.startswith("mutated.bpsession ")
        return message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_mutated_session_is_refused_in_one_line_or_reopens_identically(base_document, data):
    document, what = data.draw(strategies.mutated(base_document))
    outcome = verdict(json.dumps(document))
    if isinstance(outcome, str):
        # The refusal names a field of the file ("settings.learning_rate: …"), or the format or version it lacks.
        assert ": " in outcome or "format" in outcome, (what, outcome)
        return
    again = session_from_json(session_to_json(outcome), "again.bpsession")
    strategies.assert_same(again, outcome)
    lesson = Lesson()
    lesson.load(outcome)  # what File > Open does next: never refused, never a traceback
    assert lesson.settings == outcome.settings


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d["settings"].__setitem__("learning_rate", 10**400), "settings.learning_rate"),
        (lambda d: d.__setitem__("kept_runs", {"runs": 5}), "kept_runs.runs"),
        (lambda d: d["settings"].pop("patience"), "settings.patience"),
        (lambda d: d["loss_history"].__setitem__(0, -1.0), "loss_history[0]"),
        (lambda d: d["kept_runs"]["runs"][0]["loss_history"].__setitem__(0, -2.0), "kept_runs.runs[0].loss_history[0]"),
        (lambda d: d["optimizer_state"].__setitem__("t", 10**29), "optimizer_state.t"),
        (lambda d: d["optimizer_state"].__setitem__("t", 1e29), "optimizer_state.t"),
        (lambda d: d["kept_runs"]["runs"][0]["path"][0].__setitem__(0, None), "kept_runs.runs[0].path[0][0]"),
        (lambda d: d["kept_runs"]["runs"][0]["path"][0].__setitem__(0, True), "kept_runs.runs[0].path[0][0]"),
        (lambda d: d["settings"].__setitem__("hidden_layers", [1.5]), "settings.hidden_layers[0]"),
        (lambda d: d["settings"].__setitem__("hidden_layers", "2"), "settings.hidden_layers"),
        (lambda d: d["settings"].__setitem__("hidden_layers", [True]), "settings.hidden_layers[0]"),
        (lambda d: d["network"]["layer_sizes"].__setitem__(1, 2.7), "network.layer_sizes[1]"),
        (lambda d: d.__setitem__("notes", "hello"), "notes"),
        (lambda d: d["network"].__setitem__("weights", [[[[1.0]]]]), "network.weights[0][0][0]"),
        (lambda d: d["optimizer_state"]["s"].__setitem__(0, -1.0), "optimizer_state.s[0]"),
    ],
)
def test_the_issues_nonsense_is_refused_naming_the_field(base_document, change, field):
    document = json.loads(json.dumps(base_document))
    change(document)
    message = verdict(json.dumps(document))
    assert isinstance(message, str) and f"cannot be opened: {field}: " in message, message
