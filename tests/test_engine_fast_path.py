"""run_epoch's kernels (engine/kernels.py) against the teaching path, step(), bit for bit.

run_epoch no longer calls step(): it runs a loop of its own that writes into buffers.
These tests train twin networks, one with run_epoch and one with a step() per update,
and require the same epoch losses and the same parameters, compared as bytes (so even
the sign of a zero counts), for every mode, activation, loss and row order, on random
architectures. No test here is timed: benchmarks/run.py measures the speed.
"""

import copy
import itertools
from contextlib import contextmanager

import numpy as np
import pytest

from backprop_gui.engine import ACTIVATIONS, Network, Trainer, train
from backprop_gui.engine.kernels import BatchKernel, SampleKernel
from backprop_gui.engine.trainer import STOP_POLL_STEPS

HIDDEN = sorted(ACTIVATIONS)
# (mode, batch_size): per-row SGD, mini-batches of one row, of 3 rows (the last one shorter) and full batch.
MODES = [("sgd", 1), ("minibatch", 1), ("minibatch", 3), ("batch", 1)]
ORDERS = ["sequential", "random"]


# -- helpers ------------------------------------------------------------------------


def random_architecture(rng, n_outputs=None):
    """Inputs, 0 to 4 hidden layers of 1 to 8 neurons, and 1 output (or ``n_outputs``)."""
    hidden = [int(n) for n in rng.integers(1, 9, size=int(rng.integers(0, 5)))]
    outputs = n_outputs if n_outputs is not None else 1
    return [int(rng.integers(1, 5)), *hidden, outputs]


def problem(sizes, loss, rng, n_rows=23):
    X = rng.normal(size=(n_rows, sizes[0])) * rng.choice([0.5, 2.0, 5.0])
    y = rng.normal(size=(n_rows, sizes[-1]))
    if loss == "bce":
        y = (y > 0).astype(float)
    return X, y


def twins(network, X, y, **options):
    """Two trainers with equal settings on equal but independent copies of ``network``."""
    return Trainer(network.copy(), X, y, **options), Trainer(network.copy(), X, y, **options)


def steps_of_one_epoch(trainer):
    """What run_epoch did before it had kernels: step() until an epoch completes."""
    while True:
        record = trainer.step()
        if record.epoch_loss is not None:
            return record.epoch_loss


def parameter_bytes(network):
    return [p.tobytes() for p in network.weights + network.biases]


def assert_identical(by_epoch, by_step):
    assert parameter_bytes(by_epoch.network) == parameter_bytes(by_step.network)
    assert (by_epoch.epoch, by_epoch.steps, by_epoch.epoch_in_progress) == (
        by_step.epoch,
        by_step.steps,
        by_step.epoch_in_progress,
    )


def same_float(a, b):
    return a == b or (np.isnan(a) and np.isnan(b))


@contextmanager
def without_step_computation():
    """Makes run_epoch fail if it fell back on step()'s computation, so that the twins really differ."""

    def refuse(*args, **kwargs):
        raise AssertionError("run_epoch used Trainer._compute")

    original = Trainer._compute
    Trainer._compute = refuse
    try:
        yield
    finally:
        Trainer._compute = original


def run_epochs_and_steps(by_epoch, by_step, epochs):
    for _ in range(epochs):
        with without_step_computation():
            epoch_loss = by_epoch.run_epoch()
        step_loss = steps_of_one_epoch(by_step)
        assert same_float(epoch_loss, step_loss), (epoch_loss, step_loss)
        assert_identical(by_epoch, by_step)


# -- the grid -------------------------------------------------------------------------

GRID = [
    (mode, batch_size, hidden, output, loss, order)
    for (mode, batch_size), hidden, output, loss, order in itertools.product(
        MODES, HIDDEN, HIDDEN, ["mse", "bce"], ORDERS
    )
    if loss == "mse" or output == "sigmoid"
]


@pytest.mark.parametrize("mode,batch_size,hidden,output,loss,order", GRID)
def test_run_epoch_equals_steps_bit_for_bit(mode, batch_size, hidden, output, loss, order):
    case_seed = GRID.index((mode, batch_size, hidden, output, loss, order))
    rng = np.random.default_rng(case_seed)
    sizes = random_architecture(rng)
    X, y = problem(sizes, loss, rng)
    network = Network(sizes, hidden, output, init="normal", seed=case_seed)
    by_epoch, by_step = twins(
        network, X, y, learning_rate=0.05, loss=loss, mode=mode, batch_size=batch_size, order=order, seed=case_seed
    )

    run_epochs_and_steps(by_epoch, by_step, 3)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("mode,batch_size", MODES)
