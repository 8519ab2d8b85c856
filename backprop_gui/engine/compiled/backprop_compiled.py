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

# softmax (output only): the kernel keeps the output layer's z (as linear); loss code 2 makes the probabilities.
ACTIVATION_CODES = {"linear": 0, "sigmoid": 1, "tanh": 2, "relu": 3, "leaky_relu": 4, "elu": 5, "softplus": 6, "gelu": 7, "silu": 8, "softmax": 0}
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
"""The app's loading thread and a notebook's run may both ask for the kernel first: one compiles
(or loads it from the cache) while the other waits, and both then use that one. A run that must
not wait (``run_epochs_if_ready``) never takes this lock."""


class KernelNotCached(Exception):
    """``load_kernel(may_compile=False)`` found no usable kernel in numba's cache."""


def kernel_loaded() -> bool:
    """Whether the compiled kernel is compiled or loaded in this process (``warm_up`` or a run did it)."""
    return _compiled_kernel is not None


def _new_dispatcher():
    """``compiled_kernel.run_epochs`` under numba (nogil, cached on disk, no fastmath), not yet
    compiled for any argument types; numba's cache goes where ``cache_folder`` says."""
    import numba
    from numba import njit

    folder = cache_folder()
    if folder is not None:
        numba.config.CACHE_DIR = str(folder)  # read by numba's cache locator, after its import
    options = dict(nogil=True, cache=True, fastmath=False, error_model="numpy")
    compiled_kernel.compile_steps(njit, **options)  # before the loop that calls them
    return njit(**options)(compiled_kernel.run_epochs)


_dispatcher = None
"""The kernel's dispatcher and the path of its cache's digest, made once (under ``_compiling``);
``_compiled_kernel`` is it once it holds machine code for a kind of run."""

KINDS = ("rows", "blocks")
"""The kernel's two compilations: "rows", the runs made a row at a time (batches of fewer than
kernel_passes.BLOCK_MIN_BATCH rows) without validation rows, the app's default lesson; "blocks",
every run (the block passes and the validation loss included), three times the compiling."""
_BLOCKS = np.empty(0)


def blocks_argument(batch_size: int, n_validation: int) -> np.ndarray | None:
    """run_epochs's last argument: None where the "rows" kernel serves (see KINDS)."""
    from .kernel_passes import BLOCK_MIN_BATCH

    return None if batch_size < BLOCK_MIN_BATCH and n_validation == 0 else _BLOCKS


def _kernel_dispatcher():
    global _dispatcher
    if _dispatcher is None:
        kernel = _new_dispatcher()
        _dispatcher = (kernel, _forget_a_stale_cache(kernel))
    return _dispatcher


def run_epochs_compiled(*args) -> None:
    """``compiled_kernel.run_epochs`` compiled; compiled (or loaded from numba's cache) for these
    argument types on the first call that has them, which waits for it: a notebook's or a
    benchmark's first run."""
    kernel = _compiled_kernel
    if kernel is None:
        with _compiling:
            _compile(args)
        return
    kernel(*args)


def _compile(args) -> None:
    """Run the kernel on ``args``, compiling it for their types (or loading it from numba's cache);
    under ``_compiling``."""
    global _compiled_kernel
    kernel, digest_path = _kernel_dispatcher()
    kernel(*args)
    if digest_path is not None:
        _write_quietly(digest_path, KERNEL_DIGEST)
    _compiled_kernel = kernel


def run_epochs_if_ready(*args, fitted: list | None = None) -> bool:
    """Run the kernel if it is loaded and already compiled for these argument types, and say so;
    otherwise return False at once, having done nothing: never waits for the compiler or for a
    load, never compiles. The app's runs call this, and train on the NumPy path meanwhile.

    ``fitted``, a one-item list that a caller keeps between calls whose arguments have the same
    types (one trainer's), remembers that the loaded kernel fits them: checking costs a quarter
    of a millisecond, 5% of a call."""
    kernel = _compiled_kernel
    if kernel is None:
        return False
    if fitted is None or fitted[0] is not kernel:
        if not kernel_fits(args):
            return False
        if fitted is not None:
            fitted[0] = kernel
    kernel(*args)
    return True


def kernel_fits(args) -> bool:
    """Whether the loaded kernel has machine code for these arguments' types (never compiles)."""
    kernel = _compiled_kernel
    if kernel is None:
        return False
    return tuple(kernel.typeof_pyval(value) for value in args) in kernel.overloads


def load_kernel(may_compile: bool = True, kind: str = "rows") -> None:
    """Compile the kernel of one of KINDS, or load it from numba's cache, by training a tiny
    network once.

    With ``may_compile`` False only numba's cache is read: ``KernelNotCached`` when it has no kernel
    for this numba, this processor and these sources (then nothing is compiled; the app has a
    child process compile it, since a compilation holds the GIL for seconds)."""
    global _compiled_kernel
    arguments = warm_up_arguments(kind)
    if kernel_fits(arguments):
        return
    with _compiling:
        if kernel_fits(arguments):
            return
        if may_compile:
            _compile(arguments)
            return
        from numba.core import event

        kernel, _ = _kernel_dispatcher()
        with event.install_listener("numba:compile", _no_compiling(threading.get_ident())):
            try:
                kernel(*arguments)
            except _WouldCompile:
                raise KernelNotCached("numba's cache has no kernel for this numba, processor and sources") from None
        _compiled_kernel = kernel


