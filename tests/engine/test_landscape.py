"""loss_surface: the mean loss over a grid of two parameters, the trainer's own floats at every point."""

import itertools

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer, TrainingSettings, evaluate, loss_surface, make_scaler
from backprop_gui.engine.measures.landscape import parameter_index, parameter_ref, parameter_value, parameter_vector
from backprop_gui.engine.notation import ParameterRef, all_parameters
from backprop_gui.lesson import Lesson

NOTES_X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
NOTES_Y = np.array([5.0, 3.0, 8.0])


def data(n_rows, n_inputs, seed, binary=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, n_inputs)) * rng.uniform(0.5, 20, n_inputs) + rng.uniform(-5, 100, n_inputs)
    y = (rng.uniform(size=n_rows) < 0.5).astype(float) if binary else rng.normal(5, 2, n_rows)
    return make_scaler("standardize", X).transform(X), y


def trainer_loss(network, X, y, loss, assignments):
    """The loss Trainer.loss_on() computes with the given parameters set on a copy of the network."""
    net = network.copy()
    for ref, value in assignments:
        if ref.kind == "w":
            net.weights[ref.layer][ref.i, ref.j] = value
        else:
            net.biases[ref.layer][ref.i] = value
    with np.errstate(over="ignore", invalid="ignore"):
        return Trainer(net, X, y, learning_rate=0.1, loss=loss).loss_on()


def grid_around(network, ref, n, seed):
    value = parameter_value(network, ref)
    rng = np.random.default_rng(seed)
    return np.concatenate([[value], value + rng.uniform(-2, 2, n - 1)])


ARCHITECTURES = [
    # layer sizes, hidden, output, loss, rows
    ([2, 2, 1], "linear", "linear", "mse", 3),
    ([2, 2, 1], "linear", "linear", "mse", 300),
    ([2, 3, 1], "tanh", "linear", "mse", 40),
    ([3, 4, 2, 1], "sigmoid", "sigmoid", "bce", 25),
    ([2, 2, 1], "sigmoid", "sigmoid", "bce", 40),
    ([2, 5, 1], "relu", "linear", "mse", 17),
    ([2, 1], "linear", "sigmoid", "bce", 9),
    ([2, 2, 1], "tanh", "linear", "mse", 1),
]


