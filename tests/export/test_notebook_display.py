"""What Jupyter shows for the engine's objects: a step as Markdown with LaTeX math, a network as SVG."""

import xml.dom.minidom


from backprop_gui.engine import Network, StepRecord, Trainer
from backprop_gui.engine.explain.explainer import StepExplainer
from backprop_gui.engine.explain.render import step_markdown


def notes_first_step() -> StepRecord:
    """The notes' first step: weights 1, biases 0, the row (80, 8 → 5), η = 0.000001."""
    return Trainer(Network([2, 2, 1], init="ones"), [[80.0, 8.0]], [5.0], learning_rate=1e-6).step()


def assert_holds_the_notes_numbers(markdown: str) -> None:
    assert "&= 176" in markdown  # ŷ
    assert "&= 29241" in markdown  # L = (5 − 176)²
    assert "&= 27360" in markdown  # ∂L/∂w¹₁₁ = −2(5 − 176) · 1 · 80


def test_the_markdown_of_a_record_holds_the_notes_numbers():
    assert_holds_the_notes_numbers(step_markdown(notes_first_step()))


def test_jupyter_shows_a_step_record_as_its_worked_step():
    assert_holds_the_notes_numbers(notes_first_step()._repr_markdown_())


def test_jupyter_shows_an_explainer_with_the_input_names():
    record = notes_first_step()
    explainer = StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"], "Package")
    markdown = explainer._repr_markdown_()
    assert_holds_the_notes_numbers(markdown)
    assert r"\text{IQ}" in markdown
    for phase in ("1. Pick the row", "2. Forward pass", "3. Loss", "4. Backward pass", "5. Update"):
        assert phase in markdown


def test_jupyter_shows_a_network_as_an_svg_diagram():
    svg = Network([2, 2, 1], init="ones")._repr_svg_()
    document = xml.dom.minidom.parseString(svg)
    assert document.documentElement.tagName == "svg"
    assert "w¹₁₁ = 1" in svg and "b₁₁ = 0" in svg and "ŷ = O₂₁" in svg
