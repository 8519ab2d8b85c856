"""The engine's Network, Trainer and train(): what the app and a notebook user rely on."""

import importlib.util
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop_gui.engine import (
    ACTIVATIONS,
    INITIALISATIONS,
    LOSSES,
    MODES,
    Network,
    Trainer,
    jit_available,
    make_scaler,
    train,
)
from backprop_gui.engine.training.trainer import STOP_POLL_STEPS

NOTES_X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])  # IQ, CGPA
NOTES_Y = np.array([5.0, 3.0, 8.0])  # Package (LPA)
RANDOM_INITS = sorted(set(INITIALISATIONS) - {"ones", "zeros"})

_spec = importlib.util.spec_from_file_location("autodiff", Path(__file__).with_name("autodiff.py"))
autodiff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(autodiff)
central_differences = autodiff.central_differences



# -- helpers ----------------------------------------------------------------


def parameters_of(network):
    return [p.copy() for p in network.weights + network.biases]


def assert_same_parameters(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)


def assert_same_trained_parameters(actual, expected):
    """Trained by run_epoch or train() against steps: bit for bit on the readable path; on the
    compiled one within 1e-12 of the largest parameter (its sums run in another order)."""
    if not jit_available():
        assert_same_parameters(actual, expected)
        return
    scale = max(np.max(np.abs(e)) for e in expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=0, atol=1e-12 * scale)


def same_trained_loss(actual, expected):
    return actual == expected if not jit_available() else actual == pytest.approx(expected, rel=1e-12)


def standardised_notes_x():
    return make_scaler("standardize", NOTES_X).transform(NOTES_X)


def small_problem(n_rows=5, sizes=(2, 3, 1), seed=0, **trainer_options):
    """A tanh network on random data: nothing linear to hide a mistake behind."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, sizes[0]))
    y = rng.normal(size=(n_rows, sizes[-1]))
    network = Network(list(sizes), hidden_activation="tanh", init="normal", seed=seed)
    options = {"learning_rate": 0.05, "seed": seed, **trainer_options}
    return Trainer(network, X, y, **options)


def twin_trainers(**options):
    """Two trainers with the same settings on equal but independent networks."""
    first = small_problem(**options)
    second = Trainer(
        first.network.copy(),
        first.X,
        first.y,
        learning_rate=first.learning_rate,
        loss=first.loss,
        mode=first.mode,
        order=first.order,
        seed=first.seed,
        batch_size=first.batch_size,
    )
    return first, second


def mse_by_hand(network, X, y):
    """The mean of (y - ŷ)² over rows and outputs, from the network's current predictions."""
    y = np.asarray(y, dtype=float).reshape(len(X), -1)
    return float(np.mean((y - network.predict(X)) ** 2))


def rows_of_one_epoch(trainer):
    return [trainer.step().rows.tolist() for _ in range(trainer.steps_per_epoch)]


def collect_reports(accept=lambda call_number: True):
    """A report function that records every call and accepts the ones ``accept`` allows."""
    calls = []

    def report(progress):
        accepted = accept(len(calls))
        calls.append((time.perf_counter(), progress, accepted))
        return accepted

    return report, calls


def accepted_losses(calls):
    return np.concatenate([progress.new_losses for _, progress, accepted in calls if accepted])


def replay_epoch_losses(network, epochs, **trainer_options):
    """Train an independent copy epoch by epoch with run_epoch, for comparison with train()."""
    trainer = Trainer(network.copy(), **trainer_options)
    return trainer, [trainer.run_epoch() for _ in range(epochs)]


# -- Network ------------------------------------------------------------------


@pytest.mark.parametrize("layer_sizes", [[2, 2, 1], [3, 1], [1, 4, 5, 2], [4, 3, 2, 1, 3]])
def test_parameter_arrays_have_the_documented_shapes_and_dtype(layer_sizes):
    network = Network(layer_sizes, init="normal")

    assert network.n_layers == len(layer_sizes) - 1
    for k, (w, b) in enumerate(zip(network.weights, network.biases)):
        assert w.shape == (layer_sizes[k], layer_sizes[k + 1])
        assert b.shape == (layer_sizes[k + 1],)
        assert w.dtype == b.dtype == np.float64


