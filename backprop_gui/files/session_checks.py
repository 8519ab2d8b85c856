"""The checks of each part of a session document: types, shapes, ranges and sizes, each refusal
saying where in the file and what is wrong (session_file.py turns them into SessionFileError)."""

from __future__ import annotations

import json
from dataclasses import fields

import numpy as np

from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import counted, format_number
from ..engine.optimizers import OptimizerState
from ..engine.settings import NUMBER_RANGES, TrainingSettings, check_number_setting


class _Invalid(Exception):
    pass


class _OutOfRange(Exception):
    """A well-formed value outside what the app allows (a setting's range, a number's size)."""


def _optimizer_state(value, n_parameters: int) -> OptimizerState:
    state = _expect(value, dict, "“optimizer_state”")
    _expect_keys(state, {"t", "v", "m", "s"}, "“optimizer_state”")
    t = state["t"]
    if type(t) is not int or t < 0:
        raise _Invalid(f"the optimizer's update count {_short_repr(t)} is not a whole number of at least 0")
    arrays = [_vector(_expect(state[k], list, f"the optimizer's “{k}”"), n_parameters, f"the optimizer's “{k}”", limit=None)
              for k in ("v", "m", "s")]  # fmt: skip
    if np.any(arrays[2] < 0):
        raise _Invalid("the optimizer's average of squared gradients “s” holds a negative number")
    return OptimizerState(n_parameters, t, *arrays)


_LIST_ITEMS = {"hidden_activations": str, "frozen": str}
"""The kind of each item of a list setting, where it is not a whole number."""


def _settings(data: dict) -> TrainingSettings:
    """Check each saved setting has the type of its default before TrainingSettings checks the values."""
    checked = dict(data)
    defaults = {f.name: f.default for f in fields(TrainingSettings)}
    unknown = sorted(set(data) - set(defaults))
    if unknown:
        raise _Invalid(
            f"it holds settings this version does not know ({', '.join(unknown)}); "
            "perhaps it was saved by a newer version of Backprop GUI"
        )
    for key, value in data.items():
        default = defaults.get(key)
        if key in NUMBER_RANGES:
            if type(value) not in (int, float):
                raise _Invalid(f"the setting “{key}” has the value {_short_repr(value)}, which is not a number")
            # The same ranges as the form's boxes (engine/limits.py), whole numbers where the
            # form takes whole numbers: a file never sets what the form could not.
            try:
                checked[key] = check_number_setting(key, value, label=f"the setting “{key}”")
            except ValueError as error:
                raise _OutOfRange(str(error)) from None
            continue
        if isinstance(default, bool):
            ok = type(value) is bool
        elif isinstance(default, float):
            ok = type(value) in (int, float)
            if ok:
                checked[key] = float(value)
        elif isinstance(default, int):
            ok = type(value) is int
        elif isinstance(default, str):
            ok = type(value) is str
        elif isinstance(default, tuple):
            item = _LIST_ITEMS.get(key, int)
            ok = type(value) is list and all(type(n) is item for n in value)
        else:
            ok = True  # a setting without a typed default: TrainingSettings checks it
        if not ok:
            raise _Invalid(f"the setting “{key}” has the value {_short_repr(value)}, of the wrong kind")
    try:
        return TrainingSettings.from_dict(checked)
    except (TypeError, ValueError) as error:
        raise _Invalid(f"its settings are refused: {error}") from None


def _layers(value, sizes: list[int], key: str) -> list[np.ndarray]:
    """Weights (matrices) or biases (vectors) for every layer, with the shapes the layer sizes give."""
    layers = _expect(value, list, f"“{key}”")
    if len(layers) != len(sizes) - 1:
        raise _Invalid(f"“{key}” has {counted(len(layers), 'layer')}, the network has {len(sizes) - 1}")
    if key.endswith("weights"):
        return [
            _matrix(_expect(layer, list, f"“{key}” layer {k + 1}"), sizes[k], sizes[k + 1], f"“{key}” layer {k + 1}", f"“{key}” layer {k + 1}, row")
            for k, layer in enumerate(layers)
        ]
    return [
        _vector(_expect(layer, list, f"“{key}” layer {k + 1}"), sizes[k + 1], f"“{key}” layer {k + 1}")
        for k, layer in enumerate(layers)
    ]


def _matrix(rows: list, n_rows: int | None, n_columns: int, what: str, row_label: str) -> np.ndarray:
    if n_rows is not None and len(rows) != n_rows:
        raise _Invalid(f"{what} has {counted(len(rows), 'row')}, it should have {n_rows}")
    for r, row in enumerate(rows):
        if type(row) is not list or len(row) != n_columns:
            raise _Invalid(f"{row_label} {r + 1} is not a list of {counted(n_columns, 'number')}")
        _check_numbers(row, f"{row_label} {r + 1}")
    return _to_floats(rows, what).reshape(len(rows), n_columns)


def _vector(items: list, size: int | None, where: str, limit: float | None = MAX_MAGNITUDE,
            allow_nan: bool = False) -> np.ndarray:  # fmt: skip
    if size is not None and len(items) != size:
        raise _Invalid(f"{where} has {counted(len(items), 'value')}, it should have {size}")
    _check_numbers(items, where, limit)
    return _to_floats(items, where, allow_nan).reshape(len(items))


def _check_numbers(items: list, where: str, limit: float | None = MAX_MAGNITUDE) -> None:
    for i, item in enumerate(items):
        if type(item) is not float and type(item) is not int:
            raise _Invalid(f"{where}, value {i + 1}: {_short_repr(item)} is not a number")
        if limit is not None and abs(item) > limit:
            raise _OutOfRange(f"{where}, value {i + 1}, is {_too_large(item)}")


def _too_large(value: float | int) -> str:
    try:
        shown = format_number(float(value))
    except OverflowError:
        shown = "a number beyond the range of floats"
    return f"{shown}, larger in size than {format_number(MAX_MAGNITUDE)}, the largest number Backprop GUI works with"


def _to_floats(items: list, where: str, allow_nan: bool = False) -> np.ndarray:
    try:
        array = np.array(items, dtype=float)
    except (OverflowError, ValueError):
        raise _Invalid(f"{where}: a number is too large") from None
    if not np.isfinite(array[~np.isnan(array)] if allow_nan else array).all():
        raise _Invalid(f"{where}: a number is too large to be finite")
    return array


def _expect(value, kind: type, what: str):
    if type(value) is not kind:
        expected = {dict: "an object", list: "a list"}.get(kind, kind.__name__)
        raise _Invalid(f"{what} should be {expected}, not {_short_repr(value)}")
    return value


def _expect_keys(mapping: dict, allowed: set[str], what: str, required: set[str] | None = None) -> None:
    missing = sorted((required if required is not None else allowed) - set(mapping))
    if missing:
        raise _Invalid(f"{what} lacks {', '.join(f'“{k}”' for k in missing)}")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise _Invalid(f"{what} holds unknown entries {', '.join(f'“{k}”' for k in unknown)}")


def _short_repr(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
