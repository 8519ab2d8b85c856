"""Files shipped in ``resources/`` (installed as the package ``backprop_gui.resources``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    return Path(str(files("backprop_gui.resources") / name))


def icon_path() -> Path:
    return resource_path("icon.svg")


def example_path(name: str) -> Path:
    return resource_path(name)