def test_writing_into_the_weights_changes_predictions():
    network = Network([2, 2, 1], init="ones")
    assert network.predict([80.0, 8.0]) == pytest.approx([176.0])  # 1·88 + 1·88

    network.weights[1][0, 0] = 2.0  # w²₁₁
    network.biases[1][0] = 1.0  # b₂₁
    assert network.predict([80.0, 8.0]) == pytest.approx([2 * 88 + 88 + 1])
    network.weights[0][1, 0] = 3.0  # w¹₂₁: CGPA into the first hidden neuron, O₁₁ = 80 + 3·8
    np.testing.assert_allclose(network.predict(NOTES_X[:1]), [[2 * 104 + 88 + 1]])


def test_ones_initialisation_is_the_notes_choice():
    network = Network([2, 3, 2, 1], init="ones")

    for w, b in zip(network.weights, network.biases):
        np.testing.assert_array_equal(w, np.ones_like(w))
        np.testing.assert_array_equal(b, np.zeros_like(b))


@pytest.mark.parametrize("init", sorted(INITIALISATIONS))
def test_every_initialisation_gives_finite_weights_and_zero_biases(init):
    network = Network([3, 4, 2], init=init, seed=7)

    assert network.all_parameters_finite()
    for b in network.biases:
        np.testing.assert_array_equal(b, 0.0)


@pytest.mark.parametrize("init", RANDOM_INITS)
def test_random_initialisations_repeat_with_the_same_seed_and_differ_with_another(init):
    first = Network([2, 4, 3, 1], init=init, seed=5)
    again = Network([2, 4, 3, 1], init=init, seed=5)
    other = Network([2, 4, 3, 1], init=init, seed=6)

    assert_same_parameters(parameters_of(again), parameters_of(first))
    for w_first, w_other in zip(first.weights, other.weights):
        assert not np.array_equal(w_first, w_other)


def test_reinitialising_in_place_repeats_the_draw():
    network = Network([2, 3, 1], init="normal", seed=11)
    drawn = parameters_of(network)
    network.weights[0][...] = 42.0

    network.initialize("normal", seed=11)

    assert_same_parameters(parameters_of(network), drawn)


def test_xavier_weights_stay_within_their_limit():
    network = Network([10, 30, 3, 1], init="xavier", seed=3)

    for w in network.weights:
        fan_in, fan_out = w.shape
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        assert np.all(np.abs(w) <= limit)
        assert np.max(np.abs(w)) > limit / 2  # uses the range, not a sliver of it


def test_unknown_initialisation_or_activation_is_refused():
    with pytest.raises(ValueError):
        Network([2, 2, 1], init="glorot")
    with pytest.raises(ValueError):
        Network([2, 2, 1], hidden_activation="mish")


def test_copy_is_independent_of_the_original():
    original = Network([2, 3, 1], hidden_activation="tanh", output_activation="sigmoid", init="normal", seed=2)
    before = parameters_of(original)

    clone = original.copy()
    assert_same_parameters(parameters_of(clone), before)
    np.testing.assert_array_equal(clone.predict(NOTES_X), original.predict(NOTES_X))

    for p in clone.weights + clone.biases:
        p += 1.0
    assert_same_parameters(parameters_of(original), before)
    original.weights[0][0, 0] = -9.0
    assert clone.weights[0][0, 0] == before[0][0, 0] + 1.0


# -- Trainer: order of rows -------------------------------------------------------


def test_sequential_order_visits_rows_in_order_every_epoch():
    trainer = Trainer(Network([2, 2, 1]), standardised_notes_x(), NOTES_Y, learning_rate=0.01, order="sequential")

    assert rows_of_one_epoch(trainer) == [[0], [1], [2]]
    assert rows_of_one_epoch(trainer) == [[0], [1], [2]]


