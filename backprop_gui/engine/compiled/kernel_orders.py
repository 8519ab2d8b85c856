"""The compiled kernel's draw of an epoch's random row order, with NumPy's own draws from the
trainer's generator. Plain Python until ``compiled_kernel.compile_steps`` compiles it."""

from __future__ import annotations

import numpy as np

random_interval = None
"""numba's twin of NumPy's ``random_interval`` (the draw behind ``Generator.shuffle``), put here
by ``compile_steps`` when this numba has it."""


def shuffle(rng, values):
    """``rng.shuffle(values)``: numba's own works, but copies each element through an array view."""
    rng.shuffle(values)


def shuffle_by_intervals(rng, values):
    """``rng.shuffle(values)`` as NumPy does it, Fisher–Yates with ``random_interval``: the same
    draws from the generator, so the same order and the same state after it; a fifth of the
    time of numba's ``shuffle``."""
    for i in range(values.shape[0] - 1, 0, -1):
        j = np.int64(random_interval(rng.bit_generator, np.uint64(i)))
        swapped = values[j]
        values[j] = values[i]
        values[i] = swapped


def draw_order(rng, permutation, train_rows, has_validation, order):
    """A new epoch's random order into ``order``, as ``Trainer._draw_order`` draws it:
    ``rng.permutation(n)`` (an arange shuffled, the same numbers from the same generator
    state), taken through ``train_rows`` when some rows are kept for validation (without them
    ``permutation`` is ``order`` itself)."""
    for i in range(permutation.shape[0]):
        permutation[i] = i
    shuffle(rng, permutation)
    if has_validation:
        for i in range(permutation.shape[0]):
            order[i] = train_rows[permutation[i]]
