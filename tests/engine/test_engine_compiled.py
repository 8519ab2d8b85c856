"""run_epoch and train() against the teaching path, step(), on both of the engine's ways to train.

run_epoch does not call step(): with numba it runs the compiled kernel
(backprop_compiled.py), else backprop.py's functions in a loop. These tests train twin
networks, one with run_epoch and one with a step() per update, for every mode, activation,
loss and row order, on random architectures, and require the same epoch losses and
parameters: bit for bit on the readable path (compared as bytes, so even the sign of a zero
counts), to within 1e-12 relative on the compiled one, whose sums run in another order and
whose tanh may differ in the last bit. Every test that takes ``engine_path`` runs both ways.
No test here is timed: benchmarks/run.py measures the speed.
"""

import copy
import itertools
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import ACTIVATIONS, Network, Trainer, backprop, jit_available, train, warm_up
from backprop_gui.engine.training.trainer import STOP_POLL_STEPS

RELATIVE_TOLERANCE = 1e-12
"""How closely the compiled kernel follows step(): relative to the largest parameter of the
network (a normwise relative error; a parameter near 0 in a network of larger ones inherits
their rounding), and for losses relative to the largest loss compared."""
DEEP_TOLERANCE = 1e-10
"""The same for networks of four hidden layers, the app's most: with N(0, 1) weights and linear
layers the last-bit differences of the sums are amplified to ~2e-11 in three epochs here."""

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


