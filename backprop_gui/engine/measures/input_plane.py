"""The input space's plane, computed without Qt: ŷ and every hidden neuron's output over two
inputs, with the table's rows on it.

The view (``ui/plots/input_space.py``) takes a snapshot on the GUI thread (an ``InputPlaneRequest``,
made by ``lesson.measures.input_plane_request``: the network with the weights on show, the scaling,
the table), hands it to a pool thread (``input_plane``) and draws what comes back. A large table is
pictured by a bounded sample of its rows (``SAMPLE_ROWS``), always the same rows for the same table;
the count of rows predicted right is over the whole table, predicted in blocks of ``BLOCK_ROWS`` so
that memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..network import Network
from ..scaling import Standardizer
from .metrics import CLASSIFICATION_THRESHOLD

GRID = 90
"""Grid points along each input of the map of ŷ (8,100 points through the network)."""
NEURON_GRID = 45
"""Grid points along each input of a hidden neuron's small map."""
MARGIN = 0.08
"""The plane reaches this share of each input's range beyond the table's rows."""
SAMPLE_ROWS = 5000
"""At most this many of the table's rows are drawn on the plane; a larger table shows a sample."""
BLOCK_ROWS = 1 << 16
"""A table of more rows is predicted block by block, so memory stays bounded."""
SAMPLE_SEED = 0
"""The sample of a large table is drawn with this seed: the same rows at every refresh."""


@dataclass(frozen=True)
class InputPlaneRequest:
    """Everything ``input_plane`` reads, taken on the GUI thread; nothing in it changes after."""

    network: Network
    scaler: Standardizer
    inputs: np.ndarray
    """The table's inputs (rows × inputs), in the table's units."""
    targets: np.ndarray
    axes: tuple[int, int]
    """The inputs across and up the plane (columns of ``inputs``)."""
    classification: bool


@dataclass(frozen=True)
class InputPlane:
    axes: tuple[int, int]
    grid: tuple[np.ndarray, np.ndarray]
    """The values of the two inputs along the map."""
    map: np.ndarray
    """ŷ on the grid, ``map[i, j]`` at (grid[0][i], grid[1][j])."""
    neuron_grid: tuple[np.ndarray, np.ndarray]
    neuron_outputs: list[np.ndarray]
    """Each hidden layer's outputs on the small grid, (NEURON_GRID², neurons), across varying slowest."""
    means: np.ndarray
    """Every input's mean over the table: the value the inputs off the plane are held at."""
    n_rows: int
    shown_rows: np.ndarray
    """The rows drawn (all of them, or a sample of SAMPLE_ROWS), in table order."""
    x: np.ndarray
    y: np.ndarray
    targets: np.ndarray
    """The shown rows' inputs across and up, and their targets."""
    target_range: tuple[float, float]
    """The lowest and highest target of the whole table."""
    wrong: np.ndarray | None
    """Which shown rows the network places in the wrong class (classification only)."""
    right: int | None
    """How many rows of the whole table the network places in their class (classification only)."""

    @property
    def sampled(self) -> bool:
        return self.shown_rows.size < self.n_rows


def plane_ranges(inputs: np.ndarray, axes, points: int = GRID, margin: float = MARGIN) -> tuple[np.ndarray, np.ndarray]:
    """The values along each of the two inputs: the rows' range and ``margin`` of it beyond each end
    (a constant input gets ±10 % of its value, at least ±1)."""
    ranges = []
    for column in axes:
        lo, hi = float(inputs[:, column].min()), float(inputs[:, column].max())
        pad = margin * (hi - lo) if hi > lo else max(1.0, abs(lo) * 0.1)
        ranges.append(np.linspace(lo - pad, hi + pad, points))
    return ranges[0], ranges[1]


def plane_points(means: np.ndarray, axes, across_values, up_values) -> np.ndarray:
    """Rows in the table's units for each (across, up) pair, every other input at its mean; across varies slowest."""
    across, up = axes
    across_values = np.asarray(across_values, dtype=float)
    up_values = np.asarray(up_values, dtype=float)
    points = np.repeat(np.asarray(means, dtype=float)[None, :], len(across_values) * len(up_values), axis=0)
    points[:, across] = np.repeat(across_values, len(up_values))
    points[:, up] = np.tile(up_values, len(across_values))
    return points


def layer_outputs(network: Network, scaler: Standardizer, points) -> list[np.ndarray]:
    """Every layer's outputs, ŷ last, at rows in the table's units: one forward pass, the floats of
    ``Lesson.predict``."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return list(network.forward_pass(scaler.transform(np.atleast_2d(np.asarray(points, dtype=float)))).outputs)


def predicted_class(y_hat: np.ndarray) -> np.ndarray:
    """The class the network places a row in: 1 where ŷ ≥ CLASSIFICATION_THRESHOLD."""
    return np.asarray(y_hat) >= CLASSIFICATION_THRESHOLD


def target_class(targets: np.ndarray) -> np.ndarray:
    """A 0/1 target's class, on the same side of the threshold as ŷ's."""
    return np.asarray(targets) >= CLASSIFICATION_THRESHOLD


def sample_rows(n_rows: int, limit: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED) -> np.ndarray:
    """Every row when there are at most ``limit``, otherwise ``limit`` of them drawn at random (the
    same for the same table size), in table order."""
    if n_rows <= limit:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(seed).choice(n_rows, size=limit, replace=False))


def table_predictions(network: Network, scaler: Standardizer, inputs: np.ndarray, block: int = BLOCK_ROWS) -> np.ndarray:
    """ŷ (the first output) for every row; a table of more than ``block`` rows block by block."""
    if len(inputs) <= block:
        return layer_outputs(network, scaler, inputs)[-1][:, 0]
    return np.concatenate([layer_outputs(network, scaler, inputs[k : k + block])[-1][:, 0]
                           for k in range(0, len(inputs), block)])  # fmt: skip


def input_plane(request: InputPlaneRequest, sample_limit: int = SAMPLE_ROWS) -> InputPlane:
    """The map of ŷ, the hidden neurons' maps and the rows to draw, for a pool thread."""
    inputs, axes = request.inputs, request.axes
    means = inputs.mean(axis=0)
    grid = plane_ranges(inputs, axes)
    map_ = layer_outputs(request.network, request.scaler, plane_points(means, axes, *grid))[-1][:, 0]
    small = (np.linspace(grid[0][0], grid[0][-1], NEURON_GRID), np.linspace(grid[1][0], grid[1][-1], NEURON_GRID))
    neuron_outputs = layer_outputs(request.network, request.scaler, plane_points(means, axes, *small))[:-1]
    shown = sample_rows(len(inputs), sample_limit)
    targets = request.targets[shown]
    wrong = right = None
    if request.classification:
        placed = predicted_class(table_predictions(request.network, request.scaler, inputs))
        agree = placed == target_class(request.targets)
        right = int(np.count_nonzero(agree))
        wrong = ~agree[shown]
    return InputPlane(
        axes=axes,
        grid=grid,
        map=map_.reshape(GRID, GRID),
        neuron_grid=small,
        neuron_outputs=neuron_outputs,
        means=means,
        n_rows=len(inputs),
        shown_rows=shown,
        x=inputs[shown, axes[0]],
        y=inputs[shown, axes[1]],
        targets=targets,
        target_range=(float(request.targets.min()), float(request.targets.max())),
        wrong=wrong,
        right=right,
    )
