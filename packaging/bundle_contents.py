"""What goes into the bundle and what stays out, for packaging/backprop-gui.spec.

PyInstaller collects every Qt plugin of PySide6 and every library they link to: a 401 MB folder
on a first try. The app loads far less. The spec hands PyInstaller's findings to ``keep``, which
drops what the app never loads and then, on Linux, keeps only the libraries that a kept program
file links to (read from the files' ELF headers), so a library that only a dropped plugin needed
goes with it. (Elsewhere only the patterns apply: this reads no PE or Mach-O headers.)
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path

EXCLUDED_MODULES = [
    # Not used by the app, and each pulls in large parts of Qt or of the system.
    "PySide6.QtNetwork", "PySide6.QtTest",  # (pyqtgraph needs QtOpenGL, QtOpenGLWidgets)
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSql", "PySide6.QtWebEngineCore", "PySide6.QtDBus",
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter",
    "numba.tests", "numpy.tests", "llvmlite.tests", "tkinter", "IPython", "matplotlib", "scipy",
    "torch", "pytest", "hypothesis", "PyQt5", "PyQt6", "PySide2", "readline",
]  # fmt: skip
DATA_EXCLUDES = ["**/__pycache__", "**/__pycache__/**", "**/*.nbi", "**/*.nbc", "**/*.sources"]

DROPPED = [
    # Qt's translations: the app offers English only and installs no translator.
    "PySide6/Qt/translations/*",
    # numba's parallel thread pools (OpenMP, TBB): the kernel is compiled without parallel=True.
    "numba/np/ufunc/omppool*", "numba/np/ufunc/tbbpool*",
]  # fmt: skip
QT_PLUGINS_KEPT = [
    # The X11 screen (xcb, with its OpenGL integrations), offscreen for --screenshot and CI.
    "platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqminimal.so", "xcbglintegrations/*",
    "platforms/qxcb.dll", "platforms/qwindows.dll", "platforms/qoffscreen.dll", "platforms/libqcocoa.dylib",
    "platforms/libqoffscreen.dylib", "styles/*",
    # The icon (SVG), pictures, typing accents, the desktop's file dialogs.
    "iconengines/*svg*", "imageformats/*svg*", "imageformats/*ico*", "imageformats/*jpeg*", "imageformats/*gif*",
    "platforminputcontexts/*", "platformthemes/*xdgdesktopportal*",
]  # fmt: skip
SYSTEM_LIBRARIES_LEFT_OUT = [
    # Every Linux desktop has these, and they must match the system's own: the C++ runtime that the
    # system's OpenGL driver also loads, fontconfig that reads the system's font configuration.
    "libstdc++.so*", "libgcc_s.so*", "libfontconfig.so*", "libfreetype.so*", "libGL*", "libEGL*",
    "libdbus-1.so*", "libsystemd.so*", "libX11.so*", "libxcb.so*", "libglib-2.0.so*", "libgthread-2.0.so*",
]  # fmt: skip
SYSTEM_LIBRARIES_ADDED = [
    # What Qt's xcb plugin links to that a desktop may lack (the README's list before the bundle):
    # the xcb-util family and xkbcommon-x11, all under the MIT/X11 licence, copyright notices kept.
    "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-image.so.0", "libxcb-keysyms.so.1",
    "libxcb-render-util.so.0", "libxcb-util.so.1", "libxkbcommon-x11.so.0", "libxkbcommon.so.0", "libxcb-xkb.so.1",
]  # fmt: skip
DEPENDENCY_FOLDERS = ("PySide6/Qt/lib/", "numpy.libs/", "shiboken6/", "PySide6/libpyside6")
"""Libraries (not Python extensions) kept only when something kept links to them, like those at the
top of the folder."""


KERNEL_LISTS = ("KERNEL_MODULE_NAMES", "KERNEL_SOURCES")
"""What the compiled kernel's module calls the list of the modules it is made of (names or files)."""


def kernel_module() -> str:
    """The module that lists the compiled kernel's modules, wherever it lives."""
    package = Path(importlib.util.find_spec("backprop_gui").origin).parent
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id in KERNEL_LISTS for t in targets):
                return ".".join(path.relative_to(package.parent).with_suffix("").parts)
    raise LookupError(f"no module of backprop_gui defines {' or '.join(KERNEL_LISTS)}")


def kernel_modules() -> list[str]:
    """The full names of the compiled kernel's modules, which the bundle ships as .py files."""
    kernel = importlib.import_module(kernel_module())
    names = next(getattr(kernel, name) for name in KERNEL_LISTS if hasattr(kernel, name))
    package = kernel.__name__.rpartition(".")[0]
    return [f"{package}.{Path(name).stem}" for name in names]


