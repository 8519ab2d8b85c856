"""The declared schema of a session file: every field's type, range and finiteness (msgspec
structs), then the lengths that must agree with the network and the table.

A document parsed from JSON is converted to these structs with ``msgspec.convert(strict=True)``
before anything is built from it: a number where a list should be, a true where a number
should be, a 400-digit integer, a missing field or an unknown one is refused there, and the
refusal names the field (``settings.learning_rate``) and the reason in one line.

Choices documented here:
- **Unknown keys are refused**, at every level: a file with a field this version does not
  know was written by something else (or a newer version), and keeping it silently would lose
  it at the next save.
- **Version 2** (written since autosave) requires every field; ``optimizer_state`` may be
  null (no update made yet) and ``recovery`` is written only in a recovery file.
  **Version 1** files (written before) may lack ``app_version``, ``validation_loss_history``,
  ``optimizer_state``, ``kept_runs``, and the settings added after version 1 was defined
  (``V1_OPTIONAL_SETTINGS``): those take their defaults, as they did then.
"""

from __future__ import annotations

import re
import sys
from dataclasses import MISSING, fields
from typing import Annotated, Any, Literal, Optional

import msgspec
from msgspec import Meta, Struct

from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import format_number
from ..engine.settings import (
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    NUMBER_RANGES,
    SETTING_CHOICES,
    WHOLE_NUMBER_SETTINGS,
    TrainingSettings,
    range_text,
)

FORMAT_NAME = "backprop-gui-session"
FORMAT_VERSION = 2
MAX_KEPT_RUNS = 8
MAX_OPTIMIZER_STEPS = 2**53
"""An update count beyond every run the app can make (10⁷ epochs of 10⁵ rows is 10¹²), and the
largest whole number a float holds exactly."""
FLOAT_MAX = sys.float_info.max

