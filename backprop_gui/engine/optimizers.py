"""Beyond w_new = w_old − η·∂L/∂w: momentum, Nesterov, RMSprop and Adam, with L2 and L1 penalties.

The rules, per parameter p with gradient g, as PyTorch's ``torch.optim`` computes them in
float64 (``SGD(momentum=μ)``, ``SGD(momentum=μ, nesterov=True)``, ``RMSprop(alpha=α)``,
``Adam(betas=(β₁, β₂))``, all with ``eps=ε``)::

    sgd       p ← p − η·g                                  (the notes' rule, the default)
    momentum  v ← μ·v + g,             p ← p − η·v
    nesterov  v ← μ·v + g,             p ← p − η·(g + μ·v)
    rmsprop   s ← α·s + (1 − α)·g²,    p ← p − η·g / (√s + ε)
    adam      m ← β₁·m + (1 − β₁)·g,   s ← β₂·s + (1 − β₂)·g²,
              m̂ = m / (1 − β₁ᵗ),       ŝ = s / (1 − β₂ᵗ),      p ← p − η·m̂ / (√ŝ + ε)

with v, m, s starting at 0 and t counting updates from 1 (PyTorch's first momentum buffer is g
itself, which is μ·0 + g). Regularisation adds the derivative of (λ₂/2)·Σw² + λ₁·Σ|w| to each
weight's gradient before the rule sees it, g = ∂L/∂w + λ₂·w + λ₁·sign(w) (sign(0) = 0; biases
get no penalty), which for L2 is PyTorch's ``weight_decay`` on a parameter group of weights.

The state (t, v, m, s) lives in flat float64 arrays laid out as ``backprop_compiled.flatten``
lays out the parameters, so the compiled kernel updates the same arrays; ``layer_views`` gives
the readable path per-layer views into them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
OPTIMIZER_CODES = {name: code for code, name in enumerate(OPTIMIZERS)}
"""The compiled kernel's number for each optimizer."""
OPTIMIZER_LABELS = {
    "sgd": "Gradient descent (SGD)",
    "momentum": "Momentum",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}


@dataclass(frozen=True)
class UpdateRule:
    """Which optimizer, its constants, and the penalties on the weights."""

    optimizer: str = "sgd"
    momentum: float = 0.9
    betas: tuple[float, float] = (0.9, 0.999)
    alpha: float = 0.99
    eps: float = 1e-8
    l2: float = 0.0
    l1: float = 0.0

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {OPTIMIZERS}")
        object.__setattr__(self, "betas", tuple(float(b) for b in self.betas))
        numbers = {"momentum": self.momentum, "beta1": self.betas[0], "beta2": self.betas[1], "alpha": self.alpha}
        for name, value in numbers.items():
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be at least 0 and below 1, got {value}")
        if not (math.isfinite(self.eps) and self.eps > 0):
            raise ValueError(f"eps must be a positive number, got {self.eps}")
        for name in ("l2", "l1"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a number of at least 0, got {value}")

    @property
    def is_plain(self) -> bool:
        """The notes' rule with no penalty: w_new = w_old − η·∂L/∂w."""
        return self.optimizer == "sgd" and self.l2 == 0 and self.l1 == 0

    @property
    def regularised(self) -> bool:
        return self.l2 != 0 or self.l1 != 0

    @property
    def code(self) -> int:
        return OPTIMIZER_CODES[self.optimizer]

    def constants(self) -> np.ndarray:
        """[μ, β₁, β₂, α, ε, λ₂, λ₁]: what the compiled kernel reads."""
        return np.array([self.momentum, *self.betas, self.alpha, self.eps, self.l2, self.l1])

    def penalty(self, weights: Sequence[np.ndarray]) -> float:
        """(λ₂/2)·Σw² + λ₁·Σ|w| over every weight (no bias): what regularisation adds to the loss."""
        total = 0.0
        if self.l2:
            total += 0.5 * self.l2 * sum(float(np.sum(w * w)) for w in weights)
        if self.l1:
            total += self.l1 * sum(float(np.sum(np.abs(w))) for w in weights)
        return total

    def penalty_gradient(self, w: np.ndarray) -> np.ndarray | None:
        """λ₂·w + λ₁·sign(w) for one layer's weights, or None without regularisation."""
        if not self.regularised:
            return None
        term = np.zeros_like(w)
        if self.l2:
            term += self.l2 * w
        if self.l1:
            term += self.l1 * np.sign(w)
        return term


class OptimizerState:
    """t and the running averages v (momentum), m and s (Adam; s also RMSprop), flat."""

    __slots__ = ("t", "v", "m", "s")

    def __init__(self, n_parameters: int, t: int = 0, v=None, m=None, s=None) -> None:
        self.t = int(t)
        """Updates made since the state was cleared."""
        self.v = np.zeros(n_parameters) if v is None else np.array(v, dtype=float).reshape(n_parameters)
        self.m = np.zeros(n_parameters) if m is None else np.array(m, dtype=float).reshape(n_parameters)
        self.s = np.zeros(n_parameters) if s is None else np.array(s, dtype=float).reshape(n_parameters)

    @property
    def n_parameters(self) -> int:
        return self.v.size

    def copy(self) -> "OptimizerState":
        return OptimizerState(self.n_parameters, self.t, self.v, self.m, self.s)

    def clear(self) -> None:
        self.t = 0
        for array in (self.v, self.m, self.s):
            array[...] = 0.0

    def restore(self, other: "OptimizerState") -> None:
        """Take ``other``'s values, in place (the arrays stay the same objects)."""
        self.t = other.t
        self.v[...], self.m[...], self.s[...] = other.v, other.m, other.s

    def stacked(self) -> np.ndarray:
        """v, m and s as the rows of one (3, n) array: the kernel's form of the state."""
        return np.stack([self.v, self.m, self.s])

    def unstack(self, stacked: np.ndarray) -> None:
        self.v[...], self.m[...], self.s[...] = stacked

    def __eq__(self, other) -> bool:
        if not isinstance(other, OptimizerState):
            return NotImplemented
        return self.t == other.t and all(
            a.tobytes() == b.tobytes() for a, b in ((self.v, other.v), (self.m, other.m), (self.s, other.s))
        )

    def __repr__(self) -> str:
        return f"OptimizerState(t={self.t}, n_parameters={self.n_parameters})"


def layer_views(flat: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]):
    """Views into a flat array shaped like each layer's weights and biases (flatten's layout)."""
    weight_views, bias_views = [], []
    offset = 0
    for w, b in zip(weights, biases):
        weight_views.append(flat[offset : offset + w.size].reshape(w.shape))
        offset += w.size
        bias_views.append(flat[offset : offset + b.size])
        offset += b.size
    return weight_views, bias_views


