"""Saved sessions: one JSON file with the table, the settings, the network and the loss history.

The file names its format and version, so a foreign or newer file is recognised and
refused. Loading checks every part (types, shapes, finiteness, the settings through
``TrainingSettings.from_dict``) before anything is returned, and a file is only ever
parsed as JSON data: nothing in it is executed. Saving is atomic (see atomic.py).

Numbers are written with ``repr`` (what json does), the shortest text that reads back
as the same float, so a session comes back bit for bit.

Layout, version 1::

    {"format": "backprop-gui-session", "version": 1, "app_version": "0.1.0",
     "table": {"column_names": ["IQ", "CGPA", "Package (LPA)"], "rows": [[80.0, 8.0, 5.0], ...]},
     "settings": {"learning_rate": 0.001, "epochs": 1000, ...},      # TrainingSettings.to_dict()
     "network": {"layer_sizes": [2, 2, 1],
                 "weights": [[[w¹₁₁, w¹₁₂], [w¹₂₁, w¹₂₂]], [[w²₁₁], [w²₂₁]]],
                 "biases": [[b₁₁, b₁₂], [b₂₁]],
                 "initial_weights": [...], "initial_biases": [...]},
     "loss_history": [mean loss of epoch 1, ...],
     "validation_loss_history": [validation loss after epoch 1 (null: none measured), ...],
     "optimizer_state": {"t": 12, "v": [...], "m": [...], "s": [...]}}

The last two are optional (files of before issue 14 lack them): the optimizer's update count and
running averages, flat in the order w¹ row by row, b₁, w², b₂, … (backprop_compiled.flatten).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import counted, format_number
from ..engine.optimizers import OptimizerState
from ..engine.training.freezing import check_frozen_names
from ..engine.settings import TrainingSettings
from .atomic import atomic_write_text
from .session_checks import (  # the checks of each part of a session document
    _Invalid,
    _OutOfRange,
    _expect,
    _expect_keys,
    _layers,
    _matrix,
    _optimizer_state,
    _settings,
    _vector,
)

FORMAT_NAME = "backprop-gui-session"
FORMAT_VERSION = 1
SESSION_SUFFIX = ".bpsession"
MAX_SESSION_BYTES = 512 * 1024 * 1024
"""Larger files are refused unread (a history of ten million epochs is about 200 MB)."""

_TOP_LEVEL_KEYS = {"format", "version", "app_version", "table", "settings", "network", "loss_history",
                   "validation_loss_history", "optimizer_state", "kept_runs"}  # fmt: skip
_OPTIONAL_KEYS = {"app_version", "validation_loss_history", "optimizer_state", "kept_runs"}
_NETWORK_KEYS = {"layer_sizes", "weights", "biases", "initial_weights", "initial_biases"}


class SessionFileError(ValueError):
    """A file that cannot be opened as a session; the message says why, in words a teacher can act on."""


@dataclass(frozen=True, eq=False)
class SessionData:
    column_names: list[str]
    values: np.ndarray
    """The table, rows × columns; the last column is the target."""
    settings: TrainingSettings
    layer_sizes: list[int]
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    initial_weights: list[np.ndarray]
    initial_biases: list[np.ndarray]
    loss_history: np.ndarray
    validation_loss_history: np.ndarray | None = None
    """The validation loss after each epoch of loss_history (NaN where none was measured)."""
    optimizer_state: OptimizerState | None = None
    kept_runs: dict | None = None
    """The runs pinned to compare, as ``lesson.kept_runs.KeptRuns.to_dict`` writes them (checked there)."""

    def __post_init__(self) -> None:
        _check_consistent(self)


# -- saving -------------------------------------------------------------------
def save_session(path: str | os.PathLike, data: SessionData) -> None:
    """Write ``data`` to ``path`` atomically; on failure (OSError) the previous file is untouched."""
    atomic_write_text(path, session_to_json(data))


def session_to_json(data: SessionData) -> str:
    def dump(value: Any) -> str:
        # allow_nan=False: a file we could not read back is never written.
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def layers(arrays: list[np.ndarray]) -> str:
        return "[" + ", ".join(dump(a.tolist()) for a in arrays) + "]"

    try:
        rows = ",\n".join(f"   {dump(row)}" for row in data.values.tolist())
        parts = [
            "{",
            f' "format": {dump(FORMAT_NAME)},',
            f' "version": {FORMAT_VERSION},',
            f' "app_version": {dump(__version__)},',
            ' "table": {',
            f'  "column_names": {dump(list(data.column_names))},',
            '  "rows": [' + ("\n" + rows + "\n  ]" if rows else "]"),
            " },",
            f' "settings": {dump(data.settings.to_dict())},',
            ' "network": {',
            f'  "layer_sizes": {dump(list(data.layer_sizes))},',
            f'  "weights": {layers(data.weights)},',
            f'  "biases": {layers(data.biases)},',
            f'  "initial_weights": {layers(data.initial_weights)},',
            f'  "initial_biases": {layers(data.initial_biases)}',
            " },",
            ",\n".join([f' "loss_history": {dump(np.asarray(data.loss_history, dtype=float).tolist())}',
                        *_optional_parts(data, dump)]),
            "}",
            "",
        ]
    except ValueError as error:  # a NaN or infinity somewhere
        raise SessionFileError(f"The session cannot be saved: it holds a value that is not a finite number ({error}).") from None
    return "\n".join(parts)


def _optional_parts(data: SessionData, dump) -> list[str]:
    """The validation history (NaN written as null) and the optimizer state, when there are any."""
    parts = []
    if data.validation_loss_history is not None:
        values = [None if math.isnan(v) else v for v in np.asarray(data.validation_loss_history, dtype=float).tolist()]
        parts.append(f' "validation_loss_history": {dump(values)}')
    state = data.optimizer_state
    if state is not None:
        parts.append(f' "optimizer_state": {{"t": {state.t}, "v": {dump(state.v.tolist())}, '
                     f'"m": {dump(state.m.tolist())}, "s": {dump(state.s.tolist())}}}')  # fmt: skip
    if data.kept_runs is not None:
        parts.append(f' "kept_runs": {dump(data.kept_runs)}')
    return parts


# -- loading ------------------------------------------------------------------
def load_session(path: str | os.PathLike, max_bytes: int = MAX_SESSION_BYTES) -> SessionData:
    """Read and check a session file; SessionFileError says what is wrong with it."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SessionFileError(_too_large_file(name, size, max_bytes))
        with open(path, "rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as error:
        raise SessionFileError(f"Cannot read {name}: {error.strerror or error}.") from None
    if len(raw) > max_bytes:
        raise SessionFileError(_too_large_file(name, None, max_bytes))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SessionFileError(f"{name} is not a Backprop GUI session: it is not text (perhaps a binary file).") from None
    return session_from_json(text, name)


def _too_large_file(name: str, size: int | None, max_bytes: int) -> str:
    """Sizes in bytes, which never round to the limit itself ("is 512 MB; the largest is 512 MB")."""
    limit = f"{max_bytes / 2**20:g} MB ({max_bytes:,} bytes)" if max_bytes >= 2**20 else counted(max_bytes, "byte")
    what = f"is {counted(size, 'byte')}, more than" if size is not None else "is larger than"
    return f"{name} {what} {limit}, the most a Backprop GUI session can be."


class _Refused(Exception):
    pass


def _refuse_constant(name: str):
    raise _Refused(f"it holds {name}, which is not a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"it holds {text}, which is too large to be a finite number")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _Refused(f"the key “{duplicate}” appears twice in one object")
    return result


def session_from_json(text: str, name: str = "the file") -> SessionData:
    if not text.strip():
        raise SessionFileError(f"{name} is empty: it is not a Backprop GUI session.")
    try:
        document = json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite_float, object_pairs_hook=_no_duplicates
        )
    except json.JSONDecodeError as error:
        looks_like_json = text.lstrip().startswith("{")
        what = "is damaged or cut short" if looks_like_json else "is not a Backprop GUI session"
        raise SessionFileError(
            f"{name} {what}: it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    except _Refused as error:
        raise SessionFileError(f"{name} cannot be opened: {error}.") from None
    except RecursionError:
        raise SessionFileError(f"{name} cannot be opened: it is nested too deeply to be a session.") from None
    except ValueError as error:
        raise SessionFileError(f"{name} cannot be opened: {error}.") from None

    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise SessionFileError(f"{name} is not a Backprop GUI session (it does not say format “{FORMAT_NAME}”).")
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise SessionFileError(f"{name} is damaged: its format version {version!r} is not a positive whole number.")
    if version > FORMAT_VERSION:
        saved_by = document.get("app_version")
        # Name the version that saved it only when it says something: a file claiming this
        # very version would read as a contradiction.
        by = (
            f" It was saved by Backprop GUI {saved_by}."
            if isinstance(saved_by, str) and saved_by.strip() and saved_by != __version__
            else ""
        )
        raise SessionFileError(
            f"{name} needs a newer version of Backprop GUI: it is in session format {version}, and "
            f"Backprop GUI {__version__} reads session format {FORMAT_VERSION} only.{by}"
        )
    try:
        return _session_from_document(document)
    except _OutOfRange as error:
        raise SessionFileError(f"{name} cannot be opened: {error}. Nothing was changed.") from None
    except _Invalid as error:
        raise SessionFileError(f"{name} is damaged: {error}.") from None


def _session_from_document(document: dict) -> SessionData:
    _expect_keys(document, _TOP_LEVEL_KEYS, "the session", required=_TOP_LEVEL_KEYS - _OPTIONAL_KEYS)

    table = _expect(document["table"], dict, "“table”")
    _expect_keys(table, {"column_names", "rows"}, "“table”")
    names = _expect(table["column_names"], list, "the column names")
    if len(names) < 2:
        raise _Invalid(f"the table needs at least two columns (inputs and a target), it names {counted(len(names), 'column')}")
    for i, column_name in enumerate(names):
        if not isinstance(column_name, str) or not column_name.strip():
            raise _Invalid(f"column name {i + 1} is not a non-empty text")
    rows = _expect(table["rows"], list, "the table rows")
    values = _matrix(rows, None, len(names), "the table", "table row")

    settings_dict = _expect(document["settings"], dict, "“settings”")
    settings = _settings(settings_dict)

    network = _expect(document["network"], dict, "“network”")
    _expect_keys(network, _NETWORK_KEYS, "“network”")
    sizes = _expect(network["layer_sizes"], list, "the layer sizes")
    if len(sizes) < 2 or any(type(n) is not int or n < 1 for n in sizes):
        raise _Invalid(f"the layer sizes {sizes} are not a list of at least two positive whole numbers")
    if sizes[0] != len(names) - 1:
        raise _Invalid(f"the network has {counted(sizes[0], 'input')} but the table has {counted(len(names) - 1, 'input column')}")
    if tuple(sizes[1:-1]) != settings.hidden_layers:
        raise _Invalid(f"the layer sizes {sizes} do not match the hidden layers {list(settings.hidden_layers)} of the settings")
    try:
        check_frozen_names(settings.frozen, sizes)
    except ValueError as error:
        raise _Invalid(f"its settings freeze what the network does not have: {error}") from None
    parameters = {key: _layers(network[key], sizes, key) for key in _NETWORK_KEYS - {"layer_sizes"}}

    history_list = _expect(document["loss_history"], list, "“loss_history”")
    # Losses are squares of numbers up to MAX_MAGNITUDE, so only finiteness is asked of them.
    history = _vector(history_list, None, "the loss history", limit=None)
    validation = None
    if "validation_loss_history" in document:
        items = _expect(document["validation_loss_history"], list, "“validation_loss_history”")
        if len(items) != len(history):
            raise _Invalid(f"the validation loss history has {counted(len(items), 'value')}, the loss history {len(history)}")
        validation = _vector([math.nan if v is None else v for v in items], None, "the validation loss history", limit=None,
                             allow_nan=True)  # fmt: skip
    n_parameters = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    state = _optimizer_state(document["optimizer_state"], n_parameters) if "optimizer_state" in document else None
    return SessionData(
        column_names=list(names),
        values=values,
        settings=settings,
        layer_sizes=list(sizes),
        weights=parameters["weights"],
        biases=parameters["biases"],
        initial_weights=parameters["initial_weights"],
        initial_biases=parameters["initial_biases"],
        loss_history=history,
        validation_loss_history=validation,
        optimizer_state=state,
        kept_runs=_expect(document["kept_runs"], dict, "“kept_runs”") if "kept_runs" in document else None,
    )


def _check_consistent(data: SessionData) -> None:
    """The same checks for data built in memory, so a session that cannot be read back is never saved."""
    values = np.asarray(data.values)
    if values.ndim != 2 or values.shape[1] != len(data.column_names):
        raise ValueError(f"a table of shape {values.shape} does not match {len(data.column_names)} column names")
    sizes = list(data.layer_sizes)
    shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    if data.validation_loss_history is not None and len(data.validation_loss_history) != len(data.loss_history):
        raise ValueError("the validation loss history is not as long as the loss history")
    if data.optimizer_state is not None:
        state = data.optimizer_state
        if state.n_parameters != sum(a * b + b for a, b in shapes):
            raise ValueError(f"an optimizer state of {state.n_parameters} parameters does not fit layer sizes {sizes}")
        if not all(np.isfinite(a).all() for a in (state.v, state.m, state.s)):
            raise SessionFileError("The session cannot be saved: the optimizer's state holds a value that is not a finite number.")
    for label, weights, biases in (
        ("weights", data.weights, data.biases),
        ("initial weights", data.initial_weights, data.initial_biases),
    ):
        if [np.shape(w) for w in weights] != shapes or [np.shape(b) for b in biases] != [(b,) for _, b in shapes]:
            raise ValueError(f"the {label} do not fit layer sizes {sizes}")
    for label, arrays in (
        ("the table", [values]),
        ("a weight", data.weights),
        ("a bias", data.biases),
        ("an initial weight", data.initial_weights),
        ("an initial bias", data.initial_biases),
    ):
        for array in arrays:
            array = np.asarray(array, dtype=float)
            if array.size and not np.all(np.abs(array) <= MAX_MAGNITUDE):  # also catches NaN
                worst = array.flat[np.argmax(np.where(np.isnan(array), np.inf, np.abs(array)))]
                raise SessionFileError(
                    f"The session cannot be saved: {label} is {format_number(worst)}, not a number up to "
                    f"{format_number(MAX_MAGNITUDE)} in size, so it could not be opened again."
                )
