"""The compiled kernel's own tanh (kernel_math.tanh) against NumPy's, which step() uses.

The kernel computes tanh in arithmetic only so that its loops over blocks of rows vectorise;
every hidden tanh or sigmoid neuron of a training run goes through it. It must agree with
np.tanh to within the last bit or two everywhere, keep tanh's symmetry, and treat NaN, the
infinities and signed zeros as np.tanh does, or the kernel would drift away from step().
"""

import math

import numpy as np
import pytest

from backprop_gui.engine import jit_available
from backprop_gui.engine.compiled import kernel_math

ULPS = 2
"""At most this many units in the last place from np.tanh (each is within about one of the
true value)."""


def kernel_tanh_python():
    """The kernel's tanh as plain Python (before or after numba compiled it)."""
    return getattr(kernel_math.tanh, "py_func", kernel_math.tanh)


def awkward_values(n_uniform: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    tiny = np.logspace(-320, 0, 2_000)
    edges = np.concatenate([0.625 + np.arange(-50, 51) * 1e-16, 20.0 + np.arange(-50, 51) * 1e-14, [19.06, 18.5]])
    values = np.concatenate([rng.uniform(-25.0, 25.0, n_uniform), rng.normal(0.0, 1.0, n_uniform), tiny, edges, [1e300, 710.0]])
    return np.concatenate([values, -values])


def assert_close_to_numpy(values: np.ndarray, results: np.ndarray) -> None:
    expected = np.tanh(values)
    tolerance = ULPS * np.spacing(np.abs(expected))
    worst = np.argmax(np.abs(results - expected) / tolerance)
    assert np.all(np.abs(results - expected) <= tolerance), (values[worst], results[worst], expected[worst])


def test_the_kernels_tanh_as_python_is_np_tanh_to_the_last_bits():
    tanh = kernel_tanh_python()
    values = awkward_values(5_000)
    assert_close_to_numpy(values, np.array([tanh(float(v)) for v in values]))


def test_special_values_behave_as_in_np_tanh():
    tanh = kernel_tanh_python()
    assert math.isnan(tanh(math.nan))
    assert tanh(math.inf) == 1.0 and tanh(-math.inf) == -1.0
    assert math.copysign(1.0, tanh(-0.0)) == -1.0 and math.copysign(1.0, tanh(0.0)) == 1.0
    assert tanh(5e-324) == 5e-324  # the smallest subnormal: tanh(v) = v to the last bit
    assert tanh(1e300) == 1.0 and tanh(-1e300) == -1.0


@pytest.mark.skipif(not jit_available(), reason="the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
def test_compiled_in_a_loop_as_the_kernel_uses_it_it_is_np_tanh_to_the_last_bits():
    from numba import njit

    scalar = njit(inline="always", error_model="numpy")(kernel_tanh_python())

    @njit(error_model="numpy")
    def apply(values, out):
        for i in range(values.shape[0]):
            out[i] = scalar(values[i])

    values = awkward_values(500_000)
    results = np.empty_like(values)
    apply(values, results)
    assert_close_to_numpy(values, results)
    half = values.size // 2
    assert np.array_equal(results[half:], -results[:half])  # tanh(−v) = −tanh(v), exactly


def test_a_change_to_any_kernel_file_empties_numbas_cache_of_the_kernel(tmp_path):
    """numba's cache of run_epochs goes stale only with compiled_kernel.py; the kernel is made of
    more files than that, so a digest of them all kept beside the cache decides."""
    from backprop_gui.engine.compiled import backprop_compiled

    class Cache:
        cache_path = str(tmp_path)
        flushed = 0

        def flush(self):
            self.flushed += 1

    class Kernel:
        _cache = Cache()

    kernel = Kernel()
    path = backprop_compiled._forget_a_stale_cache(kernel)
    assert kernel._cache.flushed == 1  # no digest yet: whatever is cached may be stale
    backprop_compiled._write_quietly(path, backprop_compiled.kernel_sources_digest())
    backprop_compiled._forget_a_stale_cache(kernel)
    assert kernel._cache.flushed == 1  # the same sources: the cache stands
    path.write_text("the digest of other sources")
    backprop_compiled._forget_a_stale_cache(kernel)
    assert kernel._cache.flushed == 2
