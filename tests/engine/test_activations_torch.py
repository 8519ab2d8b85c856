"""The newer activations (leaky ReLU, ELU, softplus, GELU, SiLU) against PyTorch's float64 autograd.

For each of them as the hidden activation of 2-3-1 and 2-4-4-1 networks on random rows, one
full-batch update's loss and every gradient must equal autograd's to 1e-12 relative (to the
largest gradient: a normwise relative error), on the readable path (``Trainer.step``'s record) and
on the compiled kernel (``run_epoch``). The kernel does not hand out its gradients; with the
momentum optimizer its first update leaves v = μ·0 + g = g exactly in the optimizer's state, so
the gradient is read from there. Batches of fewer than 16 rows go through the kernel a row at a
time, larger ones in blocks: both are drawn.
"""

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import Network, Trainer
from backprop_gui.engine.compiled import backprop_compiled, kernel_math
from backprop_gui.engine.activations import ACTIVATIONS, LEAKY_SLOPE, OUTPUT_ONLY_ACTIVATIONS, SOFTPLUS_THRESHOLD, hidden_activation_names

NEW_ACTIVATIONS = ["leaky_relu", "elu", "softplus", "gelu", "silu"]
RELATIVE = 1e-12

torch = importlib.import_module("torch") if importlib.util.find_spec("torch") else None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


def torch_activation(name):
    F = torch.nn.functional
    return {
        "linear": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": F.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
        "elu": lambda z: F.elu(z, alpha=1.0),
        "softplus": F.softplus,
        "gelu": lambda z: F.gelu(z, approximate="none"),
        "silu": F.silu,
    }[name]


def autograd(network, X, y):
    """The mean squared error of the network on X, y and its gradients, by PyTorch in float64."""
    weights = [torch.tensor(w, requires_grad=True) for w in network.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in network.biases]
    out = torch.tensor(X)
    for w, b, activation in zip(weights, biases, network.activations):
        out = torch_activation(activation.name)(out @ w + b)
    loss = ((torch.tensor(y) - out) ** 2).mean()
    loss.backward()
    return loss.item(), [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases]


@st.composite
def problems(draw):
    """A 2-3-1 or 2-4-4-1 network with one of the new activations in every hidden layer (or one
    per layer), xavier weights and small random biases, on 5 rows (the kernel's row path) or 40
    (its block path) of inputs of a bounded scale."""
    sizes = draw(st.sampled_from([[2, 3, 1], [2, 4, 4, 1]]))
    name = draw(st.sampled_from(NEW_ACTIVATIONS))
    per_layer = draw(st.booleans())
    hidden = [draw(st.sampled_from(NEW_ACTIVATIONS)) for _ in sizes[1:-1]] if per_layer else name
    output = draw(st.sampled_from(["linear", name]))
    seed = draw(st.integers(0, 2**32 - 1))
    n_rows = draw(st.sampled_from([5, 40]))
    rng = np.random.default_rng(seed)
    network = Network(sizes, hidden, output, init="xavier", seed=seed % 2**16)
    for b in network.biases:
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    X = rng.uniform(-3.0, 3.0, size=(n_rows, 2))
    y = rng.uniform(-2.0, 2.0, size=(n_rows, 1))
    return network, X, y


def assert_gradients_equal(loss, weight_grads, bias_grads, expected):
    expected_loss, expected_w, expected_b = expected
    assert abs(loss - expected_loss) <= RELATIVE * abs(expected_loss), (loss, expected_loss)
    scale = max(np.max(np.abs(g)) for g in expected_w + expected_b)
    for got, want in zip(list(weight_grads) + list(bias_grads), expected_w + expected_b):
        assert got.shape == want.shape
        assert np.max(np.abs(got - want)) <= RELATIVE * scale, (got, want)


@needs_torch
@settings(max_examples=60, deadline=None)
@given(problems())
def test_a_step_gives_autograds_loss_and_gradients(problem):
    network, X, y = problem
    expected = autograd(network, X, y)
    record = Trainer(network.copy(), X, y, learning_rate=0.01, mode="batch").step()
    assert_gradients_equal(record.loss, record.weight_grads, record.bias_grads, expected)


