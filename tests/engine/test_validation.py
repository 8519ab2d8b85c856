"""Validation rows (never trained on, their loss per epoch) and early stopping, on both engine paths."""

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer, TrainingSettings, train
from backprop_gui.engine.settings import validation_rows


def problem(n_rows=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, 2))
    return X, X @ [1.0, -2.0] + rng.normal(scale=0.5, size=n_rows)


def test_the_split_is_seeded_rounded_and_leaves_a_row_to_train_on():
    assert validation_rows(10, 0, 3).size == 0
    rows = validation_rows(10, 25, 3)
    assert rows.size == 3 and np.array_equal(rows, validation_rows(10, 25, 3)) and np.all(np.diff(rows) > 0)
    assert not np.array_equal(rows, validation_rows(10, 25, 4))
    assert validation_rows(1, 50, 0).size == 0 and validation_rows(2, 50, 0).size == 1


@pytest.mark.parametrize("mode", ["sgd", "minibatch", "batch"])
@pytest.mark.parametrize("order", ["sequential", "random"])
def test_validation_rows_are_never_trained_on(mode, order, engine_path):
    X, y = problem()
    held_out = [2, 5, 11, 17]
    a = Trainer(Network([2, 3, 1], "tanh", init="normal"), X, y, learning_rate=0.05, mode=mode, batch_size=3,
                order=order, validation_rows=held_out, optimizer="adam")  # fmt: skip
    changed = y.copy()
    changed[held_out] += 100.0  # what the validation rows say cannot change the training
    b = Trainer(Network([2, 3, 1], "tanh", init="normal"), X, changed, learning_rate=0.05, mode=mode, batch_size=3,
                order=order, validation_rows=held_out, optimizer="adam")  # fmt: skip
    for _ in range(5):
        assert not set(a.step().rows) & set(held_out)
        b.step()
    run = a.run_epochs(4)
    b.run_epochs(4)
    assert [w.tobytes() for w in a.network.weights] == [w.tobytes() for w in b.network.weights]
    assert run.validation_losses.shape == (4,)
    assert run.validation_losses[-1] == pytest.approx(a.validation_loss(), rel=1e-12)


def test_a_step_that_ends_an_epoch_measures_the_validation_loss():
    X, y = problem(6)
    trainer = Trainer(Network([2, 2, 1]), X, y, learning_rate=0.01, validation_rows=[0, 1])
    records = [trainer.step() for _ in range(4)]
    assert [r.validation_loss is None for r in records] == [True, True, True, False]
    assert records[-1].validation_loss == trainer.validation_loss()


def overfitting(path_seed=0):
    rng = np.random.default_rng(path_seed)
    X = rng.uniform(-1, 1, size=(16, 1))
    y = np.sin(3 * X[:, 0]) + rng.normal(scale=0.4, size=16)
    return X, y


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_early_stopping_keeps_the_best_validation_epoch(optimizer, engine_path):
    X, y = overfitting()
    settings = TrainingSettings(hidden_layers=(8, 8), hidden_activation="tanh", learning_rate=0.01,
                                optimizer=optimizer, validation_percent=25, patience=20, mode="batch")  # fmt: skip
    trainer = settings.build_trainer(settings.build_network(1), X, y)
    losses, validation = [], []

    def report(progress):
        losses.extend(progress.new_losses)
        validation.extend(progress.new_validation_losses)
        return True

    outcome = train(trainer, 5000, report=report, report_interval=0.0, patience=20)
    assert outcome.reason == "early_stopped"
    best = int(np.argmin(validation)) + 1
    assert outcome.best_epoch == best and f"epoch {best}" in outcome.message
    assert len(validation) == len(losses) == best + 20
    # The weights kept are those of the best epoch: a replay of `best` epochs gives them.
    replay = settings.build_trainer(settings.build_network(1), X, y)
    for _ in range(best):
        replay.run_epoch()
    scale = max(np.max(np.abs(w)) for w in replay.network.weights)
    for kept, expected in zip(trainer.network.weights, replay.network.weights):
        np.testing.assert_allclose(kept, expected, rtol=0, atol=1e-12 * scale)
    assert trainer.optimizer_state.t == replay.optimizer_state.t
    assert trainer.validation_loss() == pytest.approx(min(validation), rel=1e-9)
