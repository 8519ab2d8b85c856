"""A tiny reverse-mode automatic differentiation on NumPy arrays, written for the tests only.

It shares no code with the engine: it knows nothing of deltas, layers or the notes' formulas,
only how each elementary operation passes a gradient back to its operands (micrograd's idea,
with arrays instead of scalars). The engine's backpropagation must agree with it.
"""

from __future__ import annotations

import math

import numpy as np


class Tensor:
    def __init__(self, data, parents=(), backward=None):
        self.data = np.asarray(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)
        self._parents = parents
        self._backward = backward or (lambda: None)

    # -- operations ------------------------------------------------------
    def __add__(self, other):
        other = _tensor(other)
        out = Tensor(self.data + other.data, (self, other))

        def backward():
            self.grad += _unbroadcast(out.grad, self.data.shape)
            other.grad += _unbroadcast(out.grad, other.data.shape)

        out._backward = backward
        return out

    __radd__ = __add__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_tensor(other))

    def __rsub__(self, other):
        return _tensor(other) + (-self)

    def __mul__(self, other):
        other = _tensor(other)
        out = Tensor(self.data * other.data, (self, other))

        def backward():
            self.grad += _unbroadcast(out.grad * other.data, self.data.shape)
            other.grad += _unbroadcast(out.grad * self.data, other.data.shape)

        out._backward = backward
        return out

    __rmul__ = __mul__

    def __matmul__(self, other):
        out = Tensor(self.data @ other.data, (self, other))

        def backward():
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad

        out._backward = backward
        return out

    def exp(self):
        value = np.exp(self.data)
        out = Tensor(value, (self,))

        def backward():
            self.grad += out.grad * value

        out._backward = backward
        return out

    def log(self):
        out = Tensor(np.log(self.data), (self,))

        def backward():
            self.grad += out.grad / self.data

        out._backward = backward
        return out

    def reciprocal(self):
        out = Tensor(1.0 / self.data, (self,))

        def backward():
            self.grad += -out.grad / (self.data * self.data)

        out._backward = backward
        return out

    def relu(self):
        mask = (self.data > 0).astype(float)
        out = Tensor(self.data * mask, (self,))

        def backward():
            self.grad += out.grad * mask

        out._backward = backward
        return out

    def erf(self):
        value = np.vectorize(math.erf, otypes=[float])(self.data)
        out = Tensor(value, (self,))

        def backward():
            self.grad += out.grad * (2.0 / math.sqrt(math.pi)) * np.exp(-self.data * self.data)

        out._backward = backward
        return out

    def mean(self):
        out = Tensor(self.data.mean(), (self,))

        def backward():
            self.grad += np.full_like(self.data, out.grad / self.data.size)

        out._backward = backward
        return out

    # Composite functions, built only from the operations above.
    def sigmoid(self):
        return (1.0 + (-self).exp()).reciprocal()

    def tanh(self):
        e2 = (self * 2.0).exp()
        return (e2 - 1.0) * (e2 + 1.0).reciprocal()

    def leaky_relu(self):
        positive = (self.data > 0).astype(float)
        return self * (positive + 0.01 * (1.0 - positive))

    def elu(self):
        positive = (self.data > 0).astype(float)
        return self * positive + ((self * (1.0 - positive)).exp() - 1.0) * (1.0 - positive)

    def softplus(self):
        # log(1 + e^z), and z itself above 20 (PyTorch's threshold, which the engine follows).
        above = (self.data > 20.0).astype(float)
        return self * above + (1.0 + (self * (1.0 - above)).exp()).log() * (1.0 - above)

    def gelu(self):
        return self * 0.5 * (1.0 + (self * math.sqrt(0.5)).erf())

    def silu(self):
        return self * self.sigmoid()

    # -- differentiation -------------------------------------------------
    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node._parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            node._backward()


def _tensor(value):
    return value if isinstance(value, Tensor) else Tensor(value)


def _unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def activate(name: str, z: Tensor) -> Tensor:
    if name == "linear":
        return z
    return getattr(Tensor, name)(z)


def loss_and_gradients(weights, biases, X, y, hidden_activation, output_activation, loss):
    """The mean loss over rows and outputs of a batch, and ∂L/∂ of every weight and bias.
    ``hidden_activation``: one name for every hidden layer, or a list with one per hidden layer."""
    W = [Tensor(w) for w in weights]
    B = [Tensor(b) for b in biases]
    a = Tensor(X)
    for k, (w, b) in enumerate(zip(W, B)):
        hidden = hidden_activation if isinstance(hidden_activation, str) else hidden_activation[min(k, len(W) - 2)]
        name = output_activation if k == len(W) - 1 else hidden
        a = activate(name, a @ w + b)
    target = Tensor(y)
    if loss == "bce":
        per_value = -(target * a.log()) - (1.0 - target) * (1.0 - a).log()
    else:
        diff = target - a
        per_value = diff * diff
    total = per_value.mean()
    total.backward()
    return float(total.data), [w.grad for w in W], [b.grad for b in B]


# The other reference, which knows nothing of derivatives at all.
def central_differences(trainer, rows, relative_step=1e-6):
    """∂L/∂p for every weight and bias, by (L(p + h) - L(p - h)) / 2h on ``trainer.loss_on(rows)``."""
    network = trainer.network
    estimates = []
    for parameter in network.weights + network.biases:
        estimate = np.zeros_like(parameter)
        for index in np.ndindex(parameter.shape):
            original = parameter[index]
            h = relative_step * max(1.0, abs(original))
            parameter[index] = original + h
            loss_up = trainer.loss_on(rows)
            parameter[index] = original - h
            loss_down = trainer.loss_on(rows)
            parameter[index] = original
            estimate[index] = (loss_up - loss_down) / ((original + h) - (original - h))
        estimates.append(estimate)
    return estimates[: network.n_layers], estimates[network.n_layers :]
