"""The bundle's entry point: PyInstaller runs this file as the program ``backprop-gui``.

It does three things a frozen app needs before the app's own ``main``:

- ``backprop-gui -c CODE`` runs CODE, as ``python -c`` would, and ``backprop-gui -m MODULE`` the
  module: the app starts its kernel-compiling child as ``sys.executable -c …``
  (ui/training_runner.py), and in a bundle ``sys.executable`` is this program, not a Python
  interpreter. A child of ``multiprocessing`` is served too (``freeze_support``).
- numba's cache goes to the user's cache folder (``~/.cache/backprop-gui/numba`` on Linux), unless
  ``NUMBA_CACHE_DIR`` is set already: the bundle's own folder may be read-only, and numba's
  user-wide fallback files a frozen module under the current directory's path.
- then it calls ``backprop_gui.app.main`` with the command line.
"""

import os
import sys


def _user_cache_folder() -> str:
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("backprop-gui", appauthor=False), "numba")


def _run_code(code: str, arguments: list[str]) -> int:
    sys.argv = ["-c", *arguments]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    return 0


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
        os.environ.setdefault("NUMBA_CACHE_DIR", _user_cache_folder())
        if len(sys.argv) >= 3 and sys.argv[1] == "-c":
            raise SystemExit(_run_code(sys.argv[2], sys.argv[3:]))
        if len(sys.argv) >= 3 and sys.argv[1] == "-m":
            import runpy

            sys.argv = [sys.argv[2], *sys.argv[3:]]
            runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
            raise SystemExit(0)

    from backprop_gui.app import main

    raise SystemExit(main())