class UpdateTrace(NamedTuple):
    """What one update computed besides the gradients, flat (flatten's layout), for explaining it."""

    rule: UpdateRule
    t: int
    """The update's t (1 for the first update since the state was cleared)."""
    penalty: np.ndarray
    """λ₂·w + λ₁·sign(w) (0 for biases)."""
    gradient: np.ndarray
    """g, the gradient the rule used: ∂L/∂p plus the penalty's."""
    v: np.ndarray
    m: np.ndarray
    s: np.ndarray
    """The state after the update."""
    m_hat: np.ndarray | None
    s_hat: np.ndarray | None
    """Adam's bias-corrected averages."""
    v_before: np.ndarray | None = None
    m_before: np.ndarray | None = None
    s_before: np.ndarray | None = None
    """The state before the update, for the running averages' equations."""


def apply_rule(
    rule: UpdateRule,
    state: OptimizerState,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray],
    bias_grads: Sequence[np.ndarray],
    learning_rate: float,
    trace: bool = False,
) -> UpdateTrace | None:
    """One update of every weight and bias by ``rule``, in place, advancing ``state``.

    With ``trace`` it returns the update's intermediate numbers for the explanation.
    """
    before = (state.v.copy(), state.m.copy(), state.s.copy()) if trace else (None, None, None)
    state.t += 1
    t = state.t
    views = [layer_views(a, weights, biases) for a in (state.v, state.m, state.s)]
    params = list(weights) + list(biases)
    grads = list(weight_grads) + list(bias_grads)
    n_weights = len(weights)
    traced: dict[str, list[np.ndarray]] = {"penalty": [], "gradient": [], "m_hat": [], "s_hat": []}
    if rule.optimizer == "adam":
        correction1 = 1.0 - math.pow(rule.betas[0], t)
        correction2 = 1.0 - math.pow(rule.betas[1], t)
    for index, (p, g) in enumerate(zip(params, grads)):
        v, m, s = (pair[0][index] if index < n_weights else pair[1][index - n_weights] for pair in views)
        penalty = rule.penalty_gradient(p) if index < n_weights else None
        if penalty is not None:
            g = g + penalty
        if rule.optimizer == "sgd":
            p -= learning_rate * g
        elif rule.optimizer in ("momentum", "nesterov"):
            v *= rule.momentum
            v += g
            p -= learning_rate * (v if rule.optimizer == "momentum" else g + rule.momentum * v)
        elif rule.optimizer == "rmsprop":
            s *= rule.alpha
            s += (1.0 - rule.alpha) * (g * g)
            p -= learning_rate * (g / (np.sqrt(s) + rule.eps))
        else:
            m *= rule.betas[0]
            m += (1.0 - rule.betas[0]) * g
            s *= rule.betas[1]
            s += (1.0 - rule.betas[1]) * (g * g)
            m_hat = m / correction1
            s_hat = s / correction2
            p -= learning_rate * (m_hat / (np.sqrt(s_hat) + rule.eps))
            if trace:
                traced["m_hat"].append(m_hat.reshape(-1))
                traced["s_hat"].append(s_hat.reshape(-1))
        if trace:
            traced["penalty"].append(np.zeros(p.size) if penalty is None else penalty.reshape(-1))
            traced["gradient"].append(np.array(g, dtype=float).reshape(-1))
    if not trace:
        return None
    # Back to flatten's layout: each layer's weights, then its biases.
    order = [i for k in range(n_weights) for i in (k, n_weights + k)]

    def flat(parts):
        return np.concatenate([parts[i] for i in order]) if parts else None

    return UpdateTrace(
        rule, t, flat(traced["penalty"]), flat(traced["gradient"]), state.v.copy(), state.m.copy(), state.s.copy(),
        flat(traced["m_hat"]), flat(traced["s_hat"]), *before,
    )  # fmt: skip
