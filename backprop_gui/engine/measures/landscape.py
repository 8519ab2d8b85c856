"""The loss landscape: the mean loss over the table as a function of two parameters.

    >>> import numpy as np
    >>> from backprop_gui.engine import Network, loss_surface
    >>> net = Network([2, 2, 1], init="ones")
    >>> X, y = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]]), np.array([5.0, 3.0, 8.0])
    >>> surface = loss_surface(net, X, y, "mse", "w²₁₁", "b₂₁", [0.0, 1.0], [0.0, 1.0, 2.0])
    >>> surface.shape
    (2, 3)

``result[i, j]`` is the mean loss over the rows of X with ``first = first_values[i]``,
``second = second_values[j]`` and every other weight and bias as it is in the network.

The same arithmetic as the trainer, so the same floats: every grid point goes through the
network with the very NumPy calls of ``Network.forward_pass`` and the loss of ``losses.py``,
each on an array of the shape the trainer uses. NumPy's ``matmul`` over a stack of matrices
makes one call per matrix, of the same shape as the trainer's single call; BLAS rounds those
with fused multiply-adds, so a formula written out by hand (x₁·w₁ + x₂·w₂) would differ from
the trainer in the last bit. Only what depends on a grid point is computed per grid point: the
layers before the first varied parameter run once, the layer of a varied parameter runs once per
value of it, and the grid's rows are computed in chunks small enough to stay in the cache.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..activations import log_softmax
from ..losses import LOSSES, MULTICLASS_LOSSES
from ..network import Network
from ..notation import ParameterRef, all_parameters
from ..targets import one_hot

TILE_ELEMENTS = 1 << 16
"""Roughly how many numbers one layer's outputs may hold per tile of the grid (512 kB): small
enough for the cache, large enough that NumPy's per-call cost is spread thin."""


def parameter_ref(network: Network, name: ParameterRef | str) -> ParameterRef:
    """A weight or bias of ``network`` from a ParameterRef or the notes' name ("w¹₁₁", "b₂₁")."""
    refs = all_parameters(network.layer_sizes)
    if isinstance(name, ParameterRef) or (isinstance(name, tuple) and len(name) in (3, 4)):
        ref = ParameterRef(*name)
        if ref not in refs:
            raise ValueError(f"the network {network.layer_sizes} has no parameter {ref}")
        return ref
    by_name = {ref.name: ref for ref in refs}
    try:
        return by_name[str(name).strip()]
    except KeyError:
        raise ValueError(
            f"the network {network.layer_sizes} has no parameter named {name!r}; "
            f"its parameters are {', '.join(by_name)}"
        ) from None


def parameter_value(network: Network, ref: ParameterRef) -> float:
    if ref.kind == "w":
        return float(network.weights[ref.layer][ref.i, ref.j])
    return float(network.biases[ref.layer][ref.i])


