"""The layer rules hold: lint-imports passes (pyproject.toml's contracts), and an import graph read
from the source itself, counting every import (inside functions and under TYPE_CHECKING too),
has no cycle; no folder holds more than 16 modules, no module is over 400 lines, and every
package is installed."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "backprop_gui"
MAX_MODULES_IN_A_FOLDER = 16
MAX_MODULE_LINES = 400


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PROJECT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_modules(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its source: at the top, inside
    functions, under TYPE_CHECKING. ``from a import b`` counts b when b is a module, else a."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]

    def nearest_module(dotted: str) -> str:
        while dotted not in known:
            dotted = dotted.rsplit(".", 1)[0]
        return dotted

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {nearest_module(alias.name) for alias in node.names if alias.name.split(".")[0] == "backprop_gui"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "backprop_gui":
                source = node.module
            else:
                continue
            for alias in node.names:
                dotted = f"{source}.{alias.name}"
                found.add(dotted if dotted in known else nearest_module(source))
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's, without recursion)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_no_module_imports_itself_at_any_depth():
    known = modules()
    graph = {name: imported_modules(name, path, known) for name, path in known.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    known = {"backprop_gui.x": Path("x.py"), "backprop_gui.y": Path("y.py"), "backprop_gui": Path("__init__.py")}
    source = "\n".join(
        ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    from .y import Y", "def f():", "    from . import y", ""]
    )
    probe = tmp_path / "x.py"
    probe.write_text(source, encoding="utf-8")
    assert imported_modules("backprop_gui.x", probe, known) == {"backprop_gui.y"}


def test_no_folder_holds_more_than_16_modules():
    crowded = {}
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        count = len(list(folder.glob("*.py")))
        if count > MAX_MODULES_IN_A_FOLDER:
            crowded[str(folder.relative_to(PROJECT))] = count
    assert crowded == {}


def test_no_module_is_over_400_lines():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long[str(path.relative_to(PROJECT))] = lines
    assert long == {}


def test_every_package_is_installed():
    settings = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(settings["tool"]["setuptools"]["packages"])
    packages = {".".join(p.parent.relative_to(PROJECT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert packages - listed == set()