def test_networks_with_several_outputs_equal_steps_bit_for_bit(mode, batch_size, seed):
    rng = np.random.default_rng(1000 + seed)
    sizes = random_architecture(rng, n_outputs=int(rng.integers(2, 4)))
    hidden, output = rng.choice(HIDDEN, size=2)
    X, y = problem(sizes, "mse", rng)
    network = Network(sizes, str(hidden), str(output), init="xavier", seed=seed)
    by_epoch, by_step = twins(network, X, y, learning_rate=0.1, mode=mode, batch_size=batch_size, order="random", seed=seed)

    run_epochs_and_steps(by_epoch, by_step, 2)


@pytest.mark.parametrize("mode,batch_size", MODES)
def test_full_batch_sums_over_hundreds_of_rows_equal_steps(mode, batch_size):
    """Past 8 and 128 values NumPy sums pairwise: the kernel must sum in the same order."""
    rng = np.random.default_rng(7)
    X, y = problem([3, 8, 1], "mse", rng, n_rows=517)
    network = Network([3, 8, 5, 1], "tanh", "linear", init="xavier", seed=3)
    by_epoch, by_step = twins(network, X, y, learning_rate=0.01, mode=mode, batch_size=batch_size, order="random")

    run_epochs_and_steps(by_epoch, by_step, 2)


def test_the_notes_network_on_the_notes_table_equals_steps():
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    y = np.array([5.0, 3.0, 8.0])
    by_epoch, by_step = twins(Network([2, 2, 1], init="ones"), X, y, learning_rate=1e-6)

    run_epochs_and_steps(by_epoch, by_step, 20)


def test_negative_zero_parameters_stay_as_step_leaves_them():
    """A gradient of -0.0 and one of +0.0 differ only in what they do to a parameter of -0.0.

    Every parameter starts at -0.0 and every target is 0, so every row is predicted exactly:
    ∂L/∂ŷ = -2·(0 - 0) = -0.0, and step() subtracts η·(0 + -0.0) = +0.0 from the output's
    bias, which stays -0.0 (subtracting η·(-0.0) would turn it into +0.0).
    """
    network = Network([2, 3, 1], "relu", "linear", init="zeros")
    network.set_parameters([-w for w in network.weights], [-b for b in network.biases])
    X = np.array([[1.0, -2.0], [-0.0, 3.0], [2.0, 0.0]])
    for mode in ("sgd", "batch"):
        by_epoch, by_step = twins(network, X, np.zeros(3), learning_rate=0.1, mode=mode)
        run_epochs_and_steps(by_epoch, by_step, 2)
        assert np.signbit(by_epoch.network.biases[-1]).all()


@pytest.mark.parametrize("mode,batch_size", MODES)
def test_divergence_to_inf_and_nan_follows_steps(mode, batch_size):
    """The notes' start on raw inputs overflows: the losses and weights go inf and NaN alike."""
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    by_epoch, by_step = twins(
        Network([2, 2, 1], init="ones"), X, [5.0, 3.0, 8.0], learning_rate=0.01, mode=mode, batch_size=batch_size
    )
    for _ in range(40):
        with without_step_computation():
            epoch_loss = by_epoch.run_epoch()
        assert same_float(epoch_loss, steps_of_one_epoch(by_step))
        for a, b in zip(by_epoch.network.weights + by_epoch.network.biases, by_step.network.weights + by_step.network.biases):
            np.testing.assert_array_equal(a, b)  # NaN equals NaN here
    assert not by_epoch.network.all_parameters_finite()


# -- the epoch's bookkeeping around the kernel -----------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 2])
def test_run_epoch_finishes_an_epoch_that_steps_began(batch_size):
    rng = np.random.default_rng(5)
    X, y = problem([2, 4, 1], "mse", rng, n_rows=9)
    by_epoch, by_step = twins(Network([2, 4, 1], "sigmoid", init="normal"), X, y, learning_rate=0.2,
                              mode="minibatch", batch_size=batch_size, order="random", seed=2)
    for _ in range(2):
        by_epoch.step()

    run_epochs_and_steps(by_epoch, by_step, 2)


def test_a_stopped_epoch_goes_on_with_steps_as_if_never_interrupted():
    rng = np.random.default_rng(8)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=5 * STOP_POLL_STEPS + 7)
    by_epoch, by_step = twins(Network([2, 3, 1], "tanh", init="normal"), X, y, learning_rate=0.01, order="random")
    polls = []

    def stop_at_third_poll():
        polls.append(by_epoch.steps)
        return len(polls) == 3

    assert by_epoch.run_epoch(stop_at_third_poll) is None
    assert polls == [0, STOP_POLL_STEPS, 2 * STOP_POLL_STEPS]
    assert by_epoch.steps == 2 * STOP_POLL_STEPS and by_epoch.epoch_in_progress

    assert steps_of_one_epoch(by_epoch) == steps_of_one_epoch(by_step)
    assert_identical(by_epoch, by_step)