def system_libraries() -> list[tuple[str, str]]:
    """(path, destination) of the SYSTEM_LIBRARIES_ADDED found on this machine (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    from PyInstaller.depend.bindepend import resolve_library_path

    found = []
    for name in SYSTEM_LIBRARIES_ADDED:
        path = resolve_library_path(name)
        if path is None:
            raise SystemExit(f"{name} is not installed here; the bundle needs it (see packaging/build.py)")
        found.append((path, "."))
    return found


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _dropped(destination: str) -> bool:
    if _matches(destination, DROPPED):
        return True
    plugins = "PySide6/Qt/plugins/"
    if destination.startswith(plugins):
        return not _matches(destination[len(plugins) :], QT_PLUGINS_KEPT)
    base = destination.rsplit("/", 1)[-1]
    return "/" not in destination and _matches(base, SYSTEM_LIBRARIES_LEFT_OUT) and base not in SYSTEM_LIBRARIES_ADDED


def _elf_sections(data: bytes) -> list[tuple]:
    """The section headers of an ELF64 little-endian file; [] for anything else."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    return [struct.unpack_from("<IIQQQQIIQQ", data, section_offset + i * entry_size) for i in range(count)]


def needed_libraries(path: str) -> list[str]:
    """The DT_NEEDED names of an ELF64 little-endian file; [] for anything else."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return []
    sections = _elf_sections(data)
    names = []
    for _name, kind, _flags, _address, offset, size, link, _info, _align, _entry in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        for position in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, position)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strings + value)
                names.append(data[strings + value : end].decode())
    return names


def has_symbol_table(path: Path) -> bool:
    """Whether an ELF64 file carries a symbol table (SHT_SYMTAB) that ``strip`` would remove."""
    with open(path, "rb") as file:
        head = file.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return False
        file.seek(0)
        return any(section[1] == 2 for section in _elf_sections(file.read()))


def system_library_notices() -> dict[str, str]:
    """The Debian copyright file of each SYSTEM_LIBRARIES_ADDED, by package; {} without dpkg."""
    if shutil.which("dpkg") is None or not sys.platform.startswith("linux"):
        return {}
    from PyInstaller.depend.bindepend import resolve_library_path

    notices = {}
    for name in SYSTEM_LIBRARIES_ADDED:
        real = Path(resolve_library_path(name)).resolve()
        for candidate in (real, Path("/usr") / real.relative_to("/") if not str(real).startswith("/usr/") else real):
            found = subprocess.run(["dpkg", "-S", str(candidate)], capture_output=True, text=True)
            if found.returncode == 0:
                package = found.stdout.split(":", 1)[0]
                copyright_file = Path("/usr/share/doc") / package / "copyright"
                if copyright_file.exists():
                    notices[package] = copyright_file.read_text(encoding="utf-8", errors="replace")
                break
    return notices


def keep_binaries(binaries):
    """PyInstaller's binaries less the dropped ones and the libraries nothing kept links to."""
    entries = [entry for entry in binaries if not _dropped(entry[0])]
    if not sys.platform.startswith("linux"):
        return entries
    by_name: dict[str, list] = {}
    for entry in entries:
        by_name.setdefault(entry[0].rsplit("/", 1)[-1], []).append(entry)

    def is_dependency(destination: str, kind: str) -> bool:
        return kind != "EXTENSION" and ("/" not in destination or destination.startswith(DEPENDENCY_FOLDERS))

    kept = {entry[0] for entry in entries if entry[2] != "SYMLINK" and not is_dependency(entry[0], entry[2])}
    kept.update(name for name in by_name if name.startswith("libpython"))  # the program loads it
    kept.update(name for name in SYSTEM_LIBRARIES_ADDED if name in by_name)
    sources = {entry[0]: entry[1] for entry in entries if entry[2] != "SYMLINK"}
    waiting = list(kept)
    while waiting:
        for name in needed_libraries(sources.get(waiting.pop(), "")):
            for destination, _source, kind in by_name.get(name, []):
                target = _source if kind == "SYMLINK" else destination
                if target not in kept:
                    kept.add(target)
                    waiting.append(target)
                if kind == "SYMLINK":
                    kept.add(destination)
    return [entry for entry in entries if entry[0] in kept or (entry[2] == "SYMLINK" and entry[1] in kept)]


def keep(binaries, datas):
    """(binaries, datas) as the spec should collect them: the links PyInstaller makes at the top
    of the folder (in datas) go with the libraries they point to."""
    binaries = keep_binaries(binaries)
    kept = {entry[0] for entry in binaries}
    datas = [entry for entry in datas if not _dropped(entry[0]) and (entry[2] != "SYMLINK" or entry[1] in kept)]
    return binaries, datas
