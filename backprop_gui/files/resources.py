"""Files shipped in ``resources/`` (installed as the package ``backprop_gui.resources``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    try:
        base = files("backprop_gui.resources")
    except ModuleNotFoundError:
        # Run from a source checkout without installing: resources/ sits beside the package.
        base = Path(__file__).resolve().parents[2] / "resources"
    return Path(str(base / name))


def icon_path() -> Path:
    return resource_path("icon.svg")
