"""Fixtures of the engine tests. No Qt here: the engine runs without it.

The engine has two ways to train: the compiled kernel (backprop_compiled.py, when numba is
installed) and the readable NumPy functions of backprop.py. Every test runs on whichever
BACKPROP_GUI_JIT selects (CI runs the suite once as it is and once with BACKPROP_GUI_JIT=0);
tests that compare the two ways ask for ``engine_path``, which runs them on both.
"""

import pytest

from backprop_gui.engine import jit_available


@pytest.fixture(params=["compiled", "readable"])
def engine_path(request, monkeypatch):
    """Run the test once on the compiled kernel (skipped without numba) and once on backprop.py."""
    if request.param == "compiled":
        if not jit_available():
            pytest.skip("the compiled kernel is off: numba is not installed or BACKPROP_GUI_JIT=0")
    else:
        monkeypatch.setenv("BACKPROP_GUI_JIT", "0")
    return request.param
