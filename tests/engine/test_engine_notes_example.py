"""The course notes' worked example (seeds 000 and 001), number for number.

The 2-2-1 network with linear activations, weights 1 and biases 0, and the first row of the
notes' table: IQ 80, CGPA 8, Package 5. Every expected value here is written out by hand from the
notes' formulas; none is copied from the engine.
"""

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer

NOTES_X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])  # IQ, CGPA
NOTES_Y = np.array([5.0, 3.0, 8.0])  # Package (LPA)
IQ, CGPA, PACKAGE = 80.0, 8.0, 5.0  # the first row

NOTES_PARAMETERS = {
    "w1_11": 1.0, "w1_21": 1.0, "w1_12": 1.0, "w1_22": 1.0, "b1_1": 0.0, "b1_2": 0.0,
    "w2_11": 1.0, "w2_21": 1.0, "b2_1": 0.0,
}  # fmt: skip
# All different, so a swapped index (w¹₁₂ for w¹₂₁, O₁₂ for O₁₁) cannot go unnoticed.
DISTINCT_PARAMETERS = {
    "w1_11": 0.1, "w1_21": -0.3, "w1_12": 0.02, "w1_22": 0.5, "b1_1": 0.4, "b1_2": -0.7,
    "w2_11": 0.6, "w2_21": -1.1, "b2_1": 0.25,
}  # fmt: skip
PARAMETER_SETS = pytest.mark.parametrize(
    "parameters", [NOTES_PARAMETERS, DISTINCT_PARAMETERS], ids=["notes-ones", "distinct"]
)

_spec = importlib.util.spec_from_file_location("autodiff", Path(__file__).with_name("autodiff.py"))
autodiff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(autodiff)
central_differences = autodiff.central_differences



def engine_entry(weights, biases, name):
    """The entry of the engine's arrays that holds the notes' parameter ``name``.

    ``w{k}_{ij}`` is weights[k-1][i-1, j-1] (from neuron i of layer k-1 to neuron j of layer k);
    ``b{k}_{j}`` is biases[k-1][j-1].
    """
    weight = re.fullmatch(r"w(\d)_(\d)(\d)", name)
    if weight:
        k, i, j = map(int, weight.groups())
        return weights[k - 1][i - 1, j - 1]
    k, j = map(int, re.fullmatch(r"b(\d)_(\d)", name).groups())
    return biases[k - 1][j - 1]


def notes_network(parameters, hidden_activation="linear", output_activation="linear"):
    network = Network([2, 2, 1], hidden_activation, output_activation, init="zeros")
    for name, value in parameters.items():
        weight = re.fullmatch(r"w(\d)_(\d)(\d)", name)
        if weight:
            k, i, j = map(int, weight.groups())
            network.weights[k - 1][i - 1, j - 1] = value
        else:
            k, j = map(int, re.fullmatch(r"b(\d)_(\d)", name).groups())
            network.biases[k - 1][j - 1] = value
    return network


def first_row_step(network, learning_rate=1e-6, loss="mse"):
    trainer = Trainer(network, NOTES_X, NOTES_Y, learning_rate=learning_rate, loss=loss, order="sequential")
    return trainer.step()


def test_first_row_forward_pass_and_loss_are_the_notes_numbers():
    record = first_row_step(Network([2, 2, 1], init="ones"))

    np.testing.assert_array_equal(record.rows, [0])
    np.testing.assert_array_equal(record.z[0], [[88.0, 88.0]])  # O₁₁ = O₁₂ = 1·80 + 1·8 + 0
    np.testing.assert_array_equal(record.outputs[0], [[88.0, 88.0]])
    np.testing.assert_array_equal(record.z[1], [[176.0]])  # ŷ = 1·88 + 1·88 + 0
    np.testing.assert_array_equal(record.y_hat, [[176.0]])
    assert record.loss == (5 - 176) ** 2 == 29241
    np.testing.assert_array_equal(record.dloss_dyhat, [[342.0]])  # -2(y - ŷ) = -2(5 - 176)