def test_random_order_visits_every_row_exactly_once_per_epoch():
    trainer = small_problem(n_rows=9, order="random", seed=4)
    epochs = [rows_of_one_epoch(trainer) for _ in range(4)]

    for epoch in epochs:
        assert sorted(row for step in epoch for row in step) == list(range(9))
    assert any(epoch != [[i] for i in range(9)] for epoch in epochs)  # not simply sequential
    assert len({str(epoch) for epoch in epochs}) > 1  # shuffled afresh, not once


def test_random_order_repeats_with_the_same_seed_and_differs_with_another():
    def three_epochs(seed):
        trainer = small_problem(n_rows=8, order="random", seed=seed)
        return [rows_of_one_epoch(trainer) for _ in range(3)]

    assert three_epochs(seed=1) == three_epochs(seed=1)
    assert three_epochs(seed=1) != three_epochs(seed=2)


def test_sgd_trains_on_one_row_per_step_whatever_the_batch_size_setting():
    """The app's settings carry a batch size (2 by default) even when the mode is sgd."""
    trainer = small_problem(n_rows=4, mode="sgd", batch_size=2, order="sequential")

    assert rows_of_one_epoch(trainer) == [[0], [1], [2], [3]]


def test_minibatches_in_sequential_order_are_consecutive_rows_and_the_last_may_be_shorter():
    trainer = small_problem(n_rows=5, mode="minibatch", batch_size=2, order="sequential")

    assert trainer.steps_per_epoch == 3
    assert rows_of_one_epoch(trainer) == [[0, 1], [2, 3], [4]]


def test_random_minibatches_cover_every_row_once_per_epoch():
    trainer = small_problem(n_rows=7, mode="minibatch", batch_size=3, order="random", seed=9)
    batches = rows_of_one_epoch(trainer)

    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert sorted(row for batch in batches for row in batch) == list(range(7))


def test_batch_mode_uses_all_rows_in_one_step_and_its_loss_is_the_mean_over_rows():
    trainer = small_problem(n_rows=6, mode="batch", order="random")
    expected_loss = mse_by_hand(trainer.network, trainer.X, trainer.y)

    record = trainer.step()

    assert trainer.steps_per_epoch == 1
    assert sorted(record.rows.tolist()) == list(range(6))
    assert record.loss == pytest.approx(expected_loss, rel=1e-12)
    assert record.epoch_loss == pytest.approx(expected_loss, rel=1e-12)


def test_loss_of_one_row_with_two_outputs_is_the_mean_over_the_outputs():
    trainer = small_problem(n_rows=4, sizes=(3, 4, 2))
    (y1, y2), (p1, p2) = trainer.y[0], trainer.network.predict(trainer.X[0])

    record = trainer.step()

    np.testing.assert_array_equal(record.rows, [0])
    assert record.loss == pytest.approx(((y1 - p1) ** 2 + (y2 - p2) ** 2) / 2, rel=1e-12)


# -- Trainer: losses and updates -----------------------------------------------------

EPOCH_SETUPS = [
    {"mode": "sgd", "order": "sequential"},
    {"mode": "sgd", "order": "random", "seed": 3},
    {"mode": "minibatch", "batch_size": 2, "order": "sequential"},
    {"mode": "minibatch", "batch_size": 2, "order": "random", "seed": 5},
    {"mode": "batch", "order": "random"},
]


@pytest.mark.parametrize("setup", EPOCH_SETUPS, ids=lambda s: "-".join(str(v) for v in s.values()))
def test_run_epoch_returns_the_mean_of_step_losses_each_taken_before_its_update(setup):
    by_epoch, by_step = twin_trainers(n_rows=5, **setup)

    for _ in range(2):
        epoch_loss = by_epoch.run_epoch()
        step_losses = []
        for _ in range(by_step.steps_per_epoch):
            rows = by_step.next_rows()
            loss_before_update = mse_by_hand(by_step.network, by_step.X[rows], by_step.y[rows])
            record = by_step.step()
            np.testing.assert_array_equal(record.rows, rows)
            assert record.loss == pytest.approx(loss_before_update, rel=1e-12)
            step_losses.append(record.loss)

        assert epoch_loss == pytest.approx(np.mean(step_losses), rel=1e-12)
        assert same_trained_loss(record.epoch_loss, epoch_loss)
        assert_same_trained_parameters(parameters_of(by_step.network), parameters_of(by_epoch.network))
    assert by_epoch.epoch == by_step.epoch == 2