@pytest.mark.parametrize("sizes, hidden, output, loss, rows", ARCHITECTURES)
def test_every_grid_point_is_the_trainers_loss_exactly(sizes, hidden, output, loss, rows):
    network = Network(sizes, hidden, output, init="normal", seed=sum(sizes) + rows)
    X, y = data(rows, sizes[0], seed=rows, binary=loss == "bce")
    refs = all_parameters(sizes)
    pairs = list(itertools.permutations(refs, 2))
    if len(pairs) > 40:  # a spread of pairs: same neuron, same layer, different layers, biases
        pairs = pairs[:: len(pairs) // 40]
    for n, (first, second) in enumerate(pairs):
        first_values, second_values = grid_around(network, first, 4, n), grid_around(network, second, 3, n + 1)
        surface = loss_surface(network, X, y, loss, first, second, first_values, second_values)
        assert surface.shape == (4, 3)
        for i, j in np.ndindex(surface.shape):
            expected = trainer_loss(network, X, y, loss, [(first, first_values[i]), (second, second_values[j])])
            # Exactly: the same NumPy calls on the same shapes, so the same rounding.
            assert surface[i, j] == expected, (first.name, second.name, i, j, surface[i, j] - expected)


def test_a_full_size_grid_on_300_rows_is_exact_everywhere():
    network = Network([2, 2, 1], init="random", seed=3)
    X, y = data(300, 2, seed=1)
    first, second = parameter_ref(network, "w¹₁₁"), parameter_ref(network, "w²₂₁")
    values = np.linspace(-3, 3, 60)
    surface = loss_surface(network, X, y, "mse", first, second, values, values[::-1])
    expected = np.array([[trainer_loss(network, X, y, "mse", [(first, a), (second, b)]) for b in values[::-1]] for a in values])
    np.testing.assert_array_equal(surface, expected)


def test_the_notes_raw_inputs_overflow_like_the_trainer():
    network = Network([2, 2, 1], init="ones")
    values = np.array([1.0, 1e150, -1e200])
    surface = loss_surface(network, NOTES_X, NOTES_Y, "mse", "w¹₁₁", "b₂₁", values, [0.0, 1.0])
    assert surface[0, 0] == trainer_loss(network, NOTES_X, NOTES_Y, "mse", [])
    assert surface[0, 0] == pytest.approx(((5 - 176) ** 2 + (3 - 130) ** 2 + (8 - 234) ** 2) / 3)
    assert np.isinf(surface[2, 0]) and surface[1, 0] == trainer_loss(
        network, NOTES_X, NOTES_Y, "mse", [(parameter_ref(network, "w¹₁₁"), 1e150)]
    )


def test_the_current_point_is_the_metrics_panels_loss():
    for settings in (TrainingSettings(), TrainingSettings(init="ones", scaling="none", learning_rate=1e-6),
                     TrainingSettings(loss="bce", output_activation="sigmoid", hidden_activation="sigmoid")):  # fmt: skip
        lesson = Lesson(settings)
        if settings.loss == "bce":
            lesson.table.load([[80, 8, 1], [60, 5, 0], [110, 7, 1], [70, 6, 0]], ["IQ", "CGPA", "Placed"])
        for _ in range(4):
            lesson.step()
        network = lesson.network
        X = lesson.scaler().transform(lesson.table.inputs())
        first, second = all_parameters(network.layer_sizes)[0], all_parameters(network.layer_sizes)[-1]
        a, b = parameter_value(network, first), parameter_value(network, second)
        surface = loss_surface(network, X, lesson.table.targets(), settings.loss, first, second, [a - 1, a], [b, b + 1])
        assert surface[1, 0] == lesson.metrics().loss
        assert surface[1, 0] == evaluate(network, X, lesson.table.targets(), settings.loss).loss


def test_names_and_refs_name_the_same_parameters():
    network = Network([2, 2, 1], init="random", seed=1)
    X, y = data(10, 2, seed=2)
    by_name = loss_surface(network, X, y, "mse", "w¹₂₁", "b₁₂", [0, 1], [2, 3])
    by_ref = loss_surface(network, X, y, "mse", ParameterRef("w", 0, 1, 0), ParameterRef("b", 0, 1), [0, 1], [2, 3])
    np.testing.assert_array_equal(by_name, by_ref)
    # The network is left as it was.
    assert network.weights[0][1, 0] != 0 and network.biases[0][1] == 0


def test_swapping_the_parameters_transposes_the_surface():
    network = Network([2, 3, 1], "tanh", init="normal", seed=4)
    X, y = data(30, 2, seed=5)
    a, b = np.linspace(-1, 1, 7), np.linspace(0, 2, 5)
    np.testing.assert_array_equal(
        loss_surface(network, X, y, "mse", "w²₃₁", "w¹₁₂", a, b), loss_surface(network, X, y, "mse", "w¹₁₂", "w²₃₁", b, a).T
    )


@pytest.mark.parametrize(
    "first, second, loss, message",
    [("w¹₁₁", "w¹₁₁", "mse", "must differ"), ("w³₁₁", "b₁₁", "mse", "no parameter named"),
     ("w¹₁₁", "b₁₁", "hinge", "unknown loss"), ("w¹₁₁", "b₁₁", "bce", "sigmoid")],  # fmt: skip
)
def test_refusals_say_why(first, second, loss, message):
    with pytest.raises(ValueError, match=message):
        loss_surface(Network([2, 2, 1]), NOTES_X, NOTES_Y, loss, first, second, [0], [0])


def test_parameter_vector_and_index_agree():
    network = Network([3, 4, 2, 1], init="normal", seed=0)
    vector = parameter_vector(network.weights, network.biases)
    for ref in all_parameters(network.layer_sizes):
        assert vector[parameter_index(network.layer_sizes, ref)] == parameter_value(network, ref)
    assert vector.size == len(all_parameters(network.layer_sizes))


def test_the_engines_loss_objects_are_taken_too():
    from backprop_gui.engine import get_loss

    network = Network([2, 2, 1], "sigmoid", "sigmoid", init="normal", seed=2)
    X, y = data(12, 2, seed=3, binary=True)
    np.testing.assert_array_equal(
        loss_surface(network, X, y, get_loss("bce"), "w¹₁₁", "b₂₁", [0, 1], [2, 3]),
        loss_surface(network, X, y, "bce", "w¹₁₁", "b₂₁", [0, 1], [2, 3]),
    )


# -- the landscape's choices: which two parameters, which ranges ---------------------------------
from backprop_gui.engine.measures.landscape import (  # noqa: E402
    GRID,
    KEEP_MARGIN,
    ZOOM_LIMITS,
    clamp_zoom,
    grid_ranges,
    largest_gradients,
    project,
)


@pytest.mark.parametrize("sizes, seed", [([2, 2, 1], 0), ([3, 4, 2, 1], 1), ([1, 1], 2)])
def test_the_largest_gradients_are_the_parameters_of_largest_magnitude(sizes, seed):
    rng = np.random.default_rng(seed)
    weight_grads = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bias_grads = [rng.normal(size=b) for b in sizes[1:]]
    magnitude = {}
    for ref in all_parameters(sizes):
        grad = weight_grads[ref.layer][ref.i, ref.j] if ref.kind == "w" else bias_grads[ref.layer][ref.i]
        magnitude[ref] = abs(grad)
    first, second = largest_gradients(sizes, weight_grads, bias_grads)
    assert magnitude[first] == max(magnitude.values())
    assert magnitude[second] == max(v for ref, v in magnitude.items() if ref != first)
    assert largest_gradients(sizes, weight_grads, bias_grads, count=len(magnitude))[-1] == min(magnitude, key=magnitude.get)


def test_gradients_of_another_network_choose_nothing():
    assert largest_gradients([2, 3, 1], [np.ones((2, 2)), np.ones((2, 1))], [np.ones(2), np.ones(1)]) is None


def test_a_point_of_parameter_space_projects_onto_its_two_parameters():
    network = Network([2, 2, 1], init="random", seed=3)
    vector = parameter_vector(network.weights, network.biases)
    pair = [parameter_ref(network, "w²₁₁"), parameter_ref(network, "b₁₂")]
    assert list(project(vector, network.layer_sizes, pair)) == [network.weights[1][0, 0], network.biases[0][1]]
    assert project(np.vstack([vector, vector]), network.layer_sizes, pair).shape == (2, 2)


def test_the_grid_spans_every_point_around_their_middle():
    extent = np.array([[0.0, 10.0], [4.0, 11.0], [2.0, 10.5]])
    first, second = grid_ranges(extent, zoom=1.0)
    assert first.size == second.size == GRID
    assert (first[0] + first[-1]) / 2 == pytest.approx(2.0) and first[-1] - first[0] == pytest.approx(2 * 0.8 * 4)
    assert second[-1] - second[0] == pytest.approx(2.0)  # a span under 1.25 widens to ±1
    wider = grid_ranges(extent, zoom=4.0)
    assert wider[0][-1] - wider[0][0] == pytest.approx(4 * (first[-1] - first[0]))


def test_the_grid_stays_while_the_points_stay_well_inside_and_moves_when_they_leave():
    extent = np.array([[0.0, 0.0], [1.0, 1.0]])
    ranges = grid_ranges(extent)
    span = ranges[0][-1] - ranges[0][0]
    inside = np.vstack([extent, [ranges[0][-1] - (KEEP_MARGIN + 0.01) * span, 0.5]])
    assert grid_ranges(inside, previous=ranges) is ranges
    outside = np.vstack([extent, [ranges[0][-1] - (KEEP_MARGIN - 0.01) * span, 0.5]])
    moved = grid_ranges(outside, previous=ranges)
    assert moved is not ranges and moved[0][-1] > ranges[0][-1]


def test_zoom_stays_within_its_limits():
    assert clamp_zoom(1e9) == ZOOM_LIMITS[1] and clamp_zoom(1e-9) == ZOOM_LIMITS[0] and clamp_zoom(2.0) == 2.0
