"""Practice: the student works a step by hand, the app checks each number and names the slip.

At each phase of a step one quantity is hidden (O₁₂, ŷ, L, ∂L/∂ŷ, any ∂L/∂w or ∂L/∂b, any new
weight); the student types it. An answer within the precision of hand arithmetic (relative 1e-3,
or the digits the app shows) is right. A wrong one is compared with the same quantity computed
with each common slip applied — a flipped sign, a forgotten factor 2, the new weights used, a
factor of the chain rule left out or taken from the wrong neuron — and the slip that explains it
is named. Every right value is the engine's (the step's ``StepRecord``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import Network, Trainer, TrainingSettings
from ..engine.explain.explainer import Phase, StepExplainer, number
from ..engine.notation import ParameterRef, all_parameters, bias_name, weight_name

TOLERANCE = 1e-3
"""Relative error a hand calculation may have."""
LEARNING_RATES = (0.1, 0.05, 0.01)


@dataclass(frozen=True)
class Question:
    phase: Phase
    symbol: str
    """What to compute, in the notes' notation: "O₁₂", "ŷ", "L", "∂L/∂w¹₁₁", "w¹₁₁ after the update"."""
    value: float
    """The engine's value."""
    kind: str
    """"output", "loss", "dloss", "gradient" or "update"."""
    ref: ParameterRef | None = None
    neuron: tuple[int, int] | None = None
    """(weight layer, j) of an output question."""


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str
    slip: str | None = None
    """The name of the slip that explains a wrong answer: "sign", "factor 2", "new weights", …"""


def close(answer: float, value: float) -> bool:
    """Right to the precision of hand arithmetic: relative 1e-3, or the digits the app shows."""
    if not (math.isfinite(answer) and math.isfinite(value)):
        return False
    if abs(answer - value) <= TOLERANCE * abs(value) or (value == 0 and abs(answer) < 1e-9):
        return True
    return answer == float(number(value).replace("−", "-"))


