"""Backpropagation checked against the definition of a derivative.

For every weight and bias p, the central finite difference (L(p + h) - L(p - h)) / 2h is
compared with the gradient the chain rule gave, on the same rows and the same parameters.
With regularisation L includes the penalty (λ₂/2)·Σw² + λ₁·Σ|w|, and each weight's gradient
its λ₂·w + λ₁·sign(w): the objective the update descends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..notation import ParameterRef
from ..training.trainer import Trainer

RELATIVE_STEP = 1e-5
"""h = RELATIVE_STEP · max(1, |p|): small enough for the truncation error (∝ h²), large
enough for the rounding error of L(p ± h) (∝ 1/h)."""
ROUNDING_ULPS = 8
"""How many units in the last place of L the rounding of L(p ± h) is allowed: a gradient far
smaller than L / h cannot be measured more finely than ROUNDING_ULPS · ε · |L| / 2h."""


@dataclass(frozen=True)
class GradientComparison:
    kind: str
    """"w" or "b"."""
    layer: int
    i: int
    j: int
    analytical: float
    """∂L/∂p by backpropagation."""
    numerical: float
    """∂L/∂p by central finite difference."""
    rounding: float = 0.0
    """The absolute error the rounding of L(p ± h) alone can put into ``numerical``."""

    @property
    def name(self) -> str:
        return ParameterRef(self.kind, self.layer, self.i, self.j).name

    @property
    def relative_error(self) -> float:
        """|a - n| / max(|a|, |n|); 0 when both are exactly 0."""
        scale = max(abs(self.analytical), abs(self.numerical))
        return 0.0 if scale == 0 else abs(self.analytical - self.numerical) / scale

    def agrees(self, tolerance: float = 1e-6) -> bool:
        """Within ``tolerance`` relative error, or closer than the finite difference can measure."""
        return self.relative_error < tolerance or abs(self.analytical - self.numerical) <= self.rounding

    @property
    def within_rounding_only(self) -> bool:
        """Agrees only because the gradient is too small for the finite difference to resolve."""
        return self.relative_error >= 1e-6 and self.agrees()


def check_gradients(trainer: Trainer, rows: Sequence[int], relative_step: float = RELATIVE_STEP) -> list[GradientComparison]:
    """Every parameter's analytical and numerical gradient of the loss on ``rows``, weights
    layer by layer first, then biases. The network's parameters are left exactly as they were."""
    rows = np.asarray(rows, dtype=int).reshape(-1)
    network = trainer.network
    _, weight_grads, bias_grads = trainer.gradients(rows, penalty=True)
    comparisons = []
    for kind, parameters, grads in (("w", network.weights, weight_grads), ("b", network.biases, bias_grads)):
        for layer, (parameter, grad) in enumerate(zip(parameters, grads)):
            for index in np.ndindex(parameter.shape):
                original = parameter[index]
                h = relative_step * max(1.0, abs(original))
                up, down = original + h, original - h
                try:
                    parameter[index] = up
                    loss_up = trainer.objective_on(rows)
                    parameter[index] = down
                    loss_down = trainer.objective_on(rows)
                finally:
                    parameter[index] = original
                i, j = (index if kind == "w" else (index[0], 0))
                rounding = ROUNDING_ULPS * np.finfo(float).eps * max(abs(loss_up), abs(loss_down)) / (up - down)
                comparisons.append(
                    GradientComparison(
                        kind, layer, int(i), int(j), float(grad[index]), (loss_up - loss_down) / (up - down), rounding
                    )
                )
    return comparisons
