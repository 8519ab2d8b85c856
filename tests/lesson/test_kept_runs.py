"""The descent path, kept runs and comparisons: lesson state without Qt."""

import json

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.engine.measures.landscape import parameter_vector
from backprop_gui.lesson import Lesson
from backprop_gui.lesson.kept_runs import (
    KEPT_RUN_COLOURS,
    MAX_KEPT_RUNS,
    DescentPath,
    KeptRun,
    KeptRuns,
    plan_comparison,
    run_comparison,
)

NOTES = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6)


def vector(lesson):
    return parameter_vector(lesson.network.weights, lesson.network.biases)


def test_the_path_has_a_point_per_step_and_back_shortens_it():
    lesson = Lesson(NOTES)
    path = DescentPath(lesson)
    start = vector(lesson)
    assert len(path.points()) == 1
    seen = [start]
    for _ in range(3):
        lesson.step()
        seen.append(vector(lesson))
    np.testing.assert_array_equal(path.points(), np.array(seen))
    lesson.back()
    np.testing.assert_array_equal(path.points(), np.array(seen[:3]))
    # A step on show before its update ends the path at its old weights.
    np.testing.assert_array_equal(path.points(upto=1, after=False), np.array(seen[:2]))
    np.testing.assert_array_equal(path.points(upto=1, after=True), np.array(seen[:3]))


def test_a_run_adds_its_snapshots_and_back_takes_them_away():
    lesson = Lesson(TrainingSettings(epochs=50))
    path = DescentPath(lesson)
    lesson.step()
    before_run = path.points()
    lesson.train(50)
    after = path.points()
    assert len(after) > len(before_run)
    np.testing.assert_array_equal(after[: len(before_run)], before_run)
    np.testing.assert_array_equal(after[-1], vector(lesson))
    lesson.back()
    np.testing.assert_array_equal(path.points(), before_run)


def test_reset_and_a_new_architecture_start_the_path_again():
    lesson = Lesson()
    path = DescentPath(lesson)
    lesson.step()
    lesson.step()
    lesson.reset()
    assert len(path.points()) == 1
    lesson.step()
    lesson.update_settings(hidden_layers=(3,))
    points = path.points()
    assert points.shape == (1, 13)  # 2·3 + 3 + 3·1 + 1
    lesson.back()  # the old network comes back, and with it its path
    assert path.points().shape == (2, 9)


def test_a_kept_run_survives_to_dict_and_json():
    lesson = Lesson(TrainingSettings(epochs=20))
    path = DescentPath(lesson)
    lesson.train(20)
    kept = KeptRuns()
    run = kept.keep_lesson(lesson, path)
    assert run.colour == KEPT_RUN_COLOURS[0] and "η = 0.001" in run.label
    text = json.dumps(kept.to_dict())
    again = KeptRuns.from_dict(json.loads(text))
    (back,) = again.runs
    assert back.label == run.label and back.colour == run.colour and back.settings == run.settings
    assert back.layer_sizes == run.layer_sizes
    np.testing.assert_array_equal(back.loss_history, lesson.loss_history.values)
    np.testing.assert_array_equal(back.path, path.points())


def test_eight_runs_at_most_each_its_own_colour_and_removable():
    kept = KeptRuns()
    run = KeptRun("r", TrainingSettings(), [2, 2, 1], np.ones(3), np.zeros((1, 9)))
    for _ in range(MAX_KEPT_RUNS):
        kept.keep(KeptRun(**{**run.__dict__}))
    assert sorted(r.colour for r in kept.runs) == sorted(KEPT_RUN_COLOURS)
    with pytest.raises(ValueError, match="remove one"):
        kept.keep(KeptRun(**{**run.__dict__}))
    freed = kept.runs[2].colour
    kept.remove(2)
    assert kept.keep(KeptRun(**{**run.__dict__})).colour == freed


def test_an_unreadable_kept_run_is_refused():
    good = KeptRun("r", TrainingSettings(), [2, 2, 1], np.ones(3), np.zeros((2, 9))).to_dict()
    with pytest.raises(ValueError, match="not readable"):
        KeptRun.from_dict({**good, "path": [[1.0, 2.0]]})
    with pytest.raises(ValueError, match="not readable"):
        KeptRun.from_dict({k: v for k, v in good.items() if k != "settings"})


