"""Where everything of the network diagram goes, in the view's own pixels; no Qt.

The diagram is laid out to the size of its pane instead of being drawn once and scaled to fit, so
its text keeps the pixel size it was given (at least 11 px) whatever the window's size. The view
measures its texts (with the fonts of the current zoom) and hands the measures here; this module
returns every position.

Nothing overlaps by construction:
- each column of neurons owns a vertical band (its circles, the bias tags under them, the values
  beside them in a crowded column) and the bands never meet;
- the weight labels of a pair of columns stand in one stack between the two bands, each as near
  its edge as the stack allows, with a leader line when pushed off it; a stack that cannot fit
  shows its values on hover instead;
- the caption and headings are above the neurons, the legend and the phase's equations below.

Label widths are the widest text a label will hold (the view keeps a high-water mark and widens it
before a step is shown with every phase's texts), so nothing moves from phase to phase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_LABELLED_NEURONS = 4
"""Beyond this many neurons in a column, its edge and bias labels show on hover only."""
MAX_LABELLED_EDGES = 16
MAX_INPUT_ROWS = 8
"""More inputs than this (a wide CSV) are shown a window at a time; the column scrolls."""
GAP = 6.0
"""Free pixels kept between any two boxes."""


@dataclass(frozen=True)
class Box:
    """A rectangle by its centre and size."""

    x: float
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    def intersects(self, other: Box) -> bool:
        return abs(self.x - other.x) * 2 < self.w + other.w and abs(self.y - other.y) * 2 < self.h + other.h


@dataclass
class Measures:
    """Pixel sizes of the texts at the current zoom, measured by the view."""

    name_w: list[list[float]]
    """Width of each neuron's name, per column (layer 0: the inputs)."""
    name_h: float
    value_w: float
    """The widest value a neuron will show."""
    value_h: float
    label_h: float
    """Height of a weight or bias tag, box included."""
    header_h: float
    """Caption and column headings."""
    heading_w: list[float]
    footer_h: float
    """Legend and the phase's equations."""
    marker_w: float = 0.0
    marker_h: float = 0.0
    margin: float = 12.0


@dataclass
class Layout:
    radius: list[float]
    crowded: list[bool]
    """Per column: values beside the neurons, weights and biases on hover."""
    centres: list[list[tuple[float, float] | None]]
    """Per column, each neuron's centre; None for an input scrolled out of view."""
    edge_labels: dict[tuple[int, int, int], tuple[Box, float | None]] = field(default_factory=dict)
    """(layer, i, j) → the label's box and, if it was pushed off its edge, where its leader meets the edge (y)."""
    bias_tags: dict[tuple[int, int], Box] = field(default_factory=dict)
    headings: list[tuple[float, float]] = field(default_factory=list)
    """Centre x and top y of each column's heading."""
    region: tuple[float, float] = (0.0, 0.0)
    """Top and bottom of the neurons' band of the diagram."""
    input_window: tuple[int, int] = (0, 0)
    """First input shown and how many."""
    markers: tuple[Box | None, Box | None] = (None, None)
    """The "more inputs above / below" tags of a scrolled input column."""
    width: float = 0.0
    height: float = 0.0


def place_stack(desired: list[float], pitch: float, low: float, high: float) -> list[float] | None:
    """Centres for boxes of height ``pitch`` in [low, high], in the order of ``desired``, as near
    their desired centres as possible without overlapping; None if they cannot all fit."""
    n = len(desired)
    if n == 0:
        return []
    if n * pitch > high - low + 1e-9:
        return None
    order = sorted(range(n), key=lambda k: desired[k])
    clusters: list[list] = []  # [top, count, sum of (desired top − index in cluster × pitch), members]
    for k in order:
        top = desired[k] - pitch / 2
        clusters.append([top, 1, top, [k]])
        _clamp(clusters[-1], pitch, low, high)
        while len(clusters) > 1 and clusters[-2][0] + clusters[-2][1] * pitch > clusters[-1][0] + 1e-9:
            last = clusters.pop()
            first = clusters[-1]
            first[2] += last[2] - last[1] * first[1] * pitch
            first[1] += last[1]
            first[3] += last[3]
            _clamp(first, pitch, low, high)
    placed = [0.0] * n
    for top, _, _, members in clusters:
        for index, k in enumerate(members):
            placed[k] = top + (index + 0.5) * pitch
    return placed


