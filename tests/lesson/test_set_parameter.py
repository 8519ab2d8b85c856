"""Lesson.set_parameter: one weight or bias typed in, checked, and undone by setting the old value back."""

import math

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.lesson import Lesson

NOTES_SETTINGS = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6)


@pytest.fixture
def lesson():
    return Lesson(NOTES_SETTINGS)


def test_sets_a_weight_and_a_bias_and_returns_the_old_values(lesson):
    heard = []
    lesson.parameters_changed.connect(lambda: heard.append(True))
    assert lesson.set_parameter(0, 1, 0, 2.5) == 1.0  # w¹₂₁
    assert lesson.network.weights[0][1, 0] == 2.5
    assert lesson.set_parameter(1, 0, None, -0.75) == 0.0  # b₂₁
    assert lesson.network.biases[1][0] == -0.75
    assert len(heard) == 2


def test_the_next_step_starts_from_the_typed_value(lesson):
    lesson.set_parameter(1, 0, 0, 0.0)  # w²₁₁ = 0: ŷ = O₁₂ = 80 + 8 = 88 on row 1
    record = lesson.step()
    assert float(record.y_hat[0, 0]) == 88.0
    assert record.loss == (5 - 88) ** 2


def test_setting_the_old_value_back_undoes_it_exactly(lesson):
    lesson.step()
    before = [p.copy() for p in lesson.network.weights + lesson.network.biases]
    log, history = list(lesson.step_log), lesson.loss_history.values.copy()
    old = lesson.set_parameter(0, 0, 1, 123.456)
    lesson.set_parameter(0, 0, 1, old)
    assert all(np.array_equal(a, b) for a, b in zip(before, lesson.network.weights + lesson.network.biases))
    assert lesson.step_log == log and np.array_equal(lesson.loss_history.values, history)


@pytest.mark.parametrize(
    "args",
    [(0, 0, 0, math.nan), (0, 0, 0, math.inf), (0, 0, 0, 1e101), (2, 0, 0, 1.0), (0, 2, 0, 1.0), (0, 0, 2, 1.0),
     (1, 1, None, 1.0), (-1, 0, 0, 1.0)],  # fmt: skip
)
def test_refuses_what_the_network_cannot_hold_and_changes_nothing(lesson, args):
    before = [p.copy() for p in lesson.network.weights + lesson.network.biases]
    with pytest.raises(ValueError):
        lesson.set_parameter(*args)
    assert all(np.array_equal(a, b) for a, b in zip(before, lesson.network.weights + lesson.network.biases))


def test_refused_during_a_run_with_a_message(lesson):
    said = []
    lesson.message.connect(said.append)
    lesson.begin_run(1)
    assert lesson.set_parameter(0, 0, 0, 5.0) is None
    assert lesson.network.weights[0][0, 0] == 1.0
    assert "Stop training" in said[-1]
