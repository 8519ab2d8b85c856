"""Divergence advised well (issue 35, point 6): the loss history keeps every epoch up to the one that
diverged, and the advice names only remedies that apply, with a learning rate a trial found off the
GUI thread."""

import threading

import numpy as np

from backprop_gui.engine.divergence import DivergenceTrial, candidate_rates, learning_rate_to_try
from backprop_gui.engine import TrainingSettings
from backprop_gui.lesson import Lesson


def diverge(window, qtbot):
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))  # weights 1, standardised inputs
    controls.learning_rate.setValue(0.5)
    window.reset_button.click()
    return window.train_and_wait()


def test_weights_1_standardised_eta_half_diverges_with_fitting_advice(window, qtbot, monkeypatch):
    from backprop_gui.ui.training import divergence_advisor

    threads = []
    real = divergence_advisor.learning_rate_to_try

    def recording(trial, should_stop=None):
        threads.append(threading.current_thread())
        return real(trial, should_stop)

    monkeypatch.setattr(divergence_advisor, "learning_rate_to_try", recording)
    shown = []
    window.statusBar().messageChanged.connect(shown.append)
    outcome = diverge(window, qtbot)
    assert outcome.reason == "diverged"
    history = window.lesson.loss_history.values
    assert len(history) >= 2 and np.all(np.diff(history) > 0)  # the rise, up to the diverged epoch
    assert window.lesson.diverged_epoch == len(history)
    x, y = window.loss_panel.plot.curve.getData()
    assert y is not None and len(y) == len(history)  # the plot holds them all
    qtbot.waitUntil(lambda: window.divergence_advisor.last_advice is not None, timeout=20_000)
    said = [m for m in shown if "diverged" in m]
    assert len(said) >= 2 and not any("standardis" in m.lower() for m in said)  # they are standardised
    message = said[-1]
    assert message == window.divergence_advisor.last_advice
    assert threads and threads[0] is not threading.main_thread()
    # The rate said is the largest of η/10, η/100, … that does not diverge in the trial.
    trial = window.lesson.divergence_trial()
    rate = learning_rate_to_try(trial)
    assert f"Try η = {rate:g}".replace("-", "−") in message or f"η = {rate}" in message
    assert not trial.diverges(rate)
    for larger in candidate_rates(0.5):
        if larger > rate * 1.0001:
            assert trial.diverges(larger)


def test_going_on_from_the_kept_weights_drops_the_diverged_epoch(window, qtbot):
    diverge(window, qtbot)
    n = len(window.lesson.loss_history)
    window.controls.learning_rate.setValue(0.001)
    window.step_button.click()
    assert len(window.lesson.loss_history) == n - 1 and window.lesson.diverged_epoch is None


def test_a_step_that_overflows_names_standardising_only_for_raw_inputs():
    for scaling, named in (("standardize", False), ("none", True)):
        messages = []
        lesson = Lesson(TrainingSettings(init="ones", scaling=scaling, learning_rate=10.0, order="sequential"))
        lesson.message.connect(messages.append)
        for _ in range(40):
            if lesson.step() is None:
                break
        assert messages and "overflow" in messages[-1]
        assert ("standardise" in messages[-1]) == named


def test_the_trial_is_as_long_as_the_run_took_within_bounds():
    settings = TrainingSettings(learning_rate=0.5)
    w, b = [np.ones((2, 2)), np.ones((2, 1))], [np.zeros(2), np.zeros(1)]
    X, y = np.zeros((3, 2)), np.zeros(3)
    assert DivergenceTrial.make(settings, w, b, X, y, 2).epochs == 10
    assert DivergenceTrial.make(settings, w, b, X, y, 30).epochs == 30
    assert DivergenceTrial.make(settings, w, b, X, y, 3000).epochs == 50
    big = np.zeros((100_000, 2))
    assert DivergenceTrial.make(settings, w, b, big, np.zeros(100_000), 30).epochs == 2
    assert candidate_rates(0.001) == [0.001 / 10, 0.001 / 100, 0.001 / 1000]
