"""Worked-step handouts and exercise sheets: the notes' first step in every format, and the renderers."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer
from backprop_gui.engine.explain.render import explainer_for, network_svg, step_latex, step_markdown
from backprop_gui.export import (
    LessonError,
    LessonSnapshot,
    exercise_sheet_html,
    exercise_variants,
    next_step_explainer,
    step_handout_html,
    write_exercise_sheet,
    write_step_handout,
)
from backprop_gui.files import SessionData, save_session

from .conftest import NOTES_SETTINGS, NOTES_TABLE, classification_table

W111 = r"\frac{\partial L}{\partial w^{1}_{11}}"


def derivation_block(markdown: str, symbol: str) -> str:
    start = markdown.index(symbol + " &=")
    return markdown[start : markdown.index(r"\end{aligned}", start)]


def test_markdown_of_the_notes_first_step(notes_snapshot, tmp_path):
    path = tmp_path / "step.md"
    write_step_handout(path, notes_snapshot)
    text = path.read_text(encoding="utf-8")
    assert r"\hat{y} &= w^{2}_{11} \cdot O_{11}" in text and "&= 176" in text
    assert r"L &= (y - \hat{y})^{2}" in text and "&= (5 - 176)^{2}" in text and "&= 29241" in text
    block = derivation_block(text, W111)
    assert r"-2(y - \hat{y}) \cdot w^{2}_{11} \cdot \text{IQ}" in block
    assert "&= -2(5 - 176) \\cdot 1 \\cdot 80" in block and "&= 27360" in block
    assert r"w^{1}_{11} &\leftarrow" in text and "0.97264" in text
    for phase in ("1. Pick the row", "2. Forward pass", "3. Loss", "4. Backward pass", "5. Update"):
        assert phase in text
    assert text.count("$$") % 2 == 0


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX installation to compile with")
def test_latex_of_the_notes_first_step_compiles(notes_snapshot, tmp_path):
    path = tmp_path / "step.tex"
    write_step_handout(path, notes_snapshot)
    text = path.read_text(encoding="utf-8")
    assert "&= 176" in text and "&= 29241" in text and "&= 27360" in text
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", path.name], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-2000:]
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(tmp_path / "step.pdf"), "-"], capture_output=True, text=True).stdout
        assert "176" in pdf_text and "29241" in pdf_text and "27360" in pdf_text


def test_latex_without_tex_is_a_whole_document(notes_snapshot, tmp_path):
    path = tmp_path / "step.tex"
    write_step_handout(path, notes_snapshot)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(r"\documentclass") and text.rstrip().endswith(r"\end{document}")
    assert text.count(r"\begin{aligned}") == text.count(r"\end{aligned}")
    assert text.count("{") == text.count("}")


def test_html_for_the_pdf_has_the_notes_numbers_in_unicode(notes_snapshot):
    text = step_handout_html(next_step_explainer(notes_snapshot))
    assert "ŷ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁ = 1·88 + 1·88 + 0 = 176" in text
    assert "L = (y − ŷ)² = (5 − 176)² = 29241" in text
    assert re.search(r"∂L/∂w¹₁₁ = .*\n.*\n.*\n\s*= 27360", text)


def test_step_markdown_from_a_bare_record_works_out_the_network():
    record = Trainer(Network([2, 2, 1], init="ones"), [[80, 8]], [5], learning_rate=1e-6).step()
    text = step_markdown(record, input_names=["IQ", "CGPA"])
    assert "&= 27360" in derivation_block(text, W111)
    bare = step_markdown(record)  # no names: x₁, x₂
    assert r"x_{1}" in bare and "&= 29241" in bare


@pytest.mark.parametrize(
    "sizes, hidden, output, loss",
    [([2, 1], "linear", "linear", "mse"), ([2, 3, 1], "tanh", "sigmoid", "bce"), ([2, 3, 2, 1], "relu", "linear", "mse"), ([2, 2, 2, 1], "sigmoid", "sigmoid", "bce")],
)
def test_explainer_for_a_record_infers_activations_and_loss(sizes, hidden, output, loss):
    columns, values = classification_table()
    network = Network(sizes, hidden, output, init="normal", seed=3)
    record = Trainer(network, values[:, :2] / 100, values[:, 2], learning_rate=0.1, loss=loss, mode="minibatch", batch_size=2).step()
    explainer = explainer_for(record)
    assert explainer.layer_sizes == sizes and str(explainer.loss) == loss
    assert explainer.output_activation == output
    if len(sizes) > 2 and hidden != "relu":
        assert explainer.hidden_activation == hidden
    text = step_markdown(record)
    assert text.count(r"\begin{aligned}") == text.count(r"\end{aligned}")
    assert "\x00" not in text and "\x01" not in text and "\x02" not in text
    latex = step_latex(record)
    assert latex.count("{") == latex.count("}")


def test_network_svg_labels_every_weight_and_bias():
    network = Network([2, 3, 1], "sigmoid", init="random", seed=0)
    svg = network_svg(network, ["IQ", "CGPA"], "Package")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for k, w in enumerate(network.weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                assert f"w{'¹²'[k]}{'₁₂₃'[i]}{'₁₂₃'[j]} = " in svg
    for name in ("b₁₁", "b₁₂", "b₁₃", "b₂₁", "ŷ = O₂₁", "IQ", "CGPA", "Package"):
        assert name in svg
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)


def test_exercise_variants_are_seeded_and_differ(notes_snapshot):
    first = exercise_variants(notes_snapshot, 4, seed=5)
    again = exercise_variants(notes_snapshot, 4, seed=5)
    for a, b in zip(first, again):
        assert a.row == b.row and a.learning_rate == b.learning_rate
        assert all(np.array_equal(x, y) for x, y in zip(a.network.weights, b.network.weights))
    weights = {tuple(np.concatenate([w.ravel() for w in e.network.weights])) for e in first}
    assert len(weights) == 4
    for exercise in first:
        assert all(np.all(np.abs(w) <= 1) and np.allclose(w * 10, np.round(w * 10)) for w in exercise.network.weights)


def test_exercise_sheet_markdown_puts_each_answer_key_on_its_own_page(notes_snapshot, tmp_path):
    path = tmp_path / "sheet.md"
    write_exercise_sheet(path, notes_snapshot, 3, seed=2)
    text = path.read_text(encoding="utf-8")
    assert text.count("## Exercise ") == 3 and text.count("Answer key to exercise") == 3
    assert text.count("page-break-after") == 5
    exercise = exercise_variants(notes_snapshot, 3, seed=2)[0]
    key = text[text.index("Answer key to exercise 1") : text.index("## Exercise 2")]
    assert f"= {int(exercise.record.loss)}" in key or "L &=" in key


def test_exercise_sheet_html_breaks_pages(notes_snapshot):
    text = exercise_sheet_html(notes_snapshot, 2)
    assert text.count("page-break-before: always") == 3


def test_a_session_lesson_steps_from_its_current_weights(tmp_path):
    fresh = LessonSnapshot.from_table(*NOTES_TABLE, NOTES_SETTINGS)
    weights = [w * 0.5 for w in fresh.weights]
    data = SessionData(fresh.column_names, fresh.values, NOTES_SETTINGS, fresh.layer_sizes, weights, fresh.biases, fresh.initial_weights, fresh.initial_biases, np.array([]))
    save_session(tmp_path / "half.bpsession", data)
    from backprop_gui.export import load_lesson_snapshot

    explainer = next_step_explainer(load_lesson_snapshot(tmp_path / "half.bpsession"))
    assert float(explainer.record.y_hat[0, 0]) == 44.0  # 0.5·(0.5·80 + 0.5·8) · 2


def test_an_empty_table_gives_no_step_and_no_exercises():
    empty = LessonSnapshot.from_table(NOTES_TABLE[0], np.empty((0, 3)), NOTES_SETTINGS)
    with pytest.raises(LessonError, match="cannot make a step: the table has no rows"):
        next_step_explainer(empty)
    with pytest.raises(LessonError, match="the table has no rows"):
        exercise_variants(empty, 2)
