"""Multi-class classification: a softmax output and the categorical cross-entropy against PyTorch.

For 2-3-3 and 2-4-4-4 networks (hidden tanh and relu) on random data with integer and one-hot
targets, per sample and full batch, with SGD and Adam over 50 updates: step()'s loss and every
gradient equal PyTorch float64 (``log_softmax`` + ``nll_loss``, the mean over the batch's rows)
to 1e-12 relative (normwise: relative to the largest of the compared array, as a value near 0 in
an array of larger ones inherits their rounding), and so do the parameters after every update,
made by step() (the readable path) or by the compiled kernel (run_epochs, one update a call).
"""

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import Network, Trainer, jit_available
from backprop_gui.engine.activations import log_softmax, softmax
from backprop_gui.engine.losses import CCE

TOLERANCE = 1e-12
UPDATES = 50
LEARNING_RATES = {"sgd": 0.1, "adam": 0.001}
"""Adam's at 0.001, as in test_optimizers.py: Adam divides each gradient by its own size, so an
ulp of a gradient near 0 moves its parameter by up to η; at 0.01 the parameters after 50 updates
drift apart by ~1.2e-12 of the largest (seed 507, 2-4-4-4 tanh) while every step's loss and
gradients still agree to 1e-12."""
SEEDS = st.integers(0, 2**32 - 1)
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")


def close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.max(np.abs(b), initial=0.0)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= TOLERANCE * scale))


def random_problem(seed, sizes, hidden, n_rows=7):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, sizes[0])) * 2.0
    labels = rng.integers(0, sizes[-1], size=n_rows)
    network = Network(sizes, hidden, "softmax", init="normal", seed=int(rng.integers(1000)))
    return network, X, labels


class TorchTwin:
    """The same network in PyTorch float64, trained by torch.optim on log_softmax + nll_loss."""

    def __init__(self, network, X, labels, optimizer, lr):
        import torch

        self.torch = torch
        self.hidden = {"tanh": torch.tanh, "relu": torch.relu}[network.hidden_activation.name]
        self.weights = [torch.tensor(w, requires_grad=True) for w in network.weights]
        self.biases = [torch.tensor(b, requires_grad=True) for b in network.biases]
        params = self.weights + self.biases
        self.optimizer = torch.optim.SGD(params, lr=lr) if optimizer == "sgd" else torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
        self.X, self.labels = torch.tensor(X), torch.tensor(labels, dtype=torch.int64)

    def step(self, rows):
        """One update on ``rows``; returns the loss and the gradients (weights, biases) before it."""
        torch = self.torch
        self.optimizer.zero_grad()
        out = self.X[rows]
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            out = out @ w + b
            if k < len(self.weights) - 1:
                out = self.hidden(out)
        loss = torch.nn.functional.nll_loss(torch.log_softmax(out, dim=1), self.labels[rows], reduction="mean")
        loss.backward()
        grads = [p.grad.numpy().copy() for p in self.weights], [p.grad.numpy().copy() for p in self.biases]
        self.optimizer.step()
        return float(loss.detach()), grads

    def parameters(self):
        return [p.detach().numpy() for p in self.weights + self.biases]


CASES = [
    (sizes, hidden, targets, mode, optimizer)
    for sizes in ([2, 3, 3], [2, 4, 4, 4])
    for hidden in ("tanh", "relu")
    for targets in ("labels", "one_hot")
    for mode in ("sgd", "batch")
    for optimizer in ("sgd", "adam")
]


def rows_of_update(update, mode, n_rows):
    return np.arange(n_rows) if mode == "batch" else np.array([update % n_rows])


@needs_torch
@pytest.mark.parametrize("sizes, hidden, targets, mode, optimizer", CASES)
@settings(max_examples=3, deadline=None)
@given(seed=SEEDS)
def test_step_equals_pytorch_loss_gradients_and_updates(sizes, hidden, targets, mode, optimizer, seed):
    network, X, labels = random_problem(seed, sizes, hidden)
    lr = LEARNING_RATES[optimizer]
    y = labels if targets == "labels" else np.eye(sizes[-1])[labels]
    trainer = Trainer(network.copy(), X, y, learning_rate=lr, loss="categorical_cross_entropy", mode=mode, optimizer=optimizer)
    twin = TorchTwin(network, X, labels, optimizer, lr)
    for update in range(UPDATES):
        record = trainer.step()
        rows = rows_of_update(update, mode, X.shape[0])
        assert list(record.rows) == list(rows)
        loss, (weight_grads, bias_grads) = twin.step(rows)
        assert close(record.loss, loss), (update, record.loss, loss)
        every = np.concatenate([g.ravel() for g in weight_grads + bias_grads])
        mine = np.concatenate([g.ravel() for g in record.weight_grads + record.bias_grads])
        assert close(mine, every), (update, mine, every)
        assert close(record.y_hat.sum(axis=1), np.ones(len(rows)))
    expected = twin.parameters()
    scale = max(np.max(np.abs(p)) for p in expected)
    for a, b in zip(trainer.network.weights + trainer.network.biases, expected):
        assert np.all(np.abs(a - b) <= TOLERANCE * scale), (a, b)