def close(a, b, scale=None):
    """Equal on the readable path; within RELATIVE_TOLERANCE of the array's scale on the compiled one.
    NaN matches NaN and an infinity the same infinity."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not jit_available():
        return a.tobytes() == b.tobytes()
    same_special = (np.isnan(a) & np.isnan(b)) | ((a == b) & ~np.isfinite(b))
    finite = np.isfinite(a) & np.isfinite(b)
    if not np.all(same_special | finite):
        return False
    if scale is None:
        scale = np.max(np.abs(b[finite]), initial=0.0)
    return bool(np.all(np.abs(a[finite] - b[finite]) <= RELATIVE_TOLERANCE * scale))


def assert_identical(by_epoch, by_step):
    """The same parameters and position: bit for bit on the readable path, within 1e-12 compiled."""
    expected = by_step.network.weights + by_step.network.biases
    scale = max(np.max(np.abs(p[np.isfinite(p)]), initial=0.0) for p in expected)
    if len(expected) > 4:
        scale *= DEEP_TOLERANCE / RELATIVE_TOLERANCE
    for a, b in zip(by_epoch.network.weights + by_epoch.network.biases, expected):
        assert close(a, b, scale), (a, b)
    assert (by_epoch.epoch, by_epoch.steps, by_epoch.epoch_in_progress) == (
        by_step.epoch,
        by_step.steps,
        by_step.epoch_in_progress,
    )
    assert by_epoch._rng.bit_generator.state == by_step._rng.bit_generator.state


def same_float(a, b):
    return close(a, b)


@contextmanager
def without_step_computation():
    """Makes run_epoch fail if it called step()'s own computation (Trainer._compute), so the twins really differ;
    on the compiled path it must not call backprop.py at all."""

    def refuse(*args, **kwargs):
        raise AssertionError("run_epoch used step()'s computation")

    original = Trainer._compute
    original_step = backprop.train_step
    Trainer._compute = refuse
    if jit_available():
        import backprop_gui.engine.training.trainer as trainer_module

        trainer_module.train_step = refuse
    try:
        yield
    finally:
        Trainer._compute = original
        if jit_available():
            trainer_module.train_step = original_step


def run_epochs_and_steps(by_epoch, by_step, epochs):
    for _ in range(epochs):
        with without_step_computation():
            epoch_loss = by_epoch.run_epoch()
        step_loss = steps_of_one_epoch(by_step)
        deep = by_step.network.n_layers > 4
        scale = abs(step_loss) * (DEEP_TOLERANCE / RELATIVE_TOLERANCE if deep else 1.0)
        assert close(epoch_loss, step_loss, scale), (epoch_loss, step_loss)
        assert_identical(by_epoch, by_step)


# -- the grid -------------------------------------------------------------------------

FIRST_FOUR = ["linear", "relu", "sigmoid", "tanh"]


def grid(pairs):
    return [
        (mode, batch_size, hidden, output, loss, order)
        for (mode, batch_size), (hidden, output), loss, order in itertools.product(MODES, pairs, ["mse", "bce"], ORDERS)
        if loss == "mse" or output == "sigmoid"
    ]


# Every pair of the first four activations; then each later one as the hidden activation under a
# linear and a sigmoid output, and as the output over tanh neurons (all 81 pairs would take twice
# as long). The later cases come last, so that every case keeps its seed (its place in GRID).
GRID = grid(itertools.product(FIRST_FOUR, FIRST_FOUR)) + grid(
    [pair for name in HIDDEN if name not in FIRST_FOUR for pair in ((name, "linear"), (name, "sigmoid"), ("tanh", name))]
)


@pytest.mark.parametrize("mode,batch_size,hidden,output,loss,order", GRID)
def test_run_epoch_equals_steps(mode, batch_size, hidden, output, loss, order, engine_path):
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
def test_networks_with_several_outputs_equal_steps(mode, batch_size, seed, engine_path):
    rng = np.random.default_rng(1000 + seed)
    sizes = random_architecture(rng, n_outputs=int(rng.integers(2, 4)))
    hidden, output = rng.choice(HIDDEN, size=2)
    X, y = problem(sizes, "mse", rng)
    network = Network(sizes, str(hidden), str(output), init="xavier", seed=seed)
    by_epoch, by_step = twins(network, X, y, learning_rate=0.1, mode=mode, batch_size=batch_size, order="random", seed=seed)

    run_epochs_and_steps(by_epoch, by_step, 2)


@pytest.mark.parametrize("mode,batch_size", MODES)
def test_full_batch_sums_over_hundreds_of_rows_equal_steps(mode, batch_size, engine_path):
    """Past 8 and 128 values NumPy sums pairwise: the kernel must sum in the same order."""
    rng = np.random.default_rng(7)
    X, y = problem([3, 8, 1], "mse", rng, n_rows=517)
    network = Network([3, 8, 5, 1], "tanh", "linear", init="xavier", seed=3)
    by_epoch, by_step = twins(network, X, y, learning_rate=0.01, mode=mode, batch_size=batch_size, order="random")

    run_epochs_and_steps(by_epoch, by_step, 2)


def test_the_notes_network_on_the_notes_table_equals_steps(engine_path):
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    y = np.array([5.0, 3.0, 8.0])
    by_epoch, by_step = twins(Network([2, 2, 1], init="ones"), X, y, learning_rate=1e-6)

    run_epochs_and_steps(by_epoch, by_step, 20)


def test_negative_zero_parameters_stay_as_step_leaves_them(engine_path):
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
def test_divergence_to_inf_and_nan_follows_steps(mode, batch_size, engine_path):
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
            assert close(a, b)  # NaN equals NaN here
    assert not by_epoch.network.all_parameters_finite()


# -- the epoch's bookkeeping around the kernel -----------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 2])
def test_run_epoch_finishes_an_epoch_that_steps_began(batch_size, engine_path):
    rng = np.random.default_rng(5)
    X, y = problem([2, 4, 1], "mse", rng, n_rows=9)
    by_epoch, by_step = twins(Network([2, 4, 1], "sigmoid", init="normal"), X, y, learning_rate=0.2,
                              mode="minibatch", batch_size=batch_size, order="random", seed=2)
    for _ in range(2):
        by_epoch.step()

    run_epochs_and_steps(by_epoch, by_step, 2)


def test_a_stopped_epoch_goes_on_with_steps_as_if_never_interrupted(engine_path):
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

    assert close(steps_of_one_epoch(by_epoch), steps_of_one_epoch(by_step))
    assert_identical(by_epoch, by_step)


def test_polling_resumes_on_the_multiples_of_the_poll_interval(engine_path):
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


def test_run_epoch_follows_a_network_replaced_or_edited_between_epochs(engine_path):
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


def test_a_deep_copied_trainer_trains_its_own_network(engine_path):
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
    assert parameter_bytes(original.network) == parameter_bytes(duplicate.network)  # the same path: the same floats


def test_run_epoch_trains_without_step_s_computation(engine_path):
    X = np.random.default_rng(3).normal(size=(6, 2))
    trainer = Trainer(Network([2, 3, 1], "tanh"), X, X.sum(axis=1), learning_rate=0.1)
    with without_step_computation():
        assert np.isfinite(trainer.run_epoch())
    assert trainer.compiled == (engine_path == "compiled")


def test_train_matches_a_replay_by_steps(engine_path):
    """train() (the GUI's loop) on top of run_epoch: losses and weights as a replay by steps."""
    rng = np.random.default_rng(11)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=17)
    by_train, by_step = twins(Network([2, 3, 1], "tanh", init="normal"), X, y, learning_rate=0.05, order="random")
    losses = []
    train(by_train, 30, report=lambda p: losses.extend(p.new_losses) or True, report_interval=0.0)

    assert close(losses, [steps_of_one_epoch(by_step) for _ in range(30)])
    assert_identical(by_train, by_step)


