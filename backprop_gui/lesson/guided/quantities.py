"""A lesson's quantities evaluated by the engine on the page's state, and checked like practice.

Everything a checkpoint accepts is computed here from the lesson as it is on screen: the weights
the diagram shows (``StepCursor.shown_parameters``), the table scaled as the settings say, one
step of the trainer on a copy of the network for a row's or a batch's quantities, or the step on
show. Nothing is typed by a lesson's author. A wrong answer is matched against practice mode's
slips (lesson/practice.py) so the student hears which slip it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain

import numpy as np

from ...engine import Network, StepRecord
from ...engine.explain.explainer import Phase, StepExplainer, number
from ...engine.explain.explain_notation import factor
from ...engine.notation import ParameterRef
from ..cursor import StepCursor
from ..lesson import Lesson
from ..practice import ExerciseStep, Question, close
from .slips import extra_slips
from .symbols import Comparison, Condition, Quantity

MAX_ATTEMPTS = 2
"""Wrong answers before the worked answer is shown."""


class QuantityError(ValueError):
    """The engine cannot compute the quantity on this page (no such neuron, row or step)."""


@dataclass(frozen=True)
class PageFacts:
    """What a page counts from its start: how many steps the log held, and whether a run diverged."""

    steps_at_start: int = 0
    diverged: bool = False


@dataclass(frozen=True)
class Asked:
    """A checkpoint's question, its answer frozen when the page opened."""

    symbol: str
    value: float
    exercise: ExerciseStep | None = None
    question: Question | None = None

    def worked(self) -> str:
        """The answer with its working, for after the last try."""
        text = f"{self.symbol} = {number(self.value)}."
        if self.exercise is None or self.question is None:
            return text
        if self.question.kind == "dloss":  # practice's hint for it is the loss's line
            e, record = self.exercise.explainer, self.exercise.record
            y, y_hat = number(float(record.targets[0, 0])), factor(float(record.y_hat[0, 0]))
            return (f"{text} {self.symbol} = {e.loss.gradient_formula('y', 'ŷ', '')} = "
                    f"{e.loss.gradient_formula(y, y_hat, '')} = {number(self.value)}")  # fmt: skip
        return f"{text} {self.exercise.hint(self.question)}"


@dataclass(frozen=True)
class Checked:
    correct: bool
    message: str
    slip: str | None = None


def _step_count(lesson: Lesson) -> int:
    return sum(entry.kind == "step" for entry in lesson.step_log)


def page_facts(lesson: Lesson, diverged: bool = False) -> PageFacts:
    return PageFacts(_step_count(lesson), diverged)


def _shown_network(lesson: Lesson, cursor: StepCursor) -> Network:
    network = lesson.network.copy()
    weights, biases = cursor.shown_parameters()
    network.set_parameters([w.copy() for w in weights], [b.copy() for b in biases])
    return network


def _check_reference(ref: ParameterRef, sizes: list[int], input_names: list[str]) -> None:
    n_layers = len(sizes) - 1
    if not 0 <= ref.layer < n_layers:
        raise QuantityError(f"the network has no {ref.name}: it has {n_layers} layers of weights")
    if ref.kind == "w" and ref.layer == 0 and ref.i >= sizes[0]:
        raise QuantityError(
            f"{ref.name} needs input column {ref.i + 1}; the table has {sizes[0]} input columns ({', '.join(input_names)})"
        )
    inputs, outputs = sizes[ref.layer], sizes[ref.layer + 1]
    if (ref.kind == "w" and (ref.i >= inputs or ref.j >= outputs)) or (ref.kind == "b" and ref.i >= outputs):
        raise QuantityError(f"the network ({'-'.join(map(str, sizes))}) has no {ref.name}")


