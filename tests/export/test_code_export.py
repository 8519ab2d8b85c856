"""The exported NumPy script, notebook and PyTorch script print the engine's numbers."""

import importlib.util
import itertools
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings, train
from backprop_gui.export import export_code, write_code

from .conftest import NOTES_TABLE, classification_table, run_python, trained_snapshot


def engine_final_loss(lesson) -> float:
    """The mean loss of the last epoch, as engine.train reports it, from the initial weights."""
    trainer = lesson.trainer(initial=True)
    losses = []

    def report(progress):
        losses.extend(progress.new_losses.tolist())
        return True

    train(trainer, lesson.settings.epochs, report=report, convergence_tolerance=lesson.settings.tolerance_in_force)
    return losses[-1]


def assert_predictions(printed: list[str], lesson) -> None:
    expected = lesson.network().predict(lesson.scaled_inputs())[:, 0]
    got = np.array([float(v) for v in printed])
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def notebook_stdout(text: str, tmp_path) -> list[str]:
    """Run a notebook's code cells in order, in a fresh interpreter, and return what they print."""
    book = json.loads(text)
    source = "\n\n".join("".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "code")
    script = tmp_path / "cells.py"
    script.write_text(source, encoding="utf-8")
    return run_python(script)


REGRESSION = dict(loss="mse")
CASES = []
for hidden, activation, mode, order in itertools.product(
    [(), (2,), (3, 2)], ["linear", "sigmoid", "tanh", "relu"], ["sgd", "minibatch", "batch"], ["sequential", "random"]
):
    CASES.append(dict(hidden_layers=hidden, hidden_activation=activation, output_activation="linear", loss="mse", mode=mode, order=order))
# classification: a sigmoid output with binary cross-entropy on 0/1 targets
for hidden, activation, mode, order in itertools.product([(), (2,), (3, 2)], ["sigmoid", "tanh", "relu"], ["sgd", "minibatch", "batch"], ["random"]):
    CASES.append(dict(hidden_layers=hidden, hidden_activation=activation, output_activation="sigmoid", loss="bce", mode=mode, order=order))
# a few more: other outputs with the squared error, other initialisations and scalings, early stopping
CASES += [
    dict(hidden_layers=(2,), hidden_activation="tanh", output_activation="tanh", loss="mse", mode="sgd", order="random", init="xavier"),
    dict(hidden_layers=(2,), hidden_activation="relu", output_activation="relu", loss="mse", mode="minibatch", order="random", init="normal"),
    dict(hidden_layers=(2,), output_activation="sigmoid", loss="mse", mode="batch", order="sequential", scaling="none", init="uniform", learning_rate=1e-5),
    dict(hidden_layers=(2,), mode="sgd", order="random", stop_at_convergence=True, convergence_tolerance=1e-3, epochs=400),
]

# The later activations on 2-3-1 and 2-4-4-1 networks, and one per hidden layer.
ACTIVATION_CASES = [
    dict(hidden_layers=hidden, hidden_activation=activation, output_activation="linear", loss="mse", mode="minibatch", order="random",
         init="xavier")
    for hidden, activation in itertools.product([(3,), (4, 4)], ["leaky_relu", "elu", "softplus", "gelu", "silu"])
] + [
    dict(hidden_layers=(4, 4), hidden_activations=("gelu", "elu"), output_activation="silu", loss="mse", mode="sgd", order="random"),
    dict(hidden_layers=(3, 2), hidden_activation="tanh", hidden_activations=("softplus",), output_activation="sigmoid", loss="bce",
         mode="batch", order="random"),
    # frozen parameters: the scripts leave them as the engine does
    dict(hidden_layers=(3,), hidden_activation="gelu", loss="mse", mode="sgd", order="random", frozen=("w¹₁₁", "b₂₁", "w²₃₁")),
    dict(hidden_layers=(4, 4), hidden_activation="tanh", loss="mse", mode="minibatch", order="sequential", frozen=("w²₄₄", "b₁₃")),
]