def place_around(
    desired: list[float], placed: list[float], pitch: float, low: float, high: float, obstacles: list[tuple[float, float]]
) -> list[float] | None:
    """Move a stack's boxes (centres ``placed``) off the obstacles' spans of y, keeping their order:
    each box goes to the first free place at or below where it was (or below the box before it);
    if the last one runs out of room, the whole stack is packed from the top instead."""
    blocked = sorted(obstacles)
    order = sorted(range(len(placed)), key=lambda k: (placed[k], desired[k]))

    def pack(starts: list[float]) -> list[float] | None:
        out = [0.0] * len(placed)
        cursor = low
        for k, start in zip(order, starts):
            top = max(start - pitch / 2, cursor)
            moved = True
            while moved:
                moved = False
                for a, b in blocked:
                    if top < b and top + pitch > a:
                        top, moved = b, True
            if top + pitch > high + 1e-9:
                return None
            out[k] = top + pitch / 2
            cursor = top + pitch
        return out

    return pack([placed[k] for k in order]) or pack([low] * len(order))


def _clamp(cluster: list, pitch: float, low: float, high: float) -> None:
    top = cluster[2] / cluster[1]
    cluster[0] = min(max(top, low), high - cluster[1] * pitch)


def gap_is_labelled(n_from: int, n_to: int) -> bool:
    return n_from * n_to <= MAX_LABELLED_EDGES and max(n_from, n_to) <= MAX_LABELLED_NEURONS


