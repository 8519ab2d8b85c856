"""The step explanations (engine.explain): every number is the engine's, and the chain shown is the chain."""

import math
import re

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer
from backprop_gui.engine.explain.explainer import StepExplainer, number, phases
from backprop_gui.engine.notation import all_parameters

NOTES_X = [[80, 8], [60, 5], [110, 7]]
NOTES_Y = [5, 3, 8]


def notes_step(learning_rate=0.001):
    trainer = Trainer(Network([2, 2, 1], init="ones"), NOTES_X, NOTES_Y, learning_rate)
    record = trainer.step()
    return StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"], "Package")


def evaluate_shown(expression: str) -> float:
    """The value of a product as the panel prints it: −2(5 − 176) · 1 · 80, 0.5(1 − 0.5), (1 − 0.3²),
    1/(1 + exp(−0.3))."""
    python = expression.replace("−", "-").replace("·", "*").replace("²", "**2").replace("exp(", "X(")
    python = re.sub(r"(\d|\))\(", r"\1*(", python)  # 0.5(1 - 0.5) and -2(y - ŷ) are products
    assert re.fullmatch(r"[-+*/() .\deX]+", python), python
    return float(eval(python, {"X": math.exp}))  # only digits, operators and exp reach here


def test_the_notes_derivation_of_w111_is_the_issue_example():
    explainer = notes_step()
    lines = explainer.derivation(all_parameters([2, 2, 1])[0]).lines()
    # Issue 24: ∂L/∂ŷ, the first factor of every chain, on its own line first.
    assert lines[0] == "∂L/∂ŷ = −2(y − ŷ) = −2(5 − 176) = 342"
    lines = lines[1:]
    assert lines[0] == "∂L/∂w¹₁₁ = ∂L/∂ŷ · ∂ŷ/∂O₁₁ · ∂O₁₁/∂w¹₁₁"
    assert lines[1].strip() == "= −2(y − ŷ) · w²₁₁ · IQ"
    assert lines[2].strip() == "= −2(5 − 176) · 1 · 80"
    assert lines[3].strip() == "= 27360"
    assert lines[4] == "w¹₁₁ ← w¹₁₁ − η · ∂L/∂w¹₁₁"
    assert lines[5].strip() == "= 1 − 0.001 · 27360 = −26.36"


def test_the_notes_output_weight_follows_seed_000():
    explainer = notes_step()
    text = explainer.derivation(next(p for p in all_parameters([2, 2, 1]) if p.name == "w²₁₁")).text()
    assert "∂L/∂w²₁₁ = ∂L/∂ŷ · ∂ŷ/∂w²₁₁" in text and "−2(y − ŷ) · O₁₁" in text and "−2(5 − 176) · 88" in text


