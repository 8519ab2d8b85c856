"""Fixtures for the export tests: lessons built from the engine's own pieces, no Qt."""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.export import LessonSnapshot

NOTES_TABLE = (["IQ", "CGPA", "Package"], [[80.0, 8.0, 5.0], [60.0, 5.0, 3.0], [110.0, 7.0, 8.0]])
NOTES_SETTINGS = TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6)


def classification_table(n_rows: int = 9, seed: int = 1):
    rng = np.random.default_rng(seed)
    iq = rng.uniform(70, 130, n_rows).round(1)
    cgpa = rng.uniform(4, 9, n_rows).round(2)
    placed = ((iq - 100) / 20 + (cgpa - 6.5) > 0).astype(float)
    placed[:2] = [0.0, 1.0]
    return ["IQ", "CGPA", "Placed"], np.column_stack([iq, cgpa, placed])


def trained_snapshot(settings: TrainingSettings, columns, values, steps: int = 2) -> LessonSnapshot:
    """A snapshot whose current weights differ from its initial ones (a few steps made)."""
    fresh = LessonSnapshot.from_table(columns, values, settings)
    trainer = fresh.trainer()
    for _ in range(steps):
        trainer.step()
    weights, biases = trainer.network.get_parameters()
    return dataclasses.replace(fresh, weights=weights, biases=biases)


def run_python(path, *args, timeout=120) -> list[str]:
    result = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture
def notes_snapshot() -> LessonSnapshot:
    return LessonSnapshot.from_table(*NOTES_TABLE, NOTES_SETTINGS)
