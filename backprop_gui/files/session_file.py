"""Saved sessions: one JSON file with the table, the settings, the network and the loss history.

The file names its format and version, so a foreign or newer file is recognised and refused.
Loading parses the JSON (refusing NaN, infinities and repeated keys), converts it to the declared
schema of session_schema.py (every field's type, range and finiteness, no unknown key), checks
the lengths that must agree (session_checks.py), and only then returns anything: a refusal is a
``SessionFileError`` of one line naming the field and the reason. Nothing in a file is executed.
Saving is atomic (see atomic.py). A recovery file (autosave) is a session with a ``recovery`` part.

Numbers are written with ``repr`` (what json does), the shortest text that reads back as the
same float, so a session comes back bit for bit.

Layout, version 2::

    {"format": "backprop-gui-session", "version": 2, "app_version": "0.1.0",
     "table": {"column_names": ["IQ", "CGPA", "Package (LPA)"], "rows": [[80.0, 8.0, 5.0], ...]},
     "settings": {"learning_rate": 0.001, "epochs": 1000, ...},      # TrainingSettings.to_dict()
     "network": {"layer_sizes": [2, 2, 1],
                 "weights": [[[w¹₁₁, w¹₁₂], [w¹₂₁, w¹₂₂]], [[w²₁₁], [w²₂₁]]],
                 "biases": [[b₁₁, b₁₂], [b₂₁]],
                 "initial_weights": [...], "initial_biases": [...]},
     "loss_history": [mean loss of epoch 1, ...],
     "validation_loss_history": [validation loss after epoch 1 (null: none measured), ...],
     "optimizer_state": {"t": 12, "v": [...], "m": [...], "s": [...]} or null,
     "kept_runs": {"runs": [...]},
     "recovery": {...}}                                                 # only in a recovery file

The optimizer's running averages are flat in the order w¹ row by row, b₁, w², b₂, …
(backprop_compiled.flatten). Version 1 files (without the last four, or some settings) still open;
session_schema.py says which of their fields may be missing.
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
from ..engine.settings import TrainingSettings
from .atomic import atomic_write_text
from . import session_checks as checks
from .recovery_info import RecoveryInfo
from .session_schema import FORMAT_NAME, FORMAT_VERSION, MAX_OPTIMIZER_STEPS, SchemaError, convert, short_repr

SESSION_SUFFIX = ".bpsession"
MAX_SESSION_BYTES = 512 * 1024 * 1024
"""Larger files are refused unread (a history of ten million epochs is about 200 MB)."""



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
    """The runs pinned to compare, as ``lesson.kept_runs.KeptRuns.to_dict`` writes them (None: none)."""
    recovery: RecoveryInfo | None = None
    """In a recovery file only: when it was written and what changed since the last save."""

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
            ",\n".join([f' "loss_history": {_dump_long(np.asarray(data.loss_history, dtype=float), dump)}',
                        *_optional_parts(data, dump)]),
            "}",
            "",
        ]
    except ValueError as error:  # a NaN or infinity somewhere
        raise SessionFileError(f"The session cannot be saved: it holds a value that is not a finite number ({error}).") from None
    return "\n".join(parts)


_CHUNK = 20_000


def _dump_long(values: np.ndarray, dump) -> str:
    """A long list of floats written in chunks, the same text as one ``dump``: a thread that
    writes a history of millions of epochs (the autosave) lets the GUI thread run between them."""
    if len(values) <= _CHUNK:
        return dump(values.tolist())
    return "[" + ", ".join(dump(values[k : k + _CHUNK].tolist())[1:-1] for k in range(0, len(values), _CHUNK)) + "]"


def _optional_parts(data: SessionData, dump) -> list[str]:
    """The validation history (NaN written as null), the optimizer state (null before any
    update), the kept runs and, in a recovery file, what it recovers."""
    validation = data.validation_loss_history
    if validation is None:
        validation = np.full(len(data.loss_history), math.nan)
    validation = np.asarray(validation, dtype=float)
    if np.isnan(validation).all():
        written = "[" + ", ".join(["null"] * len(validation)) + "]"
    else:
        values = [None if math.isnan(v) else v for v in validation.tolist()]
        written = dump(values)
    parts = [f' "validation_loss_history": {written}']
    state = data.optimizer_state
    if state is None:
        parts.append(' "optimizer_state": null')
    else:
        parts.append(f' "optimizer_state": {{"t": {state.t}, "v": {dump(state.v.tolist())}, '
                     f'"m": {dump(state.m.tolist())}, "s": {dump(state.s.tolist())}}}')  # fmt: skip
    parts.append(f' "kept_runs": {dump(data.kept_runs or {"runs": []})}')
    if data.recovery is not None:
        parts.append(f' "recovery": {dump(data.recovery.to_dict())}')
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
        raise SessionFileError(f"{name} is damaged: its format version {short_repr(version)} is not a positive whole number.")
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
            f"Backprop GUI {__version__} reads session formats 1 to {FORMAT_VERSION}.{by}"
        )
    try:
        return session_from_document(document, version)
    except SchemaError as error:
        raise SessionFileError(f"{name} cannot be opened: {_one_line(str(error))}. Nothing was changed.") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def session_from_document(document: dict, version: int) -> SessionData:
    """A parsed session document checked against its version's schema and built; SchemaError
    (naming the field) for the first thing wrong, before anything is built."""
    doc = convert(document, version)
    settings = checks.settings_from(doc.settings)
    values = checks.checked_table(doc.table)
    sizes = list(doc.network.layer_sizes)
    checks.check_layer_sizes(sizes, settings, "network", len(doc.table.column_names) - 1)
    checks.check_frozen(settings, sizes)
    network = doc.network
    parameters = {key: checks.checked_layers(getattr(network, key), sizes, f"network.{key}")
                  for key in ("weights", "biases", "initial_weights", "initial_biases")}  # fmt: skip
    history, validation = checks.checked_histories(doc)
    state = checks.checked_optimizer_state(doc.optimizer_state, sizes)
    kept = checks.checked_kept_runs(doc.kept_runs)
    recovery = getattr(doc, "recovery", None)
    try:
        return SessionData(
            column_names=list(doc.table.column_names),
            values=values,
            settings=settings,
            layer_sizes=sizes,
            loss_history=history,
            validation_loss_history=validation,
            optimizer_state=state,
            kept_runs=kept,
            recovery=RecoveryInfo.from_doc(recovery) if recovery is not None else None,
            **parameters,
        )
    except ValueError as error:  # _check_consistent: nothing the checks above let through, kept as a guard
        raise SchemaError("", str(error)) from None


def _check_consistent(data: SessionData) -> None:
    """The same checks for data built in memory, so a session that cannot be read back is never saved."""
    values = np.asarray(data.values)
    if values.ndim != 2 or values.shape[1] != len(data.column_names):
        raise ValueError(f"a table of shape {values.shape} does not match {len(data.column_names)} column names")
    sizes = list(data.layer_sizes)
    shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    if data.validation_loss_history is not None and len(data.validation_loss_history) != len(data.loss_history):
        raise ValueError("the validation loss history is not as long as the loss history")
    for label, history in (("loss history", data.loss_history), ("validation loss history", data.validation_loss_history)):
        history = np.asarray(history if history is not None else [], dtype=float)
        if np.any(history < 0) or np.any(np.isinf(history)) or (label == "loss history" and np.any(np.isnan(history))):
            raise SessionFileError(f"The session cannot be saved: its {label} holds a value that is negative or not a finite number.")
    if data.optimizer_state is not None:
        state = data.optimizer_state
        if not 0 <= state.t <= MAX_OPTIMIZER_STEPS or np.any(state.s < 0):
            raise SessionFileError(f"The session cannot be saved: the optimizer's state (t = {state.t}) is not one it could read back.")
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
