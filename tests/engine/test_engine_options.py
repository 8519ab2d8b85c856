"""Every training option of issue 5 against an independent reference: reverse-mode automatic
differentiation (tests/engine/autodiff.py), central finite differences, and hand-checked numbers."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from backprop_gui.engine import (
    ACTIVATIONS,
    CLASSIFICATION_DEFAULTS,
    Network,
    Trainer,
    TrainingSettings,
    check_gradients,
    classification_problem,
    evaluate,
    make_scaler,
    output_range_warning,
    train,
)

_spec = importlib.util.spec_from_file_location("autodiff", Path(__file__).with_name("autodiff.py"))
autodiff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(autodiff)

ACTIVATION_NAMES = sorted(ACTIVATIONS)
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def placement():
    data = np.loadtxt(RESOURCES / "placement.csv", delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


# -- the trajectory equals automatic differentiation ---------------------------


@st.composite
def problems(draw):
    loss = draw(st.sampled_from(["mse", "bce"]))
    hidden = draw(st.lists(st.integers(1, 5), min_size=0, max_size=4))
    n_inputs = draw(st.integers(1, 3))
    n_outputs = draw(st.integers(1, 2))
    n_rows = draw(st.integers(1, 7))
    mode = draw(st.sampled_from(["sgd", "minibatch", "batch"]))
    return {
        "loss": loss,
        "sizes": [n_inputs, *hidden, n_outputs],
        "hidden_activation": draw(st.sampled_from(ACTIVATION_NAMES)),
        "output_activation": "sigmoid" if loss == "bce" else draw(st.sampled_from(ACTIVATION_NAMES)),
        "mode": mode,
        "order": draw(st.sampled_from(["random", "sequential"])),
        "batch_size": draw(st.integers(1, n_rows)),
        "n_rows": n_rows,
        "init": draw(st.sampled_from(["normal", "uniform", "xavier", "random"])),
        "seed": draw(st.integers(0, 2**31 - 1)),
        "steps": draw(st.integers(1, 8)),
    }


@settings(max_examples=60, deadline=None, database=None)
@given(problems())
def test_every_step_equals_automatic_differentiation_in_float64(problem):
    rng = np.random.default_rng(problem["seed"])
    sizes = problem["sizes"]
    X = rng.normal(size=(problem["n_rows"], sizes[0]))
    if problem["loss"] == "bce":
        y = rng.integers(0, 2, size=(problem["n_rows"], sizes[-1])).astype(float)
    else:
        y = rng.normal(size=(problem["n_rows"], sizes[-1]))
    network = Network(sizes, problem["hidden_activation"], problem["output_activation"], problem["init"], problem["seed"])
    for b in network.biases:
        b[...] = rng.normal(scale=0.3, size=b.shape)
    trainer = Trainer(
        network, X, y, learning_rate=0.05, loss=problem["loss"], mode=problem["mode"],
        order=problem["order"], seed=problem["seed"], batch_size=problem["batch_size"],
    )
    for _ in range(problem["steps"]):
        # Each step against automatic differentiation at the engine's own weights before it: a
        # trajectory compared as a whole amplifies the last bits of each step wherever the problem
        # diverges (a 3e-8 drift after 8 steps of [3, 1, 1, 2, 1] at η = 0.05 was seen).
        weights, biases = network.get_parameters()
        rows = trainer.next_rows()
        forward = network.forward_pass(X[rows])
        if {"relu", "leaky_relu"} & {problem["hidden_activation"], problem["output_activation"]}:
            # Exactly at a kink the two sides' slopes differ; a random draw never lands there.
            assume(all(np.abs(z).min() > 1e-9 for z in forward.z))
        # A diverging problem overflows: nothing to compare, said explicitly, never a warning.
        assume(all(np.isfinite(z).all() and np.abs(z).max() < 30 for z in forward.z))
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                loss, weight_grads, bias_grads = autodiff.loss_and_gradients(
                    weights, biases, X[rows], y[rows], problem["hidden_activation"], problem["output_activation"], problem["loss"]
                )
            except FloatingPointError:
                reject()
        record = trainer.step()
        np.testing.assert_array_equal(record.rows, rows)
        assert record.loss == pytest.approx(loss, rel=1e-9, abs=1e-12)
        for reference, engine in zip(
            [w - 0.05 * g for w, g in zip(weights, weight_grads)] + [b - 0.05 * g for b, g in zip(biases, bias_grads)],
            network.weights + network.biases,
        ):
            np.testing.assert_allclose(engine, reference, rtol=1e-9, atol=1e-12)


# -- hand-checked: one neuron per layer, each activation, each loss ------------------------

# A 1-1-1 network: x → z₁ = w¹·x + b₁ → O₁ = f(z₁) → z₂ = w²·O₁ + b₂ → ŷ = g(z₂)
X1, Y1, W1, B1, W2, B2 = 0.7, 0.3, 0.9, -0.2, -1.3, 0.4


def one_one_one(hidden, output):
    network = Network([1, 1, 1], hidden, output)
    network.set_parameters([np.array([[W1]]), np.array([[W2]])], [np.array([B1]), np.array([B2])])
    return network


HAND = {
    "linear": (lambda z: z, lambda z: 1.0),
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
    "tanh": (math.tanh, lambda z: 1 / math.cosh(z) ** 2),
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "elu": (lambda z: z if z > 0 else math.exp(z) - 1.0, lambda z: 1.0 if z > 0 else math.exp(z)),
    "softplus": (lambda z: math.log(1.0 + math.exp(z)), lambda z: 1.0 / (1.0 + math.exp(-z))),
    "gelu": (
        lambda z: z * 0.5 * (1.0 + math.erf(z / math.sqrt(2.0))),
        lambda z: 0.5 * (1.0 + math.erf(z / math.sqrt(2.0))) + z * math.exp(-z * z / 2.0) / math.sqrt(2.0 * math.pi),
    ),
    "silu": (lambda z: z / (1.0 + math.exp(-z)), lambda z: (1.0 + math.exp(-z) + z * math.exp(-z)) / (1.0 + math.exp(-z)) ** 2),
}


@pytest.mark.parametrize("hidden", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", ACTIVATION_NAMES)
def test_squared_error_gradients_by_hand_for_each_activation(hidden, output):
    f, df = HAND[hidden]
    g, dg = HAND[output]
    z1 = W1 * X1 + B1
    o1 = f(z1)
    z2 = W2 * o1 + B2
    y_hat = g(z2)
    dz2 = -2 * (Y1 - y_hat) * dg(z2)  # ∂L/∂z₂ = ∂L/∂ŷ · g'(z₂)
    dz1 = dz2 * W2 * df(z1)  # the chain rule one layer back
    expected = {"w2": dz2 * o1, "b2": dz2, "w1": dz1 * X1, "b1": dz1}

    record = Trainer(one_one_one(hidden, output), [[X1]], [Y1], learning_rate=0.1).step()

    assert record.loss == pytest.approx((Y1 - y_hat) ** 2, rel=1e-12)
    actual = {"w2": record.weight_grads[1][0, 0], "b2": record.bias_grads[1][0],
              "w1": record.weight_grads[0][0, 0], "b1": record.bias_grads[0][0]}
    for name in expected:
        assert actual[name] == pytest.approx(expected[name], rel=1e-12, abs=1e-15), name


@pytest.mark.parametrize("hidden", ACTIVATION_NAMES)
@pytest.mark.parametrize("target", [0.0, 1.0])
def test_cross_entropy_gradients_by_hand_for_each_hidden_activation(hidden, target):
    f, df = HAND[hidden]
    sigmoid = HAND["sigmoid"][0]
    z1 = W1 * X1 + B1
    o1 = f(z1)
    y_hat = sigmoid(W2 * o1 + B2)
    dz2 = -(target - y_hat)  # the notes' ∂L/∂z for a sigmoid output with cross-entropy
    dz1 = dz2 * W2 * df(z1)

    record = Trainer(one_one_one(hidden, "sigmoid"), [[X1]], [target], learning_rate=0.1, loss="bce").step()

    assert record.loss == pytest.approx(-target * math.log(y_hat) - (1 - target) * math.log(1 - y_hat), rel=1e-12)
    assert record.weight_grads[1][0, 0] == pytest.approx(dz2 * o1, rel=1e-12)
    assert record.bias_grads[1][0] == pytest.approx(dz2, rel=1e-12)
    assert record.weight_grads[0][0, 0] == pytest.approx(dz1 * X1, rel=1e-12, abs=1e-15)
    assert record.bias_grads[0][0] == pytest.approx(dz1, rel=1e-12, abs=1e-15)


def test_cross_entropy_of_a_saturated_output_is_finite_not_log_zero():
    network = Network([1, 1], output_activation="sigmoid")
    network.set_parameters([np.array([[1.0]])], [np.array([0.0])])
    record = Trainer(network, [[800.0]], [0.0], learning_rate=0.1, loss="bce").step()  # σ(800) rounds to 1
    assert record.loss == pytest.approx(800.0, rel=1e-12)
    assert network.all_parameters_finite()


# -- gradient check ---------------------------------------------------------------


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_gradient_check_agrees_to_one_in_a_million_for_each_activation_and_loss(activation, loss):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 2))
    y = (rng.random(6) > 0.5).astype(float) if loss == "bce" else rng.normal(size=6)
    output = "sigmoid" if loss == "bce" else activation
    network = Network([2, 3, 2, 1], activation, output, init="normal", seed=5)
    for b in network.biases:
        b[...] = rng.normal(scale=0.5, size=b.shape)
    trainer = Trainer(network, X, y, learning_rate=0.1, loss=loss)
    before = network.get_parameters()

    comparisons = check_gradients(trainer, [2])

    n_parameters = sum(p.size for p in network.weights + network.biases)
    assert len(comparisons) == n_parameters
    assert max(c.relative_error for c in comparisons) < 1e-6
    _, weight_grads, bias_grads = trainer.gradients([2])
    by_name = {c.name: c for c in comparisons}
    assert by_name["w²₃₂"].analytical == weight_grads[1][2, 1]
    assert by_name["b₃₁"].analytical == bias_grads[2][0]
    for a, b in zip(network.weights + network.biases, before[0] + before[1]):
        np.testing.assert_array_equal(a, b)  # the check left every parameter as it was


def test_gradient_check_shows_a_wrong_gradient():
    trainer = Trainer(Network([2, 2, 1], "tanh", init="normal", seed=1), [[0.3, -0.5]], [1.0], learning_rate=0.1)
    comparisons = check_gradients(trainer, [0])
    wrong = comparisons[0]
    assert wrong.agrees() and 0 < wrong.rounding < 1e-9
    broken = type(wrong)(wrong.kind, wrong.layer, wrong.i, wrong.j, wrong.analytical * 1.01, wrong.numerical, wrong.rounding)
    assert broken.relative_error == pytest.approx(0.01 / 1.01, rel=1e-3)
    assert not broken.agrees()


# -- classification, initialisation, stopping ------------------------------------


def test_classification_defaults_reach_ninety_percent_on_the_placement_example():
    X, y = placement()
    settings = TrainingSettings().replace(**CLASSIFICATION_DEFAULTS)
    network = settings.build_network(2)
    scaled = make_scaler(settings.scaling, X).transform(X)
    outcome = train(settings.build_trainer(network, scaled, y), settings.epochs)
    metrics = evaluate(network, scaled, y, "bce")
    assert outcome.reason == "completed"
    assert metrics.task == "classification" and metrics.accuracy >= 0.9


def test_zeros_initialisation_keeps_the_hidden_neurons_identical():
    X, y = placement()
    scaled = make_scaler("standardize", X).transform(X)
    for hidden in ("tanh", "sigmoid", "linear"):
        network = Network([2, 3, 1], hidden, "sigmoid", init="zeros")
        train(Trainer(network, scaled, y, learning_rate=0.5, loss="bce", order="random"), 50)
        w1, w2 = network.weights
        assert np.ptp(w1, axis=1).max() == 0 and np.ptp(network.biases[0]) == 0  # every column the same
        assert np.ptp(w2) == 0
        if hidden == "sigmoid":  # σ(0) = ½ ≠ 0, so the weights do move, yet all alike
            assert np.abs(w2).min() > 0 and np.abs(w1).min() > 0


def test_convergence_stops_early_and_names_the_epoch():
    settings = TrainingSettings(learning_rate=0.05, epochs=100_000, stop_at_convergence=True, convergence_tolerance=1e-7)
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    network = settings.build_network(2)
    trainer = settings.build_trainer(network, make_scaler("standardize", X).transform(X), [5.0, 3.0, 8.0])
    outcome = train(trainer, settings.epochs, convergence_tolerance=settings.tolerance_in_force)
    assert outcome.reason == "converged" and outcome.epochs_run < settings.epochs
    assert f"Converged at epoch {outcome.epochs_run:,}" in outcome.message


# -- metrics and target checks ----------------------------------------------------------


def test_regression_metrics_are_loss_rmse_and_r_squared():
    network = Network([1, 1])
    network.set_parameters([np.array([[2.0]])], [np.array([1.0])])  # ŷ = 2x + 1
    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.5, 2.5, 5.5, 7.0])
    y_hat = 2 * X[:, 0] + 1
    metrics = evaluate(network, X, y, "mse")
    mse = np.mean((y - y_hat) ** 2)
    assert metrics.loss == pytest.approx(mse) and metrics.rmse == pytest.approx(math.sqrt(mse))
    assert metrics.r2 == pytest.approx(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    assert metrics.accuracy is None
    assert evaluate(network, X, np.full(4, 3.0), "mse").r2 is None  # constant targets: R² undefined


def test_classification_metrics_are_loss_and_accuracy():
    network = Network([1, 1], output_activation="sigmoid")
    network.set_parameters([np.array([[1.0]])], [np.array([0.0])])  # ŷ ≥ 0.5 exactly when x ≥ 0
    X, y = np.array([[-2.0], [-1.0], [1.0], [3.0], [0.5]]), np.array([0.0, 1.0, 1.0, 1.0, 0.0])
    metrics = evaluate(network, X, y, "bce")
    p = 1 / (1 + np.exp(-X[:, 0]))
    assert metrics.accuracy == pytest.approx(3 / 5)
    assert metrics.loss == pytest.approx(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)), rel=1e-12)
    assert metrics.rmse is None and metrics.r2 is None


def test_classification_refuses_targets_that_are_not_zero_or_one():
    assert classification_problem([0, 1, 1, 0]) is None
    message = classification_problem([5, 3, 8])
    assert "0s and 1s" in message and "5" in message
    with pytest.raises(ValueError, match="0 or 1"):
        Trainer(Network([1, 1], output_activation="sigmoid"), [[1.0], [2.0]], [0.0, 0.5], learning_rate=0.1, loss="bce")


def test_an_output_that_cannot_reach_the_targets_is_warned_about():
    assert "sigmoid" in output_range_warning("sigmoid", [5, 3, 8])
    assert output_range_warning("sigmoid", [0, 0.5, 1]) is None
    assert output_range_warning("linear", [5, 3, 8]) is None
    assert "tanh" in output_range_warning("tanh", [-2, 0])
    assert "ReLU" in output_range_warning("relu", [-1, 2])
    assert "An ELU output never goes below −1" in output_range_warning("elu", [-1.5, 2])
    assert output_range_warning("elu", [-0.9, 2]) is None
    assert "softplus" in output_range_warning("softplus", [-0.1, 2]) and output_range_warning("softplus", [0, 3]) is None
    for name in ("gelu", "silu"):  # below their least values, −0.16997 and −0.27846: out of reach
        lowest = float(ACTIVATIONS[name].forward(np.linspace(-5.0, 0.0, 50001)).min())
        assert output_range_warning(name, [lowest - 0.001, 1]) is not None
        assert output_range_warning(name, [lowest, 1]) is None
    assert output_range_warning("leaky_relu", [-100, 100]) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"hidden_layers": (2, 2, 2, 2, 2)},
        {"hidden_layers": (9,)},
        {"hidden_layers": (0,)},
        {"loss": "bce"},
        {"convergence_tolerance": -1.0},
        {"convergence_tolerance": float("nan")},
    ],
)
def test_settings_refuse_what_the_app_cannot_train(bad):
    with pytest.raises(ValueError):
        TrainingSettings(**bad)


@pytest.mark.parametrize("hidden", [(), (8, 8, 8, 8), (1, 3)])
def test_zero_to_four_hidden_layers_of_one_to_eight_neurons_build(hidden):
    network = TrainingSettings(hidden_layers=hidden).build_network(2)
    assert network.layer_sizes == [2, *hidden, 1]


def test_new_settings_survive_a_dictionary_round_trip():
    settings = TrainingSettings(
        hidden_layers=(4, 3), mode="minibatch", batch_size=5,
        stop_at_convergence=True, convergence_tolerance=2.5e-9, **{**CLASSIFICATION_DEFAULTS, "hidden_activation": "relu"},
    )
    assert TrainingSettings.from_dict(settings.to_dict()) == settings


def test_counts_in_training_messages_have_thousands_separators():
    """One number format everywhere: "Trained 1,200 epochs." beside the plot's "Epoch 1,200"."""
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    settings = TrainingSettings(epochs=1200)
    network = settings.build_network(2)
    trainer = settings.build_trainer(network, make_scaler("standardize", X).transform(X), [5.0, 3.0, 8.0])
    assert train(trainer, 1200).message == "Trained 1,200 epochs."
    assert train(trainer, 1).message == "Trained 1 epoch."
