"""Multi-class lessons exported as NumPy, PyTorch and notebook code: the scripts print the engine's
class probabilities (to 1e-9) and train to the engine's last epoch loss."""

import importlib.util
import json

import numpy as np
import pytest

from backprop_gui.engine import MULTICLASS_DEFAULTS, TrainingSettings, train
from backprop_gui.export import export_code
from backprop_gui.export.snapshot import LessonError, LessonSnapshot
from backprop_gui.files import read_csv_table
from backprop_gui.files.resources import resource_path

from .conftest import run_python, trained_snapshot


def three_class_snapshot(mode="sgd", order="random"):
    table = read_csv_table(resource_path("three_classes.csv"))
    settings = TrainingSettings(**{**MULTICLASS_DEFAULTS, "hidden_layers": (3,), "mode": mode, "order": order,
                                   "init": "xavier", "seed": 3, "epochs": 20, "batch_size": 4})  # fmt: skip
    return trained_snapshot(settings, table.column_names, table.values)


def engine_final_loss(lesson) -> float:
    losses = []

    def report(progress):
        losses.extend(progress.new_losses.tolist())
        return True

    train(lesson.trainer(initial=True), lesson.settings.epochs, report=report)
    return losses[-1]


KINDS = ["numpy"] + (["pytorch"] if importlib.util.find_spec("torch") else [])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["sgd", "minibatch", "batch"])
def test_the_exported_script_prints_the_class_probabilities_and_trains_as_the_engine(kind, mode, tmp_path):
    lesson = three_class_snapshot(mode)
    assert lesson.layer_sizes == [2, 3, 3]
    path = tmp_path / f"lesson_{kind}.py"
    path.write_text(export_code(kind, lesson), encoding="utf-8")
    expected = lesson.predictions()
    assert expected.shape == (9, 3) and np.allclose(expected.sum(axis=1), 1.0)
    printed = np.array([float(v) for v in run_python(path)]).reshape(expected.shape)
    np.testing.assert_allclose(printed, expected, rtol=1e-9, atol=0)
    trained = float(run_python(path, "--train")[0])
    assert trained == pytest.approx(engine_final_loss(lesson), rel=1e-9)


def test_the_notebook_prints_the_class_probabilities(tmp_path):
    lesson = three_class_snapshot()
    book = json.loads(export_code("notebook", lesson))
    source = "\n\n".join("".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "code")
    script = tmp_path / "cells.py"
    script.write_text(source, encoding="utf-8")
    printed = run_python(script)
    expected = lesson.predictions()
    got = np.array([float(v) for v in printed[: expected.size]]).reshape(expected.shape)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)


def test_a_table_whose_target_is_not_a_class_column_is_refused():
    settings = TrainingSettings(**MULTICLASS_DEFAULTS)
    with pytest.raises(LessonError, match="Choose Regression"):
        LessonSnapshot.from_table(["a", "b", "y"], [[1, 2, 3.5], [2, 3, 1.25]], settings)
    with pytest.raises(LessonError, match="one class only"):
        LessonSnapshot.from_table(["a", "b", "y"], [[1, 2, 1], [2, 3, 1]], settings)
