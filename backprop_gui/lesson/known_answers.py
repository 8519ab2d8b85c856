"""The classic step-by-step example with its published answers, so a student can check the app
and the app the student.

A 2-2-2 sigmoid network on one row: inputs 0.05, 0.10; targets 0.01, 0.99; weights w₁…w₈ =
0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55; biases b₁ = 0.35 (both hidden neurons),
b₂ = 0.60 (both outputs); η = 0.5; loss E_total = ½Σ(t − o)². Its published results after one
step of backpropagation are in ``PUBLISHED``.

Its loss differs from the notes' L = (y − ŷ)²: the app's loss is the mean of (y − ŷ)² over the
outputs, which for two outputs is exactly ½Σ(t − o)², so the app computes the example's own loss
with no change, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Network, StepRecord, Trainer
from ..engine.explain.explainer import StepExplainer
from ..engine.notation import weight_name

INPUTS = [0.05, 0.10]
TARGETS = [0.01, 0.99]
LEARNING_RATE = 0.5
# The example's names for the engine's weights: weights[k][i, j] is the weight from i to j.
WEIGHT_NAMES = {"w1": (0, 0, 0), "w2": (0, 1, 0), "w3": (0, 0, 1), "w4": (0, 1, 1),
                "w5": (1, 0, 0), "w6": (1, 1, 0), "w7": (1, 0, 1), "w8": (1, 1, 1)}  # fmt: skip
WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55}
BIASES = ([0.35, 0.35], [0.60, 0.60])
PUBLISHED = {
    "out_h1": 0.593269992,
    "out_h2": 0.596884378,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E_total": 0.298371109,
    "w5": 0.35891648,
    "w6": 0.408666186,
    "w7": 0.511301270,
    "w8": 0.561370121,
    "w1": 0.149780716,
    "w2": 0.19956143,
    "w3": 0.24975114,
    "w4": 0.29950229,
}
LOSS_NOTE = (
    "This example's loss is E_total = ½Σ(t − o)². The app's loss is the mean of (y − ŷ)² over the "
    "outputs, which for two outputs is the same number, so the app computes the example's own loss."
)


@dataclass(frozen=True)
class Comparison:
    name: str
    """The example's name: out_h1, E_total, w5 (after the step), …"""
    notes_name: str
    """The same in the notes' notation: O₁₁, L, w²₁₁, …"""
    published: float
    app: float


def network() -> Network:
    net = Network([2, 2, 2], "sigmoid", "sigmoid", init="zeros")
    weights = [np.zeros((2, 2)), np.zeros((2, 2))]
    for name, (layer, i, j) in WEIGHT_NAMES.items():
        weights[layer][i, j] = WEIGHTS[name]
    net.set_parameters(weights, [np.array(b) for b in BIASES])
    return net


def step() -> tuple[StepRecord, StepExplainer]:
    """The engine's one step on the example, and its explanation in the notes' notation."""
    record = Trainer(network(), [INPUTS], [TARGETS], LEARNING_RATE, loss="mse").step()
    explainer = StepExplainer(record, [2, 2, 2], "sigmoid", "sigmoid", "mse", ["i₁", "i₂"], "t")
    return record, explainer


def comparisons() -> list[Comparison]:
    """Every published number beside the app's."""
    record, _ = step()
    rows = [
        Comparison("out_h1", "O₁₁", PUBLISHED["out_h1"], float(record.outputs[0][0, 0])),
        Comparison("out_h2", "O₁₂", PUBLISHED["out_h2"], float(record.outputs[0][0, 1])),
        Comparison("out_o1", "ŷ₁", PUBLISHED["out_o1"], float(record.y_hat[0, 0])),
        Comparison("out_o2", "ŷ₂", PUBLISHED["out_o2"], float(record.y_hat[0, 1])),
        Comparison("E_total", "L", PUBLISHED["E_total"], float(record.loss)),
    ]
    for name in ("w5", "w6", "w7", "w8", "w1", "w2", "w3", "w4"):
        layer, i, j = WEIGHT_NAMES[name]
        rows.append(Comparison(name, f"{weight_name(layer, i, j)} after the step", PUBLISHED[name],
                               float(record.weights_after[layer][i, j])))  # fmt: skip
    return rows