def _step_on(quantity: Quantity, lesson: Lesson, cursor: StepCursor) -> tuple[StepExplainer, Network]:
    """The step a row's quantity belongs to: made on a copy of the shown network, or the one on show."""
    table, settings = lesson.table, lesson.settings
    if quantity.row is None and not quantity.batch:
        if not cursor.active:
            raise QuantityError(f"'{quantity.text}' asks about the step on show, and this page shows none: "
                                "add '@do step' (or '@do next_phase'), or write 'row N'")  # fmt: skip
        explainer = cursor.explainer
        network = lesson.network.copy()
        network.set_parameters(explainer.record.weights_before, explainer.record.biases_before)
        return explainer, network
    if table.n_rows == 0:
        raise QuantityError("the page's table has no rows")
    if quantity.row is not None and quantity.row >= table.n_rows:
        raise QuantityError(f"'{quantity.text}' needs row {quantity.row + 1}; the table has {table.n_rows} rows")
    before = _shown_network(lesson, cursor)
    network = before.copy()
    trainer = settings.build_trainer(network, lesson.scaler().transform(table.inputs()), table.targets())
    if quantity.batch:
        rows = np.setdiff1d(np.arange(table.n_rows), trainer.validation_rows)
    else:
        rows = [quantity.row]
    record: StepRecord = trainer.step(rows)
    explainer = StepExplainer(record, network.layer_sizes, settings.hidden_activation_choice, settings.output_activation,
                              settings.loss, table.input_names, table.target_name,
                              scaled_inputs=settings.scaling == "standardize")  # fmt: skip
    return explainer, before


def _neuron(quantity: Quantity, sizes: list[int]) -> tuple[int, int]:
    n_layers = len(sizes) - 1
    layer = n_layers - 1 if quantity.layer is None else quantity.layer
    if not 0 <= layer < n_layers or quantity.j >= sizes[layer + 1]:
        raise QuantityError(f"the network ({'-'.join(map(str, sizes))}) has no {quantity.symbol(n_layers)}")
    return layer, quantity.j


def _step_value(quantity: Quantity, explainer: StepExplainer) -> tuple[float, Question | None]:
    record, kind = explainer.record, quantity.kind
    sizes = list(explainer.layer_sizes)
    symbol = quantity.symbol(len(sizes) - 1)
    one_row = len(record.rows) == 1
    if kind in ("output", "sum", "delta"):
        layer, j = _neuron(quantity, sizes)
        if not one_row:
            raise QuantityError(f"{symbol} is one row's: write '{quantity.text.split()[0]} row N'")
        source = {"output": record.outputs, "sum": record.z, "delta": record.deltas}[kind]
        value = float(source[layer][0, j])
        question = Question(Phase("forward", layer), symbol, value, "output", neuron=(layer, j)) if kind == "output" else None
        return value, question
    if kind == "loss":
        return float(record.loss), Question(Phase("loss"), "L", float(record.loss), "loss")
    if kind in ("dloss", "target", "input"):
        if not one_row:
            raise QuantityError(f"{symbol} is one row's: write '{quantity.text.split()[0]} row N'")
        if kind == "target":
            return float(record.targets[0, 0]), None
        if kind == "input":
            if quantity.j >= sizes[0]:
                raise QuantityError(f"{symbol} needs input column {quantity.j + 1}; the table has {sizes[0]} input columns")
            return float(record.inputs[0, quantity.j]), None
        value = float(record.dloss_dyhat[0, 0])
        return value, Question(Phase("loss"), symbol, value, "dloss")
    _check_reference(quantity.ref, sizes, list(explainer.input_names))
    before, after, gradient = explainer.values(quantity.ref)
    if kind == "gradient":
        return gradient, Question(Phase("backward", quantity.ref.layer), symbol, gradient, "gradient", quantity.ref)
    return after, Question(Phase("update"), symbol, after, "update", quantity.ref)


