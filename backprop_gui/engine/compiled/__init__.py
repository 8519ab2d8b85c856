"""The compiled training kernel: the only modules that import numba.

Owns ``compiled_kernel.py`` (the numba twin of ``backprop.py`` that training runs use, made of
``kernel_passes.py``, ``kernel_math.py`` and ``kernel_orders.py``), ``run_slots.py`` (the slots a
run and its caller share) and ``backprop_compiled.py`` (compiles or loads, warms up and calls the
kernel, and says where numba caches it; the engine runs its NumPy path where numba is missing or
the kernel is not loaded yet). It may import NumPy, numba and platformdirs (the user's cache
folder, for a read-only install) and nothing else of the package; the rest of the engine reaches
numba only through ``backprop_compiled``.
"""
