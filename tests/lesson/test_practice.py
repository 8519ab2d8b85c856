"""Practice mode: a hand calculation is accepted to hand precision, and each common slip is named."""

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer, TrainingSettings
from backprop_gui.engine.explain.explainer import StepExplainer
from backprop_gui.engine.notation import ParameterRef
from backprop_gui.lesson.practice import ExerciseStep, Practice, close

NOTES_X, NOTES_Y = [[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]], [5.0, 3.0, 8.0]


def notes_step(hidden="linear", output="linear", loss="mse", rate=1e-6, bias=0.0, target=5.0, x=(80.0, 8.0)):
    network = Network([2, 2, 1], hidden, output, init="ones")
    for b in network.biases:
        b[...] = bias
    before = network.copy()
    record = Trainer(network, [list(x)], [target], rate, loss=loss).step()
    explainer = StepExplainer(record, [2, 2, 1], hidden, output, loss, ["IQ", "CGPA"], "Package")
    return ExerciseStep(explainer, before, loss, rate)


def question(step, symbol):
    return next(q for phase in step.phases() for q in step.questions(phase) if q.symbol == symbol)


def test_the_notes_numbers_are_accepted_to_hand_precision():
    step = notes_step()
    assert step.check(question(step, "ŷ"), 176).correct
    assert step.check(question(step, "L"), 29241).correct
    assert step.check(question(step, "∂L/∂w¹₁₁"), 27360).correct
    assert step.check(question(step, "∂L/∂w¹₁₁"), 27361).correct  # within 1e-3
    assert not step.check(question(step, "∂L/∂w¹₁₁"), 27500).correct


@pytest.mark.parametrize(
    ("symbol", "answer", "slip", "words"),
    [
        ("∂L/∂w¹₁₁", -27360, "sign", "sign is flipped"),
        ("∂L/∂w¹₁₁", 13680, "factor 2", "factor 2"),
        ("∂L/∂w¹₁₁", 342 * 88, "wrong path", "goes through w²₁₁ · IQ, not O₁₁"),
        ("∂L/∂w¹₁₁", 342, "dropped factor", "leaves out the factor IQ = 80"),
        ("∂L/∂ŷ", -342, "sign", "sign is flipped"),
        ("∂L/∂ŷ", 171, "factor 2", "forgot the factor 2"),
        ("L", -171, "square", "squares it"),
        ("L", 29241 / 2, "half", "without it"),
        ("w¹₁₁ after the update", 1 + 1e-6 * 27360, "sign", "subtracts it"),
        ("w¹₁₁ after the update", 1 - 27360, "learning rate", "forgot η"),
    ],
)
def test_each_common_slip_is_named(symbol, answer, slip, words):
    step = notes_step()
    verdict = step.check(question(step, symbol), answer)
    assert not verdict.correct and verdict.slip == slip and words in verdict.message


def test_using_the_new_weights_is_recognised():
    step = notes_step(rate=1e-5)
    q = question(step, "∂L/∂w¹₁₁")
    slipped = dict((name, value) for name, value, _ in step.slips(q))["new weights"]
    verdict = step.check(q, slipped)
    assert verdict.slip == "new weights" and "after the update" in verdict.message


def test_forward_slips_forgotten_bias_and_activation():
    step = notes_step(bias=0.5)
    assert step.check(question(step, "O₁₁"), 88).slip == "bias"
    step = notes_step(hidden="sigmoid", bias=0.5, x=(0.8, 0.08))
    q = question(step, "O₁₁")
    z = 0.8 + 0.08 + 0.5
    assert step.check(q, z).slip == "activation"
    assert step.check(q, 1 / (1 + np.exp(-(0.8 + 0.08)))).slip == "bias"


def test_a_sigmoid_slope_left_out_is_named():
    step = notes_step(hidden="sigmoid", output="sigmoid", loss="bce", target=1.0, x=(0.8, 0.08))
    q = question(step, "∂L/∂w¹₁₁")
    slope = "∂O₁₁/∂z₁₁"
    for name, value, explanation in step.slips(q):
        if name == "dropped factor" and slope in explanation:
            verdict = step.check(q, value)
            assert verdict.slip == "dropped factor" and slope in verdict.message
            break
    else:
        pytest.fail("leaving out the sigmoid's slope O₁₁(1 − O₁₁) is not recognised")


@pytest.mark.parametrize(
    "settings",
    [
        TrainingSettings(hidden_layers=()),
        TrainingSettings(hidden_layers=(3, 2), hidden_activation="tanh"),
        TrainingSettings(hidden_layers=(2,), hidden_activation="relu"),
        TrainingSettings(hidden_layers=(2,), loss="bce", output_activation="sigmoid", hidden_activation="sigmoid"),
    ],
)
def test_every_question_of_every_phase_is_the_engines_number(settings):
    targets = [0.0, 1.0, 1.0] if settings.loss == "bce" else NOTES_Y
    practice = Practice(settings, NOTES_X, targets, ["IQ", "CGPA"], "y", seed=4)
    step = practice.exercise
    record = step.record
    for phase in step.phases():
        for q in step.questions(phase):
            assert step.check(q, q.value).correct
            if q.kind == "gradient" and q.ref.kind == "w":
                assert q.value == record.weight_grads[q.ref.layer][q.ref.i, q.ref.j]
            if q.kind == "update" and q.ref.kind == "b":
                assert q.value == record.biases_after[q.ref.layer][q.ref.i]
    # The exercise's step is the engine's step from its weights.
    network = step.network.copy()
    again = Trainer(network, record.inputs, record.targets, step.learning_rate, loss=settings.loss).step()
    assert all(np.array_equal(a, b) for a, b in zip(again.weights_after, record.weights_after))


def test_a_session_walks_the_phases_and_keeps_the_score():
    practice = Practice(TrainingSettings(), NOTES_X, NOTES_Y, ["IQ", "CGPA"], "y", seed=1)
    asked = 0
    while True:
        practice.answer(practice.question.value if asked % 2 == 0 else practice.question.value * 3 + 1)
        asked += 1
        if practice.next_phase() is None:
            break
    assert practice.asked == asked == len(practice.exercise.phases())
    assert practice.right == (asked + 1) // 2
    assert practice.score_text() == f"{practice.right} of {asked} right"
    first = practice.exercise
    assert practice.new_exercise() is not first


def test_seeded_exercises_repeat():
    one = Practice(TrainingSettings(), NOTES_X, NOTES_Y, ["IQ", "CGPA"], "y", seed=9)
    two = Practice(TrainingSettings(), NOTES_X, NOTES_Y, ["IQ", "CGPA"], "y", seed=9)
    assert one.question.symbol == two.question.symbol and one.question.value == two.question.value


def test_close_accepts_the_digits_shown():
    assert close(0.1235, 0.123456) and not close(0.2, 0.123456)
    assert close(0.0, 0.0) and not close(float("nan"), 1.0)


def test_choosing_a_quantity_of_the_phase():
    practice = Practice(TrainingSettings(init="ones"), NOTES_X, NOTES_Y, ["IQ", "CGPA"], "y", seed=2)
    symbols = [q.symbol for q in practice.exercise.questions(practice.phase)]
    assert practice.choose(symbols[-1]).symbol == symbols[-1]
    assert practice.choose("nonsense") is None
    assert ParameterRef  # the refs of gradient questions are the engine's ParameterRef