def test_epoch_loss_is_reported_on_the_step_that_completes_the_epoch():
    trainer = small_problem(n_rows=3, order="sequential")

    records = [trainer.step() for _ in range(4)]

    assert [r.epoch for r in records] == [1, 1, 1, 2]
    assert [r.step for r in records] == [1, 2, 3, 4]
    assert records[0].epoch_loss is None and records[1].epoch_loss is None
    assert records[2].epoch_loss == pytest.approx(np.mean([r.loss for r in records[:3]]), rel=1e-12)
    assert records[3].epoch_loss is None
    assert trainer.epoch == 1


def test_step_on_a_chosen_row_trains_on_that_row():
    trainer = small_problem(n_rows=4, learning_rate=0.1, order="sequential")
    before = parameters_of(trainer.network)
    loss, weight_grads, bias_grads = trainer.gradients([2])
    assert_same_parameters(parameters_of(trainer.network), before)  # gradients() changes nothing

    record = trainer.step(rows=[2])

    np.testing.assert_array_equal(record.rows, [2])
    np.testing.assert_array_equal(record.inputs, trainer.X[[2]])
    np.testing.assert_array_equal(record.targets, trainer.y[[2]])
    assert record.loss == loss
    expected = [p - 0.1 * g for p, g in zip(before, weight_grads + bias_grads)]
    assert_same_parameters(parameters_of(trainer.network), expected)


@pytest.mark.parametrize("setup", EPOCH_SETUPS, ids=lambda s: "-".join(str(v) for v in s.values()))
def test_a_step_moves_each_parameter_by_minus_eta_times_its_gradient(setup):
    trainer = small_problem(n_rows=5, learning_rate=0.3, **setup)
    before = parameters_of(trainer.network)
    _, weight_grads, bias_grads = trainer.gradients(trainer.next_rows())

    record = trainer.step()

    assert_same_parameters(record.weights_before + record.biases_before, before)
    assert_same_parameters(record.weight_grads + record.bias_grads, weight_grads + bias_grads)
    expected = [p - 0.3 * g for p, g in zip(before, weight_grads + bias_grads)]
    assert_same_parameters(record.weights_after + record.biases_after, expected)
    assert_same_parameters(parameters_of(trainer.network), expected)


@st.composite
def training_problems(draw):
    loss = draw(st.sampled_from(sorted(LOSSES)))
    n_rows = draw(st.integers(1, 6))
    return {
        "layer_sizes": [
            draw(st.integers(1, 4)),
            *draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)),
            draw(st.integers(1, 2)),
        ],
        "hidden_activation": draw(st.sampled_from(sorted(ACTIVATIONS))),
        "output_activation": "sigmoid" if loss == "bce" else draw(st.sampled_from(sorted(ACTIVATIONS))),
        "loss": loss,
        "mode": draw(st.sampled_from(MODES)),
        "n_rows": n_rows,
        "batch_size": draw(st.integers(1, n_rows)),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


