"""The step log as a CSV file: one line per step, with every parameter after it and its gradient.

Numbers are written with ``repr`` so they read back to the same doubles. Columns:
step, epoch, rows (1-based, space-separated for a batch), y_hat (the first row's), loss,
then for each parameter in the notes' order its value after the step (``w¹₁₁``) and its
gradient (``∂L/∂w¹₁₁``).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..engine.explain.explainer import parameter_values
from ..engine.notation import all_parameters, counted
from ..engine.training.trainer import StepRecord
from .atomic import atomic_write_text

FIXED_COLUMNS = ["step", "epoch", "rows", "y_hat", "loss"]


@dataclass(frozen=True)
class LoggedStep:
    """One line of a step-log CSV file, read back."""

    step: int
    epoch: int
    rows: list[int]
    """0-based, like the engine's."""
    y_hat: float
    loss: float
    parameters: dict[str, float]
    """Each parameter's value after the step, by its notes name."""
    gradients: dict[str, float]


def step_log_text(records: Sequence[StepRecord], layer_sizes: Sequence[int]) -> str:
    refs = all_parameters(layer_sizes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIXED_COLUMNS + [c for ref in refs for c in (ref.name, f"∂L/∂{ref.name}")])
    for record in records:
        line = [
            record.step,
            record.epoch,
            " ".join(str(int(r) + 1) for r in record.rows),
            repr(float(record.y_hat[0, 0])),
            repr(float(record.loss)),
        ]
        for ref in refs:
            _, value, gradient = parameter_values(record, ref)
            line += [repr(value), repr(gradient)]
        writer.writerow(line)
    return out.getvalue()


def write_step_log(path: str | os.PathLike, records: Sequence[StepRecord], layer_sizes: Sequence[int]) -> None:
    """Write the log atomically, so a failed export never leaves half a file."""
    atomic_write_text(path, step_log_text(records, layer_sizes))


def read_step_log(path: str | os.PathLike) -> list[LoggedStep]:
    """Read a step log back; ValueError names the line of anything malformed."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[: len(FIXED_COLUMNS)] != FIXED_COLUMNS:
            raise ValueError("this is not a step log: its first line should start with " + ",".join(FIXED_COLUMNS))
        names = header[len(FIXED_COLUMNS) :: 2]
        steps = []
        for line_number, line in enumerate(reader, start=2):
            try:
                if len(line) != len(header):
                    raise ValueError(f"{counted(len(line), 'field')}, expected {len(header)}")
                values = [float(v) for v in line[len(FIXED_COLUMNS) :]]
                steps.append(
                    LoggedStep(
                        step=int(line[0]),
                        epoch=int(line[1]),
                        rows=[int(r) - 1 for r in line[2].split()],
                        y_hat=float(line[3]),
                        loss=float(line[4]),
                        parameters=dict(zip(names, values[0::2])),
                        gradients=dict(zip(names, values[1::2])),
                    )
                )
            except ValueError as error:
                raise ValueError(f"line {line_number}: {error}") from None
    return steps


def as_arrays(step: LoggedStep, layer_sizes: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A logged step's parameters in the engine's layout (weights, biases)."""
    weights = [np.empty((a, b)) for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [np.empty(b) for b in layer_sizes[1:]]
    for ref in all_parameters(layer_sizes):
        if ref.kind == "w":
            weights[ref.layer][ref.i, ref.j] = step.parameters[ref.name]
        else:
            biases[ref.layer][ref.i] = step.parameters[ref.name]
    return weights, biases