@needs_torch
@pytest.mark.skipif(not backprop_compiled.jit_available(), reason="the compiled kernel is off")
@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_compiled_kernel_gives_autograds_loss_and_gradients(problem):
    network, X, y = problem
    expected = autograd(network, X, y)
    trainer = Trainer(network.copy(), X, y, learning_rate=0.01, mode="batch", optimizer="momentum")
    loss = trainer.run_epoch()
    assert trainer.compiled
    weight_grads, bias_grads = [np.empty_like(w) for w in network.weights], [np.empty_like(b) for b in network.biases]
    backprop_compiled.unflatten(trainer.optimizer_state.v, weight_grads, bias_grads)
    assert_gradients_equal(loss, weight_grads, bias_grads, expected)


def fixed_problem(name, sizes, n_rows, seed):
    rng = np.random.default_rng(seed)
    network = Network(sizes, name, "linear", init="xavier", seed=seed)
    for b in network.biases:
        b[...] = rng.uniform(-0.5, 0.5, b.shape)
    return network, rng.uniform(-3.0, 3.0, size=(n_rows, 2)), rng.uniform(-2.0, 2.0, size=(n_rows, 1))


@needs_torch
@pytest.mark.parametrize("n_rows", [5, 40])
@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 4, 4, 1]], ids=["2-3-1", "2-4-4-1"])
@pytest.mark.parametrize("name", NEW_ACTIVATIONS)
def test_every_new_activation_on_both_networks_and_both_engine_paths(name, sizes, n_rows, engine_path):
    """The issue's criterion case by case (the property tests above draw from the same cases)."""
    network, X, y = fixed_problem(name, sizes, n_rows, seed=len(name) * 7 + n_rows)
    expected = autograd(network, X, y)
    record = Trainer(network.copy(), X, y, learning_rate=0.01, mode="batch").step()
    assert_gradients_equal(record.loss, record.weight_grads, record.bias_grads, expected)
    trainer = Trainer(network.copy(), X, y, learning_rate=0.01, mode="batch", optimizer="momentum")
    loss = trainer.run_epoch()
    weight_grads, bias_grads = [np.empty_like(w) for w in network.weights], [np.empty_like(b) for b in network.biases]
    backprop_compiled.unflatten(trainer.optimizer_state.v, weight_grads, bias_grads)
    assert_gradients_equal(loss, weight_grads, bias_grads, expected)


@needs_torch
@pytest.mark.parametrize("name", NEW_ACTIVATIONS)
def test_each_activation_and_its_slope_equal_pytorchs_across_its_range(name):
    z = np.concatenate([np.linspace(-30.0, 30.0, 2001), [-1e-9, 0.0, 1e-9, 19.999, 20.0, 20.001]])
    zt = torch.tensor(z, requires_grad=True)
    out = torch_activation(name)(zt)
    out.sum().backward()
    activation = ACTIVATIONS[name]
    value = activation.forward(z)
    # GELU's 1 + erf(z/√2) cancels for negative z: the two error functions' last bits, so magnified.
    np.testing.assert_allclose(value, out.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(activation.derivative(z, value), zt.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_the_kernel_uses_the_engines_constants():
    assert (kernel_math.LEAKY_SLOPE, kernel_math.SOFTPLUS_THRESHOLD) == (LEAKY_SLOPE, SOFTPLUS_THRESHOLD)
    assert set(backprop_compiled.ACTIVATION_CODES) == set(ACTIVATIONS) | set(OUTPUT_ONLY_ACTIVATIONS)


def test_a_list_gives_each_hidden_layer_its_activation_and_a_copy_keeps_them():
    network = Network([2, 3, 4, 1], ["gelu", "elu"], "linear", init="xavier", seed=1)
    assert [a.name for a in network.activations] == ["gelu", "elu", "linear"]
    assert network.hidden_activation_choice == ["gelu", "elu"]
    assert [a.name for a in network.copy().activations] == ["gelu", "elu", "linear"]
    assert Network([2, 3, 4, 1], ["silu", "silu"]).hidden_activation_choice == "silu"


@pytest.mark.parametrize(
    "choice, message",
    [("swish", "unknown activation 'swish'"), (["elu"], "1 hidden activations given for 2 hidden layers"),
     (["elu", "mish"], "unknown activation 'mish'")],
)
def test_an_unknown_activation_or_a_wrong_count_is_refused_with_its_reason(choice, message):
    with pytest.raises(ValueError, match=message):
        Network([2, 3, 4, 1], choice)
    with pytest.raises(ValueError, match=message):
        hidden_activation_names(choice, 2)
