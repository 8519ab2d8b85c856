"""The fast twin of ``backprop.py``: whole epochs of training, compiled with numba.

The chain rule is written twice in this engine: readably in ``backprop.py`` (NumPy, one
array operation per equation, what ``Trainer.step`` shows a student), and in
``compiled_kernel.py``, as loops over single numbers that numba compiles to machine code. This
module is that kernel's Python side: whether it is in use, the flat layout of the parameters,
compiling it once, and warming it up. The kernel runs many epochs per
call with the GIL released, so the GUI thread runs while it trains; it agrees with
``Trainer.step`` to within about 1e-12 relative (the order of the sums in a matrix product
and the last bit of tanh may differ), and gives the same floats on every run.

Where numba is missing, or the environment sets ``BACKPROP_GUI_JIT=0``, ``jit_available()``
is False and ``Trainer`` runs the readable functions of ``backprop.py`` in a loop instead:
slower, with the floats of ``step()`` bit for bit.

The kernel sees the network as one flat float64 array: for each weight layer k, w^(k+1) row
by row (``weights[k].ravel()``), then b_(k+1). ``flatten`` and ``unflatten`` convert.

The slots of a run's ``ints`` and ``floats`` arrays and its statuses (run_slots.py) are named
from here too, as epochs.py and trainer.py import them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from . import compiled_kernel
from .run_slots import (  # noqa: F401  (epochs.py and trainer.py import them from here)
    BEGUN,
    BEST_EPOCH,
    BEST_LOSS,
    BEST_T,
    EPOCH_BASE,
    EPOCHS_DONE,
    LOSS_SUM,
    N_FLOATS,
    N_INTS,
    NEXT_BATCH,
    REFERENCE,
    SINCE_BEST,
    STATUS,
    STATUS_CONVERGED,
    STATUS_DIVERGED,
    STATUS_DONE,
    STATUS_EARLY_STOPPED,
    STATUS_NAMES,
    STATUS_STOPPED,
    T,
    T_BEFORE,
    UPDATES,
)

JIT_ENVIRONMENT_VARIABLE = "BACKPROP_GUI_JIT"

ACTIVATION_CODES = {"linear": 0, "sigmoid": 1, "tanh": 2, "relu": 3}
"""The kernel's number for each activation of activations.py."""

NUMBA_INSTALLED = importlib.util.find_spec("numba") is not None
"""numba is optional: without it the NumPy path does the same work. It is imported only when a
run first needs the kernel, so the app starts without paying for the import (half a second)."""


def _jit_wanted() -> bool:
    return os.environ.get(JIT_ENVIRONMENT_VARIABLE, "1").strip() not in ("0", "false", "no", "off")


def jit_available() -> bool:
    """True when training runs the compiled kernel: numba imports and BACKPROP_GUI_JIT is not 0."""
    return NUMBA_INSTALLED and _jit_wanted()


def flatten(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], out: np.ndarray | None = None) -> np.ndarray:
    """The parameters as the kernel holds them: w¹ row by row, b₁, w², b₂, …"""
    parts = []
    for w, b in zip(weights, biases):
        parts.append(w.reshape(-1))
        parts.append(b.reshape(-1))
    if out is None:
        return np.concatenate(parts)
    np.concatenate(parts, out=out)
    return out


def unflatten(flat: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
    """Copy a flat parameter array back into the network's arrays, in place."""
    offset = 0
    for w, b in zip(weights, biases):
        w.reshape(-1)[...] = flat[offset : offset + w.size]
        offset += w.size
        b[...] = flat[offset : offset + b.size]
        offset += b.size


_compiled_kernel = None
_compiling = threading.Lock()
"""The app's warm-up thread and a training thread may both ask for the kernel first: one compiles
(or loads it from the cache) while the other waits, and both then use that one."""


def kernel_loaded() -> bool:
    """Whether the compiled kernel is compiled or loaded in this process (``warm_up`` or a run did it)."""
    return _compiled_kernel is not None


def run_epochs_compiled(*args) -> None:
    """``compiled_kernel.run_epochs`` compiled (nogil, cached on disk, no fastmath); compiled on the first call."""
    global _compiled_kernel
    with _compiling:
        if _compiled_kernel is None:
            from numba import njit

            options = dict(nogil=True, cache=True, fastmath=False, error_model="numpy")
            compiled_kernel.compile_steps(njit, **options)  # before the loop that calls them
            kernel = njit(**options)(compiled_kernel.run_epochs)
            digest_path = _forget_a_stale_cache(kernel)
            # The first call compiles for these argument types; run it under the lock too.
            kernel(*args)
            if digest_path is not None:
                _write_quietly(digest_path, kernel_sources_digest())
            _compiled_kernel = kernel
            return
    _compiled_kernel(*args)


def kernel_sources_digest() -> str:
    """A digest of every file the compiled kernel is made of (compiled_kernel.KERNEL_SOURCES)."""
    folder = Path(compiled_kernel.__file__).parent
    digest = hashlib.sha256()
    for name in compiled_kernel.KERNEL_SOURCES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def _forget_a_stale_cache(kernel) -> Path | None:
    """numba's cache of run_epochs goes stale only when compiled_kernel.py changes: empty it when
    any kernel file has changed since it was written (by the digest kept beside it). Returns the
    digest's path, to write once the kernel is compiled; None if this numba's cache is not
    where this expects it (then numba's own rule stands)."""
    cache = getattr(kernel, "_cache", None)
    folder = getattr(cache, "cache_path", None)
    if folder is None or not hasattr(cache, "flush"):
        return None
    path = Path(folder) / "compiled_kernel.sources"
    try:
        current = path.read_text().strip()
    except OSError:
        current = None
    if current != kernel_sources_digest():
        cache.flush()
    return path


def _write_quietly(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError:
        pass  # a read-only cache folder: compiled again next time, never stale


def warm_up() -> float:
    """Compile the kernel, or load it from numba's cache, by training a tiny network once.

    Returns the seconds it took (0.0 when the JIT is off). The app calls this in a background
    thread after its window shows, so the first Train does not wait for the compiler.
    """
    if not jit_available():
        return 0.0
    started = time.perf_counter()
    sizes = np.array([2, 2, 1], np.int64)
    params = np.zeros(9)
    ints = np.zeros(N_INTS, np.int64)
    floats = np.array([0.0, np.nan, np.nan])
    constants = np.array([0.9, 0.9, 0.999, 0.99, 1e-8, 0.0, 0.0])
    run_epochs_compiled(
        params, sizes, np.zeros(2, np.int64), 0, 0.1, 0, constants, np.zeros((3, 9)), np.zeros((3, 2)),
        np.zeros((3, 1)), np.arange(3, dtype=np.int64), np.empty(3, np.int64), True, np.random.default_rng(0),
        np.arange(3, dtype=np.int64), False, 1, 2, 6, ints, floats, np.empty(2),
        np.empty(9), np.zeros(1, np.int8), True, -1.0, 1e6, 0.0, np.zeros((1, 2)), np.zeros((1, 1)), np.empty(2),
        -1, np.zeros((3, 9)), np.zeros(9), np.zeros((3, 9)),
    )
    return time.perf_counter() - started
