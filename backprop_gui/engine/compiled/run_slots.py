"""What a run of epochs carries in and out: the slots of its ``ints`` and ``floats`` arrays, and
the status it ends with.

Both ways of running epochs keep their books in these two small arrays, so a run can stop
anywhere and the next one go on: the compiled kernel (compiled_kernel.py) and its NumPy twin
(epochs.py). ``Trainer.run_epochs`` fills them before a run and reads them after it.
"""

# What a call of run_epochs ended with (ints[STATUS]).
STATUS_DONE = 0
"""It ran its epochs, or its budget of updates."""
STATUS_STOPPED = 1
"""The stop flag was set."""
STATUS_CONVERGED = 2
"""No parameter moved by more than the tolerance over the last epoch."""
STATUS_DIVERGED = 3
"""The last epoch's loss stopped being finite or grew past the limit; the parameters from
before that epoch were put back."""
STATUS_EARLY_STOPPED = 4
"""The validation loss had not improved for ``patience`` epochs; the parameters and optimizer
state of the best validation epoch were put back."""
STATUS_NAMES = {
    STATUS_DONE: "done",
    STATUS_STOPPED: "stopped",
    STATUS_CONVERGED: "converged",
    STATUS_DIVERGED: "diverged",
    STATUS_EARLY_STOPPED: "early_stopped",
}

# Positions in the ints and floats arrays that carry a run's state in and out.
NEXT_BATCH, EPOCHS_DONE, UPDATES, STATUS, T, T_BEFORE, BEST_EPOCH, SINCE_BEST, EPOCH_BASE, BEST_T, BEGUN = range(11)
N_INTS = 11
"""T: the optimizer's update count; T_BEFORE: its value as the current epoch began; BEST_EPOCH:
the trainer's epoch number of the best validation loss (0: none yet); SINCE_BEST: epochs since
it; EPOCH_BASE: the trainer's completed epochs when the call began; BEST_T: T at the best epoch;
BEGUN (out): 1 when the call began the epoch it ended in (its order drawn into ``next_order``),
even if a stop abandoned that epoch's first batch before its update."""
LOSS_SUM, REFERENCE, BEST_LOSS = 0, 1, 2
N_FLOATS = 3
