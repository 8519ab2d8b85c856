"""Frozen parameters (engine/training/freezing.py): left bit for bit as they are by steps and runs, on both
engine paths and under every optimizer, while every other parameter moves exactly as in an
unfrozen run whose update sees the frozen ones' gradients as zero. Their gradients are still shown."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import Network, Trainer, jit_available
from backprop_gui.engine.training.freezing import FrozenParameters, parameter_names
from backprop_gui.engine.optimizers import OPTIMIZERS

RATES = {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.001, "adam": 0.001}


class ZeroedTrainer(Trainer):
    """The reference: an unfrozen trainer whose update sees some gradients as 0 (its steps are
    backprop.py's; nothing of freezing.py takes part)."""

    def __init__(self, *args, zeroed=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.masks = FrozenParameters(zeroed, self.network.layer_sizes)

    def _apply(self, weight_grads, bias_grads, trace=False):
        weight_grads = [np.where(m, 0.0, g) for g, m in zip(weight_grads, self.masks.weight_masks)]
        bias_grads = [np.where(m, 0.0, g) for g, m in zip(bias_grads, self.masks.bias_masks)]
        return super()._apply(weight_grads, bias_grads, trace)


def problem(sizes, seed, n_rows=10):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2.0, 2.0, size=(n_rows, sizes[0]))
    y = rng.uniform(-1.0, 1.0, size=(n_rows, sizes[-1]))
    network = Network(sizes, "tanh", "linear", init="xavier", seed=seed)
    for b in network.biases:
        b[...] = rng.uniform(-0.3, 0.3, b.shape)
    return network, X, y


def parameters(network):
    return network.weights + network.biases


def assert_frozen_kept_and_others_as_reference(frozen_run, reference, initial, frozen):
    masks = FrozenParameters(frozen, initial.layer_sizes)
    for got, start, mask in zip(parameters(frozen_run.network), parameters(initial), masks.weight_masks + masks.bias_masks):
        assert got[mask].tobytes() == start[mask].tobytes()  # bit for bit, the sign of a zero too
    expected = parameters(reference.network)
    if jit_available():  # the kernel's sums run in another order: within 1e-12 of the largest parameter
        scale = max(np.max(np.abs(p)) for p in expected)
        for got, want in zip(parameters(frozen_run.network), expected):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12 * scale)
    else:
        assert [p.tobytes() for p in parameters(frozen_run.network)] == [p.tobytes() for p in expected]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("mode", ["sgd", "minibatch", "batch"])
def test_a_frozen_weight_stays_as_it_is_over_100_epochs_and_the_rest_train_as_with_its_gradient_zeroed(
    optimizer, mode, engine_path
):
    network, X, y = problem([2, 3, 1], seed=11)
    options = dict(learning_rate=RATES[optimizer], mode=mode, batch_size=3, order="random", seed=5, optimizer=optimizer)
    frozen_run = Trainer(network.copy(), X, y, frozen={"w¹₁₁"}, **options)
    reference = ZeroedTrainer(network.copy(), X, y, zeroed={"w¹₁₁"}, **options)
    run = frozen_run.run_epochs(100)
    assert run.losses.size == 100
    while reference.epoch < 100:
        reference.step()
    assert frozen_run.network.weights[0][0, 0] != 0.0 and frozen_run.network.weights[0][0, 1] != network.weights[0][0, 1]
    assert_frozen_kept_and_others_as_reference(frozen_run, reference, network, {"w¹₁₁"})


@st.composite
def freezing_problems(draw):
    hidden = draw(st.lists(st.integers(1, 4), min_size=0, max_size=2))
    sizes = [draw(st.integers(1, 3)), *hidden, 1]
    names = parameter_names(sizes)
    frozen = draw(st.sets(st.sampled_from(names), max_size=len(names)))
    optimizer = draw(st.sampled_from(OPTIMIZERS))
    options = dict(learning_rate=RATES[optimizer], mode=draw(st.sampled_from(["sgd", "minibatch", "batch"])), batch_size=2,
                   order=draw(st.sampled_from(["random", "sequential"])), seed=draw(st.integers(0, 2**16)), optimizer=optimizer)
    return sizes, frozen, options, draw(st.integers(1, 20))


