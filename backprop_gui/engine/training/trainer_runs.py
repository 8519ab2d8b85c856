"""``Trainer.run_epochs``: many updates in one call, by the compiled kernel or the NumPy path
(epochs.py), leaving the trainer exactly where the same updates made by ``step()`` would.

Before a run this fills the run's arrays (run_slots.py); the runner reads the current epoch's
order and each later epoch draws its own random order from the trainer's generator as it begins
(in the kernel, without the GIL), so the generator ends where ``step()`` would leave it; the
runner returns the order of the epoch it ended in. After the run this takes the trainer's
position back: epochs and steps done, the current epoch's order and progress.
"""

from __future__ import annotations

import math

import numpy as np

from .epochs import EpochChecks, EpochsRun, carry_checks_in, carry_checks_out, run_compiled, run_readable
from ..compiled.run_slots import BEGUN, EPOCHS_DONE, LOSS_SUM, N_FLOATS, N_INTS, NEXT_BATCH, STATUS, STATUS_DONE, STATUS_NAMES, UPDATES

Trainer = "trainer.Trainer"
"""The function here takes a ``trainer.Trainer``; it is not imported, since the trainer imports it."""


def run_epochs(
    trainer: "Trainer", max_epochs: int, max_updates: int | None, stop_flag: np.ndarray | None, checks: EpochChecks | None,
    wait_for_kernel: bool = True,
) -> EpochsRun:
    """Train ``trainer`` as its ``run_epochs`` says (the arguments are its own), reading and setting
    the trainer's position as ``step()`` keeps it."""
    max_epochs = max(1, int(max_epochs))
    max_updates = np.iinfo(np.int64).max if max_updates is None else max(0, int(max_updates))
    if trainer._epoch_order is None:
        trainer._start_epoch()
    random = trainer.order == "random"
    if stop_flag is None:
        stop_flag = np.zeros(1, np.int8)
    ints = np.zeros(N_INTS, np.int64)
    ints[NEXT_BATCH], ints[STATUS] = trainer._next_batch, STATUS_DONE
    floats = np.full(N_FLOATS, math.nan)
    floats[LOSS_SUM] = trainer._epoch_loss_sum
    carry_checks_in(checks, trainer, ints, floats)
    epoch_losses = np.empty(max_epochs)
    validation_losses = np.full(max_epochs, math.nan)
    arguments = (trainer, random, max_epochs, max_updates, ints, floats, epoch_losses, validation_losses, stop_flag, checks)
    with np.errstate(over="ignore", invalid="ignore"):
        order = run_compiled(*arguments, wait=wait_for_kernel) if trainer.compiled else None
        compiled = order is not None
        if not compiled:  # no kernel, or (not waiting for it) not ready yet: the same updates in NumPy
            order = run_readable(*arguments)

    done, next_batch, updates = int(ints[EPOCHS_DONE]), int(ints[NEXT_BATCH]), int(ints[UPDATES])
    carry_checks_out(checks, ints, floats)
    trainer.steps += updates
    trainer.epoch += done
    trainer._next_batch = next_batch
    trainer._epoch_loss_sum = float(floats[LOSS_SUM])
    # Epochs begun: all those completed, and the one in progress. An epoch whose order was drawn
    # stays begun even before any of its updates (begun before the call, or in it and then
    # stopped inside its first batch), as the generator has moved on for it.
    in_progress = next_batch > 0 or done == 0 or bool(ints[BEGUN])
    if not in_progress:
        trainer._epoch_order = None
    elif done:
        trainer._epoch_order = order
    validation = validation_losses[:done].copy() if trainer.validation_rows.size else None
    if validation is not None:
        trainer.validation_log.extend(validation)
    return EpochsRun(epoch_losses[:done].copy(), STATUS_NAMES[int(ints[STATUS])], updates, validation, compiled)