@settings(max_examples=40, deadline=None, database=None)
@given(training_problems())
def test_gradients_agree_with_central_differences(problem):
    rng = np.random.default_rng(problem["seed"])
    sizes = problem["layer_sizes"]
    n_rows = problem["n_rows"]
    X = rng.normal(size=(n_rows, sizes[0]))
    if problem["loss"] == "bce":
        y = rng.integers(0, 2, size=(n_rows, sizes[-1])).astype(float)
    else:
        y = rng.normal(size=(n_rows, sizes[-1]))
    network = Network(
        sizes, problem["hidden_activation"], problem["output_activation"], init="normal", seed=problem["seed"]
    )
    for b in network.biases:
        b[...] = rng.normal(scale=0.5, size=b.shape)
    trainer = Trainer(
        network,
        X,
        y,
        learning_rate=0.1,
        loss=problem["loss"],
        mode=problem["mode"],
        order="random",
        seed=problem["seed"],
        batch_size=problem["batch_size"],
    )
    rows = trainer.next_rows()
    if "relu" in (problem["hidden_activation"], problem["output_activation"]):
        # A finite difference across a ReLU kink measures neither side's slope.
        assume(min(np.abs(z).min() for z in network.forward_pass(X[rows]).z) > 1e-4)

    loss, weight_grads, bias_grads = trainer.gradients(rows)
    numeric_weights, numeric_biases = central_differences(trainer, rows)

    assert loss == pytest.approx(trainer.loss_on(rows), rel=1e-12)
    rounding_floor = 1e-8 * (1.0 + abs(loss))  # what rounding in L(p ± h) leaves of a tiny slope
    for analytic, numeric in zip(weight_grads + bias_grads, numeric_weights + numeric_biases):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=rounding_floor)
    record = trainer.step()
    np.testing.assert_array_equal(record.rows, rows)
    assert_same_parameters(record.weight_grads + record.bias_grads, weight_grads + bias_grads)


# -- Trainer: what it refuses, what it keeps -----------------------------------------


def notes_trainer(X=NOTES_X, y=NOTES_Y, network=None, **options):
    options = {"learning_rate": 0.001, **options}
    return Trainer(network or Network([2, 2, 1]), X, y, **options)


BAD_TRAINER_INPUTS = {
    "nan in X": {"X": [[80.0, np.nan], [60.0, 5.0], [110.0, 7.0]]},
    "inf in y": {"y": [5.0, np.inf, 8.0]},
    "zero rows": {"X": np.empty((0, 2)), "y": np.empty(0)},
    "fewer targets than rows": {"y": [5.0, 3.0]},
    "three input columns": {"X": np.hstack([NOTES_X, NOTES_X[:, :1]])},
    "two target columns": {"y": np.column_stack([NOTES_Y, NOTES_Y])},
    "zero learning rate": {"learning_rate": 0.0},
    "negative learning rate": {"learning_rate": -0.01},
    "nan learning rate": {"learning_rate": np.nan},
    "infinite learning rate": {"learning_rate": np.inf},
    "bce with a linear output": {"loss": "bce"},
    "unknown loss": {"loss": "mae"},
    "unknown mode": {"mode": "online"},
    "unknown order": {"order": "shuffled"},
    "minibatch of zero rows": {"mode": "minibatch", "batch_size": 0},
}


@pytest.mark.parametrize("bad", BAD_TRAINER_INPUTS.values(), ids=BAD_TRAINER_INPUTS.keys())
def test_trainer_rejects_bad_input_with_value_error(bad):
    with pytest.raises(ValueError):
        notes_trainer(**bad)


def test_bce_with_a_sigmoid_output_and_binary_targets_is_accepted():
    network = Network([2, 2, 1], output_activation="sigmoid")
    trainer = notes_trainer(y=[1.0, 0.0, 1.0], network=network, loss="bce")
    assert np.isfinite(trainer.step().loss)


def test_trainer_keeps_its_own_copy_of_the_data():
    X, y = standardised_notes_x(), NOTES_Y.copy()
    trainer = notes_trainer(X, y, network=Network([2, 2, 1], init="normal", seed=1))
    reference = notes_trainer(X.copy(), y.copy(), network=trainer.network.copy())

    X[...] = 1000.0
    y[...] = -1000.0
    records = [trainer.step() for _ in range(3)]
    reference_records = [reference.step() for _ in range(3)]

    for record, expected in zip(records, reference_records):
        np.testing.assert_array_equal(record.inputs, expected.inputs)
        np.testing.assert_array_equal(record.targets, expected.targets)
        assert record.loss == expected.loss
    assert_same_parameters(parameters_of(trainer.network), parameters_of(reference.network))