def layout_diagram(
    sizes: list[int],
    width: float,
    height: float,
    m: Measures,
    edge_w: dict[tuple[int, int, int], float],
    bias_w: dict[tuple[int, int], float],
    input_offset: int = 0,
) -> Layout:
    """Lay a network of these layer sizes out in a pane of ``width`` × ``height`` pixels.

    The result may be larger than the pane (the view then scrolls) only when even the tightest
    arrangement at this text size needs more room.
    """
    n_cols = len(sizes)
    crowded = [size > MAX_LABELLED_NEURONS for size in sizes]
    # -- neurons' sizes ------------------------------------------------------------------
    # A text line of half-width a whose far edge is h from the centre fits when R² ≥ a² + h².
    roomy_r, crowded_r = 0.0, 0.0
    for col, names in enumerate(m.name_w):
        for w in names:
            if crowded[col]:
                crowded_r = max(crowded_r, math.hypot(w / 2, m.name_h / 2) + 5)
            else:
                need = max(math.hypot(w / 2, m.name_h), math.hypot(m.value_w / 2, m.value_h)) + 5
                roomy_r = max(roomy_r, need)
    radius = [crowded_r if c else roomy_r for c in crowded]
    value_slot = m.value_w + 12
    tag_room = [m.label_h + GAP if col > 0 and not crowded[col] else 0.0 for col in range(n_cols)]
    pitch_min = [
        (max(2 * radius[col], m.value_h + 6) + GAP if crowded[col] else 2 * radius[col] + tag_room[col] + 2 * GAP)
        for col in range(n_cols)
    ]

    # -- vertical: header, neurons, footer -----------------------------------------------
    region_top = m.margin + m.header_h
    available = height - region_top - m.footer_h - m.margin
    n_inputs = sizes[0]
    window = n_inputs
    marker_room = 0.0
    if n_inputs > MAX_INPUT_ROWS:
        marker_room = m.marker_h + GAP
        others = max((sizes[c] * pitch_min[c] for c in range(1, n_cols)), default=0.0)
        room = max(available, others) - 2 * marker_room
        window = max(3, min(MAX_INPUT_ROWS, int(room // pitch_min[0])))
    offset = min(max(input_offset, 0), n_inputs - window)
    shown = [window if col == 0 else size for col, size in enumerate(sizes)]
    needed = max(shown[c] * pitch_min[c] + (2 * marker_room if c == 0 else 0.0) for c in range(n_cols))
    region_h = max(available, needed)
    region_bottom = region_top + region_h

    # -- horizontal: bands and gaps -------------------------------------------------------
    left_hw, right_hw, bias_half = [], [], []
    for col in range(n_cols):
        biases = [bias_w.get((col - 1, j), 0.0) for j in range(sizes[col])] if col > 0 and not crowded[col] else []
        bias_half.append(max([0.0] + [w / 2 for w in biases]))
        half = radius[col]
        if col == 0 and window < n_inputs:
            half = max(half, m.marker_w / 2)
        left_hw.append(half)
        right_hw.append(half + (value_slot + 4 if crowded[col] else 0.0))
    labelled = [gap_is_labelled(sizes[k], sizes[k + 1]) and window == n_inputs for k in range(n_cols - 1)]
    label_w = [max((edge_w.get((k, i, j), 0.0) for i in range(sizes[k]) for j in range(sizes[k + 1])), default=0.0)
               for k in range(n_cols - 1)]  # fmt: skip

    def gap_min(k: int) -> float:
        """The free room between the bands of columns k and k + 1."""
        body = label_w[k] + 2 * (GAP + 4) if labelled[k] else 40.0
        # Bias tags reach out of their band under the neuron: they must not meet the next column's.
        tags = max(bias_half[k] - right_hw[k], 0.0) + max(bias_half[k + 1] - left_hw[k + 1], 0.0) + GAP
        tags = max(tags, bias_half[k] + bias_half[k + 1] + GAP - right_hw[k] - left_hw[k + 1])
        # Neighbouring headings must not meet: centre to centre at least half of each, plus a gap.
        heading = (m.heading_w[k] + m.heading_w[k + 1]) / 2 + 2 * GAP - right_hw[k] - left_hw[k + 1]
        return max(body, tags, heading)

    def total() -> float:
        bands = sum(l + r for l, r in zip(left_hw, right_hw))
        ends = max(bias_half[-1] - right_hw[-1], 0.0)
        return 2 * m.margin + bands + ends + sum(gap_min(k) for k in range(n_cols - 1))

    while total() > width and any(labelled):  # too narrow: the widest labels go to hover first
        widest = max((k for k in range(n_cols - 1) if labelled[k]), key=lambda k: label_w[k])
        labelled[widest] = False
    spare = max(0.0, width - total())
    gaps = [gap_min(k) + spare / max(1, n_cols - 1) for k in range(n_cols - 1)]
    xs = []
    x = m.margin + (spare / 2 if n_cols == 1 else 0.0)
    for col in range(n_cols):
        x += left_hw[col]
        xs.append(x)
        x += right_hw[col] + (gaps[col] if col < n_cols - 1 else 0.0)
    layout_w = max(width, x + m.margin)

    # -- neurons --------------------------------------------------------------------------
    centres: list[list[tuple[float, float] | None]] = []
    for col in range(n_cols):
        column: list[tuple[float, float] | None] = [None] * sizes[col]
        top, bottom = region_top, region_bottom
        if col == 0 and window < n_inputs:
            top, bottom = top + marker_room, bottom - marker_room
        slot = (bottom - top) / shown[col]
        for row in range(shown[col]):
            j = row + (offset if col == 0 else 0)
            y = top + (row + 0.5) * slot - tag_room[col] / 2
            column[j] = (xs[col], y)
        centres.append(column)
    layout = Layout(radius, crowded, centres, region=(region_top, region_bottom), input_window=(offset, window))
    layout.headings = [(xs[col], region_top - 0) for col in range(n_cols)]
    if window < n_inputs:
        x0 = xs[0]
        up = Box(x0, region_top + m.marker_h / 2, m.marker_w, m.marker_h) if offset > 0 else None
        down = Box(x0, region_bottom - m.marker_h / 2, m.marker_w, m.marker_h) if offset + window < n_inputs else None
        layout.markers = (up, down)

    # -- bias tags under their neurons --------------------------------------------------
    for col in range(1, n_cols):
        if crowded[col]:
            continue
        for j, centre in enumerate(centres[col]):
            if centre is not None:
                w = bias_w.get((col - 1, j), 0.0)
                layout.bias_tags[(col - 1, j)] = Box(centre[0], centre[1] + radius[col] + GAP + m.label_h / 2, w, m.label_h)

    # -- weight labels between the bands --------------------------------------------------
    pitch = m.label_h + GAP
    for k in range(n_cols - 1):
        if not labelled[k]:
            continue
        x_from, x_to = xs[k], xs[k + 1]
        low_x, high_x = x_from + right_hw[k] + GAP + 2, x_to - left_hw[k + 1] - GAP - 2
        w_max = label_w[k]
        x_label = x_from + 0.3 * (x_to - x_from)
        x_label = min(max(x_label, low_x + w_max / 2), high_x - w_max / 2)
        keys, desired = [], []
        for i in range(sizes[k]):
            for j in range(sizes[k + 1]):
                a, b = centres[k][i], centres[k + 1][j]
                if a is None or b is None:
                    continue
                t = (x_label - a[0]) / (b[0] - a[0])
                keys.append((k, i, j))
                desired.append(a[1] + t * (b[1] - a[1]))
        half_w = w_max / 2
        obstacles = [
            (box.top, box.top + box.h)
            for key, box in layout.bias_tags.items()
            if key[0] + 1 in (k, k + 1) and abs(box.x - x_label) * 2 < box.w + w_max + 2 * GAP
        ]
        for col in (k, k + 1):
            r = radius[col]
            obstacles += [(c[1] - r - 3, c[1] + r + 3) for c in centres[col] if c is not None and abs(c[0] - x_label) < r + half_w + GAP]
        placed = place_stack(desired, pitch, region_top, region_bottom)
        if placed is not None and obstacles:
            placed = place_around(desired, placed, pitch, region_top, region_bottom, obstacles)
        if placed is None:
            continue  # a stack taller than the diagram: these values show on hover
        for key, want, y in zip(keys, desired, placed):
            leader = want if abs(want - y) > m.label_h / 2 else None
            layout.edge_labels[key] = (Box(x_label, y, edge_w.get(key, 0.0), m.label_h), leader)

    layout.width = layout_w
    layout.height = max(height, region_bottom + m.footer_h + m.margin)
    return layout
