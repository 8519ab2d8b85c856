"""Learning made visible, as lesson state without Qt: the descent path, kept runs, comparisons.

- ``DescentPath`` follows a lesson and gives every point its parameters have passed through since
  the last reset: the weights before each step and run of the step log, the snapshots of each run,
  and the weights now. It is read from the step log, so Back shortens it by itself.
- ``KeptRuns`` holds up to eight runs pinned by the user (a loss curve, a path, the settings), each
  with a colour-blind-safe colour; ``to_dict``/``from_dict`` carry them through a session file.
- ``plan_comparison`` and ``run_comparison`` train settings that differ in one choice from the same
  initial weights and the same row order, away from the lesson's own network.

    >>> from backprop_gui.lesson import Lesson
    >>> lesson = Lesson()
    >>> path = DescentPath(lesson)
    >>> _ = lesson.step(); _ = lesson.step()
    >>> len(path.points())
    3
    >>> _ = lesson.back()
    >>> len(path.points())
    2
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from ..engine import LossHistory, Network, Trainer, TrainingSettings, make_scaler, train
from ..engine.activations import hidden_activation_text
from ..engine.measures.landscape import parameter_vector
from ..engine.notation import format_number
from ..engine.training.train_loop import Progress
from .events import Event
from .step_log import LogEntry
from .table import Table


class LessonParts(Protocol):
    """What kept runs read of a lesson: the parts of ``lesson.Lesson`` they use. Named here, as a
    lesson owns its kept runs (lesson.py imports this module, and this module not lesson.py)."""

    network: Network
    initial_parameters: tuple[list[np.ndarray], list[np.ndarray]]
    loss_history: LossHistory
    step_log: list[LogEntry]
    table: Table
    parameters_changed: Event
    running_changed: Event
    step_log_changed: Event

    @property
    def settings(self) -> TrainingSettings: ...

    @property
    def is_running(self) -> bool: ...

MAX_KEPT_RUNS = 8
#: The Okabe–Ito palette, told apart with every common colour-vision deficiency; ordered so the
#: first few are the clearest on white and beside the loss plot's own blue.
KEPT_RUN_COLOURS = ("#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#0072B2", "#000000", "#F0E442")
MAX_PATH_POINTS = 2000
"""A comparison run records its parameters at most this many times (every epoch for short runs)."""

COMPARABLE_CHOICES = {
    "learning_rate": "Learning rate η",
    "mode": "Updates",
    "init": "Initialisation",
    "scaling": "Input scaling",
    "order": "Row order",
}
"""The settings a comparison may vary, one at a time. (The settings have no optimizer choice yet.)"""

MODE_NAMES = {"sgd": "per sample", "minibatch": "mini-batch", "batch": "full batch"}
SCALING_NAMES = {"standardize": "standardised", "none": "raw inputs"}


def settings_parts(settings: TrainingSettings, stress: str | None = None) -> list[str]:
    """The parts of a run's label, each a choice in words; ``stress`` puts one choice first and the
    hidden layers come last."""
    mode = MODE_NAMES[settings.mode] + (f" of {settings.batch_size}" if settings.mode == "minibatch" else "")
    parts = {
        "learning_rate": f"η = {format_number(settings.learning_rate)}",
        "mode": mode,
        "scaling": SCALING_NAMES[settings.scaling],
        "init": f"{settings.init} init, seed {settings.seed}",
        "order": f"{settings.order} order",
    }
    hidden = "-".join(str(n) for n in settings.hidden_layers) or "no hidden"
    order = [stress] if stress in parts else []
    order += [key for key in parts if key not in order]
    return [parts[key] for key in order] + [f"{hidden} {hidden_activation_text(settings.hidden_activation_choice)}"]


def describe_settings(settings: TrainingSettings, stress: str | None = None) -> str:
    """A short label: "η = 0.001 · per sample · standardised · random init, seed 0"; ``stress`` puts one choice first."""
    return " · ".join(settings_parts(settings, stress))


# -- the descent path ---------------------------------------------------------------


class DescentPath:
    """Every point a lesson's parameters passed through since the last reset, as flat parameter
    vectors (``engine.landscape.parameter_vector``), oldest first."""

    def __init__(self, lesson: LessonParts) -> None:
        self.lesson = lesson
        self._run_points: dict[int, tuple[LogEntry, np.ndarray]] = {}
        """The snapshots of each finished run, by the id of its log entry (kept alive beside it)."""
        self._running: list[np.ndarray] = []
        self.changed = Event()
        lesson.parameters_changed.connect(self._on_parameters_changed)
        lesson.running_changed.connect(self._on_running_changed)
        lesson.step_log_changed.connect(self._forget_lost_runs)

    def points(self, upto: int | None = None, after: bool = True) -> np.ndarray:
        """The path as rows of parameter vectors. With ``upto``, only as far as step-log entry
        ``upto`` (before it, and after it too if ``after``), for a step on show at an earlier phase."""
        lesson = self.lesson
        sizes = list(lesson.network.layer_sizes)
        log = lesson.step_log
        last = len(log) - 1 if upto is None else min(upto, len(log) - 1)
        points: list[np.ndarray] = []
        for index, entry in enumerate(log[: last + 1]):
            if entry.kind == "rebuild" or entry.layer_sizes != sizes:
                points.clear()  # an older network's weights: the path starts anew after it
                continue
            points.append(parameter_vector(entry.weights, entry.biases))
            if entry.kind == "run" and (index < last or after):
                kept = self._run_points.get(id(entry))
                if kept is not None and kept[0] is entry:
                    points.extend(kept[1])
            if index == last and upto is not None and after and entry.kind == "step":
                points.append(parameter_vector(entry.record.weights_after, entry.record.biases_after))
        if upto is None:
            points.extend(self._running)
            points.append(parameter_vector(lesson.network.weights, lesson.network.biases))
        if not points:
            points.append(parameter_vector(lesson.network.weights, lesson.network.biases))
        return _without_repeats(np.array(points))

    # -- events ------------------------------------------------------------------------
    def _on_parameters_changed(self) -> None:
        if self.lesson.is_running:
            network = self.lesson.network
            self._running.append(parameter_vector(network.weights, network.biases))
        self.changed.emit()

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self._running = []
            return
        log = self.lesson.step_log
        if log and log[-1].kind == "run" and self._running:
            self._run_points[id(log[-1])] = (log[-1], np.array(self._running))
        self._running = []
        self.changed.emit()

    def _forget_lost_runs(self) -> None:
        alive = {id(entry) for entry in self.lesson.step_log}
        for key in [key for key in self._run_points if key not in alive]:
            del self._run_points[key]
        self.changed.emit()


def _without_repeats(points: np.ndarray) -> np.ndarray:
    if len(points) < 2:
        return points
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    return points[keep]


# -- kept runs ----------------------------------------------------------------------


@dataclass
class KeptRun:
    """A run pinned for comparison: its loss curve, its path and the settings it ran with."""

    label: str
    settings: TrainingSettings
    layer_sizes: list[int]
    loss_history: np.ndarray
    """The mean loss of each epoch."""
    path: np.ndarray
    """Parameter vectors (rows) the run passed through, for the landscape."""
    colour: str = ""
    varied: str | None = None
    """The choice a comparison varied (a key of COMPARABLE_CHOICES), None for a run kept as it was."""

    @property
    def short_label(self) -> str:
        """The first two choices of its settings, the one a comparison varied first."""
        return " · ".join(settings_parts(self.settings, self.varied)[:2])

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "colour": self.colour,
            **({"varied": self.varied} if self.varied else {}),
            "settings": self.settings.to_dict(),
            "layer_sizes": [int(n) for n in self.layer_sizes],
            "loss_history": [float(v) for v in self.loss_history],
            "path": [[float(v) for v in point] for point in self.path],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "KeptRun":
        """A kept run from ``to_dict``; ValueError saying what is wrong."""
        try:
            settings = TrainingSettings.from_dict(dict(data["settings"], hidden_layers=tuple(data["settings"]["hidden_layers"])))
            sizes = [int(n) for n in data["layer_sizes"]]
            history = np.asarray(data["loss_history"], dtype=float).reshape(-1)
            n_parameters = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
            path = np.asarray(data["path"], dtype=float).reshape(-1, n_parameters)
            label, colour = str(data["label"]), str(data.get("colour", ""))
            varied = data.get("varied") if data.get("varied") in COMPARABLE_CHOICES else None
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"a kept run is not readable: {error}") from None
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"a kept run has impossible layer sizes {sizes}")
        return cls(label, settings, sizes, history, path, colour, varied)


class KeptRuns:
    """Up to eight kept runs, each with its own colour; ``changed`` after every change."""

    def __init__(self) -> None:
        self.runs: list[KeptRun] = []
        self.changed = Event()

    def __len__(self) -> int:
        return len(self.runs)

    @property
    def full(self) -> bool:
        return len(self.runs) >= MAX_KEPT_RUNS

    def keep(self, run: KeptRun) -> KeptRun:
        """Add a run, giving it the first colour not in use; ValueError when eight are kept."""
        if self.full:
            raise ValueError(f"{MAX_KEPT_RUNS} runs are kept already: remove one first.")
        used = {r.colour for r in self.runs}
        if not run.colour or run.colour in used:
            run.colour = next(c for c in KEPT_RUN_COLOURS if c not in used)
        self.runs.append(run)
        self.changed.emit()
        return run

    def keep_lesson(self, lesson: LessonParts, path: DescentPath) -> KeptRun:
        """Pin the lesson's loss curve and descent path as they are now."""
        if len(lesson.loss_history) == 0 and len(path.points()) < 2:
            raise ValueError("There is nothing to keep yet: step or train first.")
        run = KeptRun(
            describe_settings(lesson.settings),
            lesson.settings,
            list(lesson.network.layer_sizes),
            lesson.loss_history.values.copy(),
            path.points(),
        )
        return self.keep(run)

    def remove(self, index: int) -> None:
        del self.runs[index]
        self.changed.emit()

    def clear(self) -> None:
        if self.runs:
            self.runs.clear()
            self.changed.emit()

    def to_dict(self) -> dict:
        return {"runs": [run.to_dict() for run in self.runs]}

    def load_dict(self, data: dict) -> None:
        """Replace the kept runs with those of ``to_dict``; ValueError, changing nothing, if unreadable."""
        runs = [KeptRun.from_dict(item) for item in data.get("runs", [])]
        if len(runs) > MAX_KEPT_RUNS:
            raise ValueError(f"at most {MAX_KEPT_RUNS} kept runs, found {len(runs)}")
        self.runs = []
        for run in runs:
            if run.colour not in KEPT_RUN_COLOURS:
                run.colour = ""  # keep() gives it one of ours
            self.keep(run)
        self.changed.emit()

    @classmethod
    def from_dict(cls, data: dict) -> "KeptRuns":
        kept = cls()
        kept.load_dict(data)
        return kept