# -- whole runs of random problems: the property the issue asks for --------------------------


@st.composite
def training_problems(draw):
    """0 to 3 hidden layers of 1 to 8, any activations, loss, mode, order and data."""
    hidden = draw(st.lists(st.integers(1, 8), min_size=0, max_size=3))
    sizes = [draw(st.integers(1, 3)), *hidden, 1]
    loss = draw(st.sampled_from(["mse", "bce"]))
    hidden_activation = draw(st.sampled_from(HIDDEN))
    output_activation = "sigmoid" if loss == "bce" else draw(st.sampled_from(HIDDEN))
    mode = draw(st.sampled_from(["sgd", "minibatch", "batch"]))
    seed = draw(st.integers(0, 2**16))
    # Batches of a few rows go through the kernel a row at a time; larger ones in blocks of
    # rows (several blocks, and a last one of any length, up to 700 rows).
    many_rows = mode != "sgd" and draw(st.booleans())
    n_rows = draw(st.integers(100, 700) if many_rows else st.integers(1, 40))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, sizes[0])) * draw(st.sampled_from([0.3, 1.0, 3.0]))
    y = (rng.random(n_rows) > 0.5).astype(float) if loss == "bce" else rng.normal(size=n_rows)
    network = Network(sizes, hidden_activation, output_activation, init="xavier", seed=seed)
    options = dict(
        learning_rate=draw(st.sampled_from([0.001, 0.01, 0.05])),
        loss=loss,
        mode=mode,
        batch_size=draw(st.integers(1, 5) | st.integers(14, 300)),
        order=draw(st.sampled_from(ORDERS)),
        seed=seed,
    )
    return network, X, y, options, draw(st.integers(1, 12))


@pytest.mark.skipif(not jit_available(), reason="the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
@settings(max_examples=60, deadline=None)
@given(training_problems())
def test_compiled_whole_runs_agree_with_steps_within_1e_12(problem):
    network, X, y, options, epochs = problem
    by_train, by_step = twins(network, X, y, **options)
    losses = []
    outcome = train(by_train, epochs, report=lambda p: losses.extend(p.new_losses) or True, report_interval=0.0)
    expected = [steps_of_one_epoch(by_step) for _ in range(len(losses))]

    assert len(losses) == epochs or outcome.reason == "diverged"
    assert close(losses, expected), (losses, expected)
    if outcome.reason == "diverged":
        # The diverged epoch counts as run, and its parameters are put back to before it.
        assert by_train.epoch == by_step.epoch + 1
        by_train.epoch -= 1
        by_train._rng.bit_generator.state = by_step._rng.bit_generator.state
        by_train._epoch_order, by_train.steps = by_step._epoch_order, by_step.steps
    assert_identical(by_train, by_step)


def test_the_same_seed_gives_the_same_floats_on_every_run(engine_path):
    rng = np.random.default_rng(21)
    X, y = problem([3, 5, 1], "mse", rng, n_rows=50)
    runs = []
    for _ in range(2):
        trainer = Trainer(Network([3, 5, 4, 1], "tanh", init="normal", seed=2), X, y, learning_rate=0.02,
                          mode="minibatch", batch_size=4, order="random", seed=9)
        losses = []
        train(trainer, 40, report=lambda p: losses.extend(p.new_losses) or True, report_interval=0.0)
        runs.append((np.array(losses).tobytes(), parameter_bytes(trainer.network)))
    assert runs[0] == runs[1]


# -- run_epochs: budgets, the stop flag, and the position it leaves --------------------------


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode,batch_size", MODES)
def test_runs_cut_anywhere_by_budgets_go_on_like_steps(order, mode, batch_size, engine_path):
    rng = np.random.default_rng(17)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=11)
    by_calls, by_step = twins(Network([2, 3, 1], "sigmoid", init="normal"), X, y, learning_rate=0.1,
                              mode=mode, batch_size=batch_size, order=order, seed=4)
    losses = []
    for budget in [1, 2, 3, 5, 8, 13, 21, 1, 34]:
        losses.extend(by_calls.run_epochs(6, budget).losses)
    expected = [steps_of_one_epoch(by_step) for _ in range(len(losses))]
    if by_calls.epoch_in_progress:
        while by_step.steps < by_calls.steps:
            by_step.step()
    assert close(losses, expected)
    assert_identical(by_calls, by_step)
    # The two go on together, by steps, after all those cuts.
    for _ in range(3):
        a, b = by_calls.step(), by_step.step()
        assert close(a.loss, b.loss)
        assert np.array_equal(a.rows, b.rows)