@needs_torch
@pytest.mark.skipif(not jit_available(), reason="the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
@pytest.mark.parametrize("sizes, hidden, targets, mode, optimizer", CASES)
@settings(max_examples=2, deadline=None)
@given(seed=SEEDS)
def test_the_compiled_kernel_equals_pytorch_update_by_update(sizes, hidden, targets, mode, optimizer, seed):
    network, X, labels = random_problem(seed, sizes, hidden)
    lr = LEARNING_RATES[optimizer]
    y = labels if targets == "labels" else np.eye(sizes[-1])[labels]
    trainer = Trainer(network.copy(), X, y, learning_rate=lr, loss="categorical_cross_entropy", mode=mode, optimizer=optimizer)
    twin = TorchTwin(network, X, labels, optimizer, lr)
    per_epoch = 1 if mode == "batch" else X.shape[0]
    epoch_losses = []
    for update in range(UPDATES):
        run = trainer.run_epochs(1, max_updates=1)
        assert run.compiled
        loss, _ = twin.step(rows_of_update(update, mode, X.shape[0]))
        epoch_losses.append(loss)
        if (update + 1) % per_epoch == 0:
            assert run.losses.size == 1 and close(run.losses[0], np.mean(epoch_losses[-per_epoch:]))
        expected = twin.parameters()
        scale = max(np.max(np.abs(p)) for p in expected)
        for a, b in zip(trainer.network.weights + trainer.network.biases, expected):
            assert np.all(np.abs(a - b) <= TOLERANCE * scale), (update, a, b)


def test_softmax_and_log_softmax_are_stable_where_exp_overflows():
    z = np.array([[1000.0, 999.0, -1000.0], [0.0, 0.0, 0.0]])
    p = softmax(z)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[0, :2], [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1))])
    assert np.allclose(p[1], 1 / 3)
    logp = log_softmax(z)
    assert np.isfinite(logp).all() and logp[0, 2] == pytest.approx(-2000.0 - np.log1p(np.exp(-1)))
    y = np.eye(3)[[2, 0]]
    assert CCE.value(y, p, z) == pytest.approx((2000.0 + np.log1p(np.exp(-1)) + np.log(3)) / 2)


def test_a_softmax_output_is_refused_for_another_task_and_bad_targets_are_refused():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="softmax output is for multi-class"):
        Trainer(Network([2, 2, 3], "tanh", "softmax"), X, np.zeros((3, 3)), learning_rate=0.1, loss="mse")
    with pytest.raises(ValueError, match="needs a softmax"):
        Trainer(Network([2, 2, 3], "tanh", "sigmoid"), X, [0, 1, 2], learning_rate=0.1, loss="categorical_cross_entropy")
    with pytest.raises(ValueError, match="whole number from 0 to 2"):
        Trainer(Network([2, 2, 3], "tanh", "softmax"), X, [0, 1, 3], learning_rate=0.1, loss="categorical_cross_entropy")
    with pytest.raises(ValueError, match="exactly one 1"):
        Trainer(Network([2, 2, 3], "tanh", "softmax"), X, [[1, 1, 0], [1, 0, 0], [0, 0, 1]], learning_rate=0.1, loss="categorical_cross_entropy")
    with pytest.raises(ValueError, match="at least two classes"):
        Trainer(Network([2, 2, 1], "tanh", "softmax"), X, [0, 0, 0], learning_rate=0.1, loss="categorical_cross_entropy")
    with pytest.raises(ValueError, match="output activation only"):
        Network([2, 2, 3], "softmax", "softmax")


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, k=st.integers(2, 6))
def test_the_output_delta_is_y_hat_minus_y_for_every_output(seed, k):
    rng = np.random.default_rng(seed)
    network = Network([2, 3, k], "tanh", "softmax", init="normal", seed=int(rng.integers(1000)))
    X, labels = rng.normal(size=(5, 2)), rng.integers(0, k, size=5)
    record = Trainer(network, X, labels, learning_rate=0.1, loss="categorical_cross_entropy", mode="batch").step()
    one_hot = np.eye(k)[labels]
    assert np.array_equal(record.targets, one_hot)
    assert np.allclose(record.deltas[-1], (record.y_hat - one_hot) / 5, rtol=0, atol=1e-15)
    assert np.all(record.deltas[-1][one_hot == 0] > 0) and np.all(record.deltas[-1][one_hot == 1] < 0)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, k=st.integers(2, 5), n_rows=st.integers(1, 40))