def parameter_vector(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    """Every weight and bias in one flat array, in the order of ``parameter_index``."""
    return np.concatenate([np.ravel(w) for w in weights] + [np.ravel(b) for b in biases])


def parameter_index(layer_sizes: Sequence[int], ref: ParameterRef) -> int:
    """Where ``ref`` sits in ``parameter_vector``: all the weight matrices (row-major), then the biases."""
    sizes = list(layer_sizes)
    pairs = list(zip(sizes[:-1], sizes[1:]))
    if ref.kind == "w":
        return sum(a * b for a, b in pairs[: ref.layer]) + ref.i * pairs[ref.layer][1] + ref.j
    return sum(a * b for a, b in pairs) + sum(sizes[1 : ref.layer + 1]) + ref.i


GRID = 200
"""Grid points along each axis of a landscape."""
ZOOM_LIMITS = (1 / 64, 64.0)
"""How far a landscape zooms in and out from its natural span."""
KEEP_MARGIN = 0.1
"""A grid is kept while the path stays this share of its span inside each edge."""


def largest_gradients(layer_sizes: Sequence[int], weight_grads, bias_grads, count: int = 2) -> list[ParameterRef] | None:
    """The ``count`` parameters with the largest |∂L/∂p|, largest first (ties in the order of
    ``all_parameters``); None when the gradients belong to a network of other sizes."""
    sizes = list(layer_sizes)
    shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    if [np.shape(g) for g in weight_grads] != shapes or [np.size(g) for g in bias_grads] != sizes[1:]:
        return None
    grads = np.abs(parameter_vector(weight_grads, bias_grads))
    refs = all_parameters(sizes)
    return sorted(refs, key=lambda ref: -grads[parameter_index(sizes, ref)])[:count]


def project(points: np.ndarray, layer_sizes: Sequence[int], pair: Sequence[ParameterRef]) -> np.ndarray:
    """Points of parameter space (rows of ``parameter_vector``s) on the plane of two parameters:
    an (n, 2) array, or (2,) for one point."""
    columns = [parameter_index(layer_sizes, ref) for ref in pair]
    return np.asarray(points, dtype=float)[..., columns]


def clamp_zoom(zoom: float) -> float:
    return min(max(float(zoom), ZOOM_LIMITS[0]), ZOOM_LIMITS[1])


def grid_ranges(extent: np.ndarray, zoom: float = 1.0, previous=None, points: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """The two axes of a landscape that shows every point of ``extent`` (an (n, 2) array: the path
    and the point on show, on the plane). ``previous`` is kept while every point stays
    ``KEEP_MARGIN`` of its span inside it, so the picture does not jump at every step; otherwise
    each axis spans the points' range (at least 1 wide) by 1.6 × ``zoom``, around its middle."""
    extent = np.asarray(extent, dtype=float).reshape(-1, 2)
    if previous is not None:
        inside = all(
            np.all(extent[:, k] >= r[0] + KEEP_MARGIN * (r[-1] - r[0]))
            and np.all(extent[:, k] <= r[-1] - KEEP_MARGIN * (r[-1] - r[0]))
            for k, r in enumerate(previous)
        )
        if inside:
            return previous
    ranges = []
    for k in range(2):
        lo, hi = float(extent[:, k].min()), float(extent[:, k].max())
        half = zoom * max(0.8 * (hi - lo), 1.0)
        middle = (lo + hi) / 2
        ranges.append(np.linspace(middle - half, middle + half, points))
    return ranges[0], ranges[1]


def loss_surface(
    network: Network,
    X,
    y,
    loss: str,
    first: ParameterRef | str,
    second: ParameterRef | str,
    first_values,
    second_values,
) -> np.ndarray:
    """The mean loss over the rows of X on the grid ``first_values`` × ``second_values``.

    ``X`` is what the network sees (scaled inputs, as the trainer gets them), ``y`` the targets.
    ``loss`` is "mse" or "bce", or the engine's ``Loss`` of that name (``losses.get_loss``); its
    value is computed here with the very operations of ``losses.mse`` and ``losses.bce_from_logits``,
    over each grid point's rows. The network is not changed. Returns an array of shape
    ``(len(first_values), len(second_values))``; a loss that overflows is ``inf`` or ``nan``,
    as the trainer's would be.
    """
    loss = getattr(loss, "name", loss)  # a Loss object of losses.py, or its name
    if loss not in LOSSES and loss not in MULTICLASS_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join([*LOSSES, *MULTICLASS_LOSSES])}")
    if loss == "bce" and network.output_activation.name != "sigmoid":
        raise ValueError("binary cross-entropy needs a sigmoid output activation")
    first_ref, second_ref = parameter_ref(network, first), parameter_ref(network, second)
    if first_ref == second_ref:
        raise ValueError(f"the two parameters must differ; both are {first_ref.name}")
    X = np.array(X, dtype=float, ndmin=2, order="C")  # as the trainer copies it
    y = np.array(y, dtype=float)
    if loss in MULTICLASS_LOSSES:
        y = one_hot(y, network.n_outputs)
        problem = MULTICLASS_LOSSES[loss].targets_problem(y)
        if problem:
            raise ValueError(problem)
    if y.ndim == 1:
        y = y[:, None]
    if X.shape[0] == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows and y has {y.shape[0]}; they need the same number, at least one")
    if X.shape[1] != network.n_inputs or y.shape[1] != network.n_outputs:
        raise ValueError(
            f"data has {X.shape[1]} inputs and {y.shape[1]} outputs; "
            f"the network expects {network.n_inputs} and {network.n_outputs}"
        )
    first_values = np.asarray(first_values, dtype=float).reshape(-1)
    second_values = np.asarray(second_values, dtype=float).reshape(-1)
    result = np.empty((first_values.size, second_values.size))
    if result.size == 0:
        return result

    # Tiles of the grid, each a few hundred kilobytes per layer, computed into buffers reused from
    # tile to tile: fresh arrays of that size cost a page fault per 4 kB, which tripled the time.
    per_point = X.shape[0] * max(network.layer_sizes)
    tile_second = int(min(second_values.size, max(1, TILE_ELEMENTS // per_point)))
    tile_first = int(min(first_values.size, max(1, TILE_ELEMENTS // (per_point * tile_second))))
    buffers = _Buffers()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(0, first_values.size, tile_first):
            for j in range(0, second_values.size, tile_second):
                firsts, seconds = first_values[i : i + tile_first], second_values[j : j + tile_second]
                result[i : i + firsts.size, j : j + seconds.size] = _tile(
                    network, X, y, loss, first_ref, second_ref, firsts, seconds, buffers
                )
    return result


class _Buffers:
    """Arrays kept from tile to tile, by name and shape."""

    def __init__(self) -> None:
        self._arrays: dict[tuple, np.ndarray] = {}

    def __call__(self, name, shape) -> np.ndarray:
        key = (name, tuple(shape))
        array = self._arrays.get(key)
        if array is None:
            array = self._arrays[key] = np.empty(shape)
        return array


def _varied(array: np.ndarray, refs, sizes) -> np.ndarray:
    """``array`` (a layer's weights, or its biases as one row) with a leading (first, second) pair of
    axes, holding each grid value of the parameters in ``refs`` [(ref, values, axis)]."""
    shape = [1, 1, *array.shape]
    for ref, values, axis in refs:
        shape[axis] = sizes[axis]
    out = np.broadcast_to(array, shape).copy()
    for ref, values, axis in refs:
        grid_values = values[:, None] if axis == 0 else values[None, :]
        position = (ref.i, ref.j) if ref.kind == "w" else (0, ref.i)
        out[(slice(None), slice(None)) + position] = grid_values
    return out


def _tile(network, X, y, loss, first, second, first_values, second_values, buffers) -> np.ndarray:
    """The surface on one tile of the grid. Activations carry two leading axes, (first, second), each
    of length 1 until a layer with that parameter makes it vary."""
    sizes = (first_values.size, second_values.size)
    activations = X
    z = None
    for k in range(network.n_layers):
        w, b = network.weights[k], network.biases[k]
        varied = [(ref, values, axis) for ref, values, axis in ((first, first_values, 0), (second, second_values, 1))
                  if ref.layer == k]  # fmt: skip
        if any(ref.kind == "w" for ref, _, _ in varied):
            w = _varied(w, [v for v in varied if v[0].kind == "w"], sizes)
        if any(ref.kind == "b" for ref, _, _ in varied):
            b = _varied(b[None, :], [v for v in varied if v[0].kind == "b"], sizes)
        # Network.forward_pass: z = activations @ w; z += b; then the activation. NumPy's matmul
        # makes one call per grid point, the trainer's call on the trainer's shapes.
        lead = np.broadcast_shapes(_lead(activations), _lead(w), _lead(b))
        z = buffers(("z", k), (*lead, X.shape[0], w.shape[-1]))
        _matmul_into(activations, w, z)
        np.add(z, b, out=z)
        activation = network.activation(k)
        activations = z if activation.is_linear else activation.forward(z)

    # Both parameters lie in some layer, so the last layer's arrays are (first, second, rows, outputs).
    # The element-wise work runs on each grid point's rows × outputs as one run of numbers, as
    # NumPy runs it over the trainer's rows × outputs array.
    if loss in MULTICLASS_LOSSES:
        # losses.cce_from_logits: −Σₖ yₖ log softmax(z)ₖ per row, the mean over each grid point's rows.
        return -np.mean(np.sum(y * log_softmax(z), axis=-1), axis=-1)
    targets = y.reshape(-1)
    z = _flat(z)
    per_value = buffers("per value", z.shape)
    if loss == "bce":
        # losses.bce_from_logits: max(z, 0) - y z + log(1 + e^-|z|), the same operations in the same order.
        spare, other = buffers("spare", z.shape), buffers("other", z.shape)
        np.maximum(z, 0.0, out=per_value)
        np.multiply(targets, z, out=spare)
        np.subtract(per_value, spare, out=per_value)
        np.abs(z, out=spare)
        np.negative(spare, out=spare)
        np.exp(spare, out=other)  # never in place: NumPy may pick another loop for that
        np.log1p(other, out=spare)
        np.add(per_value, spare, out=per_value)
    else:
        # losses.mse: diff = y - ŷ, then the mean of diff * diff.
        np.subtract(targets, _flat(activations), out=per_value)
        np.multiply(per_value, per_value, out=per_value)
    # The mean over each grid point's rows, a contiguous run as in the trainer's np.mean.
    return np.mean(per_value, axis=-1)


def _lead(array: np.ndarray) -> tuple[int, ...]:
    return array.shape[:2] if array.ndim == 4 else (1, 1)


def _matmul_into(activations: np.ndarray, w: np.ndarray, z: np.ndarray) -> None:
    """z = activations @ w, written into z (which may vary along more grid axes than the product)."""
    product = np.broadcast_shapes(activations.shape[:-2], w.shape[:-2])
    if product == z.shape[:-2]:
        np.matmul(activations, w, out=z)
    elif math.prod(product) == math.prod(z.shape[:-2]) == 1:
        np.matmul(activations, w, out=z.reshape(*product, *z.shape[-2:]))
    else:
        z[...] = activations @ w  # copied along the axes where only the biases vary


def _flat(values: np.ndarray) -> np.ndarray:
    """(first, second, rows, outputs) as (first, second, rows × outputs), without a copy."""
    return values.reshape(*values.shape[:2], -1)