def test_a_set_stop_flag_stops_a_run_before_its_next_update(engine_path):
    X = np.random.default_rng(2).normal(size=(50, 2))
    trainer = Trainer(Network([2, 2, 1], init="random"), X, X.sum(axis=1), learning_rate=0.01, order="random")
    trainer.run_epochs(1, 7)
    position = trainer.position()
    run = trainer.run_epochs(100, None, stop_flag=np.ones(1, np.int8))
    assert run.status == "stopped" and run.updates == 0 and run.losses.size == 0
    assert trainer.steps == 7 and trainer.position().rng_state == position.rng_state
    assert np.array_equal(trainer.position().epoch_order, position.epoch_order)


def test_train_stops_when_the_flag_is_set_from_another_thread(engine_path):
    """How soon is a figure of benchmarks/run.py (Stop, from the click to the worker idle); here,
    that a run stopped from outside ends stopped, with finite parameters, whenever it is asked."""
    warm_up()
    X = np.random.default_rng(4).normal(size=(2_000, 2))
    trainer = Trainer(Network([2, 8, 8, 1], "tanh", init="random"), X, X.sum(axis=1), learning_rate=1e-4, order="random")
    outcome = stop_from_another_thread(trainer, 10_000_000)
    assert outcome.reason == "stopped"
    assert trainer.network.all_parameters_finite()


def stop_from_another_thread(trainer, epochs):
    """train() in a thread, its stop flag set from this one as soon as the run has reported a
    completed epoch (an event, not a time: the test does not depend on the machine's speed)."""
    import threading

    flag = np.zeros(1, np.int8)
    reported = threading.Event()
    finished = {}

    def report(progress):
        if progress.epochs_done > 0:
            reported.set()
        return True

    def run():
        finished["outcome"] = train(trainer, epochs, stop_flag=flag, report=report, report_interval=0.0)
        reported.set()  # a run that ended on its own must not leave the test waiting

    thread = threading.Thread(target=run)
    thread.start()
    assert reported.wait(600)
    flag[0] = 1
    thread.join(600)
    assert not thread.is_alive()
    return finished["outcome"]


@pytest.mark.skipif(not jit_available(), reason="the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
@pytest.mark.parametrize("order", ORDERS)
def test_a_stop_inside_a_full_batch_of_a_million_rows_abandons_the_batch_at_once(order):
    """A full batch of a million rows takes longer than a stop may: the kernel reads the flag
    between blocks of rows, and drops the unfinished batch, so the parameters are those of the
    epochs completed; and a run that goes on afterwards is the run that was never stopped (the
    abandoned epoch keeps the order it drew, as the generator has moved on for it)."""
    warm_up()
    X = np.random.default_rng(5).normal(size=(1_000_000, 2))
    network = Network([2, 8, 8, 1], "tanh", init="random", seed=1)
    by_epoch, replay = twins(network, X, X.sum(axis=1), learning_rate=1e-3, mode="batch", order=order, seed=3)
    outcome = stop_from_another_thread(by_epoch, 1_000)
    assert outcome.reason == "stopped"
    assert by_epoch.steps == by_epoch.epoch > 0  # one update an epoch: none made of part of a batch
    replay.run_epochs(by_epoch.epoch)
    assert parameter_bytes(replay.network) == parameter_bytes(by_epoch.network)
    by_epoch.run_epochs(2)
    replay.run_epochs(2)
    assert parameter_bytes(replay.network) == parameter_bytes(by_epoch.network)
    assert by_epoch._rng.bit_generator.state == replay._rng.bit_generator.state


def test_an_epoch_in_progress_keeps_its_rows_gathered_across_calls(monkeypatch):
    """On the NumPy path each call of run_epochs within one epoch goes on with the rows as they
    were gathered in that epoch's order, not gathered again (a million rows: 60 ms a call)."""
    monkeypatch.setenv("BACKPROP_GUI_JIT", "0")
    rng = np.random.default_rng(8)
    X, y = problem([2, 3, 1], "mse", rng, n_rows=40)
    trainer = Trainer(Network([2, 3, 1], init="random"), X, y, learning_rate=0.01, order="random", seed=2)
    trainer.run_epochs(1, 5)
    order, gathered = trainer._epoch_order, trainer._epoch_rows
    trainer.run_epochs(1, 5)
    assert trainer.epoch_in_progress and trainer._epoch_order is order
    assert trainer._epoch_rows is gathered and gathered[0] is order

