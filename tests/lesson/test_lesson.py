"""A whole lesson driven without Qt, as a notebook would: the notes' table through Step, Train,
Back, an undone cell edit and a save/load round trip."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.files import load_session, save_session
from backprop_gui.lesson import Lesson, StepCursor

NOTES_SETTINGS = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6)


@pytest.fixture
def lesson():
    return Lesson(NOTES_SETTINGS)


def parameters(lesson):
    return [p.copy() for p in lesson.network.weights + lesson.network.biases]


def assert_same(first, second):
    assert len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second))


def test_a_whole_lesson_runs_without_qt_in_sys_modules():
    script = textwrap.dedent(
        """
        import sys, tempfile, pathlib
        from backprop_gui.engine import TrainingSettings
        from backprop_gui.files import load_session, save_session
        from backprop_gui.lesson import Lesson, StepCursor
        lesson = Lesson(TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6))
        cursor = StepCursor(lesson)
        assert cursor.step()
        record = lesson.last_record
        assert (float(record.y_hat[0, 0]), record.loss) == (176.0, 29241.0)
        outcome = lesson.train(20)
        assert outcome.epochs_run == 20 and len(lesson.loss_history) == 20
        assert cursor.back() and len(lesson.loss_history) == 0 and lesson.last_record.step == 1
        assert lesson.table.edit_cell(1, 0, "65") and lesson.table.history.undo()
        assert lesson.table.value(1, 0) == 60
        path = pathlib.Path(tempfile.mkdtemp()) / "lesson.bpsession"
        save_session(path, lesson.session_data())
        other = Lesson()
        other.load(load_session(path))
        assert all((a == b).all() for a, b in zip(other.network.weights, lesson.network.weights))
        qt = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")]
        assert not qt, qt
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_step_gives_the_notes_numbers(lesson):
    record = lesson.step()
    assert float(record.y_hat[0, 0]) == 176 and record.loss == 29241
    assert record.weight_grads[0][0, 0] == 27360  # ∂L/∂w¹₁₁ = −2(5 − 176)·1·80


def test_back_takes_a_step_and_a_run_back_exactly(lesson):
    start = parameters(lesson)
    lesson.step()
    after_step = parameters(lesson)
    lesson.update_settings(order="random", scaling="standardize", learning_rate=0.01)
    lesson.train(7)
    assert len(lesson.loss_history) == 7
    assert lesson.back().kind == "run"
    assert_same(parameters(lesson), after_step)
    assert len(lesson.loss_history) == 0
    assert lesson.back().kind == "step"
    assert_same(parameters(lesson), start)
    assert lesson.back() is None


def test_a_run_taken_back_and_made_again_gives_the_same_floats(lesson):
    lesson.update_settings(order="random", scaling="standardize", learning_rate=0.01)
    lesson.train(5)
    first = parameters(lesson), lesson.loss_history.values.copy()
    lesson.back()
    lesson.train(5)
    assert_same(parameters(lesson), first[0])
    assert np.array_equal(lesson.loss_history.values, first[1])


def test_a_new_architecture_keeps_the_trained_network_for_back(lesson):
    lesson.update_settings(scaling="standardize", learning_rate=0.01)
    lesson.train(10)
    trained, history = parameters(lesson), lesson.loss_history.values.copy()
    lesson.update_settings(hidden_layers=(3, 2))
    assert lesson.network.layer_sizes == [2, 3, 2, 1] and len(lesson.loss_history) == 0
    assert [entry.kind for entry in lesson.step_log] == ["rebuild"]
    lesson.back()
    assert lesson.network.layer_sizes == [2, 2, 1] and lesson.settings.hidden_layers == (2,)
    assert_same(parameters(lesson), trained)
    assert np.array_equal(lesson.loss_history.values, history)
    assert [entry.kind for entry in lesson.step_log] == ["run"]


def test_a_new_architecture_with_nothing_trained_logs_nothing(lesson):
    lesson.update_settings(hidden_activation="tanh")
    assert lesson.step_log == [] and lesson.back() is None