def test_accuracy_and_the_confusion_matrix_equal_a_count_row_by_row(seed, k, n_rows):
    from backprop_gui.engine.measures.metrics import evaluate

    rng = np.random.default_rng(seed)
    network = Network([2, 4, k], "tanh", "softmax", init="normal", seed=int(rng.integers(1000)))
    X, labels = rng.normal(size=(n_rows, 2)), rng.integers(0, k, size=n_rows)
    metrics = evaluate(network, X, labels, "categorical_cross_entropy")
    probabilities = network.predict(X)
    counted = np.zeros((k, k), dtype=int)
    right = 0
    for row in range(n_rows):
        best = max(range(k), key=lambda c: probabilities[row, c])
        counted[labels[row], best] += 1
        right += best == labels[row]
    assert metrics.task == "multiclass"
    assert np.array_equal(metrics.confusion, counted) and metrics.confusion.sum() == n_rows
    assert metrics.accuracy == right / n_rows
    one_hot_metrics = evaluate(network, X, np.eye(k)[labels], "categorical_cross_entropy")
    assert np.array_equal(one_hot_metrics.confusion, counted) and one_hot_metrics.loss == metrics.loss


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS)
def test_the_loss_landscape_is_the_trainer_s_cross_entropy_at_every_grid_point(seed):
    from backprop_gui.engine.measures.landscape import loss_surface

    rng = np.random.default_rng(seed)
    network = Network([2, 3, 3], "relu", "softmax", init="normal", seed=int(rng.integers(1000)))
    X, labels = rng.normal(size=(6, 2)), rng.integers(0, 3, size=6)
    refs = ("w¹₁₁", "b₂₃")
    firsts, seconds = rng.normal(size=3), rng.normal(size=4)
    surface = loss_surface(network, X, labels, "categorical_cross_entropy", refs[0], refs[1], firsts, seconds)
    trainer = Trainer(network.copy(), X, labels, learning_rate=0.1, loss="categorical_cross_entropy")
    for i, a in enumerate(firsts):
        for j, b in enumerate(seconds):
            trainer.network.weights[0][0, 0] = a
            trainer.network.biases[1][2] = b
            assert surface[i, j] == pytest.approx(trainer.loss_on(), rel=1e-13)


def test_the_multiclass_task_s_settings_go_together_and_its_defaults_learn_the_example():
    import dataclasses

    from backprop_gui.engine.measures.metrics import evaluate
    from backprop_gui.engine.settings import MULTICLASS_DEFAULTS, TrainingSettings
    from backprop_gui.files import read_csv_table
    from backprop_gui.files.class_column import read_class_column
    from backprop_gui.files.resources import resource_path

    settings = TrainingSettings(**MULTICLASS_DEFAULTS, hidden_layers=(3,), mode="batch", init="xavier", seed=1)
    assert settings.task == "multiclass"
    with pytest.raises(ValueError, match="go together"):
        dataclasses.replace(settings, output_activation="sigmoid")
    with pytest.raises(ValueError, match="go together"):
        dataclasses.replace(settings, loss="mse")
    with pytest.raises(ValueError, match="hidden_activation must be one of"):
        dataclasses.replace(settings, hidden_activation="softmax")
    table = read_csv_table(resource_path("three_classes.csv"))
    column = read_class_column(table.values[:, -1])
    sizes = settings.layer_sizes(2, column.n_classes)
    assert sizes == [2, 3, 3]
    network = Network(sizes, settings.hidden_activation, settings.output_activation, init=settings.init, seed=settings.seed)
    X = (table.values[:, :2] - table.values[:, :2].mean(axis=0)) / table.values[:, :2].std(axis=0)
    trainer = Trainer(network, X, column.labels, learning_rate=settings.learning_rate, loss=settings.loss, mode=settings.mode)
    for _ in range(500):
        trainer.step()
    assert evaluate(network, X, column.labels, settings.loss).accuracy == 1.0