def test_phases_and_their_equations_for_the_notes_step():
    explainer = notes_step()
    kinds = [p.kind for p in explainer.phases()]
    assert kinds == ["pick", "forward", "forward", "loss", "backward", "backward", "update"]
    assert [p.layer for p in explainer.phases() if p.kind == "backward"] == [1, 0]  # output layer first
    forward = explainer.phase_lines(explainer.phases()[1])
    assert forward[0] == "O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁ = 1·80 + 1·8 + 0 = 88"
    assert explainer.phase_lines(explainer.phases()[2]) == ["ŷ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁ = 1·88 + 1·88 + 0 = 176"]
    assert explainer.phase_lines(explainer.phases()[3]) == ["L = (y − ŷ)² = (5 − 176)² = 29241"]
    update = explainer.phase_lines(explainer.phases()[-1])
    assert "w¹₁₁ ← 1 − 0.001 · 27360 = −26.36" in update and len(update) == 10


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 3, 1], [3, 2, 2, 1], [2, 3, 4, 1], [2, 2, 2]])
@pytest.mark.parametrize(
    "hidden, output, loss",
    [
        ("linear", "linear", "mse"),
        ("sigmoid", "linear", "mse"),
        ("tanh", "tanh", "mse"),
        ("relu", "sigmoid", "mse"),
        ("sigmoid", "sigmoid", "bce"),
        ("leaky_relu", "linear", "mse"),
        ("elu", "elu", "mse"),
        ("softplus", "softplus", "mse"),
        ("gelu", "silu", "mse"),
        ("silu", "gelu", "mse"),
    ],
)
def test_every_derivation_shows_the_engines_gradient_and_its_factors_multiply_to_it(sizes, hidden, output, loss):
    rng = np.random.default_rng(sum(sizes))
    X = rng.normal(size=(4, sizes[0]))
    y = rng.integers(0, 2, size=(4, sizes[-1])).astype(float)
    network = Network(sizes, hidden, output, init="normal", seed=3)
    for weights in network.weights:
        weights *= 0.5  # away from saturation, where 1 − O² of a 6-digit O loses digits
    record = Trainer(network, X, y, 0.1, loss=loss).step()
    explainer = StepExplainer(record, sizes, hidden, output, loss, [f"x{i}" for i in range(sizes[0])])
    for ref in all_parameters(sizes):
        derivation = explainer.derivation(ref)
        _, _, gradient = explainer.values(ref)
        assert derivation.gradient == gradient
        lines = derivation.lines()
        assert any(line.strip() == f"= {number(gradient)}" for line in lines)
        # The numbers line, evaluated, is the gradient to the 6 digits each factor shows.
        shown = derivation.numbers[0].split(",")[0]
        assert evaluate_shown(shown) == pytest.approx(gradient, rel=1e-3, abs=1e-9), (ref.name, shown)
        if hidden == "sigmoid" and ref.layer == 0 and len(sizes) == 3:
            assert "O₁" in derivation.formula[0] and "(1 − O₁" in derivation.formula[0]
        if loss == "bce" and ref.layer == len(sizes) - 2:
            # ∂L/∂ŷ·∂ŷ/∂z simplified to −(y − ŷ), as in seed 001 (over 2 outputs, −(1/2)·(y₁ − ŷ₁)).
            assert derivation.formula[0].startswith("−") and "(y" in derivation.formula[0]
            assert "∂L/∂ŷ" in derivation.chain and "log" not in derivation.formula[0]


@pytest.mark.parametrize("hidden", [["gelu", "elu"], ["leaky_relu", "silu"], ["softplus", "tanh"]])
def test_each_hidden_layer_is_explained_with_its_own_activation(hidden):
    sizes = [2, 3, 2, 1]
    network = Network(sizes, hidden, "linear", init="normal", seed=4)
    X = np.random.default_rng(5).normal(size=(1, 2))
    record = Trainer(network, X, [0.7], 0.1).step()
    explainer = StepExplainer(record, sizes, hidden, "linear", "mse", ["x1", "x2"])
    titles = {"leaky_relu": "LeakyReLU", "elu": "ELU", "softplus": "softplus", "gelu": "GELU", "silu": "SiLU", "tanh": "tanh"}
    formula = {"gelu": "Φ(z", "elu": "+ 1)", "leaky_relu": "else 0.01)", "silu": "σ(z", "softplus": "exp(−z", "tanh": "²)"}
    for layer, name in enumerate(hidden):
        forward = explainer.phase_lines(explainer.phases()[1 + layer])
        assert all(f"= {titles[name]}(z{chr(0x2081 + layer)}" in line for line in forward), forward
        # The first weight into the layer: its chain goes through this layer's slope.
        derivation = explainer.derivation(next(ref for ref in all_parameters(sizes) if ref.layer == layer))
        assert formula[name] in " ".join(derivation.formula), (name, derivation.formula)
        if name == "gelu":
            assert any(note.startswith("(Φ(z) = ½(1 + erf(z/√2))") for note in derivation.notes)


def test_an_explainer_built_from_a_record_finds_each_layers_activation():
    from backprop_gui.engine.explain.render import explainer_for

    network = Network([2, 3, 2, 1], ["gelu", "silu"], "softplus", init="normal", seed=4)
    record = Trainer(network, [[0.3, -1.2], [1.0, 0.4]], [0.7, -0.2], 0.1, mode="batch").step()
    explainer = explainer_for(record)
    assert explainer.hidden_activations == ["gelu", "silu"] and explainer.output_activation == "softplus"


def test_a_deep_network_shows_the_sum_over_paths():
    sizes = [2, 3, 2, 1]
    network = Network(sizes, "tanh", "linear", init="normal", seed=1)
    record = Trainer(network, [[0.5, -1.0]], [1.0], 0.1).step()
    explainer = StepExplainer(record, sizes, "tanh", "linear", "mse", ["a", "b"])
    text = explainer.derivation(all_parameters(sizes)[0]).text()
    assert "δ₁₁ = ∂L/∂z₁₁" in text and "w²₁₁·δ₂₁ + w²₁₂·δ₂₂" in text and "delta rule" in text