def test_a_new_table_starts_afresh_and_back_brings_the_trained_network_back(lesson):
    lesson.train(3)
    trained = parameters(lesson)
    lesson.table.replace(np.ones((4, 3)), ["a", "b", "c"], "Import x.csv")
    assert len(lesson.loss_history) == 0
    assert np.all(lesson.network.weights[0] == 1)  # the notes' initialisation, afresh
    lesson.back()
    assert_same(parameters(lesson), trained) and len(lesson.loss_history) == 3


def test_a_table_with_other_inputs_rebuilds_the_network(lesson):
    lesson.table.replace(np.ones((4, 4)), ["a", "b", "c", "y"], "Import x.csv")
    assert lesson.network.layer_sizes == [3, 2, 1]
    lesson.table.history.undo()
    assert lesson.network.layer_sizes == [2, 2, 1]


def test_the_prediction_follows_a_cell_edit_through_the_scaling():
    lesson = Lesson(TrainingSettings(scaling="standardize"))
    before = lesson.predict([[80, 8]])
    lesson.table.edit_cell(1, 0, "100")  # a new mean and std for IQ
    after = lesson.predict([[80, 8]])
    scaler = lesson.scaler()
    expected = lesson.network.predict(scaler.transform(np.array([[80.0, 8.0]])))
    assert after[0, 0] == expected[0, 0] and after[0, 0] != before[0, 0]
    lesson.table.clear()
    assert lesson.predict([[80, 8]]) is None and lesson.metrics() is None


def test_a_step_that_overflows_is_undone_with_a_message():
    lesson = Lesson(TrainingSettings(init="ones", scaling="none", learning_rate=10.0))
    messages = []
    lesson.message.connect(messages.append)
    for _ in range(40):
        if lesson.step() is None:
            break
    assert lesson.network.all_parameters_finite()
    assert any("overflow" in m for m in messages)


def test_settings_out_of_range_are_refused_changing_nothing(lesson):
    with pytest.raises(ValueError):
        lesson.update_settings(hidden_layers=(9,))
    assert lesson.settings == NOTES_SETTINGS


def test_a_saved_lesson_loads_back_exactly(lesson, tmp_path):
    lesson.step()
    lesson.train(4)
    path = tmp_path / "a.bpsession"
    save_session(path, lesson.session_data())
    other = Lesson()
    other.load(load_session(path))
    assert other.settings == lesson.settings
    assert_same(parameters(other), parameters(lesson))
    assert np.array_equal(other.loss_history.values, lesson.loss_history.values)
    assert np.array_equal(other.table.values(), lesson.table.values())
    assert len(other.table.history) == 0


def test_a_run_stops_when_its_network_no_longer_fits_the_table(lesson):
    plan = lesson.begin_run(5)
    stops = []
    lesson.stop_requested.connect(lambda: stops.append(True))
    lesson.table.replace(np.ones((2, 4)), ["a", "b", "c", "y"], "Import x.csv")
    assert stops == [True] and lesson.network.n_inputs == 2  # not rebuilt under the run
    lesson.finish_run(type("Outcome", (), {"epochs_run": 0, "message": "Stopped."})())
    assert lesson.network.n_inputs == 3
    assert plan.trainer.network is not lesson.network


def test_the_cursor_shows_nothing_of_a_later_phase(lesson):
    cursor = StepCursor(lesson)
    cursor.next_phase()
    record = lesson.last_record
    assert cursor.phase.kind == "pick"
    assert "176" not in cursor.status_text() and "29241" not in cursor.status_text()
    weights, biases = cursor.shown_parameters()
    assert_same(list(weights) + list(biases), record.weights_before + record.biases_before)
    assert lesson.predict([[80, 8]], cursor.shown_parameters())[0, 0] == 176  # the old weights' prediction
    while cursor.phase.kind != "loss":
        cursor.next_phase()
    assert "ŷ = 176" in cursor.status_text() and "29241" in cursor.status_text()
    while cursor.walking:
        cursor.next_phase()
    assert cursor.phase.kind == "update"
    weights, biases = cursor.shown_parameters()
    assert_same(list(weights) + list(biases), record.weights_after + record.biases_after)