def lesson_for(case: dict):
    case = dict(case)
    settings = TrainingSettings(
        learning_rate=case.pop("learning_rate", 0.05 if case.get("loss") == "bce" else 0.01),
        epochs=case.pop("epochs", 25),
        batch_size=3,
        seed=7,
        **case,
    )
    if settings.loss == "bce":
        columns, values = classification_table()
    else:
        columns, values = NOTES_TABLE[0], np.array(NOTES_TABLE[1] + [[95.0, 6.5, 6.0], [72.0, 9.0, 5.5]])
    return trained_snapshot(settings, columns, values)


def case_id(case: dict) -> str:
    return "-".join(str(v) if not isinstance(v, tuple) else "x".join(map(str, v)) or "0" for v in case.values())


@pytest.mark.parametrize("flavour", ["numpy", "pytorch"])
def test_a_frozen_parameter_stays_in_the_scripts_training(flavour, tmp_path):
    if flavour == "pytorch" and not torch_available:
        pytest.skip("PyTorch is not installed")
    lesson = lesson_for(ACTIVATION_CASES[-2])
    script = tmp_path / "frozen.py"
    w111 = "model.layers[0].weight[0, 0].item()" if flavour == "pytorch" else "float(weights[0][0, 0])"
    last = 'print(repr(losses[-1]) if losses else "nan")'
    text = export_code(flavour, lesson)
    assert last in text
    text = text.replace(last, f"{last}; print(repr({w111}))")  # and w¹₁₁ after training
    assert "FROZEN_WEIGHTS = [(0, 0, 0), (1, 2, 0)]" in text and "FROZEN_BIASES = [(1, 0)]" in text
    script.write_text(text, encoding="utf-8")
    loss, w111 = run_python(script, "--train")
    assert float(w111) == lesson.initial_weights[0][0, 0]
    assert float(loss) == pytest.approx(engine_final_loss(lesson), rel=1e-9, abs=0)


@pytest.mark.parametrize("case", CASES + ACTIVATION_CASES, ids=[case_id(c) for c in CASES + ACTIVATION_CASES])
def test_numpy_script_prints_the_engines_predictions_and_final_loss(case, tmp_path):
    lesson = lesson_for(case)
    script = tmp_path / "lesson.py"
    write_code("numpy", lesson, script)
    assert_predictions(run_python(script), lesson)
    (loss,) = run_python(script, "--train")
    assert float(loss) == pytest.approx(engine_final_loss(lesson), rel=1e-9, abs=0)


NOTEBOOK_CASES = [CASES[i] for i in (0, 13, 31, 47, 60, 75)] + CASES[-4:-3] + ACTIVATION_CASES[-2:]


@pytest.mark.parametrize("case", NOTEBOOK_CASES, ids=[case_id(c) for c in NOTEBOOK_CASES])
def test_notebook_cells_print_the_engines_predictions_then_final_loss(case, tmp_path):
    lesson = lesson_for(case)
    *predictions, loss = notebook_stdout(export_code("notebook", lesson), tmp_path)
    assert_predictions(predictions, lesson)
    assert float(loss) == pytest.approx(engine_final_loss(lesson), rel=1e-9, abs=0)


def test_notebook_is_valid_and_shows_the_diagram_and_the_next_step(notes_snapshot):
    import nbformat

    book = nbformat.reads(export_code("notebook", notes_snapshot), as_version=4)
    nbformat.validate(book)
    markdown = "\n".join(cell.source for cell in book.cells if cell.cell_type == "markdown")
    assert "attachment:network.svg" in markdown
    assert r"\frac{\partial L}{\partial w^{1}_{11}}" in markdown and "&= 27360" in markdown
    svg = next(cell for cell in book.cells if "attachments" in cell)["attachments"]["network.svg"]["image/svg+xml"]
    assert svg


