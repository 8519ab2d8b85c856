"""Training over many epochs: ``Trainer`` and the loop that runs it to the end.

Owns ``trainer.py`` (``Trainer``: a step or a run of epochs, with the loss history and the stop
request), ``trainer_arguments.py`` (its checked arguments), ``trainer_runs.py`` and ``epochs.py``
(a run of epochs on the compiled kernel or on NumPy), ``history.py`` (``LossHistory``) and
``train_loop.py`` (``train``: a run to the end in calls of measured length, with progress), and
``freezing.py`` (the parameters an update leaves as they are). It may
import the engine's plain modules and ``engine.compiled``.
"""

from .train_loop import Progress, TrainingOutcome, train

__all__ = ["Progress", "TrainingOutcome", "train"]