@settings(max_examples=40, deadline=None)
@given(freezing_problems())
def test_any_frozen_set_any_network_any_optimizer(problem_drawn):
    sizes, frozen, options, epochs = problem_drawn
    network, X, y = problem(sizes, options["seed"])
    frozen_run = Trainer(network.copy(), X, y, frozen=frozen, **options)
    reference = ZeroedTrainer(network.copy(), X, y, zeroed=frozen, **options)
    frozen_run.run_epochs(epochs)
    while reference.epoch < epochs:
        reference.step()
    assert_frozen_kept_and_others_as_reference(frozen_run, reference, network, frozen)


def test_a_step_shows_the_frozen_weights_gradient_and_leaves_it(engine_path):
    network, X, y = problem([2, 3, 1], seed=3)
    trainer = Trainer(network.copy(), X, y, learning_rate=0.1, frozen={"w¹₁₁", "b₂₁"}, optimizer="adam")
    record = trainer.step()
    assert record.frozen == {"w¹₁₁", "b₂₁"}
    assert record.weight_grads[0][0, 0] != 0.0 and record.bias_grads[1][0] != 0.0
    assert record.weights_after[0][0, 0] == record.weights_before[0][0, 0]
    assert record.biases_after[1][0] == record.biases_before[1][0]
    assert record.weights_after[0][1, 0] != record.weights_before[0][1, 0]
    # The optimizer's state of a frozen parameter stays at 0; the others' moved.
    flat = FrozenParameters({"w¹₁₁", "b₂₁"}, [2, 3, 1]).flat
    assert not trainer.optimizer_state.m[flat].any() and trainer.optimizer_state.m[~flat].all()


@pytest.mark.parametrize("l2, l1", [(0.1, 0.0), (0.0, 0.05)])
def test_no_penalty_moves_a_frozen_weight(l2, l1, engine_path):
    network, X, y = problem([2, 4, 4, 1], seed=8)
    trainer = Trainer(network.copy(), X, y, learning_rate=0.05, mode="minibatch", batch_size=4, l2=l2, l1=l1,
                      optimizer="momentum", frozen={"w²₃₄", "w³₁₁"})  # fmt: skip
    trainer.run_epochs(30)
    assert trainer.network.weights[1][2, 3] == network.weights[1][2, 3]
    assert trainer.network.weights[2][0, 0] == network.weights[2][0, 0]


def test_freezing_can_change_between_runs_and_follows_a_new_network():
    network, X, y = problem([2, 3, 1], seed=4)
    trainer = Trainer(network, X, y, learning_rate=0.1)
    trainer.frozen = {"b₁₂"}
    before = network.biases[0][1]
    trainer.run_epochs(5)
    assert network.biases[0][1] == before
    trainer.frozen = ()
    trainer.run_epochs(1)
    assert network.biases[0][1] != before
    trainer.frozen = {"w²₃₁"}
    trainer.network = Network([2, 2, 1], "tanh")  # w²₃₁ is not in a 2-2-1 network
    assert trainer.frozen == frozenset()


@pytest.mark.parametrize("names, message", [({"w⁹₁₁"}, "no parameter 'w⁹₁₁'"), ("w¹₁₁", "not one string"), ({"b₃₁"}, "b₃₁")])
def test_an_unknown_parameter_name_is_refused(names, message):
    network, X, y = problem([2, 3, 1], seed=1)
    with pytest.raises(ValueError, match=message):
        Trainer(network, X, y, learning_rate=0.1, frozen=names)


def test_the_explanation_says_a_frozen_weight_keeps_its_value():
    from backprop_gui.engine.explain.explainer import StepExplainer
    from backprop_gui.engine.notation import ParameterRef, format_number

    network, X, y = problem([2, 2, 1], seed=2)
    record = Trainer(network, X, y, learning_rate=0.1, frozen={"w¹₁₁"}).step()
    explainer = StepExplainer(record, [2, 2, 1], "tanh", "linear", "mse", ["IQ", "CGPA"])
    value = format_number(float(record.weights_before[0][0, 0]))
    line = f"w¹₁₁ is frozen: the update leaves it at {value} (its gradient is shown, not applied)"
    assert line in explainer.update_lines()
    derivation = explainer.derivation(ParameterRef("w", 0, 0, 0))
    assert derivation.gradient == record.weight_grads[0][0, 0] != 0.0
    assert derivation.lines()[-1 - len(derivation.notes)] == line
