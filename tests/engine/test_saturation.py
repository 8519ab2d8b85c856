"""engine/measures/saturation.py: each hidden neuron's slope on the table's rows, and which are saturated or dead."""

import numpy as np
import pytest

from backprop_gui.engine import ACTIVATIONS, Network
from backprop_gui.engine.measures.saturation import FLAT_SLOPE, MAX_ROWS, activation_curve, measured_rows, neuron_slopes


def test_a_sigmoid_neuron_driven_far_from_zero_is_saturated_and_a_relu_below_zero_dead():
    X = np.random.default_rng(0).normal(size=(50, 2))
    for name, verdict in (("sigmoid", "saturated"), ("tanh", "saturated"), ("relu", "dead")):
        network = Network([2, 2, 1], name, "linear", init="ones")
        network.biases[0][...] = [-30.0, 0.0]  # neuron 1 pushed far down, neuron 2 left at 0 on average
        first, second = neuron_slopes(network, X)
        assert first.verdict == verdict and first.flat_share > 0.5
        assert second.verdict is None
        expected = ACTIVATIONS[name].derivative(first.z, ACTIVATIONS[name].forward(first.z))
        assert np.array_equal(first.slope, expected)


def test_a_linear_or_leaky_neuron_is_never_flagged_and_the_share_counts_rows():
    X = np.linspace(-3, 3, 40)[:, None]
    for name in ("linear", "leaky_relu"):
        (neuron,) = neuron_slopes(Network([1, 1, 1], name, init="ones"), X)
        assert neuron.verdict is None
    (relu,) = neuron_slopes(Network([1, 1, 1], "relu", init="ones"), X)
    assert relu.flat_share == pytest.approx(0.5)  # z = x: negative on half the rows, not most
    assert relu.verdict is None


def test_every_layer_with_its_own_activation_is_measured():
    network = Network([2, 3, 2, 1], ["gelu", "elu"], init="normal", seed=2)
    slopes = neuron_slopes(network, np.ones((4, 2)))
    assert [(s.layer, s.j, s.activation) for s in slopes] == [(0, 0, "gelu"), (0, 1, "gelu"), (0, 2, "gelu"), (1, 0, "elu"), (1, 1, "elu")]


def test_a_large_table_is_measured_on_rows_spread_through_it():
    rows = measured_rows(10 * MAX_ROWS + 7)
    assert rows.size == MAX_ROWS and rows[0] == 0 and rows[-1] == 10 * MAX_ROWS + 6


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_the_curve_is_the_engines_activation_and_slope(name):
    z = np.linspace(-6, 6, 101)
    value, slope = activation_curve(name, z)
    assert np.array_equal(value, ACTIVATIONS[name].forward(z))
    assert np.array_equal(slope, ACTIVATIONS[name].derivative(z, value))
    assert FLAT_SLOPE == 0.01
