"""Where numba's cache of the compiled kernel goes, and the digest that keeps it honest.

A read-only install (a system site-packages, a school's shared environment) caches the kernel in
the user's cache folder, so it compiles once, not at every launch; the digest of the kernel's
code is read through the import system, so an install without .py files (a bundled app) has it.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_gui.engine.compiled import backprop_compiled, compiled_kernel


def test_a_writable_install_keeps_numbas_own_rule(monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(os, "access", lambda path, mode: True)
    assert backprop_compiled.cache_folder() is None  # numba's: beside the code


def test_a_read_only_install_caches_in_the_users_cache_folder(monkeypatch, tmp_path):
    pytest.importorskip("platformdirs")
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    engine_folder = Path(compiled_kernel.__file__).parent
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != engine_folder)
    folder = backprop_compiled.cache_folder()
    assert folder is not None and "backprop-gui" in folder.parts
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "backprop-gui" / "numba"


def test_numba_cache_dir_set_by_the_user_wins(monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/somewhere")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert backprop_compiled.cache_folder() is None  # numba reads NUMBA_CACHE_DIR itself


def test_the_kernel_digest_needs_no_source_files(tmp_path):
    """The same digest from an install of .pyc files only, as a bundled app has."""
    package = Path(backprop_compiled.__file__).parents[3] / "backprop_gui"
    copy = tmp_path / "backprop_gui"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-b", str(copy)], check=True)
    for source in copy.rglob("*.py"):
        source.unlink()
    code = "from backprop_gui.engine.compiled import backprop_compiled as b; print(b.__file__); print(b.KERNEL_DIGEST)"
    env = dict(os.environ, PYTHONPATH=str(tmp_path), BACKPROP_GUI_JIT="0")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    where, digest = result.stdout.split()
    assert where.endswith(".pyc") and Path(where).is_relative_to(tmp_path)
    assert digest == backprop_compiled.KERNEL_DIGEST


def test_the_digest_follows_the_code_not_where_it_lies():
    """A changed constant or operation changes the digest (numba's stale cache is then emptied);
    the file's name and the lines the code stands on do not (an install may move)."""

    def digest_of(source, filename="kernel_math.py"):
        digest = hashlib.sha256()
        backprop_compiled._code_digest(compile(source, filename, "exec"), digest)
        return digest.hexdigest()

    kernel = "def tanh(v):\n    return v * 2.0 + {0}\n"
    assert digest_of(kernel.format("1.0")) != digest_of(kernel.format("1.5"))
    assert digest_of(kernel.format("1.0")) != digest_of(kernel.format("1.0").replace("*", "/"))
    assert digest_of(kernel.format("1.0")) == digest_of("\n\n" + kernel.format("1.0"), "/elsewhere/kernel_math.py")