def test_back_walks_phases_then_takes_the_step_back(lesson):
    cursor = StepCursor(lesson)
    start = parameters(lesson)
    cursor.next_phase()
    cursor.next_phase()
    assert cursor.back() and cursor.phase.kind == "pick"
    assert cursor.back() and not cursor.active
    assert_same(parameters(lesson), start)
    messages = []
    cursor.message.connect(messages.append)
    assert not cursor.back() and "Nothing to go back to" in messages[-1]


def test_the_cursor_clears_when_the_network_is_rebuilt(lesson):
    cursor = StepCursor(lesson)
    cursor.step()
    lesson.update_settings(hidden_layers=(3,))
    assert not cursor.active
    assert cursor.shown_parameters()[0] is lesson.network.weights


def test_loading_a_lesson_clears_the_step_on_show_before_the_table_changes(lesson):
    cursor = StepCursor(lesson)
    lesson.update_settings(hidden_layers=(8,))
    cursor.step()
    other = Lesson(NOTES_SETTINGS)
    seen = []
    lesson.table.reset.connect(lambda: seen.append((cursor.active, [w.shape for w in cursor.shown_parameters()[0]])))
    lesson.load(other.session_data())
    assert seen == [(False, [(2, 2), (2, 1)])]


def test_a_frozen_weight_stays_through_steps_runs_and_a_saved_session(tmp_path):
    lesson = Lesson(TrainingSettings(hidden_layers=(3,), hidden_activations=("gelu",)))
    lesson.freeze("w¹₂₁")
    lesson.freeze("b₂₁")
    before = lesson.network.weights[0][1, 0], lesson.network.biases[1][0]
    record = lesson.step()
    assert record.weight_grads[0][1, 0] != 0.0 and "w¹₂₁" in record.frozen
    lesson.train(20)
    assert (lesson.network.weights[0][1, 0], lesson.network.biases[1][0]) == before
    assert lesson.network.weights[0][0, 0] != record.weights_before[0][0, 0]
    path = tmp_path / "frozen.bpsession"
    save_session(path, lesson.session_data())
    other = Lesson()
    other.load(load_session(path))
    assert other.frozen == {"w¹₂₁", "b₂₁"} and other.settings.hidden_activation_names == ["gelu"]
    other.train(3)
    assert other.network.weights[0][1, 0] == before[0]
    other.freeze("w¹₂₁", False)
    other.train(1)
    assert other.network.weights[0][1, 0] != before[0] and other.network.biases[1][0] == before[1]
    with pytest.raises(ValueError, match="no parameter 'w³₁₁'"):
        other.freeze("w³₁₁")


def test_a_frozen_weight_the_new_network_lacks_is_not_saved(tmp_path):
    lesson = Lesson(TrainingSettings(hidden_layers=(3,)))
    lesson.freeze("w²₃₁")
    lesson.update_settings(hidden_layers=(2,))  # no third hidden neuron: no w²₃₁
    assert lesson.frozen == frozenset()
    path = tmp_path / "a.bpsession"
    save_session(path, lesson.session_data())
    assert load_session(path).settings.frozen == ()


def test_a_change_of_settings_mid_lesson_keeps_the_history_with_a_mark():
    lesson = Lesson(TrainingSettings(hidden_layers=(2,)))
    lesson.update_settings(learning_rate=0.01)  # nothing trained yet: nothing to mark
    assert lesson.setting_marks == []
    lesson.train(3)
    lesson.update_settings(learning_rate=0.02, optimizer="adam")
    lesson.freeze("w¹₁₁")
    lesson.update_settings(epochs=5)  # the epochs to run change no epoch's loss: no mark
    assert [(m.epochs, m.text) for m in lesson.setting_marks] == [(3, "η 0.01 → 0.02, optimizer sgd → adam, frozen none → w¹₁₁")]
    assert len(lesson.loss_history) == 3
    lesson.train(2)
    lesson.update_settings(order="sequential")
    assert [m.epochs for m in lesson.setting_marks] == [3, 5] and lesson.setting_marks.within(4) == lesson.setting_marks[:1]
    lesson.update_settings(hidden_layers=(3,))  # a new network starts a new history, without marks
    assert lesson.setting_marks == [] and len(lesson.loss_history) == 0
    lesson.train(2)
    lesson.update_settings(learning_rate=0.05)
    lesson.reset()
    assert lesson.setting_marks == []
