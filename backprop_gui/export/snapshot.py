"""A lesson as the exports see it: an immutable snapshot of its table, settings and weights, no Qt.

A snapshot is read from what the app opens (a saved session, or a CSV table with the default
settings and a fresh network), or taken from the ``SessionData`` the window saves
(``backprop_gui.lesson.Lesson.session_data()``), so the File menu and the command line export the same thing.
It is that ``SessionData`` (the same fields, checked the same way), with what the exports ask of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..engine import Network, StepRecord, Trainer, TrainingSettings, make_scaler
from ..engine.explain.explainer import StepExplainer
from ..files import CsvError, SessionData, SessionFileError, load_session, read_csv_table
from ..files.class_column import ClassColumnError, read_class_column
from ..files.file_kinds import is_session_file



class LessonError(ValueError):
    """A file that cannot be exported from; the message says why, in one line."""


class LessonSnapshot(SessionData):
    """The table (``column_names``, ``values``), ``settings``, ``layer_sizes`` and the current and
    initial weights of a lesson at one moment; nothing in it changes afterwards."""

    # -- taking one ---------------------------------------------------------
    @classmethod
    def from_session(cls, data: SessionData) -> "LessonSnapshot":
        if data.layer_sizes[-1] != 1:
            raise LessonError(f"the network has {data.layer_sizes[-1]} outputs; the exports handle one target column")
        return cls(
            list(data.column_names),
            np.array(data.values, dtype=float),
            data.settings,
            list(data.layer_sizes),
            [np.array(w, dtype=float) for w in data.weights],
            [np.array(b, dtype=float) for b in data.biases],
            [np.array(w, dtype=float) for w in data.initial_weights],
            [np.array(b, dtype=float) for b in data.initial_biases],
            np.array(data.loss_history, dtype=float),
        )

    @classmethod
    def from_table(cls, column_names, values, settings: TrainingSettings | None = None) -> "LessonSnapshot":
        """A table with a fresh network from the settings (the defaults unless given), as the app imports a CSV."""
        settings = settings or TrainingSettings()
        values = np.array(values, dtype=float, ndmin=2)
        if values.shape[1] < 2:
            raise LessonError("the table needs at least one input column and a target column")
        n_outputs = 1
        if settings.task == "multiclass":  # one output neuron per class of the last column
            try:
                n_outputs = read_class_column(values[:, -1], str(list(column_names)[-1])).n_classes
            except ClassColumnError as error:
                raise LessonError(str(error)) from None
        network = settings.build_network(values.shape[1] - 1, n_outputs)
        weights, biases = network.get_parameters()
        initial_weights, initial_biases = network.get_parameters()
        return cls(
            list(column_names), values, settings, list(network.layer_sizes), weights, biases, initial_weights, initial_biases, np.array([])
        )

    # -- the table ----------------------------------------------------------
    @property
    def input_names(self) -> list[str]:
        return self.column_names[:-1]

    @property
    def target_name(self) -> str:
        return self.column_names[-1]

    @property
    def X(self) -> np.ndarray:
        return self.values[:, :-1].copy()

    @property
    def y(self) -> np.ndarray:
        return self.values[:, -1].copy()

    def scaled_inputs(self) -> np.ndarray:
        """The inputs the network sees: the table's, scaled as the settings say (fitted on the table).
        LessonError if the table has no rows (there is nothing to scale, step on or draw from)."""
        if len(self.values) == 0:
            raise LessonError("the table has no rows")
        return make_scaler(self.settings.scaling, self.X).transform(self.X)

    # -- the engine's view ----------------------------------------------------
    def network(self, initial: bool = False) -> Network:
        """A network with the current weights (or the initial ones)."""
        settings = self.settings
        network = Network(
            self.layer_sizes, settings.hidden_activation_choice, settings.output_activation, init=settings.init, seed=settings.seed
        )
        if initial:
            network.set_parameters(self.initial_weights, self.initial_biases)
        else:
            network.set_parameters(self.weights, self.biases)
        return network

    def predictions(self) -> np.ndarray:
        """The current network's ŷ for every row of the table, as the app's Predict computes it."""
        y_hat = self.network().predict(self.scaled_inputs())
        return y_hat if self.settings.task == "multiclass" else y_hat[:, 0]  # multi-class: each class's probability

    def trainer(self, initial: bool = False) -> Trainer:
        """A fresh trainer on the lesson's scaled table, as the app builds one after opening the snapshot."""
        return self.settings.build_trainer(self.network(initial), self.scaled_inputs(), self.y)

    def next_step(self) -> StepRecord:
        """The step the app's Step button would make next after opening this snapshot."""
        try:
            return self.trainer().step()
        except ValueError as error:
            raise LessonError(f"cannot make a step: {error}") from None

    def explainer(self, record: StepRecord) -> StepExplainer:
        settings = self.settings
        return StepExplainer(
            record,
            self.layer_sizes,
            settings.hidden_activation_choice,
            settings.output_activation,
            settings.loss,
            self.input_names,
            self.target_name,
            scaled_inputs=settings.scaling == "standardize",
        )


def load_lesson_snapshot(path: str | os.PathLike) -> LessonSnapshot:
    """A snapshot of the lesson in a file as the app opens it: a session by its name or its first character, else a CSV table.

    Raises LessonError with a one-line message for anything that cannot be read.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise LessonError(f"{path} is a folder, not a session or a CSV table")
        if not path.exists():
            raise LessonError(f"{path} does not exist")
        if is_session_file(path):
            return LessonSnapshot.from_session(load_session(path))
        table = read_csv_table(path)
        return LessonSnapshot.from_table(table.column_names, table.values)
    except LessonError:
        raise
    except (SessionFileError, CsvError) as error:
        raise LessonError(_one_line(str(error))) from None
    except ValueError as error:  # settings or shapes that do not fit together
        raise LessonError(f"{path.name} cannot be used: {_one_line(str(error))}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())
