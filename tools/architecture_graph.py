"""Draw docs/architecture.svg, the floors and rooms of backprop_gui from its import graph, and write
docs/ARCHITECTURE.md around it with each room's paragraph (its ``__init__`` docstring).

    python tools/architecture_graph.py        # rewrites both

grimp (installed with import-linter) reads every import, inside functions and under TYPE_CHECKING
too; each room is a subpackage (or a top-level module of a floor) and an arrow means some module
of one imports some module of the other. Rooms sit on their floor's row, the floors in the order of
the layers contract (app at the top, the engine at the bottom). No graphviz: a layered layout small
enough to write by hand.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import grimp

PROJECT = Path(__file__).resolve().parents[1]
FLOORS = [("app", ["backprop_gui.app"]), ("ui", ["backprop_gui.ui"]), ("lesson · export", ["backprop_gui.lesson", "backprop_gui.export"]),
          ("files", ["backprop_gui.files"]), ("engine", ["backprop_gui.engine"])]  # fmt: skip
BOX_W, BOX_H, GAP_X, ROW_H, LEFT = 128, 30, 12, 110, 110


def room_of(module: str, graph) -> str:
    """The room a module lives in: its subpackage two levels down, or the floor itself for a module directly in it."""
    parts = module.split(".")
    if len(parts) >= 3 and graph.find_children(".".join(parts[:3])):
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def rooms_and_arrows():
    graph = grimp.build_graph("backprop_gui", include_external_packages=False)
    rooms, arrows = set(), set()
    for module in graph.modules:
        if module == "backprop_gui":
            continue
        source = room_of(module, graph)
        rooms.add(source)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == "backprop_gui":
                continue
            target = room_of(imported, graph)
            if target != source:
                arrows.add((source, target))
    return sorted(rooms), sorted(arrows)


def floor_of(room: str) -> int:
    """The row of a room; the package's own top-level modules (app, __main__, the start-up checks) on the app's."""
    return next((k for k, (_, tops) in enumerate(FLOORS) if any(room == t or room.startswith(t + ".") for t in tops)), 0)


def svg(rooms, arrows) -> str:
    rows = [[r for r in rooms if floor_of(r) == k] for k in range(len(FLOORS))]
    width = LEFT + max(len(row) for row in rows) * (BOX_W + GAP_X) + 20
    height = len(rows) * ROW_H + 20
    place = {}
    for k, row in enumerate(rows):
        start = LEFT + (width - LEFT - 20 - len(row) * (BOX_W + GAP_X)) / 2
        for n, room in enumerate(row):
            place[room] = (start + n * (BOX_W + GAP_X), 20 + k * ROW_H)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" font-family="sans-serif" font-size="11">',
           '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
           '<path d="M0,0L10,5L0,10z" fill="#718096"/></marker></defs>', f'<rect width="{width:.0f}" height="{height}" fill="white"/>']  # fmt: skip
    for k, (name, _) in enumerate(FLOORS):
        y = 20 + k * ROW_H
        out.append(f'<rect x="4" y="{y - 8}" width="{width - 8:.0f}" height="{BOX_H + 16}" rx="6" fill="{"#f7fafc" if k % 2 else "#edf2f7"}"/>')
        out.append(f'<text x="12" y="{y + BOX_H / 2 + 4}" font-weight="bold" fill="#2d3748">{escape(name)}</text>')
    for source, target in arrows:
        (x1, y1), (x2, y2) = place[source], place[target]
        same = abs(y1 - y2) < 1
        start = (x1 + BOX_W / 2, y1 + (BOX_H / 2 if same else BOX_H))
        end = (x2 + BOX_W / 2, y2 + (BOX_H / 2 if same else 0))
        colour = "#e53e3e" if y2 < y1 else "#a0aec0"  # an arrow up would break the layers
        out.append(f'<line x1="{start[0]:.0f}" y1="{start[1]:.0f}" x2="{end[0]:.0f}" y2="{end[1]:.0f}" stroke="{colour}" '
                   f'stroke-width="0.8" marker-end="url(#a)" opacity="0.7"/>')  # fmt: skip
    for room, (x, y) in place.items():
        label = room.removeprefix("backprop_gui.")
        out.append(f'<rect x="{x:.0f}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#ebf8ff" stroke="#2b6cb0"/>')
        out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 4}" text-anchor="middle" fill="#1a202c">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


INTRO = """# Architecture: floors and rooms

<!-- Written by tools/architecture_graph.py from the import graph and each package's docstring: edit those, then run it. -->

The code stands on four floors, each importing only the floors below it: the **engine** (NumPy and
numba, no Qt), the **files** (CSV tables and sessions), the **lesson** and the **exports** beside it
(a lesson's state and its exports, no Qt), and the **ui** (the Qt views), with the app's entry
points on top. On each floor, rooms by what they own. `lint-imports` (the contracts in
`pyproject.toml`) and `tests/test_layers.py` check the rules, counting imports inside functions and
under `TYPE_CHECKING`.

![The rooms of each floor and who imports whom](architecture.svg)

Each box is a room (a subpackage, or the modules directly in a floor's folder); an arrow means some
module of one imports some module of the other. Grey arrows point down a floor or along one; an
arrow up a floor would be red, and there are none.

## The rooms
"""


def room_paragraphs(rooms) -> str:
    import ast

    out = []
    for room in rooms:
        path = PROJECT / Path(*room.split(".")) / "__init__.py"
        if not path.exists():
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        paragraph = " ".join(doc.split("\n\n")[0].split()) if doc else "(no docstring)"
        rest = " ".join(doc.split("\n\n")[1].split()) if doc.count("\n\n") and room.count(".") >= 2 else ""
        out.append(f"### `{room.replace('.', '/')}/`\n\n{paragraph}" + (f" {rest}" if rest and not rest.startswith(">>>") else "") + "\n")
    return "\n".join(out)


def main() -> int:
    rooms, arrows = rooms_and_arrows()
    target = PROJECT / "docs" / "architecture.svg"
    target.write_text(svg(rooms, arrows), encoding="utf-8")
    (PROJECT / "docs" / "ARCHITECTURE.md").write_text(INTRO + "\n" + room_paragraphs(rooms), encoding="utf-8")
    print(f"{target}: {len(rooms)} rooms, {len(arrows)} arrows; docs/ARCHITECTURE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
