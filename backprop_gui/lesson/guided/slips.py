"""Slips practice mode does not name, that a lesson's checkpoints do: a weight taken from the wrong
input or the wrong neuron ("you multiplied IQ by w¹₂₁ instead of w¹₁₁").

Each slip is (name, the value an answer with that slip has, what the student did), as
``ExerciseStep.slips`` gives them; quantities.check tries practice's first, then these.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ...engine.notation import weight_name
from ..practice import ExerciseStep, Question


def extra_slips(exercise: ExerciseStep, question: Question):
    if question.kind == "output":
        yield from _output_slips(exercise, question)
    elif question.kind == "gradient" and question.ref.kind == "w":
        yield from _gradient_weight_slips(exercise, question)


def _output_slips(exercise: ExerciseStep, question: Question):
    """Two inputs' weights swapped, or another neuron's weights used."""
    e, record = exercise.explainer, exercise.record
    layer, j = question.neuron
    w = record.weights_before[layer]
    source = record.inputs if layer == 0 else record.outputs[layer - 1]
    x = source[0]
    z = float(record.z[layer][0, j])
    activation = exercise.network.activation(layer)
    for a, b in combinations(range(w.shape[0]), 2):
        if w[a, j] == w[b, j] or x[a] == x[b]:
            continue
        swapped = z - w[a, j] * x[a] - w[b, j] * x[b] + w[a, j] * x[b] + w[b, j] * x[a]
        value = float(activation.forward(np.array([swapped]))[0]) if not activation.is_linear else swapped
        yield "swapped weights", value, (
            f"your answer multiplied {e.out_symbol(layer - 1, a)} by {weight_name(layer, b, j)} instead of "
            f"{weight_name(layer, a, j)} (and {e.out_symbol(layer - 1, b)} by {weight_name(layer, a, j)}).")  # fmt: skip
    for other in range(w.shape[1]):
        if other != j:
            yield "other neuron", float(record.outputs[layer][0, other]), (
                f"your answer is {e.out_symbol(layer, other)}: {question.symbol} uses the weights "
                f"{', '.join(weight_name(layer, i, j) for i in range(w.shape[0]))} into neuron {j + 1}.")  # fmt: skip


def _gradient_weight_slips(exercise: ExerciseStep, question: Question):
    """A weight of the chain replaced by another weight of its layer."""
    factors = exercise._chain_factors(question.ref)  # practice's own factors of the one path
    if factors is None:
        return
    record = exercise.record
    value = question.value
    for symbol, factor in factors[1:]:
        if not symbol.startswith("w") or factor == 0:
            continue
        for layer, w in enumerate(record.weights_before):
            for (i, j), other in np.ndenumerate(w):
                name = weight_name(layer, i, j)
                if name != symbol and weight_name(layer, 0, 0)[:2] == symbol[:2] and other != factor:
                    yield "wrong weight", value / factor * float(other), (
                        f"your answer multiplied by {name} instead of {symbol}: the chain rule of "
                        f"{question.ref.name} goes through {symbol}.")  # fmt: skip
