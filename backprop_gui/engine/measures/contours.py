"""Contour lines of a grid of values, by marching squares, as line segments.

The loss landscape draws a few of these over its heatmap. Each cell of the grid (four
neighbouring values) is crossed by the level along the edges whose two ends lie on either side
of it, at the point where linear interpolation along the edge gives the level; a cell whose
diagonal corners lie on the same side (a saddle) is split as the mean of its corners says.
Everything is done a whole grid at a time in NumPy: no loop over cells in Python.

    >>> import numpy as np
    >>> values = np.add.outer(np.arange(3.0), np.zeros(3))  # v[i, j] = i
    >>> segments = contour_segments(values, 0.5)
    >>> segments.shape  # one segment in each of the two cells the level crosses
    (2, 2, 2)
    >>> sorted(segments[:, :, 0].ravel().tolist())  # at i = 0.5 throughout
    [0.5, 0.5, 0.5, 0.5]
"""

from __future__ import annotations

import numpy as np

# A cell's corners: a = v[i, j], b = v[i + 1, j], c = v[i + 1, j + 1], d = v[i, j + 1]; its case
# is the sum of 1, 2, 4, 8 for each corner above the level. Its edges: 0 = a–b, 1 = b–c,
# 2 = d–c, 3 = a–d. The pairs of edges each case's segments join:
SEGMENTS_OF_CASE = {
    1: [(3, 0)], 2: [(0, 1)], 3: [(3, 1)], 4: [(1, 2)], 6: [(0, 2)], 7: [(3, 2)], 8: [(2, 3)],
    9: [(0, 2)], 11: [(1, 2)], 12: [(1, 3)], 13: [(0, 1)], 14: [(3, 0)],
}  # fmt: skip
SADDLES = {
    # case: (segments when the cell's mean is above the level, when it is not)
    5: ([(0, 1), (2, 3)], [(3, 0), (1, 2)]),  # a and c above
    10: ([(3, 0), (1, 2)], [(0, 1), (2, 3)]),  # b and d above
}


def contour_segments(values: np.ndarray, level: float) -> np.ndarray:
    """The segments of the contour line ``values == level``, shape (n, 2, 2): segment k runs from
    (x, y) = segments[k, 0] to segments[k, 1], where value v[i, j] sits at (i, j).

    Values must be finite (the landscape puts its largest value in place of an overflow).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or min(v.shape) < 2:
        return np.empty((0, 2, 2))
    a, b, c, d = v[:-1, :-1], v[1:, :-1], v[1:, 1:], v[:-1, 1:]
    case = (a > level) * 1 + (b > level) * 2 + (c > level) * 4 + (d > level) * 8
    i, j = np.meshgrid(np.arange(v.shape[0] - 1, dtype=float), np.arange(v.shape[1] - 1, dtype=float), indexing="ij")
    # Points on edges the level does not cross are computed and never used; a loss near the
    # float limit overflows the cell's mean (then +inf: above, as its corners are).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        points = (
            np.stack([i + (level - a) / (b - a), j], axis=-1),  # on edge 0, a–b
            np.stack([i + 1.0, j + (level - b) / (c - b)], axis=-1),  # on edge 1, b–c
            np.stack([i + (level - d) / (c - d), j + 1.0], axis=-1),  # on edge 2, d–c
            np.stack([i, j + (level - a) / (d - a)], axis=-1),  # on edge 3, a–d
        )
        centre_above = (a + b + c + d) / 4.0 > level
    segments = []
    for number, pairs in SEGMENTS_OF_CASE.items():
        segments += _joined(points, case == number, pairs)
    for number, (when_above, when_below) in SADDLES.items():
        segments += _joined(points, (case == number) & centre_above, when_above)
        segments += _joined(points, (case == number) & ~centre_above, when_below)
    return np.concatenate(segments) if segments else np.empty((0, 2, 2))


def _joined(points, cells: np.ndarray, pairs) -> list[np.ndarray]:
    if not cells.any():
        return []
    return [np.stack([points[first][cells], points[second][cells]], axis=1) for first, second in pairs]
