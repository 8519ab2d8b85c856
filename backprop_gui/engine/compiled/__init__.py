"""The compiled training kernel: the only modules that import numba.

Owns ``compiled_kernel.py`` (the numba twin of ``backprop.py`` that training runs use, made of
``kernel_passes.py``, ``kernel_math.py`` and ``kernel_orders.py``), ``run_slots.py`` (the slots a
run and its caller share) and ``backprop_compiled.py`` (loads, warms up and calls the kernel; the
engine runs its NumPy path where numba is missing). It may import NumPy and numba and nothing
else of the package; the rest of the engine reaches numba only through ``backprop_compiled``.
"""
