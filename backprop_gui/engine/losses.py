"""Loss functions, as objects like the activations: each knows its value, its derivatives and its formula.

Per-sample loss is averaged over the outputs; a batch loss is the mean over its
rows. For one row and one output the MSE is exactly the notes' L = (y - ŷ)².

``LOSSES`` maps the names that settings and session files store ("mse", "bce")
to the ``Loss`` objects; the engine asks the object, never compares names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import Activation, log_softmax
from .notation import format_number


def mse(y: np.ndarray, y_hat: np.ndarray) -> float:
    diff = y - y_hat
    return float(np.mean(diff * diff))


def mse_gradient(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂ŷ = -2(y - ŷ), divided by the number of values averaged."""
    return (-2.0 / y.size) * (y - y_hat)


def bce_from_logits(y: np.ndarray, z: np.ndarray) -> float:
    """Binary cross-entropy of sigmoid(z), computed from z so log(0) never occurs.

    -y log σ(z) - (1 - y) log(1 - σ(z)) = max(z, 0) - y z + log(1 + e^-|z|)
    """
    per_value = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(per_value))


def bce_gradient_wrt_output(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂ŷ = -(y/ŷ) + (1 - y)/(1 - ŷ), for display; infinite where ŷ saturates."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (-(y / y_hat) + (1.0 - y) / (1.0 - y_hat)) / y.size


def bce_gradient_wrt_logits(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂z through a sigmoid output: -(y - ŷ), as in the notes (seed 001)."""
    return (y_hat - y) / y.size


def cce_from_logits(y: np.ndarray, z: np.ndarray) -> float:
    """Categorical cross-entropy of softmax(z) on one-hot rows y, from z by the log-softmax (so
    log 0 never occurs): the mean over the rows of L = −Σₖ yₖ log ŷₖ (summed over the k outputs,
    as PyTorch's CrossEntropyLoss does; not averaged over them as the MSE is)."""
    return float(-np.mean(np.sum(y * log_softmax(z), axis=-1)))


def cce_gradient_wrt_output(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂ŷₖ = −yₖ/ŷₖ, divided by the rows averaged; for display, infinite where ŷₖ is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y / y_hat) / y.shape[0]


def cce_gradient_wrt_logits(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """∂L/∂zₖ = ŷₖ − yₖ through a softmax output (every output's z gets one), over the rows averaged."""
    return (y_hat - y) / y.shape[0]


def _cce_baseline(y: np.ndarray) -> float:
    p = np.clip(y.mean(axis=0), 1e-12, 1.0)
    return float(-np.sum(y.mean(axis=0) * np.log(p)))


def _one_hot_targets_problem(y: np.ndarray) -> str | None:
    if y.ndim != 2 or y.shape[1] < 2:
        return "multi-class classification needs at least two classes (two output neurons)"
    not_binary = y[(y != 0.0) & (y != 1.0)]
    if not_binary.size:
        return f"a one-hot target holds only 0s and 1s, but this one holds {format_number(not_binary[0])}"
    sums = y.sum(axis=1)
    bad = np.flatnonzero(sums != 1.0)
    if bad.size:
        return f"a one-hot target has exactly one 1 per row, but row {bad[0] + 1} has {int(sums[bad[0]])}"
    return None


def _mse_baseline(y: np.ndarray) -> float:
    return float(np.mean((y - y.mean(axis=0)) ** 2))


def _bce_baseline(y: np.ndarray) -> float:
    p = np.clip(y.mean(axis=0), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _binary_targets_problem(y: np.ndarray) -> str | None:
    not_binary = y[(y != 0.0) & (y != 1.0)]
    if not_binary.size:
        return (
            "classification (binary cross-entropy) needs every target to be 0 or 1, "
            f"but the target column holds {format_number(not_binary[0])}"
        )
    return None


@dataclass(frozen=True, eq=False)
class Loss:
    """A loss L(y, ŷ) of one row, averaged over outputs and over a batch's rows.

    ``value(y, ŷ, z_out)`` is L (z_out, the output layer's weighted sums, lets the
    cross-entropy be computed from logits); ``gradient_wrt_output(y, ŷ)`` is ∂L/∂ŷ as
    shown to a student; ``gradient_wrt_sum(y, ŷ, z_out, f)`` is ∂L/∂z_out, the output
    layer's δ that backpropagation starts from.
    """

    name: str
    """The name settings and session files store: "mse" or "bce"."""
    task: str
    """"regression" or "classification"."""
    template: str
    """The per-value formula with {y} and {y_hat} for the symbols or numbers."""
    gradient_template: str
    """∂L/∂ŷ (or, when ``combined_with_output``, ∂L/∂z) with {y}, {y_hat} and {scale}."""
    _value: Callable[[np.ndarray, np.ndarray, np.ndarray], float]
    _gradient_wrt_output: Callable[[np.ndarray, np.ndarray], np.ndarray]
    _baseline: Callable[[np.ndarray], float]
    required_output: str | None = None
    """The output activation this loss needs (the cross-entropy: "sigmoid"), or None."""
    combined_with_output: bool = False
    """True when ∂L/∂z through the required output activation is simpler than the product
    ∂L/∂ŷ · ∂ŷ/∂z (the notes' −(y − ŷ) for a sigmoid with cross-entropy)."""
    code: int = 0
    """The compiled kernel's number for this loss (backprop_compiled.py)."""
    targets_problem: Callable[[np.ndarray], str | None] = lambda y: None
    """targets_problem(y): why these targets cannot be trained on with this loss, or None."""
    output_gradient_template: str = ""
    """∂L/∂ŷ as the notes derive it before any simplification, with {y}, {y_hat} and {scale}:
    the cross-entropy's −(y − ŷ)/(ŷ(1 − ŷ)) of seed 001; empty when it is ``gradient_template``."""
    _gradient_wrt_logits: Callable[[np.ndarray, np.ndarray], np.ndarray] = bce_gradient_wrt_logits
    """∂L/∂z when ``combined_with_output``: −(y − ŷ) over the values (BCE) or the rows (CCE) averaged."""

    @property
    def formula(self) -> str:
        """The notes' formula: "(y − ŷ)²" or "−y log ŷ − (1 − y) log(1 − ŷ)"."""
        return self.formula_with("y", "ŷ")

    def formula_with(self, y: str, y_hat: str, times: str = " ") -> str:
        """The formula with other symbols or numbers for y and ŷ; ``times`` goes between a factor
        and a log (a space between symbols, "·" between numbers)."""
        return self.template.format(y=y, y_hat=y_hat, times=times)

    def gradient_formula(self, y: str, y_hat: str, scale: str = "") -> str:
        return self.gradient_template.format(y=y, y_hat=y_hat, scale=scale)

    def output_gradient_formula(self, y: str, y_hat: str, scale: str = "") -> str:
        """∂L/∂ŷ written as the notes derive it (for the cross-entropy, before it meets ∂ŷ/∂z)."""
        return (self.output_gradient_template or self.gradient_template).format(y=y, y_hat=y_hat, scale=scale)

    def value(self, y: np.ndarray, y_hat: np.ndarray, z_out: np.ndarray) -> float:
        return self._value(y, y_hat, z_out)

    def gradient_wrt_output(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        """∂L/∂ŷ, for display (the cross-entropy's is infinite where ŷ saturates)."""
        return self._gradient_wrt_output(y, y_hat)

    def gradient_wrt_sum(self, y: np.ndarray, y_hat: np.ndarray, z_out: np.ndarray, activation: Activation) -> np.ndarray:
        """∂L/∂z_out = ∂L/∂ŷ · f′(z_out), the δ of the output layer."""
        if self.combined_with_output:
            return self._gradient_wrt_logits(y, y_hat)  # ∂L/∂ŷ·∂ŷ/∂z = -(y - ŷ)
        delta = self._gradient_wrt_output(y, y_hat)
        if not activation.is_linear:
            delta = delta * activation.derivative(z_out, y_hat)
        return delta

    def baseline(self, y: np.ndarray) -> float:
        """The loss of always predicting the mean target: what a network that learnt nothing scores."""
        return self._baseline(y)

    def __str__(self) -> str:
        return self.name

    # The losses are constants: a copied or unpickled trainer shares them.
    def __reduce__(self):
        return get_loss, (self.name,)

    def __copy__(self) -> "Loss":
        return self

    def __deepcopy__(self, memo) -> "Loss":
        return self

    def __repr__(self) -> str:
        return f"LOSSES[{self.name!r}]"


MSE = Loss(
    "mse",
    "regression",
    "({y} − {y_hat})²",
    "−2{scale}({y} − {y_hat})",
    lambda y, y_hat, z_out: mse(y, y_hat),
    mse_gradient,
    _mse_baseline,
    code=0,
)
BCE = Loss(
    "bce",
    "classification",
    "−{y}{times}log {y_hat} − (1 − {y}){times}log(1 − {y_hat})",
    "−{scale}({y} − {y_hat})",
    lambda y, y_hat, z_out: bce_from_logits(y, z_out),
    bce_gradient_wrt_output,
    _bce_baseline,
    required_output="sigmoid",
    combined_with_output=True,
    code=1,
    targets_problem=_binary_targets_problem,
    output_gradient_template="−{scale}({y} − {y_hat})/({y_hat}(1 − {y_hat}))",
)

CCE = Loss(
    "categorical_cross_entropy",
    "multiclass",
    "−Σₖ {y}ₖ{times}log {y_hat}ₖ",
    "−{scale}({y} − {y_hat})",
    lambda y, y_hat, z_out: cce_from_logits(y, z_out),
    cce_gradient_wrt_output,
    _cce_baseline,
    required_output="softmax",
    combined_with_output=True,
    code=2,
    targets_problem=_one_hot_targets_problem,
    output_gradient_template="−{scale}{y}/{y_hat}",
    _gradient_wrt_logits=cce_gradient_wrt_logits,
)

LOSSES: dict[str, Loss] = {"mse": MSE, "bce": BCE}
MULTICLASS_LOSSES: dict[str, Loss] = {"categorical_cross_entropy": CCE}
"""The loss of the multi-class task, kept apart from ``LOSSES`` (what the one-output tasks offer)."""


def get_loss(loss: str | Loss) -> Loss:
    """The Loss of a name ("mse", "bce"), or the Loss itself."""
    if isinstance(loss, Loss):
        return loss
    try:
        return LOSSES[loss] if loss in LOSSES else MULTICLASS_LOSSES[loss]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES) + sorted(MULTICLASS_LOSSES)}") from None


__all__ = ["BCE", "CCE", "LOSSES", "MSE", "MULTICLASS_LOSSES", "Loss", "get_loss"]