class _WouldCompile(Exception):
    pass


def _no_compiling(thread: int):
    """A listener of numba's "numba:compile" event (numba.core.event) that stops a compilation in
    one thread before it begins: numba reads its cache before that event, compiles after it."""
    from numba.core.event import Listener

    class NoCompiling(Listener):
        def on_start(self, event) -> None:
            if threading.get_ident() == thread:
                raise _WouldCompile

        def on_end(self, event) -> None:
            pass

    return NoCompiling()


def _module_code_digest(name: str, digest) -> None:
    """Add a module's compiled code to ``digest``: its bytecode, names and constants, read through
    its import loader, so an install without .py files (a bundled app) has the same digest as one
    with them. File names and line numbers are left out: moving the install changes nothing."""
    spec = importlib.util.find_spec(name)
    code = spec.loader.get_code(name) if spec is not None and spec.loader is not None else None
    if code is None:
        digest.update(name.encode())
        return
    _code_digest(code, digest)


def _code_digest(code, digest) -> None:
    digest.update(code.co_code)
    digest.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)).encode())
    for constant in code.co_consts:
        if hasattr(constant, "co_code"):
            _code_digest(constant, digest)
        elif isinstance(constant, frozenset):
            digest.update(repr(sorted(constant, key=repr)).encode())
        else:
            digest.update(repr(constant).encode())


def kernel_sources_digest() -> str:
    """A digest of the code of every module the compiled kernel is made of (compiled_kernel.KERNEL_MODULE_NAMES)."""
    digest = hashlib.sha256()
    package = __name__.rpartition(".")[0]
    for name in compiled_kernel.KERNEL_MODULE_NAMES:
        _module_code_digest(f"{package}.{name}", digest)
    return digest.hexdigest()


KERNEL_DIGEST = kernel_sources_digest()
"""Computed once, at import: the digest kept beside numba's cache (``_forget_a_stale_cache``)."""


def cache_folder() -> Path | None:
    """Where numba caches the kernel: beside the engine's code when that folder is writable (numba's
    own choice), else the user's cache folder (platformdirs), so a read-only install (a system
    site-packages, a school's shared environment, a bundled app) compiles once, not at every launch.
    None: numba's own rule (NUMBA_CACHE_DIR when set, or the folder beside the code)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    if os.access(Path(compiled_kernel.__file__).parent, os.W_OK):
        return None
    import platformdirs

    return Path(platformdirs.user_cache_dir("backprop-gui", appauthor=False)) / "numba"


def _forget_a_stale_cache(kernel) -> Path | None:
    """numba's cache of run_epochs goes stale only when compiled_kernel.py changes: empty it when
    any kernel module has changed since it was written (by the digest kept beside it). Returns
    the digest's path, to write once the kernel is compiled; None if this numba's cache is not
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
    if current != KERNEL_DIGEST:
        cache.flush()
    return path


def _write_quietly(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError:
        pass  # a read-only cache folder: compiled again next time, never stale


def warm_up(kinds: Sequence[str] = KINDS) -> float:
    """Compile the kernel of each of ``kinds``, or load it from numba's cache.

    Returns the seconds it took (0.0 when the JIT is off). The app has a child process do this
    (``load_kernel(may_compile=False)`` then loads the result), so nobody waits for the compiler.
    """
    if not jit_available():
        return 0.0
    started = time.perf_counter()
    for kind in kinds:
        load_kernel(kind=kind)
    return time.perf_counter() - started


def warm_up_arguments(kind: str = "rows") -> tuple:
    """The arguments of a tiny run (a 2-2-1 network, 3 rows, one epoch) of a kind of KINDS: the
    types every run of that kind passes (epochs.run_compiled), so the kernel compiled for them
    serves them all."""
    if kind not in KINDS:
        raise ValueError(f"no kernel of kind {kind!r}: one of {KINDS}")
    n_validation = 0 if kind == "rows" else 1
    sizes = np.array([2, 2, 1], np.int64)
    params = np.zeros(9)
    ints = np.zeros(N_INTS, np.int64)
    floats = np.array([0.0, np.nan, np.nan])
    constants = np.array([0.9, 0.9, 0.999, 0.99, 1e-8, 0.0, 0.0])
    return (
        params, sizes, np.zeros(2, np.int64), 0, 0.1, 0, constants, np.zeros((3, 9)), np.zeros((3, 2)),
        np.zeros((3, 1)), np.arange(3, dtype=np.int64), np.empty(3, np.int64), True, np.random.default_rng(0),
        np.arange(3, dtype=np.int64), False, 1, 2, 6, ints, floats, np.empty(2),
        np.empty(9), np.zeros(1, np.int8), True, -1.0, 1e6, 0.0, np.zeros((n_validation, 2)), np.zeros((n_validation, 1)),
        np.empty(2), -1, np.zeros((3, 9)), np.zeros(9), np.zeros((3, 9)), np.zeros(9, np.bool_),
        blocks_argument(1, n_validation),
    )  # fmt: skip
