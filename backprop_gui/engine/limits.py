"""The ranges every number a user can give must fall in, wherever it comes from.

The form's boxes, the table's cells, a CSV import and a session file all check against these,
so a value refused in one place is refused in all of them, with the same words.
"""

from __future__ import annotations

MAX_MAGNITUDE = 1e100
"""The largest |value| a table cell, a weight or a bias may hold. Squaring it (the loss, a
standard deviation) stays far from float overflow (about 1.8e308), so nothing turns into ∞."""

LEARNING_RATE_RANGE = (1e-6, 10.0)
EPOCHS_RANGE = (1, 10_000_000)
SEED_RANGE = (0, 2**31 - 1)
BATCH_SIZE_RANGE = (1, 100_000)
CONVERGENCE_TOLERANCE_RANGE = (1e-12, 1.0)
MOMENTUM_RANGE = (0.0, 0.999)
L2_RANGE = (0.0, 10.0)
L1_RANGE = (0.0, 10.0)
VALIDATION_PERCENT_RANGE = (0, 50)
PATIENCE_RANGE = (0, 100_000)
"""Patience 0: no early stopping."""
