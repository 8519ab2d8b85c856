"""Build the self-contained Backprop GUI: ``python packaging/build.py``.

Makes ``dist/backprop-gui-<version>-<platform>.tar.gz`` (a ``.zip`` on Windows): one folder with
the program ``backprop-gui``, Python, Qt (with its xcb plugin and the X11 libraries a bare desktop
may lack), NumPy, numba, the user guide and the example tables. Run from a clone, with the Python
the bundle should carry (3.11 or newer). Inside a virtual environment it installs the app and
PyInstaller there; outside one it makes ``build/venv`` first and works in that. Prints the
archive's size and the unpacked size, and fails when the folder is over ``SIZE_LIMIT_MB``.

Options: ``--no-install`` (the environment has the app, non-editable, and PyInstaller already).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SIZE_LIMIT_MB = 350
EXAMPLES = ["notes_example.csv", "package_regression.csv", "placement.csv", "overfitting.csv"]
sys.path.insert(0, str(PACKAGING))

import bundle_contents  # noqa: E402


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{system}-{platform.machine().lower()}"


def project_version() -> str:
    for line in (ROOT / "backprop_gui" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("no __version__ in backprop_gui/__init__.py")


def in_virtual_environment() -> bool:
    return sys.prefix != sys.base_prefix


def run(*command: str | Path, **options) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **options)


def reenter_in_build_venv(arguments: list[str]) -> int:
    """Outside a virtual environment: make build/venv and run this script again with it."""
    venv = ROOT / "build" / "venv"
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        run(sys.executable, "-m", "venv", venv)
    return subprocess.run([str(python), __file__, *arguments]).returncode


def install() -> None:
    # Not editable: PyInstaller must find the package and its resources where pip puts them.
    run(sys.executable, "-m", "pip", "install", "--quiet", f"{ROOT}[bundle]")


def folder_size(folder: Path) -> int:
    """Bytes of every file under folder, a symbolic link counted as the link, not its target."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir() or path.is_symlink())


def strip_symbols(folder: Path) -> int:
    """Strip the symbol tables of the ELF files that have one (libllvmlite, libpython: 36 MB of
    the folder). Never numpy.libs' libraries, which auditwheel rewrote. Returns the bytes saved."""
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        print("strip not found (binutils): the folder keeps its symbol tables")
        return 0
    saved = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or "numpy.libs" in path.parts:
            continue
        if bundle_contents.has_symbol_table(path):
            before = path.stat().st_size
            subprocess.run([strip, "--strip-unneeded", str(path)], check=True)
            saved += before - path.stat().st_size
    return saved


def add_extras(folder: Path) -> None:
    """The user guide and the example tables where a student sees them, and the notices of the
    system libraries copied in."""
    resources = ROOT / "resources"
    shutil.copy2(resources / "user_guide.html", folder / "user-guide.html")
    (folder / "examples").mkdir(exist_ok=True)
    for name in EXAMPLES:
        shutil.copy2(resources / name, folder / "examples" / name)
    shutil.copy2(resources / "icon.svg", folder / "backprop-gui.svg")
    notices = bundle_contents.system_library_notices()
    if notices:
        licenses = folder / "licenses"
        licenses.mkdir(exist_ok=True)
        for package, text in notices.items():
            (licenses / f"{package}.txt").write_text(text, encoding="utf-8")


def pack(folder: Path, archive_base: Path) -> Path:
    if sys.platform == "win32":
        archive = archive_base.with_name(archive_base.name + ".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
            for path in sorted(folder.rglob("*")):
                packed.write(path, path.relative_to(folder.parent))
        return archive
    archive = archive_base.with_name(archive_base.name + ".tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=6) as packed:
        packed.add(folder, arcname=folder.name)
    return archive


def build() -> Path:
    name = f"backprop-gui-{project_version()}-{platform_tag()}"
    work = ROOT / "build" / "pyinstaller"
    made = work / "dist"
    shutil.rmtree(made, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    run(
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", made, "--workpath", work / "work", PACKAGING / "backprop-gui.spec",
        cwd=work,  # not the checkout, whose backprop_gui/ has no resources/: the installed one counts
    )  # fmt: skip
    folder = made / name
    (made / "backprop-gui").rename(folder)
    saved = strip_symbols(folder)
    add_extras(folder)
    dist = ROOT / "dist"
    dist.mkdir(exist_ok=True)
    archive = pack(folder, dist / name)
    unpacked = folder_size(folder)
    print(f"built in {time.perf_counter() - started:.0f} s: {archive}")
    print(f"archive {archive.stat().st_size / 1e6:.1f} MB, unpacked {unpacked / 1e6:.1f} MB "
          f"({saved / 1e6:.0f} MB of symbol tables stripped; limit {SIZE_LIMIT_MB} MB)")  # fmt: skip
    if unpacked > SIZE_LIMIT_MB * 1e6:
        raise SystemExit(f"the unpacked bundle is over {SIZE_LIMIT_MB} MB")
    return archive


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-install", action="store_true", help="use the environment as it is")
    options = parser.parse_args(arguments)
    if not in_virtual_environment() and not options.no_install:
        return reenter_in_build_venv(arguments)
    if not options.no_install:
        install()
    build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