def test_a_batch_step_explains_the_mean_over_its_rows():
    network = Network([2, 2, 1], init="ones")
    record = Trainer(network, NOTES_X, NOTES_Y, 1e-6, mode="batch").step()
    explainer = StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"])
    derivation = explainer.derivation(all_parameters([2, 2, 1])[0])
    assert derivation.gradient == record.weight_grads[0][0, 0]
    assert "mean" in derivation.text()
    assert "batch of 3 rows" in explainer.pick_lines()[0]


def test_phases_for_any_depth_run_forward_then_backward():
    assert [(p.kind, p.layer) for p in phases(3)] == [
        ("pick", None), ("forward", 0), ("forward", 1), ("forward", 2), ("loss", None),
        ("backward", 2), ("backward", 1), ("backward", 0), ("update", None),
    ]


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("sigmoid", "mse"), ("tanh", "mse"), ("relu", "mse")])
def test_a_nonlinear_output_shows_the_notes_two_factors_and_their_product(output, loss):
    # Seed 001: ∂L/∂ŷ = −(y − ŷ)/(ŷ(1 − ŷ)), ∂ŷ/∂z = ŷ(1 − ŷ), their product −(y − ŷ); each with its number.
    network = Network([2, 2, 1], "sigmoid", output, init="normal", seed=4)
    record = Trainer(network, [[0.3, -0.7]], [1.0], 0.1, loss=loss).step()
    explainer = StepExplainer(record, [2, 2, 1], "sigmoid", output, loss, ["IQ", "CGPA"])
    y_hat, z = float(record.y_hat[0, 0]), float(record.z[-1][0, 0])
    slope = {"sigmoid": y_hat * (1 - y_hat), "tanh": 1 - y_hat**2, "relu": float(z > 0)}[output]
    for name in ("w²₁₁", "b₂₁", "w¹₁₁"):
        ref = next(p for p in all_parameters([2, 2, 1]) if p.name == name)
        derivation = explainer.derivation(ref)
        text = derivation.text()
        dl_dyhat, dyhat_dz, product = [line.split(" = ")[-1] for line in derivation.lines()[1:4]]
        assert dl_dyhat == number(float(record.dloss_dyhat[0, 0]))
        assert dyhat_dz == number(slope)
        assert product == number(float(record.deltas[-1][0, 0]))
        if loss == "bce":
            assert "∂L/∂ŷ = −(y − ŷ)/(ŷ(1 − ŷ))" in text and "∂ŷ/∂z₂₁ = ŷ(1 − ŷ)" in text
            assert "∂L/∂ŷ · ∂ŷ/∂z₂₁ = −(y − ŷ) = " in text
            assert float(record.dloss_dyhat[0, 0]) == pytest.approx(-(1 - y_hat) / (y_hat * (1 - y_hat)))
        # Without the numbers (before the backward pass reaches the layer) the symbols stay.
        symbols_only = derivation.lines(with_numbers=False)[1:4]
        assert [line + numbers for line, (_, numbers) in zip(symbols_only, derivation.where)] == derivation.lines()[1:4]
        assert not any(line.endswith(" = " + number(float(record.deltas[-1][0, 0]))) for line in symbols_only[2:])


def test_a_linear_output_has_no_where_lines_as_in_seed_000():
    lines = notes_step().derivation(all_parameters([2, 2, 1])[0]).lines()
    assert not any("where" in line for line in lines)


def test_dl_dyhat_stands_alone_only_where_it_is_one_number():
    explainer = notes_step()
    assert explainer.derivation(all_parameters([2, 2, 1])[0]).lines(with_numbers=False)[0].startswith("∂L/∂w¹₁₁ = ")
    from backprop_gui.engine.explain.explain_chain import output_gradient_line

    assert output_gradient_line(explainer) == "∂L/∂ŷ = −2(y − ŷ) = −2(5 − 176) = 342"
    assert float(explainer.record.dloss_dyhat[0, 0]) == 342.0  # the engine's number, not the text's