class ExerciseStep:
    """One step of gradient descent, phase by phase, with the questions each phase can ask."""

    def __init__(self, explainer: StepExplainer, network: Network, loss: str, learning_rate: float) -> None:
        self.explainer = explainer
        self.record = explainer.record
        self.network = network
        """The network before the step (the record holds its weights)."""
        self.loss = loss
        self.learning_rate = learning_rate

    def phases(self) -> list[Phase]:
        return [phase for phase in self.explainer.phases() if phase.kind != "pick"]

    def questions(self, phase: Phase) -> list[Question]:
        e, record = self.explainer, self.record
        if phase.kind == "forward":
            layer = phase.layer
            return [Question(phase, e.out_symbol(layer, j), float(record.outputs[layer][0, j]), "output", neuron=(layer, j))
                    for j in range(e.layer_sizes[layer + 1])]  # fmt: skip
        if phase.kind == "loss":
            y_hat = e.out_symbol(e.n_layers - 1, 0)
            return [Question(phase, "L", float(record.loss), "loss"),
                    Question(phase, f"∂L/∂{y_hat}", float(record.dloss_dyhat[0, 0]), "dloss")]  # fmt: skip
        refs = [ref for ref in all_parameters(e.layer_sizes) if phase.kind == "update" or ref.layer == phase.layer]
        if phase.kind == "backward":
            return [Question(phase, f"∂L/∂{ref.name}", e.values(ref)[2], "gradient", ref) for ref in refs]
        return [Question(phase, f"{ref.name} after the update", e.values(ref)[1], "update", ref) for ref in refs]

    # -- checking ----------------------------------------------------------------------
    def check(self, question: Question, answer: float) -> Verdict:
        if close(answer, question.value):
            return Verdict(True, f"Right: {question.symbol} = {number(question.value)}.")
        for slip, value, explanation in self.slips(question):
            if value is not None and close(answer, value) and not close(value, question.value):
                return Verdict(False, f"Not quite: {explanation} {question.symbol} = {number(question.value)}.", slip)
        return Verdict(False, f"Not quite: {question.symbol} = {number(question.value)}. {self.hint(question)}")

    def hint(self, question: Question) -> str:
        if question.kind == "gradient":
            derivation = self.explainer.derivation(question.ref)
            return "By the chain rule: " + "  =  ".join([derivation.chain.split(" = ", 1)[1], *derivation.numbers])
        if question.kind == "output":
            layer, j = question.neuron
            return self.explainer.forward_lines(layer)[j]
        if question.kind == "update":
            return self.explainer.update_line(question.ref)
        return "  ".join(self.explainer.loss_lines())

    def slips(self, question: Question):
        """(name, the value with that slip, what the student did) for each common slip."""
        v, e = question.value, self.explainer
        if question.kind == "output":
            layer, j = question.neuron
            z = float(self.record.z[layer][0, j])
            bias = float(self.record.biases_before[layer][j])
            yield "bias", v if e.activation(layer) == "linear" and bias == 0 else self._output_with(layer, j, bias=False), (
                f"your answer leaves out the bias {bias_name(layer, j)} = {number(bias)}.")
            if e.activation(layer) != "linear":
                yield "activation", z, f"your answer is the weighted sum {e.sum_symbol(layer, j)} before the activation."
            yield "new weights", self._after_update("output", question), "your answer uses the weights after the update."
        elif question.kind == "loss":
            y, y_hat = float(self.record.targets[0, 0]), float(self.record.y_hat[0, 0])
            if self.loss == "mse":
                yield "square", y - y_hat, "your answer is y − ŷ; the loss squares it."
                yield "square", y_hat - y, "your answer is ŷ − y; the loss squares it."
                yield "half", v / 2, "your answer has a ½: the notes' loss is (y − ŷ)², without it."
            yield "sign", -v, "the sign is flipped."
        elif question.kind == "dloss":
            yield "sign", -v, "the sign is flipped: ∂L/∂ŷ = −2(y − ŷ), the minus comes from the inner derivative of y − ŷ."
            if self.loss == "mse":
                yield "factor 2", v / 2, "your answer forgot the factor 2 from the square."
        elif question.kind == "gradient":
            yield from self._gradient_slips(question)
        else:
            before, _, gradient = e.values(question.ref)
            rate = self.learning_rate
            yield "sign", before + rate * gradient, "your answer adds η·∂L/∂p; gradient descent subtracts it."
            yield "learning rate", before - gradient, "your answer forgot η: p ← p − η·∂L/∂p."
            yield "sign", -(v), "the sign is flipped."

    def _gradient_slips(self, question: Question):
        v, e, ref = question.value, self.explainer, question.ref
        yield "sign", -v, "the sign is flipped: ∂L/∂ŷ = −2(y − ŷ) carries a minus."
        if self.loss == "mse":
            yield "factor 2", v / 2, "your answer forgot the factor 2 of ∂L/∂ŷ = −2(y − ŷ)."
        yield "new weights", self._after_update("gradient", question), (
            "your answer uses the weights after the update; the chain rule uses those of the forward pass.")
        factors = self._chain_factors(ref)
        if factors is not None:
            for symbol, value in factors[1:]:
                if value not in (0.0, 1.0):
                    yield "dropped factor", v / value, f"your answer leaves out the factor {symbol} = {number(value)}."
        if ref.kind == "w":
            path = e.derivation(ref).formula[0]
            outer = float(self.record.deltas[-1][0, 0])
            outer_symbol = "−2(y − ŷ)" if self.loss == "mse" and e.output_activation == "linear" else "∂L/∂z"
            for layer in range(-1, e.n_layers - 1):
                for j in range(e.layer_sizes[layer + 1]):
                    symbol = e.out_symbol(layer, j)
                    if symbol in path.split(" · "):
                        continue
                    yield "wrong path", outer * e.out_value(layer, j), (
                        f"your answer equals {outer_symbol}·{symbol}: the chain rule of {ref.name} goes through "
                        f"{path.split(' · ', 1)[1]}, not {symbol}.")  # fmt: skip

    def _chain_factors(self, ref: ParameterRef) -> list[tuple[str, float]] | None:
        """The factors of ∂L/∂p along its one path to the loss (∂L/∂z_out first), or None when
        several paths lead from p to the loss (the delta rule sums them)."""
        e, record = self.explainer, self.record
        layer = ref.layer
        j = ref.j if ref.kind == "w" else ref.i
        if any(size != 1 for size in e.layer_sizes[layer + 2 :]) or e.n_rows != 1:
            return None
        factors = [("∂L/∂z", float(record.deltas[-1][0, 0]))]
        source = j
        for m in range(e.n_layers - 1, layer, -1):
            source = j if m == layer + 1 else 0
            factors.append((weight_name(m, source, 0), e.weight_before(m, source, 0)))
            if e.activation(m - 1) != "linear":
                out = e.out_value(m - 1, source)
                z = float(record.z[m - 1][0, source])
                slope = float(self.network.activation(m - 1).derivative(np.array([z]), np.array([out]))[0])
                factors.append((f"∂{e.out_symbol(m - 1, source)}/∂{e.sum_symbol(m - 1, source)}", slope))
        if ref.kind == "w":
            factors.append((e.out_symbol(layer - 1, ref.i), e.out_value(layer - 1, ref.i)))
        return factors

    def _output_with(self, layer: int, j: int, bias: bool) -> float:
        network = self.network.copy()
        if not bias:
            network.biases[layer][j] = 0.0
        return float(network.forward_pass(self.record.inputs).outputs[layer][0, j])

    def _after_update(self, kind: str, question: Question) -> float | None:
        network = self.network.copy()
        network.set_parameters(self.record.weights_after, self.record.biases_after)
        if kind == "output":
            layer, j = question.neuron
            return float(network.forward_pass(self.record.inputs).outputs[layer][0, j])
        trainer = Trainer(network, self.record.inputs, self.record.targets, self.learning_rate, loss=self.loss)
        _, weight_grads, bias_grads = trainer.gradients([0])
        ref = question.ref
        return float(weight_grads[ref.layer][ref.i, ref.j] if ref.kind == "w" else bias_grads[ref.layer][ref.i])


