"""Before Qt opens the window on X11: can Qt's xcb platform plugin load its system libraries?

Without them Qt prints "Could not load the Qt platform plugin "xcb"" among a page of hints and
aborts with a core dump. This module tries the libraries first (with ctypes, as the plugin would)
and says in one message which are missing and the command that installs them. No Qt here.
"""

from __future__ import annotations

import _ctypes
import ctypes
import os
import shutil
import sys
from pathlib import Path

XCB_LIBRARIES = {
    # What Qt's xcb plugin (and the Qt libraries under it) links to, beyond the C library: the
    # library, its Debian/Ubuntu package, its Fedora package. The first ones a desktop is likeliest
    # to lack; the README named them before the bundle copied them in.
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}


def xcb_wanted(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will open the window through xcb: Linux, QT_QPA_PLATFORM unset or xcb, an X
    display named, and no Wayland session that Qt would choose first."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen == "xcb":
        return True
    return not chosen and bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def _load(name: str, folders: list[Path]) -> str | None:
    """None if the library loads, else the loader's reason (its first line)."""
    for folder in folders:
        if (folder / name).exists():
            name = str(folder / name)
            break
    try:
        # The loader itself, not ctypes.CDLL: in a bundle PyInstaller replaces CDLL's reason with
        # its own guess ("most likely not found when the application was frozen").
        _ctypes.dlopen(name, ctypes.RTLD_LOCAL | os.RTLD_NOW)
    except OSError as error:
        return str(error).splitlines()[0]
    return None


def missing_libraries(folders: list[Path] | None = None, load=_load) -> dict[str, str]:
    """The XCB_LIBRARIES that do not load, each with its reason. A library that fails because
    another is missing is not counted: the reason names the one that is (``libX: cannot open``).
    ``folders``: where a bundle keeps its own copies, tried first."""
    folders = list(folders or [])
    failures = {name: reason for name in XCB_LIBRARIES if (reason := load(name, folders)) is not None}
    named = {reason.split(":", 1)[0].strip().rsplit("/", 1)[-1] for reason in failures.values()}
    return {name: reason for name, reason in failures.items() if name in named or not named & XCB_LIBRARIES.keys()}


def install_command(missing, which=shutil.which) -> str:
    """The command that installs the packages of the missing libraries, for this system's
    package manager (apt-get, dnf), or both when neither is found."""
    debian = sorted({XCB_LIBRARIES[name][0] for name in missing})
    fedora = sorted({XCB_LIBRARIES[name][1] for name in missing})
    if which("apt-get"):
        return "sudo apt-get install " + " ".join(debian)
    if which("dnf"):
        return "sudo dnf install " + " ".join(fedora)
    return f"sudo apt-get install {' '.join(debian)}  (Debian, Ubuntu)\n  sudo dnf install {' '.join(fedora)}  (Fedora)"


def message(missing: dict[str, str], which=shutil.which) -> str:
    lines = ["backprop-gui: the window cannot open: Qt's X11 platform plugin (xcb) needs system libraries that do not load:"]
    for name, reason in missing.items():
        culprit, _, why = reason.partition(":")
        lines.append(f"  {name} ({why.strip() if culprit.strip().endswith(name) else reason})")
    lines += ["Install them with:", "  " + install_command(missing, which)]
    return "\n".join(lines)


def bundled_library_folders() -> list[Path]:
    """Where a frozen app keeps the libraries it ships (PyInstaller's _internal); [] otherwise."""
    base = getattr(sys, "_MEIPASS", None)
    return [Path(base)] if base else []


NO_DISPLAY = (
    "backprop-gui: no screen to open the window on: neither DISPLAY nor WAYLAND_DISPLAY is set. Start it "
    "from a desktop session (or xvfb-run); `--screenshot PATH` works without a screen."
)


def no_display(environ=os.environ, platform: str = sys.platform) -> bool:
    """Linux with no display named and no platform chosen: Qt would abort ("could not connect")."""
    return (
        platform.startswith("linux")
        and not environ.get("QT_QPA_PLATFORM")
        and not environ.get("DISPLAY")
        and not environ.get("WAYLAND_DISPLAY")
    )


def check_screen() -> str | None:
    """The message to print and exit with when the window cannot open (no display named, or xcb
    will be used and cannot load), else None."""
    if no_display():
        return NO_DISPLAY
    if not xcb_wanted():
        return None
    missing = missing_libraries(bundled_library_folders())
    return message(missing) if missing else None
