"""What the network does on the table now: predictions, metrics, a gradient check, and what the
learning views picture (when the loss landscape has nothing to show, the input space's snapshot).

A part of ``Lesson`` (lesson.py) kept in its own file: these read the lesson and change nothing.
"""

from __future__ import annotations

import numpy as np

from ..engine import GradientComparison, Metrics, Network, check_gradients, classification_problem, evaluate, make_scaler
from ..engine.measures.input_plane import InputPlaneRequest
from ..engine.scaling import Standardizer
from ..engine.training.freezing import parameter_names


def landscape_problem(lesson) -> str | None:
    """Why the lesson has no loss landscape to show now, or None when it has one."""
    table = lesson.table
    if table.n_rows == 0:
        return "The table is empty."
    if lesson.network.n_inputs != len(table.input_names):
        return "The network is being rebuilt for the table."
    if lesson.settings.task == "classification" and classification_problem(table.targets()):
        return "The targets do not fit the task: no loss to show."
    return None


def network_with(network: Network, weights, biases) -> Network | None:
    """A copy of ``network`` holding these parameters, for a pool thread; None when they are of
    another network (a run rebuilt it meanwhile)."""
    if [np.shape(w) for w in weights] != [w.shape for w in network.weights]:
        return None
    shown = network.copy()
    shown.set_parameters(weights, biases)
    return shown


def input_plane_request(lesson, weights, biases, axes, table_data=None) -> InputPlaneRequest | None:
    """A snapshot of what the input space shows with these parameters; None when there is nothing
    to show (no rows, a network being rebuilt, an input not chosen). ``table_data`` is a copy of the
    table's (inputs, targets) taken earlier and still current, if there is one: a run changes the
    weights, not the table, and a million rows cost milliseconds to copy."""
    table = lesson.table
    if table.n_rows == 0 or lesson.network.n_inputs != len(table.input_names) or min(axes) < 0:
        return None
    network = network_with(lesson.network, weights, biases)
    if network is None:
        return None
    classification = lesson.settings.task == "classification"
    inputs, targets = table_data if table_data is not None else (table.inputs(), table.targets())
    return InputPlaneRequest(network, lesson.scaler(), inputs, targets, tuple(axes), classification)



def overflow_shows_as_infinity():
    """Weights grown huge by a diverging run (kept finite) can still overflow a sum: the answer
    is then ±∞ or NaN, which the views show as such, rather than a warning."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


class Measures:
    """Read-only questions to a lesson; ``Lesson`` supplies table, network, settings and the rest."""

    def scaler(self) -> Standardizer:
        """The input scaling in force, fitted to the table as it is now."""
        if self._scaler is None:
            self._scaler = make_scaler(self._settings.scaling, self.table.inputs())
        return self._scaler

    @property
    def frozen(self) -> frozenset[str]:
        """The network's parameters training leaves as they are (settings.frozen that it has)."""
        return frozenset(self._settings.frozen) & frozenset(parameter_names(self.network.layer_sizes))

    def predict(self, inputs, parameters=None) -> np.ndarray | None:
        """ŷ for raw inputs in the table's units (rows × outputs), with the network's parameters or
        the (weights, biases) given; None while there is no table to scale by."""
        if self.table.n_rows == 0 or self.network.n_inputs != len(self.table.input_names):
            return None
        inputs = self.scaler().transform(np.atleast_2d(np.asarray(inputs, dtype=float)))
        with overflow_shows_as_infinity():
            return self._network_with(parameters).predict(inputs)

    def metrics(self, parameters=None, rows=None) -> Metrics | None:
        """Loss, RMSE and R² (or accuracy) on the whole table, or on ``rows``; None if there is
        nothing to measure."""
        if self.table.n_rows == 0 or self.network.n_inputs != len(self.table.input_names):
            return None
        if self._settings.task == "classification" and classification_problem(self.table.targets()):
            return None
        network = self._network_with(parameters)
        inputs, targets = self.scaler().transform(self.table.inputs()), self.table.targets()
        if rows is not None:
            inputs, targets = inputs[rows], targets[rows]
        with overflow_shows_as_infinity():
            return evaluate(network, inputs, targets, self._settings.loss)

    def metrics_split(self, parameters=None) -> tuple[Metrics | None, Metrics | None]:
        """(on the rows trained on, on the validation rows); without a validation share, (on the
        whole table, None)."""
        validation = self.validation_rows()
        if len(validation) == 0:
            return self.metrics(parameters), None
        training = np.setdiff1d(np.arange(self.table.n_rows), validation)
        return self.metrics(parameters, training), self.metrics(parameters, validation)

    def gradient_check(self, row: int | None = None, parameters=None, rows=None) -> tuple[int, list[GradientComparison]] | None:
        """Backpropagation against central finite differences on one row (the row the next step
        would use, unless given) or on ``rows`` (a batch), with the network's parameters or the
        (weights, biases) given (a step on show before its update); None, with a message, if there
        is nothing to check. Returns the (first) row checked and the comparisons."""
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        if rows is None:
            rows = [int(trainer.next_rows()[0]) if row is None else row]
        rows = [int(r) for r in rows]
        for r in rows:
            if not 0 <= r < trainer.n_rows:
                self.message.emit(f"There is no row {r + 1}: the table has {trainer.n_rows}.")
                return None
        network, trainer.network = trainer.network, self._network_with(parameters)
        try:
            with overflow_shows_as_infinity():
                return rows[0], check_gradients(trainer, rows)
        finally:
            trainer.network = network

    def next_row(self) -> int | None:
        """The row the next step in order will use; None, with a message, if there is none."""
        trainer = self._ensure_trainer()
        return None if trainer is None else int(trainer.next_rows()[0])

    def loss_and_gradient(self, ref, row: int) -> tuple[float, float] | None:
        """The loss on one row and ∂L/∂p of one weight or bias (a ParameterRef) there, now."""
        trainer = self._ensure_trainer()
        if trainer is None:
            return None
        with overflow_shows_as_infinity():
            loss, weight_grads, bias_grads = trainer.gradients([row])
        gradient = weight_grads[ref.layer][ref.i, ref.j] if ref.kind == "w" else bias_grads[ref.layer][ref.i]
        return float(loss), float(gradient)

    def _network_with(self, parameters):
        """The network, or a copy of it holding ``parameters`` (weights, biases) when given."""
        if parameters is None or parameters[0] is self.network.weights:
            return self.network
        network = self.network.copy()
        network.set_parameters(*parameters)
        return network