# -- comparisons --------------------------------------------------------------------


@dataclass
class ComparisonPlan:
    """One of the runs of a comparison: its settings and a trainer on a network of its own."""

    choice: str
    settings: TrainingSettings
    trainer: Trainer
    epochs: int
    label: str = ""
    losses: list[float] = field(default_factory=list)

    @property
    def varied_text(self) -> str:
        """The value of the choice this run varies, in words ("η = 0.01")."""
        return settings_parts(self.settings, self.choice)[0]


def plan_comparison(lesson: LessonParts, choice: str, values, epochs: int | None = None) -> list[ComparisonPlan]:
    """Plans for training the lesson's settings with ``choice`` set to each of ``values``, all from
    the lesson's initial weights (for ``init``: each initialisation with the same seed) and in the
    same row order (the same seed). ValueError, with a sentence to show, if one cannot run."""
    if choice not in COMPARABLE_CHOICES:
        raise ValueError(f"a comparison varies one of {', '.join(COMPARABLE_CHOICES)}, not {choice!r}")
    values = list(values)
    if len(values) < 2 or len(set(values)) < len(values):
        raise ValueError(f"Choose different values of {COMPARABLE_CHOICES[choice].lower()} to compare.")
    table = lesson.table
    if table.n_rows == 0:
        raise ValueError("The table is empty: add at least one row to train on.")
    plans = []
    for value in values:
        settings = lesson.settings.replace(**{choice: value}, epochs=int(epochs or lesson.settings.epochs))
        network = Network(
            lesson.network.layer_sizes, settings.hidden_activation_choice, settings.output_activation, settings.init, settings.seed
        )
        if choice != "init":
            network.set_parameters(*lesson.initial_parameters)
        X = make_scaler(settings.scaling, table.inputs()).transform(table.inputs())
        trainer = settings.build_trainer(network, X, table.targets())
        plans.append(ComparisonPlan(choice, settings, trainer, settings.epochs, describe_settings(settings, stress=choice)))
    return plans


def run_comparison(
    plan: ComparisonPlan,
    should_stop: Callable[[], bool] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> KeptRun:
    """Train one plan to its end (or until ``should_stop``) and return it as a run to keep."""
    trainer = plan.trainer
    network = trainer.network
    stride = max(1, math.ceil(plan.epochs / MAX_PATH_POINTS))
    path = [parameter_vector(network.weights, network.biases)]
    losses: list[np.ndarray] = []

    def report(progress: Progress) -> bool:
        losses.append(progress.new_losses)
        if progress.final or progress.epochs_done % stride == 0:
            path.append(parameter_vector(network.weights, network.biases))
        if on_progress is not None:
            on_progress(progress.epochs_done)
        return True

    outcome = train(trainer, plan.epochs, should_stop=should_stop, report=report, report_interval=0.0,
                    convergence_tolerance=plan.settings.tolerance_in_force)  # fmt: skip
    history = np.concatenate(losses) if losses else np.empty(0)
    label = plan.label if outcome.reason == "completed" else f"{plan.label} ({outcome.reason} at epoch {outcome.epochs_run:,})"
    return KeptRun(label, plan.settings, list(network.layer_sizes), history, _without_repeats(np.array(path)), varied=plan.choice)