@pytest.mark.skipif(importlib.util.find_spec("nbclient") is None, reason="nbclient is not installed")
def test_notebook_runs_in_a_jupyter_kernel(notes_snapshot, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    pytest.importorskip("ipykernel")
    book = nbformat.reads(export_code("notebook", notes_snapshot), as_version=4)
    NotebookClient(book, timeout=120, kernel_name="python3").execute()
    printed = [
        output["text"] for cell in book.cells if cell.cell_type == "code" for output in cell.get("outputs", []) if output.get("name") == "stdout"
    ]
    *predictions, loss = "".join(printed).split()
    assert_predictions(predictions, notes_snapshot)
    assert float(loss) == pytest.approx(engine_final_loss(notes_snapshot), rel=1e-9)


def test_the_notes_lesson_predicts_176_for_the_first_row(notes_snapshot, tmp_path):
    script = tmp_path / "notes.py"
    write_code("numpy", notes_snapshot, script)
    assert run_python(script)[0] == "176.0"


def test_scripts_hold_every_number_exactly(tmp_path):
    lesson = lesson_for(CASES[20])
    namespace: dict = {}
    text = export_code("numpy", lesson)
    exec(compile(text.split("X = np.array")[0], "lesson", "exec"), namespace)
    for name, arrays in [("WEIGHTS", lesson.weights), ("BIASES", lesson.biases), ("INITIAL_WEIGHTS", lesson.initial_weights)]:
        for got, expected in zip(namespace[name], arrays):
            assert np.array_equal(np.array(got), expected)
    assert np.array_equal(np.array(namespace["TABLE"]), lesson.values)


torch_available = importlib.util.find_spec("torch") is not None
TORCH_CASES = [CASES[i] for i in (0, 9, 21, 40, 50, 62, 70)] + ACTIVATION_CASES


@pytest.mark.skipif(not torch_available, reason="PyTorch is not installed")
@pytest.mark.parametrize("case", TORCH_CASES, ids=[case_id(c) for c in TORCH_CASES])
def test_pytorch_script_prints_the_engines_predictions_and_final_loss(case, tmp_path):
    lesson = lesson_for(case)
    script = tmp_path / "lesson_torch.py"
    write_code("pytorch", lesson, script)
    text = script.read_text()
    assert "torch.nn" in text and "torch.optim.SGD" in text and "float64" in text
    assert_predictions(run_python(script), lesson)
    (loss,) = run_python(script, "--train")
    assert float(loss) == pytest.approx(engine_final_loss(lesson), rel=1e-9, abs=0)


def test_numpy_script_needs_only_numpy(tmp_path):
    text = export_code("numpy", lesson_for(CASES[0]))
    imports = {m.group(2) for m in re.finditer(r"^(import|from) ([\w.]+)(?: import .*)?$", text, re.MULTILINE)}
    assert imports <= {"sys", "math", "numpy"}  # the standard library and NumPy (math.erf: the exact GELU)
    assert "backprop_gui" not in text


def test_a_diverging_run_reports_the_last_finite_epoch(tmp_path):
    settings = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-3, epochs=50)
    lesson = trained_snapshot(settings, *NOTES_TABLE, steps=0)
    script = tmp_path / "diverges.py"
    write_code("numpy", lesson, script)
    result = subprocess.run([sys.executable, str(script), "--train"], capture_output=True, text=True)
    # The app's own message, word for word (the lesson trained here as the app trains it).
    from backprop_gui.lesson import Lesson

    app = Lesson(settings)
    outcome = app.train()
    assert outcome.reason == "diverged" and result.stderr.strip() == outcome.message
    engine = engine_final_loss(lesson)
    assert float(result.stdout) == pytest.approx(engine, rel=1e-9)


def test_a_notebooks_training_cell_says_what_the_app_says_when_the_loss_explodes(tmp_path, capsys):
    """The notes' raw setup: the notebook's training cell stops and warns, as the app does."""
    import contextlib
    import io

    from backprop_gui.export.code.code_notebook import notebook
    from backprop_gui.lesson import Lesson

    settings = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-3, epochs=50)
    lesson = trained_snapshot(settings, *NOTES_TABLE, steps=0)
    code = "\n".join(cell.source for cell in notebook(lesson).cells if cell.cell_type == "code")
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "notebook", "exec"), {"__name__": "notebook"})
    assert errors.getvalue().strip() == Lesson(settings).train().message
