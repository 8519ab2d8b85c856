"""The landscape's contour lines (engine.contours): where they cross the grid and how they join."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_gui.engine.measures.contours import contour_segments


def value_along_edge(values, point):
    """The linear interpolation of ``values`` at a point on a grid edge (one coordinate whole)."""
    x, y = point
    if float(x).is_integer():
        j = min(int(np.floor(y)), values.shape[1] - 2)
        t = y - j
        return (1 - t) * values[int(x), j] + t * values[int(x), j + 1]
    i = min(int(np.floor(x)), values.shape[0] - 2)
    t = x - i
    return (1 - t) * values[i, int(y)] + t * values[i + 1, int(y)]


@settings(max_examples=60, deadline=None)
@example(np.array([[5e-324, 0.0], [0.0, 0.0]]), 1.0)  # an edge of a subnormal's length: 1/5e-324 overflows
@example(np.array([[1e308, 0.0], [0.0, 1e308]]), 1e307)  # a saddle whose corners overflow their mean
@given(
    arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(2, 12)), elements=st.floats(-100, 100)),
    st.floats(-100, 100),
)
def test_every_end_lies_on_a_grid_edge_where_the_edge_reaches_the_level(values, level):
    segments = contour_segments(values, level)
    scale = max(1.0, float(np.abs(values).max()))
    for point in segments.reshape(-1, 2):
        assert float(point[0]).is_integer() or float(point[1]).is_integer()
        assert abs(value_along_edge(values, point) - level) <= 1e-9 * scale
    # Each segment lies inside one cell of the grid.
    last_cell = np.array(values.shape) - 2
    for first, second in segments:
        cell = np.minimum(np.floor(np.minimum(first, second)), last_cell)
        assert np.all(cell >= 0)
        for end in (first, second):
            assert np.all((cell <= end) & (end <= cell + 1))


def test_a_level_outside_the_values_has_no_line():
    values = np.arange(12.0).reshape(3, 4)
    assert contour_segments(values, -1.0).shape == (0, 2, 2)
    assert contour_segments(values, 11.0).shape == (0, 2, 2)  # nothing is above the largest value


def test_a_circle_of_the_bowl_of_a_squared_error():
    x = np.linspace(-2.0, 2.0, 101)
    values = np.add.outer(x**2, x**2)
    ends = contour_segments(values, 1.0).reshape(-1, 2) * (x[1] - x[0]) - 2.0
    radius = np.hypot(ends[:, 0], ends[:, 1])
    assert np.all(np.abs(radius - 1.0) < 1e-3)  # linear interpolation of r² on a grid of 0.04
    assert len(ends) >= 2 * 100  # all the way round: more than 100 cells


def test_a_saddle_is_split_as_the_mean_of_its_corners_says():
    above_on_the_diagonal = np.array([[1.0, 0.0], [0.0, 1.0]])  # a and c above 0.4, b and d below
    joined = contour_segments(above_on_the_diagonal, 0.4)  # mean 0.5 > 0.4: a and c joined across
    assert sorted(map(tuple, np.round(joined.reshape(-1, 2), 6).tolist())) == [(0.0, 0.6), (0.4, 1.0), (0.6, 0.0), (1.0, 0.4)]
    split = contour_segments(above_on_the_diagonal, 0.6)  # mean 0.5 < 0.6: a and c cut off apart
    corners = {tuple(np.round(segment.mean(axis=0), 6)) for segment in split}
    assert corners == {(0.2, 0.2), (0.8, 0.8)}
