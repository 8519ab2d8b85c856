"""Issue 14 in the lesson: the optimizer's state through Back, Reset and sessions; validation rows."""

import math

import numpy as np

from backprop_gui.engine import TrainingSettings
from backprop_gui.files import load_session, save_session
from backprop_gui.lesson import Lesson


def adam_lesson(**changes):
    return Lesson(TrainingSettings(optimizer="adam", learning_rate=0.01, l2=0.01, l1=0.001, **changes))


def parameter_bytes(lesson):
    return [p.tobytes() for p in lesson.network.weights + lesson.network.biases]


def test_back_restores_the_optimizer_state_exactly_so_steps_repeat_bit_for_bit():
    lesson = adam_lesson()
    for _ in range(4):
        lesson.step()
    state = lesson.optimizer_state()
    first = [lesson.step() for _ in range(3)]
    lesson.train(5)
    for _ in range(4):
        lesson.back()
    assert lesson.optimizer_state() == state
    again = [lesson.step() for _ in range(3)]
    for a, b in zip(first, again):
        assert [w.tobytes() for w in a.weights_after] == [w.tobytes() for w in b.weights_after]
        assert a.update.t == b.update.t


def test_back_across_a_setting_change_still_restores_the_state():
    lesson = adam_lesson()
    lesson.step()
    state = lesson.optimizer_state()
    lesson.step()
    lesson.update_settings(learning_rate=0.02)  # drops the trainer; the state is carried over
    assert lesson.optimizer_state().t == 2
    lesson.back()
    assert lesson.optimizer_state() == state


def test_another_optimizer_and_reset_start_the_state_afresh():
    lesson = adam_lesson()
    lesson.step()
    lesson.update_settings(optimizer="momentum")
    assert lesson.optimizer_state() is None or lesson.optimizer_state().t == 0
    lesson.step()
    assert lesson.optimizer_state().t == 1
    lesson.reset()
    assert lesson.optimizer_state() is None
    assert lesson.step().update.t == 1


def test_a_session_saves_the_state_and_both_histories(tmp_path):
    lesson = adam_lesson(validation_percent=34)
    lesson.train(3)
    lesson.step()
    path = tmp_path / "adam.bpsession"
    save_session(path, lesson.session_data())
    loaded = Lesson()
    loaded.load(load_session(path))
    assert loaded.optimizer_state() == lesson.optimizer_state()
    assert loaded.settings == lesson.settings
    assert loaded.validation_history.values.tobytes() == lesson.validation_history.values.tobytes()
    assert lesson.step().weights_after[0].tobytes() == loaded.step().weights_after[0].tobytes()


def test_validation_rows_are_kept_out_of_steps_and_measured_each_epoch():
    lesson = Lesson(TrainingSettings(validation_percent=34))  # the notes' 3 rows: 1 validation row
    held_out = lesson.validation_rows()
    assert held_out.size == 1
    messages = []
    lesson.message.connect(messages.append)
    assert lesson.step(rows=[int(held_out[0])]) is None and "validation" in messages[-1]
    lesson.train(4)
    assert len(lesson.validation_history) == len(lesson.loss_history) == 4
    assert np.isfinite(lesson.validation_history.values).all()
    lesson.back()
    assert len(lesson.validation_history) == 0


def test_without_validation_the_history_holds_nan_beside_each_epoch():
    lesson = Lesson()
    lesson.train(3)
    assert len(lesson.validation_history) == 3 and all(math.isnan(v) for v in lesson.validation_history.values)


def test_early_stopping_says_which_epoch_it_kept():
    lesson = Lesson(TrainingSettings(hidden_layers=(8, 8), hidden_activation="tanh", learning_rate=0.05, mode="batch",
                                     validation_percent=34, patience=5, epochs=2000))  # fmt: skip
    messages = []
    lesson.message.connect(messages.append)
    outcome = lesson.train()
    assert outcome.reason == "early_stopped"
    best = int(np.nanargmin(lesson.validation_history.values)) + 1
    assert outcome.best_epoch == best and f"weights of epoch {best}" in messages[-1]


def test_the_update_phase_shows_the_running_averages_before_the_step_with_their_numbers():
    from backprop_gui.engine import TrainingSettings
    from backprop_gui.engine.notation import ParameterRef, format_number
    from backprop_gui.lesson import Lesson, explainer_for

    lesson = Lesson(TrainingSettings(optimizer="adam", learning_rate=0.01))
    lesson.step()
    m_after_first = lesson.optimizer_state().m.copy()
    lesson.step()
    update = explainer_for(lesson.step_log[-1]).derivation(ParameterRef("w", 0, 0, 0)).update
    assert "m_old" not in update and "s_old" not in update
    m_old = format_number(m_after_first[0])
    assert f"0.9·({m_old})" in update or f"0.9·{m_old}" in update