def test_two_learning_rates_start_alike_and_end_apart():
    lesson = Lesson(TrainingSettings(learning_rate=0.001, epochs=30))
    lesson.step()  # the comparison starts from the initial weights, not from here
    plans = plan_comparison(lesson, "learning_rate", [0.001, 0.01], epochs=30)
    first, second = (plan.trainer for plan in plans)
    assert first.loss_on() == second.loss_on() == lesson.metrics(lesson.initial_parameters).loss
    assert list(first.next_rows()) == list(second.next_rows())
    assert first.network is not second.network and first.network is not lesson.network
    runs = [run_comparison(plan) for plan in plans]
    slow, fast = (run.loss_history for run in runs)
    assert len(slow) == len(fast) == 30
    assert slow[0] != fast[0] and not np.array_equal(slow, fast)
    assert runs[0].label.startswith("η = 0.001") and runs[1].label.startswith("η = 0.01")
    np.testing.assert_array_equal(runs[0].path[0], runs[1].path[0])
    # The lesson itself is untouched.
    assert len(lesson.step_log) == 1


@pytest.mark.parametrize("choice, values", [("mode", ["sgd", "batch"]), ("scaling", ["standardize", "none"]),
                                            ("init", ["random", "xavier"]), ("order", ["random", "sequential"])])  # fmt: skip
def test_every_choice_can_be_compared(choice, values):
    lesson = Lesson(TrainingSettings(epochs=5))
    runs = [run_comparison(plan) for plan in plan_comparison(lesson, choice, values)]
    for run in runs:
        # Raw inputs diverge at this learning rate, as the README explains; the label says so.
        assert len(run.loss_history) == 5 or "diverged at epoch" in run.label
    if choice != "init":
        np.testing.assert_array_equal(runs[0].path[0], runs[1].path[0])


def test_a_comparison_needs_two_different_values():
    with pytest.raises(ValueError, match="different values"):
        plan_comparison(Lesson(), "learning_rate", [0.1, 0.1])


def test_kept_runs_are_saved_in_the_session_and_come_back(tmp_path):
    from backprop_gui.files import load_session, save_session
    from backprop_gui.lesson.kept_runs import DescentPath

    lesson = Lesson()
    path = DescentPath(lesson)
    lesson.train(5)
    lesson.kept_runs.keep_lesson(lesson, path)
    file = tmp_path / "kept.bpsession"
    save_session(file, lesson.session_data())
    other = Lesson()
    other.load(load_session(file))
    assert len(other.kept_runs) == 1
    run, again = lesson.kept_runs.runs[0], other.kept_runs.runs[0]
    assert again.label == run.label and again.colour == run.colour and again.settings == run.settings
    assert np.array_equal(again.loss_history, run.loss_history) and np.array_equal(again.path, run.path)
    other.start_afresh(other.settings, other.table.values(), other.table.column_names)
    assert len(other.kept_runs) == 0


def test_a_session_with_unreadable_kept_runs_is_refused_changing_nothing(tmp_path):
    import json

    from backprop_gui.files import load_session, save_session

    lesson = Lesson()
    file = tmp_path / "bad.bpsession"
    save_session(file, lesson.session_data())
    document = json.loads(file.read_text())
    document["kept_runs"] = {"runs": [{"label": "x"}]}
    file.write_text(json.dumps(document))
    other = Lesson()
    other.step()
    before = [w.copy() for w in other.network.weights]
    with pytest.raises(ValueError, match="kept_runs"):
        other.load(load_session(file))
    assert all(np.array_equal(a, b) for a, b in zip(before, other.network.weights)) and len(other.step_log) == 1


def test_a_runs_short_label_is_its_first_two_choices_the_varied_one_first_and_survives_a_session():
    from backprop_gui.lesson.kept_runs import KeptRun, describe_settings, plan_comparison, settings_parts

    lesson = Lesson()
    plans = plan_comparison(lesson, "scaling", ["none", "standardize"], epochs=2)
    assert [plan.varied_text for plan in plans] == ["raw inputs", "standardised"]
    run = run_comparison(plans[1])
    assert run.varied == "scaling" and run.short_label == " · ".join(settings_parts(plans[1].settings, "scaling")[:2])
    assert run.short_label.startswith("standardised · η = ")
    assert KeptRun.from_dict(run.to_dict()).short_label == run.short_label
    path = DescentPath(lesson)
    lesson.train(2)
    own = KeptRuns().keep_lesson(lesson, path)
    assert own.varied is None and own.short_label == " · ".join(settings_parts(lesson.settings)[:2])
    assert own.label.startswith(own.short_label + " · ") and own.label == describe_settings(lesson.settings)