# -- train() ---------------------------------------------------------------------


def default_style_trainer(learning_rate=0.001, seed=0):
    """The app's defaults: standardised inputs, small random weights (seed 0), random row order."""
    network = Network([2, 2, 1], init="random", seed=seed)
    return Trainer(
        network, standardised_notes_x(), NOTES_Y, learning_rate=learning_rate, order="random", seed=seed
    )


def test_train_completes_the_epochs_it_is_given():
    trainer = default_style_trainer()

    outcome = train(trainer, 25)

    assert outcome.reason == "completed"
    assert outcome.epochs_run == 25
    assert trainer.epoch == 25


def test_default_setup_learns_the_notes_table():
    trainer = default_style_trainer()
    report, calls = collect_reports()

    outcome = train(trainer, 1000, report=report, report_interval=0.0)

    losses = accepted_losses(calls)
    assert outcome.reason == "completed"
    assert len(losses) == 1000
    assert losses[-1] < 0.01 * losses[0]
    assert trainer.loss_on() < 0.01 * losses[0]


@pytest.fixture
def one_update_per_call(monkeypatch):
    """train() makes calls of one update each, so polls and reports come between any two updates."""
    from backprop_gui.engine.training import train_loop as training

    monkeypatch.setattr(training, "FIRST_CALL_UPDATES", 1)
    monkeypatch.setattr(training, "CALL_SECONDS", 1e-12)


def test_train_stops_between_calls_when_asked():
    trainer = default_style_trainer()
    calls = []

    def should_stop():
        calls.append(None)
        return len(calls) > 10

    outcome = train(trainer, 10_000_000, should_stop=should_stop)

    assert outcome.reason == "stopped"
    assert 0 < outcome.epochs_run < 10_000_000
    assert trainer.epoch == outcome.epochs_run
    assert f"{outcome.epochs_run:,}" in outcome.message  # one number format: thousands separators


def test_train_stops_part_way_through_a_long_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20 * STOP_POLL_STEPS, 2))
    trainer = Trainer(Network([2, 2, 1], init="random"), X, X.sum(axis=1), learning_rate=0.001)
    calls = []

    def should_stop():
        calls.append(None)
        return len(calls) >= 3

    outcome = train(trainer, 5, should_stop=should_stop)

    assert outcome.reason == "stopped"
    assert outcome.epochs_run == 0
    assert trainer.epoch_in_progress
    # Polled between calls: the first two calls' updates were made, no more.
    assert 0 < trainer.steps < trainer.n_rows
    assert trainer.network.all_parameters_finite()


def test_train_reports_no_more_often_than_asked_and_ends_with_a_final_report(one_update_per_call):
    trainer = default_style_trainer()
    interval = 0.02
    report, calls = collect_reports()

    def slow_should_stop():  # every update takes a little while, whatever the machine
        time.sleep(0.001)
        return False

    outcome = train(trainer, 200, should_stop=slow_should_stop, report=report, report_interval=interval)

    times = [t for t, _, _ in calls]
    assert all(later - earlier >= interval for earlier, later in zip(times[:-2], times[1:-1]))
    assert len(calls) >= 3  # 600 updates of at least 1 ms each: several reports
    assert [progress.final for _, progress, _ in calls] == [False] * (len(calls) - 1) + [True]
    assert calls[-1][1].epochs_done == outcome.epochs_run == 200
    assert len(accepted_losses(calls)) == 200


def test_train_with_a_long_report_interval_reports_only_once_at_the_end():
    trainer = default_style_trainer()
    report, calls = collect_reports()

    train(trainer, 50, report=report, report_interval=3600.0)

    assert len(calls) == 1
    assert calls[0][1].final
    assert len(calls[0][1].new_losses) == 50


