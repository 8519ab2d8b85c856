"""``@set name = value`` of a lesson file: the training settings by the names the file uses.

Every value is checked as the form's boxes check it (engine/settings.py and engine/limits.py):
a choice among the engine's names, a number in its range, a whole number where one is needed.
"""

from __future__ import annotations

import math
import re

from ...engine import (
    ACTIVATIONS,
    CLASSIFICATION_DEFAULTS,
    INITIALISATIONS,
    REGRESSION_DEFAULTS,
    LOSSES,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    MODES,
    ORDERS,
    SCALINGS,
)
from ...engine.notation import parse_number
from ...engine.optimizers import OPTIMIZERS
from ...engine.settings import NUMBER_RANGES, check_number_setting

CHOICES = {
    "init": tuple(INITIALISATIONS), "scaling": SCALINGS, "order": ORDERS, "mode": MODES,
    "hidden_activation": tuple(ACTIVATIONS), "output_activation": tuple(ACTIVATIONS), "loss": tuple(LOSSES),
    "optimizer": OPTIMIZERS, "task": ("regression", "classification"), "activation": tuple(ACTIVATIONS),
}  # fmt: skip
"""Settings that take one of a set of names; "task" and "activation" are the file's shorthands."""
ALIASES = {"η": "learning_rate", "eta": "learning_rate", "updates": "mode", "architecture": "hidden_layers",
           "validation": "validation_percent", "tolerance": "convergence_tolerance", "stop_early": "stop_at_convergence"}  # fmt: skip
BOOLEANS = {"on": True, "true": True, "yes": True, "off": False, "false": False, "no": False}
SETTINGS = (*CHOICES, *NUMBER_RANGES, "hidden_layers", "hidden_activations", "frozen", "stop_at_convergence")
PARAMETER_NAME = re.compile("^(w[¹²³⁴⁵⁶⁷⁸⁹][₁₂₃₄₅₆₇₈₉]{2}|b[₁₂₃₄₅₆₇₈₉]{2})$")
"""A weight's or bias's name as the notes write it: w¹₁₁, b₂₁."""


class SettingError(ValueError):
    """A setting the engine does not have, or a value it does not take."""


def parse_setting(key: str, text: str) -> tuple[str, object]:
    """(the setting's name, its value) for ``@set key = text``; SettingError naming what is wrong."""
    name = ALIASES.get(key, key)
    if name not in SETTINGS:
        raise SettingError(f"unknown setting {key!r} (known: {', '.join(sorted(SETTINGS))})")
    if name in CHOICES:
        if text not in CHOICES[name]:
            raise SettingError(f"{key} is one of {', '.join(CHOICES[name])}, not {text!r}")
        return name, text
    if name == "stop_at_convergence":
        if text.lower() not in BOOLEANS:
            raise SettingError(f"{key} is on or off, not {text!r}")
        return name, BOOLEANS[text.lower()]
    if name == "hidden_layers":
        return name, _layers(key, text)
    if name == "hidden_activations":  # one per hidden layer: "gelu, elu"
        names = () if text.strip().lower() == "none" else tuple(part.strip() for part in text.split(","))
        unknown = [n for n in names if n not in ACTIVATIONS]
        if unknown:
            raise SettingError(f"{key} names an activation per hidden layer, each one of {', '.join(ACTIVATIONS)}, not {unknown[0]!r}")
        return name, names
    if name == "frozen":  # the parameters training leaves as they are: "w¹₁₁, b₂₁", or "none"
        names = () if text.strip().lower() == "none" else tuple(part.strip() for part in text.split(","))
        wrong = [n for n in names if not PARAMETER_NAME.match(n)]
        if wrong:
            raise SettingError(f"{key} names weights and biases as the notes write them (w¹₁₁, b₂₁), not {wrong[0]!r}")
        return name, names
    try:
        number = parse_number(text)
    except ValueError:
        raise SettingError(f"{key} needs a number, not {text!r}") from None
    if math.isfinite(number) and number == int(number) and "." not in text and "e" not in text.lower():
        number = int(number)
    try:
        return name, check_number_setting(name, number, key)
    except ValueError as error:
        raise SettingError(str(error)) from None


def _layers(key: str, text: str) -> tuple[int, ...]:
    """"2" is one hidden layer of two neurons, "3, 2" two layers, "none" no hidden layer."""
    if text.lower() in ("none", "0", "()"):
        return ()
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise SettingError(f"{key} is the neurons of each hidden layer, e.g. '2' or '3, 2', not {text!r}")
    layers = tuple(int(part) for part in parts)
    if len(layers) > MAX_HIDDEN_LAYERS or not all(1 <= n <= MAX_NEURONS for n in layers):
        raise SettingError(f"{key}: at most {MAX_HIDDEN_LAYERS} hidden layers of 1 to {MAX_NEURONS} neurons, not {text!r}")
    return layers


def settings_changes(values: dict) -> dict:
    """The @set values as TrainingSettings fields: "task" brings its defaults (overridden by any
    explicit setting), "activation" sets both activations; one hidden activation is every hidden
    layer's unless "hidden_activations" gives each its own."""
    changes: dict = {}
    task = values.get("task")
    if task is not None:
        changes.update(CLASSIFICATION_DEFAULTS if task == "classification" else REGRESSION_DEFAULTS)
    if "activation" in values:
        changes["hidden_activation"] = changes["output_activation"] = values["activation"]
    if "hidden_activation" in changes or "activation" in values:
        changes["hidden_activations"] = ()  # one activation for every hidden layer, as the form's choice means
    changes.update({k: v for k, v in values.items() if k not in ("task", "activation")})
    return changes
