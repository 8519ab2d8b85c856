"""Hypothesis strategies for sessions, shared by the file, export and window tests (loaded by path):
valid sessions of every shape the app can make, and mutations of a saved one of the kinds a
damaged or hand-edited file has (wrong types, out of range, deleted keys, huge numbers,
nesting, unknown keys)."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
from hypothesis import strategies as st

from backprop_gui.engine import TrainingSettings
from backprop_gui.engine.limits import MAX_MAGNITUDE
from backprop_gui.engine.optimizers import OptimizerState
from backprop_gui.engine.settings import NUMBER_RANGES, SETTING_CHOICES, WHOLE_NUMBER_SETTINGS
from backprop_gui.files import SessionData
from backprop_gui.files.recovery_info import RecoveryInfo, TableState

floats = st.floats(-MAX_MAGNITUDE, MAX_MAGNITUDE, allow_nan=False, allow_infinity=False)
losses = st.floats(0, 1e300, allow_nan=False, allow_infinity=False)


@st.composite
def settings(draw) -> TrainingSettings:
    values = {}
    for name, (low, high) in NUMBER_RANGES.items():
        values[name] = draw(st.integers(low, high) if name in WHOLE_NUMBER_SETTINGS else st.floats(low, high))
    for name, choices in SETTING_CHOICES.items():
        values[name] = draw(st.sampled_from(sorted(choices)))
    if values["loss"] == "bce":
        values["output_activation"] = "sigmoid"
    values["hidden_layers"] = tuple(draw(st.lists(st.integers(1, 8), max_size=4)))
    values["stop_at_convergence"] = draw(st.booleans())
    return TrainingSettings(**values)


def _arrays(draw, sizes):
    weights = [np.array(draw(st.lists(floats, min_size=a * b, max_size=a * b)), float).reshape(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.array(draw(st.lists(floats, min_size=b, max_size=b)), float) for b in sizes[1:]]
    return weights, biases


@st.composite
def sessions(draw) -> SessionData:
    chosen = draw(settings())
    n_inputs = draw(st.integers(1, 4))
    names = draw(st.lists(st.text(min_size=1, max_size=12).filter(lambda s: s.strip()), min_size=n_inputs + 1, max_size=n_inputs + 1))
    n_rows = draw(st.integers(0, 6))
    values = np.array(draw(st.lists(floats, min_size=n_rows * (n_inputs + 1), max_size=n_rows * (n_inputs + 1))), float)
    sizes = chosen.layer_sizes(n_inputs)
    weights, biases = _arrays(draw, sizes)
    initial_weights, initial_biases = _arrays(draw, sizes)
    history = np.array(draw(st.lists(losses, max_size=8)), float)
    validation = np.array([draw(st.one_of(st.just(math.nan), losses)) for _ in history], float)
    count = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    state = None
    if draw(st.booleans()):
        finite = st.floats(-1e300, 1e300, allow_nan=False)
        state = OptimizerState(count, draw(st.integers(0, 2**53)), np.array(draw(st.lists(finite, min_size=count, max_size=count))),
                               np.array(draw(st.lists(finite, min_size=count, max_size=count))),
                               np.array(draw(st.lists(losses, min_size=count, max_size=count))))  # fmt: skip
    kept = None
    if draw(st.booleans()):
        runs = []
        for _ in range(draw(st.integers(1, 3))):
            run_settings = draw(settings())
            run_sizes = run_settings.layer_sizes(draw(st.integers(1, 3)))
            width = sum(a * b + b for a, b in zip(run_sizes[:-1], run_sizes[1:]))
            runs.append({"label": draw(st.text(max_size=20)), "colour": draw(st.sampled_from(["#E69F00", "", "#123456"])),
                         "settings": run_settings.to_dict(), "layer_sizes": run_sizes,
                         "loss_history": draw(st.lists(losses, max_size=5)),
                         "path": [draw(st.lists(st.floats(-1e300, 1e300), min_size=width, max_size=width)) for _ in range(draw(st.integers(0, 3)))]})  # fmt: skip
        kept = {"runs": runs}
    recovery = None
    if draw(st.booleans()):
        undo = [TableState(draw(st.text(max_size=10)), names, values.reshape(n_rows, n_inputs + 1)) for _ in range(draw(st.integers(0, 2)))]
        recovery = RecoveryInfo(draw(st.floats(0, 4e9)), draw(st.one_of(st.none(), st.text(max_size=30))), draw(st.integers(0, 99)),
                                draw(st.integers(0, 10**6)), undo)  # fmt: skip
    return SessionData(names, values.reshape(n_rows, n_inputs + 1), chosen, sizes, weights, biases, initial_weights,
                       initial_biases, history, validation, state, kept, recovery)  # fmt: skip


def assert_same(a: SessionData, b: SessionData) -> None:
    """Two sessions hold the same lesson, bit for bit."""
    assert a.column_names == b.column_names
    assert a.values.shape == b.values.shape and np.array_equal(a.values, b.values)
    assert a.settings == b.settings and a.layer_sizes == b.layer_sizes
    for x, y in zip(a.weights + a.biases + a.initial_weights + a.initial_biases, b.weights + b.biases + b.initial_weights + b.initial_biases):
        assert x.shape == y.shape and np.array_equal(x, y)
    assert np.array_equal(a.loss_history, b.loss_history)
    va = a.validation_loss_history if a.validation_loss_history is not None else np.full(len(a.loss_history), np.nan)
    vb = b.validation_loss_history if b.validation_loss_history is not None else np.full(len(b.loss_history), np.nan)
    assert np.array_equal(va, vb, equal_nan=True)
    assert (a.optimizer_state is None) == (b.optimizer_state is None)
    if a.optimizer_state is not None:
        sa, sb = a.optimizer_state, b.optimizer_state
        assert sa.t == sb.t and all(np.array_equal(x, y) for x, y in ((sa.v, sb.v), (sa.m, sb.m), (sa.s, sb.s)))
    assert json.dumps(a.kept_runs or {"runs": []}) == json.dumps(b.kept_runs or {"runs": []})
    assert (a.recovery is None) == (b.recovery is None)
    if a.recovery is not None:
        assert a.recovery.to_dict() == b.recovery.to_dict()


# -- mutations ----------------------------------------------------------------
ODD_VALUES = [None, True, False, "2", "", 1.5, -1, 0, -0.5, 10**400, -(10**400), 1e308, -1e308, 1e29, 10**29, 2**63,
              [], {}, [1.5], [True], ["2"], [None], {"runs": 5}, [[[[[]]]]], {"a": {"b": {"c": []}}}, "x" * 2000]  # fmt: skip


def _paths(value, prefix=()):
    """Every place in a document: (path, value), parents before children."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        # Long lists (the table, the history) are sampled at their ends.
        indices = range(len(value)) if len(value) <= 4 else (0, 1, len(value) - 1)
        for k in indices:
            yield from _paths(value[k], prefix + (k,))


def _at(document, path):
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated(draw, document: dict) -> tuple[dict, str]:
    """A copy of ``document`` with one to three mutations, and what they were."""
    document = copy.deepcopy(document)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p, _ in _paths(document) if p]
        path = draw(st.sampled_from(places))
        parent, key = _at(document, path[:-1]), path[-1]
        value = parent[key]
        kinds = ["replace", "delete", "unknown_key", "nest"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            kinds += ["negate", "scale", "scale"]
        kind = draw(st.sampled_from(kinds))
        if kind == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif kind == "delete":
            del parent[key]
        elif kind == "unknown_key":
            target = value if isinstance(value, dict) else parent if isinstance(parent, dict) else document
            target[draw(st.sampled_from(["extra", "zz", "__class__", "dropout"]))] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif kind == "nest":
            parent[key] = [value]
        elif kind == "negate":
            parent[key] = -value if value else -1
        else:
            factors = [10**10, 10**300, 2, 10**30] if isinstance(value, int) else [1e10, 1e300, 0.5, 2.0, 1e30]
            parent[key] = value * draw(st.sampled_from(factors))  # an int stays an int: 10**400 * 1e10 would not be a float
        done.append(f"{kind} {'.'.join(map(str, path))}")
    return document, "; ".join(done)