Cell = Annotated[float, Meta(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
"""A table cell, a weight or a bias: finite and within ±1e100 (engine/limits.py)."""
Finite = Annotated[float, Meta(ge=-FLOAT_MAX, le=FLOAT_MAX)]
Loss = Annotated[float, Meta(ge=0.0, le=FLOAT_MAX)]
"""A mean loss: squared errors and cross-entropies are never negative."""
Text = Annotated[str, Meta(max_length=1000)]
LayerSize = Annotated[int, Meta(ge=1, le=10_000)]

V1_OPTIONAL_SETTINGS = ("stop_at_convergence", "convergence_tolerance", "optimizer", "momentum", "l2", "l1",
                        "validation_percent", "patience", "hidden_activations", "frozen")  # fmt: skip
"""The settings added after session format 1 was defined; a version-1 file may lack them."""


def _setting_type(name: str):
    if name in NUMBER_RANGES:
        low, high = NUMBER_RANGES[name]
        kind = int if name in WHOLE_NUMBER_SETTINGS else float
        return Annotated[kind, Meta(ge=low, le=high)]
    if name in SETTING_CHOICES:
        return Literal[tuple(SETTING_CHOICES[name])]
    if name == "hidden_layers":
        return Annotated[list[Annotated[int, Meta(ge=1, le=MAX_NEURONS)]], Meta(max_length=MAX_HIDDEN_LAYERS)]
    if name == "stop_at_convergence":
        return bool
    if name == "hidden_activations":  # one per hidden layer, or none (all take hidden_activation)
        return Annotated[list[Literal[tuple(SETTING_CHOICES["hidden_activation"])]], Meta(max_length=MAX_HIDDEN_LAYERS)]
    if name == "frozen":  # parameter names; checked against the network in session_checks
        return Annotated[list[Annotated[str, Meta(max_length=100)]], Meta(max_length=10_000)]
    raise TypeError(f"the setting {name} has no declared type in the session schema")


def _settings_struct(name: str, optional: tuple[str, ...]) -> type[Struct]:
    """The settings as a struct, from TrainingSettings' own fields: a new setting without a
    declared type fails here, at import, not in a user's file."""
    required, defaulted = [], []
    for field in fields(TrainingSettings):
        kind = _setting_type(field.name)
        if field.name in optional and field.default is not MISSING:
            default = list(field.default) if isinstance(field.default, tuple) else field.default
            defaulted.append((field.name, kind, default))
        else:
            required.append((field.name, kind))
    return msgspec.defstruct(name, required + defaulted, forbid_unknown_fields=True)


SettingsV2 = _settings_struct("SettingsV2", ())
SettingsV1 = _settings_struct("SettingsV1", V1_OPTIONAL_SETTINGS)


class TableDoc(Struct, forbid_unknown_fields=True):
    column_names: Annotated[list[Annotated[str, Meta(min_length=1, max_length=1000)]], Meta(min_length=2)]
    rows: list[list[Cell]]


class NetworkDoc(Struct, forbid_unknown_fields=True):
    layer_sizes: Annotated[list[LayerSize], Meta(min_length=2, max_length=MAX_HIDDEN_LAYERS + 2)]
    weights: list[list[list[Cell]]]
    biases: list[list[Cell]]
    initial_weights: list[list[list[Cell]]]
    initial_biases: list[list[Cell]]


class OptimizerStateDoc(Struct, forbid_unknown_fields=True):
    t: Annotated[int, Meta(ge=0, le=MAX_OPTIMIZER_STEPS)]
    v: list[Finite]
    m: list[Finite]
    s: list[Annotated[float, Meta(ge=0.0, le=FLOAT_MAX)]]
    """The running average of squared gradients: never negative."""


class KeptRunDoc(Struct, forbid_unknown_fields=True):
    label: Text
    colour: Annotated[str, Meta(pattern=r"^(#[0-9A-Fa-f]{6})?$")]
    settings: SettingsV2
    layer_sizes: Annotated[list[LayerSize], Meta(min_length=2, max_length=MAX_HIDDEN_LAYERS + 2)]
    loss_history: list[Loss]
    path: list[list[Finite]]
    """Parameter vectors a run passed through (a diverging run's may exceed ±1e100, never ±∞)."""


class KeptRunDocV1(KeptRunDoc, forbid_unknown_fields=True):
    settings: SettingsV1


class KeptRunsDoc(Struct, forbid_unknown_fields=True):
    runs: Annotated[list[KeptRunDoc], Meta(max_length=MAX_KEPT_RUNS)]


class KeptRunsDocV1(Struct, forbid_unknown_fields=True):
    runs: Annotated[list[KeptRunDocV1], Meta(max_length=MAX_KEPT_RUNS)] = msgspec.field(default_factory=list)


class TableStateDoc(Struct, forbid_unknown_fields=True):
    """The table before one undoable edit, and the edit's name ("Edit cell")."""

    text: Text
    column_names: Annotated[list[Annotated[str, Meta(min_length=1, max_length=1000)]], Meta(min_length=2)]
    rows: list[list[Cell]]


class RecoveryDoc(Struct, forbid_unknown_fields=True):
    """What a recovery file adds: when it was written, the file it is the unsaved state of, and
    what changed since that file was saved (the offer's "3 edits and 1,000 epochs")."""

    saved_at: Annotated[float, Meta(ge=0.0, le=1e11)]
    """Seconds since 1970 (UTC)."""
    source: Optional[Annotated[str, Meta(max_length=4096)]]
    edits: Annotated[int, Meta(ge=0, le=2**31)]
    epochs: Annotated[int, Meta(ge=0, le=2**53)]
    undo: list[TableStateDoc]
    """The table before each undoable edit that led to the session's table, oldest first."""


class SessionDocV2(Struct, forbid_unknown_fields=True):
    format: Literal[FORMAT_NAME]
    version: Literal[2]
    app_version: Text
    table: TableDoc
    settings: SettingsV2
    network: NetworkDoc
    loss_history: list[Loss]
    validation_loss_history: list[Optional[Loss]]
    optimizer_state: Optional[OptimizerStateDoc]
    kept_runs: KeptRunsDoc
    recovery: Optional[RecoveryDoc] = None


class SessionDocV1(Struct, forbid_unknown_fields=True):
    format: Literal[FORMAT_NAME]
    version: Literal[1]
    table: TableDoc
    settings: SettingsV1
    network: NetworkDoc
    loss_history: list[Loss]
    app_version: Text = ""
    validation_loss_history: Optional[list[Optional[Loss]]] = None
    optimizer_state: Optional[OptimizerStateDoc] = None
    kept_runs: KeptRunsDocV1 = msgspec.field(default_factory=KeptRunsDocV1)


SCHEMAS = {1: SessionDocV1, 2: SessionDocV2}


class SchemaError(ValueError):
    """One field's refusal: ``field`` (a path such as ``network.weights[0][1]``) and ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field, self.reason = field, reason


# -- converting -------------------------------------------------------------------
def convert(document: Any, version: int):
    """``document`` as the version's struct, every field checked (SchemaError otherwise)."""
    try:
        return msgspec.convert(document, SCHEMAS[version], strict=True)
    except msgspec.ValidationError as error:
        raise _explained(str(error), document) from None


_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def _explained(message: str, document: Any) -> SchemaError:
    """msgspec's "Expected `float` >= 1e-06 - at `$.settings.learning_rate`" in the app's words."""
    match = _AT.match(message)
    reason, path = match["reason"], (match["path"] or "").lstrip(".")
    missing = re.match(r"Object missing required field `(.+)`", reason)
    if missing:
        return SchemaError(_join(path, missing[1]), "is missing")
    unknown = re.match(r"Object contains unknown field `(.+)`", reason)
    if unknown:
        return SchemaError(_join(path, unknown[1]), "is not a field of this version's sessions (unknown keys are refused)")
    value = _value_at(document, path)
    shown = short_repr(value)
    setting = re.fullmatch(r"(?:settings|kept_runs\.runs\[\d+\]\.settings)\.(\w+)", path)
    if setting and setting[1] in NUMBER_RANGES and isinstance(value, (int, float)) and not isinstance(value, bool):
        kind = "a whole number" if setting[1] in WHOLE_NUMBER_SETTINGS else "a number"
        return SchemaError(path, f"is {shown}; it must be {kind} {range_text(setting[1])}")
    expected = re.match(r"Expected `([^`]+)`(?:, got `([^`]+)`)?(.*)", reason)
    if expected and expected[3].strip():  # a bound: ">= 0.0", "of length <= 8"
        return SchemaError(path, f"is {shown}; it must be {_bound(expected[1], expected[3].strip())}")
    if expected:
        return SchemaError(path, f"is {shown}, not {_kind(expected[1])}")
    if reason == "Number out of range":
        cell = re.match(r"(table\.rows|network\.(initial_)?(weights|biases)|recovery\.undo)\[", path)
        bound = f"within ±{format_number(MAX_MAGNITUDE)}" if cell else "of a size a float can hold"
        return SchemaError(path, f"is {shown}; it must be a number {bound}")
    if reason.startswith("Invalid enum value"):
        allowed = _allowed(path)
        return SchemaError(path, f"is {shown}, not one of {allowed}" if allowed else f"is {shown}, not a known choice")
    return SchemaError(path, reason[:1].lower() + reason[1:])


def _bound(kind: str, bound: str) -> str:
    bound = re.sub(r"(-?\d[\d.e+-]*)", lambda m: format_number(float(m[1])), bound)
    bound = bound.replace(">=", "at least").replace("<=", "at most").replace("length", "length")
    return f"{_kind(kind)} {bound}"


def _kind(kind: str) -> str:
    return {"float": "a number", "int": "a whole number", "str": "a text", "array": "a list", "object": "an object",
            "bool": "true or false", "null": "null"}.get(kind, kind.replace(" | ", " or "))  # fmt: skip


def _allowed(path: str) -> str:
    name = path.rsplit(".", 1)[-1]
    choices = SETTING_CHOICES.get(name)
    return ", ".join(f"“{c}”" for c in choices) if choices else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _value_at(document: Any, path: str) -> Any:
    value = document
    for key, index in re.findall(r"\.?([^.\[\]]+)|\[(\d+)\]", path):
        try:
            value = value[int(index)] if index else value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def short_repr(value: Any) -> str:
    """A value as it reads in the file, cut to 40 characters (a 400-digit integer is not printed whole)."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        text = str(value) if abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit whole number"
    elif isinstance(value, float):
        # 100.0 where a whole number is asked reads as written, not as 100
        text = repr(value) if value.is_integer() and abs(value) < 1e16 else format_number(value)
    elif isinstance(value, str):
        text = f"“{value}”"
    elif isinstance(value, list):
        text = f"a list of {len(value)}" if value else "an empty list"
    elif isinstance(value, dict):
        text = "an object"
    else:
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