def test_polling_resumes_on_the_multiples_of_the_poll_interval():
    X = np.random.default_rng(9).normal(size=(3 * STOP_POLL_STEPS, 2))
    trainer = Trainer(Network([2, 2, 1], init="random"), X, X.sum(axis=1), learning_rate=0.01)
    for _ in range(5):
        trainer.step()
    polled_at = []

    def record_poll():
        polled_at.append(trainer.steps)
        return False

    assert trainer.run_epoch(record_poll) is not None
    assert polled_at == [STOP_POLL_STEPS, 2 * STOP_POLL_STEPS]


def test_run_epoch_follows_a_network_replaced_or_edited_between_epochs():
    """The GUI hands the trainer a copy of its network for each run, and Reset writes the arrays in place."""
    rng = np.random.default_rng(10)
    X, y = problem([2, 2, 1], "mse", rng, n_rows=6)
    by_epoch, by_step = twins(Network([2, 2, 1], init="random"), X, y, learning_rate=0.05)
    run_epochs_and_steps(by_epoch, by_step, 1)

    by_epoch.network = by_epoch.network.copy()
    by_step.network = by_step.network.copy()
    run_epochs_and_steps(by_epoch, by_step, 1)

    for trainer in (by_epoch, by_step):
        trainer.network.initialize("normal", seed=4)
    run_epochs_and_steps(by_epoch, by_step, 1)

    for trainer in (by_epoch, by_step):
        trainer.network = Network([2, 5, 1], "tanh", init="normal", seed=5)
    run_epochs_and_steps(by_epoch, by_step, 1)


def test_a_deep_copied_trainer_trains_its_own_network():
    rng = np.random.default_rng(13)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=8)
    original = Trainer(Network([2, 3, 1], "tanh", init="normal"), X, y, learning_rate=0.1, order="random")
    original.run_epoch()
    before = parameter_bytes(original.network)

    duplicate = copy.deepcopy(original)
    duplicate.run_epoch()

    assert parameter_bytes(original.network) == before
    assert parameter_bytes(duplicate.network) != before
    original.run_epoch()
    assert parameter_bytes(original.network) == parameter_bytes(duplicate.network)


def test_the_right_kernel_runs():
    X = np.zeros((4, 2))
    cases = [
        ({"mode": "sgd"}, [2, 2, 1], SampleKernel),
        ({"mode": "minibatch", "batch_size": 1}, [2, 2, 1], SampleKernel),
        ({"mode": "sgd"}, [2, 2, 2], BatchKernel),
        ({"mode": "minibatch", "batch_size": 2}, [2, 2, 1], BatchKernel),
        ({"mode": "batch"}, [2, 2, 1], BatchKernel),
    ]
    for options, sizes, kind in cases:
        trainer = Trainer(Network(sizes), X, np.zeros((4, sizes[-1])), learning_rate=0.1, **options)
        trainer.run_epoch()
        assert type(trainer._kernel) is kind


def test_train_with_kernels_matches_a_replay_by_steps():
    """train() (the GUI's loop) on top of run_epoch: losses and weights as a replay by steps."""
    rng = np.random.default_rng(11)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=17)
    by_train, by_step = twins(Network([2, 3, 1], "tanh", init="normal"), X, y, learning_rate=0.05, order="random")
    losses = []
    train(by_train, 30, report=lambda p: losses.extend(p.new_losses) or True, report_interval=0.0)

    assert losses == [steps_of_one_epoch(by_step) for _ in range(30)]
    assert_identical(by_train, by_step)


# -- the activations' buffer-writing twins -------------------------------------------------


@pytest.mark.parametrize("name", HIDDEN)
def test_activation_twins_equal_the_originals_bit_for_bit(name):
    activation = ACTIVATIONS[name]
    rng = np.random.default_rng(12)
    z = np.concatenate([rng.normal(scale=s, size=(50, 3)) for s in (0.1, 3.0, 40.0, 1e3)])
    z[:4] = [[0.0, -0.0, np.inf], [-np.inf, np.nan, 1e-310], [-1e-310, 20.0, -20.0], [710.0, -710.0, 1.0]]
    expected_out = activation.forward(z)
    expected_slope = activation.derivative(z, expected_out)

    out, scratch, slope = np.empty_like(z), np.empty_like(z), np.empty_like(z)
    activation.forward_into(z, out, scratch)
    activation.derivative_into(z, out, slope)

    assert out.tobytes() == np.asarray(expected_out).tobytes()
    assert slope.tobytes() == np.asarray(expected_slope).tobytes()