def _state_value(quantity: Quantity, lesson: Lesson, cursor: StepCursor, facts: PageFacts) -> float:
    kind = quantity.kind
    if kind in ("weight", "bias"):
        _check_reference(quantity.ref, list(lesson.network.layer_sizes), lesson.table.input_names)
        weights, biases = cursor.shown_parameters()
        ref = quantity.ref
        return float(weights[ref.layer][ref.i, ref.j] if kind == "weight" else biases[ref.layer][ref.i])
    if kind == "mean loss":
        metrics = lesson.metrics(cursor.shown_parameters())
        return math.nan if metrics is None else float(metrics.loss)
    if kind == "epoch loss":
        values = lesson.loss_history.values
        return float(values[-1]) if len(values) else math.nan
    if kind == "epochs":
        return float(len(lesson.loss_history))
    if kind == "steps":
        return float(_step_count(lesson) - facts.steps_at_start)
    if kind == "learning rate":
        return float(lesson.settings.learning_rate)
    if kind == "diverged":
        return 1.0 if facts.diverged else 0.0
    if kind == "phase":
        return float(cursor.phase.number) if cursor.active else 0.0
    raise QuantityError(f"unknown quantity {kind!r}")  # the parser admits none other


def evaluate(quantity: Quantity, lesson: Lesson, cursor: StepCursor, facts: PageFacts = PageFacts()) -> float:
    """The engine's value of ``quantity`` on the lesson as shown; QuantityError if it has none."""
    if quantity.needs_step:
        explainer, _ = _step_on(quantity, lesson, cursor)
        return _step_value(quantity, explainer)[0]
    return _state_value(quantity, lesson, cursor, facts)


def ask(quantity: Quantity, lesson: Lesson, cursor: StepCursor, facts: PageFacts = PageFacts()) -> Asked:
    """The question a checkpoint asks, with the engine's answer and what practice mode needs to
    diagnose a wrong one; QuantityError if the page's state has no such quantity, or it is not finite."""
    if quantity.needs_step:
        explainer, before = _step_on(quantity, lesson, cursor)
        value, question = _step_value(quantity, explainer)
        exercise = ExerciseStep(explainer, before, lesson.settings.loss, float(explainer.record.learning_rate))
        symbol = question.symbol if question is not None else quantity.symbol(len(explainer.layer_sizes) - 1)
        asked = Asked(symbol, value, exercise, question)
    else:
        value = _state_value(quantity, lesson, cursor, facts)
        asked = Asked(quantity.symbol(lesson.network.n_layers), value)
    if not math.isfinite(asked.value):
        raise QuantityError(f"'{quantity.text}' has no finite value on this page ({number(asked.value)})")
    return asked


def check(asked: Asked, answer: float, attempt: int) -> Checked:
    """Right to practice mode's precision, or the slip that explains it (without giving the answer
    away before the last try); on the last try, the worked answer."""
    if close(answer, asked.value):
        return Checked(True, f"Right: {asked.symbol} = {number(asked.value)}.")
    slip_name, explanation = None, ""
    if asked.exercise is not None and asked.question is not None:
        slips = chain(asked.exercise.slips(asked.question), extra_slips(asked.exercise, asked.question))
        for slip, value, text in slips:
            if value is not None and close(answer, value) and not close(value, asked.value):
                slip_name, explanation = slip, text[0].upper() + text[1:]
                break
    if attempt < MAX_ATTEMPTS:
        return Checked(False, f"Not quite. {explanation} Try again.".replace("  ", " "), slip_name)
    lead = f"Not quite. {explanation} " if explanation else "Not quite. "
    return Checked(False, f"{lead}The answer: {asked.worked()}", slip_name)


def condition_holds(condition: Condition, lesson: Lesson, cursor: StepCursor, facts: PageFacts) -> bool:
    return all(_holds(part, lesson, cursor, facts) for part in condition.parts)


def _holds(part: Comparison, lesson: Lesson, cursor: StepCursor, facts: PageFacts) -> bool:
    try:
        return part.holds(evaluate(part.quantity, lesson, cursor, facts))
    except QuantityError:
        return False


__all__ = ["Asked", "Checked", "PageFacts", "QuantityError", "ask", "check", "condition_holds", "evaluate",
           "page_facts"]  # fmt: skip
