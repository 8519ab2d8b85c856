"""Export a lesson as code a student can run and change: a NumPy script, a PyTorch script, a notebook.

Each holds the table, the architecture, the settings and the initial and current weights,
every number written with ``repr`` so it reads back as the same float. Run as
``python OUT.py`` it prints the current network's prediction for every row (one ``repr`` a
line); ``python OUT.py --train`` trains from the initial weights with the lesson's settings
(the same input scaling, row order, update mode, loss and activations as the app) and prints
the last epoch's mean loss, as ``engine.train`` reports it.

The NumPy script does the engine's arithmetic in the engine's order, so its numbers are the
app's bit for bit in practice; the PyTorch one lets ``torch.nn`` and ``torch.optim`` do it in
float64, so its numbers agree to rounding.

Each kind has its module: ``code_numpy``, ``code_pytorch``, ``code_notebook``, over the pieces
they share in ``code_template``. This one chooses among them and writes the file.
"""

from __future__ import annotations

import os

from ...files import atomic_write_text
from .code_notebook import notebook, notebook_text
from .code_numpy import numpy_script
from .code_pytorch import pytorch_script
from .code_template import lesson_constants
from ..snapshot import LessonSnapshot

KINDS = ("numpy", "pytorch", "notebook")
SUFFIXES = {"numpy": ".py", "pytorch": ".py", "notebook": ".ipynb"}


def export_code(kind: str, snapshot: LessonSnapshot) -> str:
    """The text of an export: ``kind`` is "numpy", "pytorch" or "notebook"."""
    if kind == "numpy":
        return numpy_script(snapshot)
    if kind == "pytorch":
        return pytorch_script(snapshot)
    if kind == "notebook":
        return notebook_text(snapshot)
    raise ValueError(f"unknown export {kind!r}; choose one of {KINDS}")


def write_code(kind: str, snapshot: LessonSnapshot, path: str | os.PathLike) -> None:
    """Write an export to ``path`` atomically (OSError if it cannot be written; the old file stays)."""
    atomic_write_text(path, export_code(kind, snapshot))


__all__ = ["KINDS", "SUFFIXES", "export_code", "lesson_constants", "notebook", "numpy_script", "pytorch_script", "write_code"]
