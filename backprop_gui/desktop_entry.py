"""``backprop-gui --install-desktop-entry``: the app in the desktop's menu, with its icon (Linux).

Writes ``backprop-gui.desktop`` to ``$XDG_DATA_HOME/applications`` (``~/.local/share/...``) and
the icon to ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/backprop-gui.svg``, each only when its
content differs: a second call changes nothing. No Qt here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .files.atomic import atomic_write_text
from .files.resources import icon_path

APP_ID = "backprop-gui"


def data_home(environ=os.environ) -> Path:
    configured = environ.get("XDG_DATA_HOME", "").strip()
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path(environ.get("HOME") or Path.home()) / ".local" / "share"


def launch_command() -> list[str]:
    """How the menu starts this app: the bundle's program, the installed ``backprop-gui``
    script, or this Python with ``-m backprop_gui``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID and script.exists():
        return [str(script.resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "backprop_gui"]


def _quoted(argument: str) -> str:
    """An Exec argument as the Desktop Entry Specification quotes it."""
    if argument and not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(_quoted(argument).replace("%", "%%") for argument in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Backprop GUI",
        "GenericName=Backpropagation trainer",
        "Comment=Learn backpropagation step by step on the course notes' network",
        f"Exec={exec_line} %f",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;Science;",
        "MimeType=text/csv;",
        "",
    ])  # fmt: skip


def install_desktop_entry(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the desktop entry and the icon where they differ; returns the files written."""
    home = home or data_home()
    wanted = {
        home / "applications" / f"{APP_ID}.desktop": desktop_entry(command or launch_command()),
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": icon_path().read_text(encoding="utf-8"),
    }
    written = []
    for path, content in wanted.items():
        try:
            if path.read_text(encoding="utf-8") == content:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, content)
        written.append(path)
    return written
