"""What the learning views picture, without Qt: the landscape's reasons for showing nothing, and the
input space's plane (its maps, its sample of a large table, its count of rows placed right)."""

import numpy as np
import pytest

from backprop_gui.engine import CLASSIFICATION_DEFAULTS, TrainingSettings
from backprop_gui.lesson import Lesson
from backprop_gui.engine.measures.input_plane import (
    GRID,
    NEURON_GRID,
    input_plane,
    layer_outputs,
    plane_points,
    plane_ranges,
    sample_rows,
    table_predictions,
)
from backprop_gui.lesson.measures import input_plane_request, landscape_problem, network_with


def classification_lesson(n_rows, seed):
    rng = np.random.default_rng(seed)
    inputs = np.column_stack([rng.normal(100, 15, n_rows), rng.uniform(4, 10, n_rows), rng.normal(0, 1, n_rows)])
    targets = (inputs[:, 0] / 15 + inputs[:, 1] + rng.normal(0, 1, n_rows) > 13.5).astype(float)
    lesson = Lesson(TrainingSettings(**CLASSIFICATION_DEFAULTS, scaling="standardize", init="random", seed=seed))
    lesson.table.load(np.column_stack([inputs, targets]), ["IQ", "CGPA", "noise", "placed"])
    lesson.train(3)
    return lesson


def test_the_landscape_says_why_it_has_nothing_to_show():
    lesson = Lesson()
    assert landscape_problem(lesson) is None
    lesson.update_settings(**CLASSIFICATION_DEFAULTS)  # the notes' packages are not 0/1 classes
    assert landscape_problem(lesson) == "The targets do not fit the task: no loss to show."
    assert lesson.metrics() is None
    lesson.table.load(np.empty((0, 3)), ["IQ", "CGPA", "Package"])
    assert landscape_problem(lesson) == "The table is empty."


def test_parameters_of_another_network_make_no_copy():
    lesson = Lesson()
    network = lesson.network
    assert network_with(network, [np.ones((3, 2)), np.ones((2, 1))], [np.ones(2), np.ones(1)]) is None
    copy = network_with(network, [w + 1 for w in network.weights], network.biases)
    assert copy is not network and np.array_equal(copy.weights[0], network.weights[0] + 1)


def test_the_plane_spans_the_rows_with_a_margin_and_holds_the_other_inputs_at_their_means():
    inputs = np.array([[80.0, 8.0, 1.0], [60.0, 5.0, 2.0], [110.0, 7.0, 3.0]])
    across, up = plane_ranges(inputs, (0, 2), points=5, margin=0.1)
    assert (across[0], across[-1]) == (60.0 - 5.0, 110.0 + 5.0) and (up[0], up[-1]) == pytest.approx((0.8, 3.2))
    points = plane_points(inputs.mean(axis=0), (0, 2), [70.0, 90.0], [1.0, 2.0, 3.0])
    assert points.shape == (6, 3) and np.all(points[:, 1] == inputs[:, 1].mean())
    assert points[:, 0].tolist() == [70.0] * 3 + [90.0] * 3 and points[:, 2].tolist() == [1.0, 2.0, 3.0] * 2
    constant = plane_ranges(np.array([[5.0, 50.0], [5.0, 50.0]]), (0, 1), points=3)
    assert (constant[0][0], constant[0][-1], constant[1][0], constant[1][-1]) == (4.0, 6.0, 45.0, 55.0)


@pytest.mark.parametrize("n_rows, limit", [(3, 5000), (5000, 5000), (5001, 5000), (1_000_000, 5000), (40, 7)])
def test_a_sample_is_every_row_or_limit_distinct_rows_in_order_the_same_each_time(n_rows, limit):
    rows = sample_rows(n_rows, limit)
    assert rows.size == min(n_rows, limit) and np.all(np.diff(rows) > 0) and rows[0] >= 0 and rows[-1] < n_rows
    np.testing.assert_array_equal(rows, sample_rows(n_rows, limit))


@pytest.mark.parametrize("seed", [0, 1])
def test_the_whole_table_predicted_block_by_block_is_the_lessons_prediction(seed):
    lesson = classification_lesson(1000, seed)
    inputs = lesson.table.inputs()
    whole = lesson.predict(inputs)[:, 0]
    np.testing.assert_array_equal(table_predictions(lesson.network, lesson.scaler(), inputs), whole)
    np.testing.assert_allclose(table_predictions(lesson.network, lesson.scaler(), inputs, block=97), whole, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 3])
def test_the_plane_is_the_lessons_prediction_and_counts_the_rows_right_over_the_whole_table(seed):
    lesson = classification_lesson(700, seed)
    weights, biases = lesson.network.weights, lesson.network.biases
    plane = input_plane(input_plane_request(lesson, weights, biases, (0, 1)), sample_limit=100)
    inputs, targets = lesson.table.inputs(), lesson.table.targets()
    points = plane_points(inputs.mean(axis=0), (0, 1), *plane.grid)
    np.testing.assert_array_equal(plane.map.reshape(-1), lesson.predict(points)[:, 0])
    assert plane.map.shape == (GRID, GRID)
    small = plane_points(inputs.mean(axis=0), (0, 1), *plane.neuron_grid)
    np.testing.assert_array_equal(plane.neuron_outputs[0], layer_outputs(lesson.network, lesson.scaler(), small)[0])
    assert plane.neuron_outputs[0].shape == (NEURON_GRID**2, lesson.network.layer_sizes[1])
    assert plane.sampled and plane.n_rows == 700 and plane.shown_rows.size == 100
    assert plane.right == round(lesson.metrics().accuracy * 700)
    placed = lesson.predict(inputs[plane.shown_rows])[:, 0] >= 0.5
    np.testing.assert_array_equal(plane.wrong, placed != (targets[plane.shown_rows] == 1.0))
    np.testing.assert_array_equal(plane.x, inputs[plane.shown_rows, 0])
    assert plane.target_range == (0.0, 1.0)


def test_a_regression_plane_marks_nothing_and_a_step_on_show_is_its_weights():
    lesson = Lesson()
    lesson.step()
    record = lesson.last_record
    plane = input_plane(input_plane_request(lesson, record.weights_before, record.biases_before, (1, 0)))
    before = network_with(lesson.network, record.weights_before, record.biases_before)
    points = plane_points(lesson.table.inputs().mean(axis=0), (1, 0), *plane.grid)
    np.testing.assert_array_equal(plane.map.reshape(-1), before.predict(lesson.scaler().transform(points))[:, 0])
    assert plane.wrong is None and plane.right is None and not plane.sampled
    assert plane.target_range == (3.0, 8.0)


def test_there_is_no_plane_without_rows_or_with_no_input_chosen():
    lesson = Lesson()
    weights, biases = lesson.network.weights, lesson.network.biases
    assert input_plane_request(lesson, weights, biases, (0, -1)) is None
    lesson.table.load(np.empty((0, 3)), ["IQ", "CGPA", "Package"])
    assert input_plane_request(lesson, weights, biases, (0, 1)) is None