@PARAMETER_SETS
def test_first_row_gradients_are_the_notes_chain_rule(parameters):
    p = parameters
    O11 = p["w1_11"] * IQ + p["w1_21"] * CGPA + p["b1_1"]
    O12 = p["w1_12"] * IQ + p["w1_22"] * CGPA + p["b1_2"]
    y_hat = p["w2_11"] * O11 + p["w2_21"] * O12 + p["b2_1"]
    dL_dyhat = -2 * (PACKAGE - y_hat)
    notes_gradients = {
        "w2_11": dL_dyhat * O11,
        "w2_21": dL_dyhat * O12,
        "b2_1": dL_dyhat,
        "w1_11": dL_dyhat * p["w2_11"] * IQ,
        "w1_21": dL_dyhat * p["w2_11"] * CGPA,
        "b1_1": dL_dyhat * p["w2_11"],
        "w1_12": dL_dyhat * p["w2_21"] * IQ,
        "w1_22": dL_dyhat * p["w2_21"] * CGPA,
        "b1_2": dL_dyhat * p["w2_21"],
    }

    record = first_row_step(notes_network(parameters))

    assert record.y_hat[0, 0] == pytest.approx(y_hat, rel=1e-14)
    for name, expected in notes_gradients.items():
        actual = engine_entry(record.weight_grads, record.bias_grads, name)
        assert actual == pytest.approx(expected, rel=1e-12), name


@PARAMETER_SETS
def test_first_row_gradients_match_central_differences(parameters):
    network = notes_network(parameters)
    trainer = Trainer(network, NOTES_X, NOTES_Y, learning_rate=1e-6, order="sequential")

    _, weight_grads, bias_grads = trainer.gradients([0])
    numeric_weights, numeric_biases = central_differences(trainer, [0])

    for analytic, numeric in zip(weight_grads + bias_grads, numeric_weights + numeric_biases):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-7)


def test_one_notes_step_moves_each_parameter_by_minus_eta_times_its_gradient():
    learning_rate = 1e-6
    network = Network([2, 2, 1], init="ones")
    record = first_row_step(network, learning_rate)

    for before, grad, after, live in zip(
        record.weights_before + record.biases_before,
        record.weight_grads + record.bias_grads,
        record.weights_after + record.biases_after,
        network.weights + network.biases,
    ):
        np.testing.assert_array_equal(after, before - learning_rate * grad)
        np.testing.assert_allclose(after - before, -learning_rate * grad, rtol=1e-9)
        np.testing.assert_array_equal(live, after)
    # The notes' update of w²₁₁: w_new = w_old - η·(-2(y - ŷ)·O₁₁) = 1 - η·342·88.
    assert network.weights[1][0, 0] == pytest.approx(1 - learning_rate * 342 * 88, rel=1e-15)


@pytest.mark.parametrize("package", [0.0, 1.0])
def test_classification_variant_gradients_are_the_notes_chain_rule(package):
    """Seed 001's classification variant: sigmoid neurons, binary cross-entropy, ∂L/∂z = -(y - ŷ)."""
    p = DISTINCT_PARAMETERS
    iq, cgpa = -0.8, 1.3  # standardised inputs, so the sigmoids are not saturated

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    O11 = sigmoid(p["w1_11"] * iq + p["w1_21"] * cgpa + p["b1_1"])
    O12 = sigmoid(p["w1_12"] * iq + p["w1_22"] * cgpa + p["b1_2"])
    y_hat = sigmoid(p["w2_11"] * O11 + p["w2_21"] * O12 + p["b2_1"])
    dL_dz = -(package - y_hat)
    notes_gradients = {
        "w2_11": dL_dz * O11,
        "w2_21": dL_dz * O12,
        "b2_1": dL_dz,
        "w1_11": dL_dz * p["w2_11"] * O11 * (1 - O11) * iq,
        "w1_21": dL_dz * p["w2_11"] * O11 * (1 - O11) * cgpa,
        "b1_1": dL_dz * p["w2_11"] * O11 * (1 - O11),
        "w1_12": dL_dz * p["w2_21"] * O12 * (1 - O12) * iq,
        "w1_22": dL_dz * p["w2_21"] * O12 * (1 - O12) * cgpa,
        "b1_2": dL_dz * p["w2_21"] * O12 * (1 - O12),
    }

    network = notes_network(p, hidden_activation="sigmoid", output_activation="sigmoid")
    record = Trainer(network, [[iq, cgpa]], [package], learning_rate=0.1, loss="bce").step()

    assert record.y_hat[0, 0] == pytest.approx(y_hat, rel=1e-12)
    expected_loss = -package * math.log(y_hat) - (1 - package) * math.log(1 - y_hat)
    assert record.loss == pytest.approx(expected_loss, rel=1e-12)
    assert record.dloss_dyhat[0, 0] == pytest.approx(-(package - y_hat) / (y_hat * (1 - y_hat)), rel=1e-12)
    assert record.deltas[-1][0, 0] == pytest.approx(dL_dz, rel=1e-12)
    for name, expected in notes_gradients.items():
        actual = engine_entry(record.weight_grads, record.bias_grads, name)
        assert actual == pytest.approx(expected, rel=1e-10), name
