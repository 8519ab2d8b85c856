"""After a run diverged: a learning rate to try, found by quick trials on a copy.

The notes teach that too large a learning rate makes the loss blow up. Telling a student "try a
lower learning rate" leaves the guessing to them; here the largest of η/10, η/100, … (down to the
smallest rate the app takes) that does not diverge in a trial of a few epochs, from the weights
the run started from, is found by running those trials (``learning_rate_to_try``). It is plain
NumPy work on copies: the app runs it off the GUI thread; a notebook may call it directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .limits import LEARNING_RATE_RANGE
from .settings import TrainingSettings
from .training import train

MIN_TRIAL_EPOCHS, MAX_TRIAL_EPOCHS = 10, 50
"""A trial runs as many epochs as the run took to diverge, within these."""
MAX_TRIAL_UPDATES = 200_000
"""…and no more updates than this (a large table gets fewer epochs, at least two)."""


@dataclass(frozen=True)
class DivergenceTrial:
    """What a trial needs, copied from the lesson so it can run on another thread."""

    settings: TrainingSettings
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    X: np.ndarray
    """The inputs as the network sees them (scaled as the settings say)."""
    y: np.ndarray
    epochs: int

    @classmethod
    def make(cls, settings, weights, biases, X, y, diverged_after: int) -> "DivergenceTrial":
        """A trial of as many epochs as the run took to diverge (``diverged_after``), within
        MIN_TRIAL_EPOCHS and MAX_TRIAL_EPOCHS, and of at most MAX_TRIAL_UPDATES (but two epochs)."""
        n_rows = max(len(np.asarray(y)), 1)
        per_epoch = n_rows if settings.mode == "sgd" else (math.ceil(n_rows / settings.batch_size) if settings.mode == "minibatch" else 1)
        epochs = min(max(int(diverged_after), MIN_TRIAL_EPOCHS), MAX_TRIAL_EPOCHS, max(2, MAX_TRIAL_UPDATES // per_epoch))
        return cls(settings, [w.copy() for w in weights], [b.copy() for b in biases], np.array(X, dtype=float),
                   np.array(y, dtype=float), epochs)  # fmt: skip

    def diverges(self, learning_rate: float, should_stop: Callable[[], bool] | None = None) -> bool | None:
        """Whether training at ``learning_rate`` diverges within the trial's epochs; None if stopped."""
        settings = self.settings.replace(learning_rate=learning_rate)
        network = settings.build_network(self.X.shape[1], len(self.biases[-1]))
        network.set_parameters(self.weights, self.biases)
        trainer = settings.build_trainer(network, self.X, self.y)
        outcome = train(trainer, self.epochs, should_stop=should_stop)
        if outcome.reason == "stopped":
            return None
        return outcome.reason == "diverged"


def candidate_rates(learning_rate: float) -> list[float]:
    """η/10, η/100, … down to the smallest learning rate the app takes."""
    low = LEARNING_RATE_RANGE[0]
    rates, k = [], 1
    while learning_rate / 10**k >= low * (1 - 1e-12):
        rates.append(learning_rate / 10**k)
        k += 1
    return rates


def learning_rate_to_try(trial: DivergenceTrial, should_stop: Callable[[], bool] | None = None) -> float | None:
    """The largest of η/10, η/100, … that does not diverge in the trial; None if none does (or if
    ``should_stop`` ended the search)."""
    for rate in candidate_rates(trial.settings.learning_rate):
        diverged = trial.diverges(rate, should_stop)
        if diverged is None:
            return None
        if not diverged:
            return rate
    return None
