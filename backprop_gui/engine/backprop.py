"""Backpropagation, the readable way: the forward pass, the chain rule backwards, the update.

This is the teaching path. ``Trainer.step`` runs these three functions once and keeps
everything they computed in a ``StepRecord``; ``backprop_compiled.py`` is their fast twin
(the same arithmetic, compiled), which training runs use when numba is available.

Notation (the notes'): ``weights[k][i, j]`` is w^(k+1)_(i+1)(j+1), the weight from neuron
i+1 of layer k to neuron j+1 of layer k+1 (the inputs are layer 0); ``biases[k][j]`` is
b_(k+1)(j+1); O_kj is the output of neuron j of layer k, and ŷ the last layer's output.
Arrays hold a batch: one row per sample.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Sequence

import numpy as np

from .activations import Activation
from .optimizers import OptimizerState, UpdateRule, UpdateTrace, apply_rule

if TYPE_CHECKING:
    from .losses import Loss


class ForwardPass(NamedTuple):
    """Every layer's weighted sums z and outputs O, layer 1 first."""

    z: list[np.ndarray]
    outputs: list[np.ndarray]

    @property
    def y_hat(self) -> np.ndarray:
        return self.outputs[-1]


class Gradients(NamedTuple):
    """What the backward pass found, per layer in the layout of the weights and biases."""

    loss: float
    dloss_dyhat: np.ndarray
    """∂L/∂ŷ, as shown to a student."""
    deltas: list[np.ndarray]
    """δ_k = ∂L/∂z_k for every layer's weighted sums."""
    weight_grads: list[np.ndarray]
    """∂L/∂w^k_ij."""
    bias_grads: list[np.ndarray]
    """∂L/∂b_kj."""


def forward_pass(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activations: Sequence[Activation], inputs: np.ndarray
) -> ForwardPass:
    """Layer by layer from the inputs: z_kj = Σ_i w^k_ij · O_(k-1)i + b_kj, then O_kj = f(z_kj).

    For the notes' 2-2-1 network: O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁, …, ŷ = O₂₁ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁.
    A linear neuron's output is its weighted sum itself (the same array).
    """
    previous = inputs
    zs, outputs = [], []
    for w, b, activation in zip(weights, biases, activations):
        z = previous @ w
        z += b
        previous = z if activation.is_linear else activation.forward(z)
        zs.append(z)
        outputs.append(previous)
    return ForwardPass(zs, outputs)


def backward_pass(
    weights: Sequence[np.ndarray],
    activations: Sequence[Activation],
    loss: "Loss",
    inputs: np.ndarray,
    targets: np.ndarray,
    forward: ForwardPass,
) -> Gradients:
    """The chain rule from the loss back to the first layer: the delta rule of seed 004.

    The output layer's δ = ∂L/∂z_out = ∂L/∂ŷ · f′(z_out) (for a sigmoid output with
    cross-entropy simply −(y − ŷ), seed 001). Going down a layer,
    δ_(k-1) = (δ_k · (W^k)ᵀ) ⊙ f′(z_(k-1)): each hidden neuron sums w·δ over every path to the loss.
    Then ∂L/∂w^k_ij = O_(k-1)i · δ_kj and ∂L/∂b_kj = δ_kj, each summed over the batch's rows
    (δ carries the batch mean's 1/n). Every δ uses the weights before the update.
    """
    y_hat = forward.y_hat
    z_out = forward.z[-1]
    value = loss.value(targets, y_hat, z_out)
    dloss_dyhat = loss.gradient_wrt_output(targets, y_hat)
    delta = loss.gradient_wrt_sum(targets, y_hat, z_out, activations[-1])

    n_layers = len(weights)
    deltas: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
    weight_grads: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
    bias_grads: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
    for k in range(n_layers - 1, -1, -1):
        previous_outputs = inputs if k == 0 else forward.outputs[k - 1]
        deltas[k] = delta
        weight_grads[k] = previous_outputs.T @ delta
        bias_grads[k] = delta.sum(axis=0)
        if k > 0:
            delta = delta @ weights[k].T
            activation = activations[k - 1]
            if not activation.is_linear:
                delta *= activation.derivative(forward.z[k - 1], forward.outputs[k - 1])
    return Gradients(value, dloss_dyhat, deltas, weight_grads, bias_grads)


def update(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray],
    bias_grads: Sequence[np.ndarray],
    learning_rate: float,
) -> None:
    """Gradient descent, in place: w_new = w_old − η·∂L/∂w for every weight and bias."""
    for w, g in zip(weights, weight_grads):
        w -= learning_rate * g
    for b, g in zip(biases, bias_grads):
        b -= learning_rate * g


def optimizer_update(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    weight_grads: Sequence[np.ndarray],
    bias_grads: Sequence[np.ndarray],
    learning_rate: float,
    rule: UpdateRule | None,
    state: OptimizerState | None,
    trace: bool = False,
) -> UpdateTrace | None:
    """The update phase by ``rule`` (optimizers.py): the notes' rule, ``update``, when it is plain
    SGD without penalties, else momentum, Nesterov, RMSprop or Adam with the penalties' gradient."""
    if rule is None or (rule.is_plain and not trace):
        update(weights, biases, weight_grads, bias_grads, learning_rate)
        if state is not None:
            state.t += 1
        return None
    return apply_rule(rule, state, weights, biases, weight_grads, bias_grads, learning_rate, trace)


def train_step(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[Activation],
    loss: "Loss",
    learning_rate: float,
    inputs: np.ndarray,
    targets: np.ndarray,
    rule: UpdateRule | None = None,
    state: OptimizerState | None = None,
) -> tuple[ForwardPass, Gradients]:
    """One update on a batch: forward, backward, update. Returns what the first two computed."""
    forward = forward_pass(weights, biases, activations, inputs)
    gradients = backward_pass(weights, activations, loss, inputs, targets, forward)
    optimizer_update(weights, biases, gradients.weight_grads, gradients.bias_grads, learning_rate, rule, state)
    return forward, gradients
