"""What the schema (session_schema.py) cannot say field by field: the lengths and shapes that
must agree with each other, the network and the table; then a ``SessionData`` built from them.

Every refusal is a ``SchemaError`` naming the field and the reason; nothing is built until
every check has passed.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.notation import counted
from ..engine.optimizers import OptimizerState
from ..engine.settings import TrainingSettings
from ..engine.training.freezing import check_frozen_names
from .session_schema import SchemaError


def n_parameters(sizes) -> int:
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def settings_from(doc, where: str = "settings") -> TrainingSettings:
    values = {name: getattr(doc, name) for name in doc.__struct_fields__}
    values["hidden_layers"] = tuple(values["hidden_layers"])
    try:
        return TrainingSettings(**values)
    except (TypeError, ValueError) as error:  # choices that do not go together (cross-entropy needs a sigmoid)
        raise SchemaError(where, str(error)) from None


def checked_table(table) -> np.ndarray:
    names = table.column_names
    for i, name in enumerate(names):
        if not name.strip():
            raise SchemaError(f"table.column_names[{i}]", "is blank; a column needs a name")
    for r, row in enumerate(table.rows):
        if len(row) != len(names):
            raise SchemaError(f"table.rows[{r}]", f"has {counted(len(row), 'value')}; the table has {counted(len(names), 'column')}")
    return np.array(table.rows, dtype=float).reshape(len(table.rows), len(names))


def check_frozen(settings: TrainingSettings, sizes: list[int], where: str = "settings.frozen") -> None:
    try:
        check_frozen_names(settings.frozen, sizes)
    except ValueError as error:
        raise SchemaError(where, f"freezes what the network does not have: {error}") from None


def check_layer_sizes(sizes: list[int], settings: TrainingSettings, where: str, n_inputs: int | None) -> None:
    if n_inputs is not None and sizes[0] != n_inputs:
        raise SchemaError(f"{where}.layer_sizes", f"starts with {counted(sizes[0], 'input')}; the table has {counted(n_inputs, 'input column')}")
    if tuple(sizes[1:-1]) != settings.hidden_layers:
        raise SchemaError(f"{where}.layer_sizes", f"is {sizes}; its hidden layers differ from the settings' {list(settings.hidden_layers)}")
    if sizes[-1] != 1:
        raise SchemaError(f"{where}.layer_sizes", f"ends with {counted(sizes[-1], 'output')}; the network predicts the one target column")


def checked_layers(value: list, sizes: list[int], where: str) -> list[np.ndarray]:
    """Weights (matrices, ``sizes[k]`` × ``sizes[k + 1]``) or biases (vectors) of every layer."""
    if len(value) != len(sizes) - 1:
        raise SchemaError(where, f"has {counted(len(value), 'layer')}; the network has {len(sizes) - 1}")
    matrices = where.endswith("weights")
    arrays = []
    for k, layer in enumerate(value):
        if matrices:
            if len(layer) != sizes[k]:
                raise SchemaError(f"{where}[{k}]", f"has {counted(len(layer), 'row')}; layer {k + 1} takes {sizes[k]} inputs")
            for i, row in enumerate(layer):
                if len(row) != sizes[k + 1]:
                    raise SchemaError(f"{where}[{k}][{i}]", f"has {counted(len(row), 'value')}; layer {k + 1} has {counted(sizes[k + 1], 'neuron')}")
            arrays.append(np.array(layer, dtype=float).reshape(sizes[k], sizes[k + 1]))
        else:
            if len(layer) != sizes[k + 1]:
                raise SchemaError(f"{where}[{k}]", f"has {counted(len(layer), 'value')}; layer {k + 1} has {counted(sizes[k + 1], 'neuron')}")
            arrays.append(np.array(layer, dtype=float))
    return arrays


def checked_histories(doc) -> tuple[np.ndarray, np.ndarray | None]:
    history = np.array(doc.loss_history, dtype=float)
    validation = doc.validation_loss_history
    if validation is None:
        return history, None
    if len(validation) != len(history):
        raise SchemaError("validation_loss_history", f"has {counted(len(validation), 'value')}; the loss history has {len(history)}")
    return history, np.array([math.nan if v is None else v for v in validation], dtype=float)


def checked_optimizer_state(doc, sizes: list[int]) -> OptimizerState | None:
    if doc is None:
        return None
    count = n_parameters(sizes)
    for key in ("v", "m", "s"):
        if len(getattr(doc, key)) != count:
            raise SchemaError(f"optimizer_state.{key}", f"has {counted(len(getattr(doc, key)), 'value')}; the network has {count} parameters")
    return OptimizerState(count, doc.t, *(np.array(getattr(doc, k), dtype=float) for k in ("v", "m", "s")))


def checked_kept_runs(doc) -> dict | None:
    """The kept runs as ``KeptRuns.to_dict`` writes them (None for none), every one checked."""
    runs = []
    for r, run in enumerate(doc.runs):
        where = f"kept_runs.runs[{r}]"
        settings = settings_from(run.settings, f"{where}.settings")
        check_layer_sizes(run.layer_sizes, settings, where, None)
        width = n_parameters(run.layer_sizes)
        for p, point in enumerate(run.path):
            if len(point) != width:
                raise SchemaError(f"{where}.path[{p}]", f"has {counted(len(point), 'value')}; the run's network has {width} parameters")
        runs.append({"label": run.label, "colour": run.colour, "settings": settings.to_dict(),
                     "layer_sizes": list(run.layer_sizes), "loss_history": list(run.loss_history),
                     "path": [list(point) for point in run.path]})  # fmt: skip
    return {"runs": runs} if runs else None