def make_exercise(settings: TrainingSettings, inputs, targets, input_names, target_name, seed: int) -> ExerciseStep:
    """A new exercise on one row: seeded random weights of one decimal, a random row, a random η."""
    rng = np.random.default_rng(seed)
    n_inputs = len(input_names)
    network = settings.build_network(n_inputs)
    for w, b in zip(network.weights, network.biases):
        w[...] = np.round(rng.uniform(-1, 1, w.shape), 1)
        b[...] = np.round(rng.uniform(-1, 1, b.shape), 1)
    row = int(rng.integers(len(inputs)))
    rate = float(rng.choice(LEARNING_RATES))
    before = network.copy()
    trainer = Trainer(network, np.atleast_2d(inputs[row]), [targets[row]], rate, loss=settings.loss)
    record = trainer.step()
    explainer = StepExplainer(record, network.layer_sizes, settings.hidden_activation_choice, settings.output_activation,
                              settings.loss, input_names, target_name)  # fmt: skip
    return ExerciseStep(explainer, before, settings.loss, rate)


class Practice:
    """A practice session: exercises one after another, a question per phase, and the score."""

    def __init__(self, settings: TrainingSettings, inputs, targets, input_names, target_name, seed: int = 0) -> None:
        self._source = (settings, np.asarray(inputs, float), np.asarray(targets, float), list(input_names), target_name)
        self._rng = np.random.default_rng(seed)
        self.right = self.asked = 0
        self.exercise: ExerciseStep | None = None
        self.question: Question | None = None
        self._phase_index = 0
        self.new_exercise()

    def new_exercise(self) -> ExerciseStep:
        self.exercise = make_exercise(*self._source, seed=int(self._rng.integers(2**31)))
        self._phase_index = 0
        self._ask()
        return self.exercise

    def choose(self, symbol: str) -> Question | None:
        """Ask about a quantity of the current phase chosen by the student instead."""
        for question in self.exercise.questions(self.question.phase):
            if question.symbol == symbol:
                self.question = question
                return question
        return None

    def answer(self, value: float) -> Verdict:
        verdict = self.exercise.check(self.question, value)
        self.asked += 1
        self.right += verdict.correct
        return verdict

    def next_phase(self) -> Question | None:
        """Move on to the next phase's question; None once the step is done (then call new_exercise)."""
        if self._phase_index + 1 >= len(self.exercise.phases()):
            return None
        self._phase_index += 1
        self._ask()
        return self.question

    def _ask(self) -> None:
        phase = self.exercise.phases()[self._phase_index]
        questions = self.exercise.questions(phase)
        self.question = questions[int(self._rng.integers(len(questions)))]

    @property
    def phase(self) -> Phase:
        return self.question.phase

    def score_text(self) -> str:
        return f"{self.right} of {self.asked} right" if self.asked else "No answers yet"