def test_declined_reports_are_repeated_so_no_epoch_loss_is_lost(one_update_per_call):
    trainer = default_style_trainer()
    network_before = trainer.network.copy()
    report, calls = collect_reports(accept=lambda call_number: call_number % 3 == 2)

    outcome = train(trainer, 20, report=report, report_interval=0.0)

    accepted_so_far = 0
    for _, progress, accepted in calls:
        assert len(progress.new_losses) == progress.epochs_done - accepted_so_far
        if accepted:
            accepted_so_far = progress.epochs_done
    assert calls[-1][1].final
    assert accepted_so_far == outcome.epochs_run == 20
    _, replayed = replay_epoch_losses(
        network_before, 20, X=trainer.X, y=trainer.y, learning_rate=0.001, order="random", seed=0
    )
    np.testing.assert_array_equal(accepted_losses(calls), replayed)


def test_train_converges_early_when_no_parameter_moves_more_than_the_tolerance():
    tolerance = 1e-6
    trainer = default_style_trainer(learning_rate=0.01)
    network_before = trainer.network.copy()

    outcome = train(trainer, 100_000, convergence_tolerance=tolerance)

    assert outcome.reason == "converged"
    assert 1 < outcome.epochs_run < 100_000
    assert f"epoch {outcome.epochs_run:,}" in outcome.message
    # Replay: the last epoch moved nothing by more than the tolerance, the one before did.
    replay = Trainer(network_before, trainer.X, trainer.y, learning_rate=0.01, order="random", seed=0)
    changes = []
    for _ in range(outcome.epochs_run):
        before = parameters_of(replay.network)
        replay.run_epoch()
        changes.append(max(np.max(np.abs(a - b)) for a, b in zip(parameters_of(replay.network), before)))
    assert changes[-1] <= tolerance < changes[-2]
    assert_same_trained_parameters(parameters_of(trainer.network), parameters_of(replay.network))


def test_notes_start_on_raw_inputs_diverges_and_keeps_the_last_finite_weights():
    network = Network([2, 2, 1], init="ones")
    network_before = network.copy()
    trainer = Trainer(network, NOTES_X, NOTES_Y, learning_rate=0.001, order="random", seed=0)

    outcome = train(trainer, 1000)

    assert outcome.reason == "diverged"
    assert outcome.epochs_run < 1000
    assert "kept" in outcome.message  # the remedies are the lesson's, which knows the settings
    assert outcome.diverged_loss is not None and not (np.isfinite(outcome.diverged_loss) and outcome.diverged_loss < 1e6)
    assert network.all_parameters_finite()
    replay, losses = replay_epoch_losses(
        network_before, outcome.epochs_run, X=NOTES_X, y=NOTES_Y, learning_rate=0.001, order="random", seed=0
    )
    assert_same_trained_parameters(parameters_of(network), parameters_of(replay.network))
    # ...and the epoch after those really does blow up.
    next_loss = replay.run_epoch()
    first_loss = losses[0] if losses else next_loss
    assert not np.isfinite(next_loss) or not replay.network.all_parameters_finite() or next_loss > 1e6 * first_loss


def test_training_on_in_two_runs_ends_as_training_in_one_run():
    """Pressing Train twice (2500 then 1000 epochs) must end as one press of 3500 epochs does.

    At η = 0.1, seed 2, the loss is about 5e-15 after 2500 epochs; SGD then wanders off the exact
    fit and back (up to about 0.3 near epoch 3460, far below the first epoch's 30) without ever
    blowing up, and one run of 3500 epochs completes. A second run that starts from the tiny loss
    must not call the same, bounded trajectory "diverged".
    """
    one_run = default_style_trainer(learning_rate=0.1, seed=2)
    two_runs = default_style_trainer(learning_rate=0.1, seed=2)

    outcome = train(one_run, 3500)
    first = train(two_runs, 2500)
    second = train(two_runs, 1000)

    assert outcome.reason == "completed"
    assert (first.reason, first.epochs_run) == ("completed", 2500)
    assert (second.reason, second.epochs_run) == ("completed", 1000), second.message
    assert_same_trained_parameters(parameters_of(two_runs.network), parameters_of(one_run.network))
