"""A network drawn as SVG for documents and notebooks: every weight and bias labelled in the notes' notation.

What Jupyter shows for a ``Network`` (its ``_repr_svg_``), and the diagram of an exported
notebook. (No import of ``network``, whose ``_repr_svg_`` calls this: the engine's modules never
import each other both ways.)
"""

from __future__ import annotations

import html
from typing import Sequence

from ..notation import bias_name, format_number, subscript, weight_name
from ..notation import output_name as neuron_name

_LAYER_GAP = 230
_NEURON_GAP = 110
_RADIUS = 26
_MARGIN_X = 110
_MARGIN_Y = 40


def network_svg(network, input_names: Sequence[str] | None = None, output_name: str | None = None) -> str:
    """An SVG diagram of ``network``: inputs on the left, ŷ on the right, each neuron named
    (O₁₁, …, ŷ = O₂₁), each edge labelled with its weight (w¹₁₁ = 1) and each neuron with its
    bias (b₁₁ = 0), in the notes' notation. ``network`` is a ``Network`` (or anything with its
    ``layer_sizes``, ``weights``, ``biases`` and ``activation(layer)``)."""
    sizes = network.layer_sizes
    n_layers = len(sizes) - 1
    names = list(input_names) if input_names is not None else [f"x{subscript(i + 1)}" for i in range(sizes[0])]
    tallest = max(sizes)
    width = 2 * _MARGIN_X + _LAYER_GAP * n_layers
    height = 2 * _MARGIN_Y + _NEURON_GAP * tallest + 30

    def position(layer: int, j: int) -> tuple[float, float]:
        top = _MARGIN_Y + 20 + (tallest - sizes[layer]) * _NEURON_GAP / 2
        return _MARGIN_X + layer * _LAYER_GAP, top + j * _NEURON_GAP + _NEURON_GAP / 2

    def text(x, y, content, size=13, anchor="middle", weight="normal", halo=False, fill="#222") -> str:
        def one(fill: str, extra: str = "") -> str:
            return (
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" dominant-baseline="middle" '
                f'font-weight="{weight}" fill="{fill}"{extra}>{html.escape(content)}</text>'
            )

        # A halo: the same text drawn first in a thick white outline, so the label reads over the edges.
        halo_text = one("white", ' stroke="white" stroke-width="5" stroke-linejoin="round"') if halo else ""
        return halo_text + one(fill)

    edges, labels, neurons = [], [], []
    for k in range(n_layers):
        n_in, n_out = sizes[k], sizes[k + 1]
        for i in range(n_in):
            for j in range(n_out):
                (x1, y1), (x2, y2) = position(k, i), position(k + 1, j)
                edges.append(
                    f'<line x1="{x1 + (12 if k == 0 else _RADIUS):.1f}" y1="{y1:.1f}" x2="{x2 - _RADIUS:.1f}" y2="{y2:.1f}" stroke="#8a94a6" stroke-width="1.2"/>'
                )
                # Each label sits just before the neuron the weight feeds, on its edge: the edges into one
                # neuron fan out from it, so their labels stack a third of a row apart.
                lx = x2 - _RADIUS - 8
                t = (lx - 40 - x1) / (x2 - x1)
                ly = y1 + (y2 - y1) * t
                value = format_number(float(network.weights[k][i, j]), 4).replace("-", "−")
                labels.append(text(lx, ly - 7, f"{weight_name(k, i, j)} = {value}", size=12, anchor="end", halo=True, fill="#1f3f77"))
    for i, name in enumerate(names):
        x, y = position(0, i)
        neurons.append(f'<rect x="{x - 12:.1f}" y="{y - 12:.1f}" width="24" height="24" rx="4" fill="#eef3f8" stroke="#51627a"/>')
        neurons.append(text(x - 20, y, name, anchor="end", weight="bold"))
    for k in range(n_layers):
        activation = network.activation(k).name
        for j in range(sizes[k + 1]):
            x, y = position(k + 1, j)
            is_output = k == n_layers - 1
            neurons.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_RADIUS}" fill="{"#fdf1e3" if is_output else "#eef3f8"}" stroke="#51627a" stroke-width="1.5"/>'
            )
            label = neuron_name(k, j)
            above = activation if activation != "linear" else ""
            if is_output and sizes[-1] == 1:
                above = f"ŷ = {label}" + (f" ({activation})" if above else "")
                label = "ŷ"
            neurons.append(text(x, y, label, size=14, weight="bold"))
            bias = format_number(float(network.biases[k][j]), 4).replace("-", "−")
            neurons.append(text(x, y + _RADIUS + 12, f"{bias_name(k, j)} = {bias}", size=12, fill="#7a3b00"))
            if above:
                neurons.append(text(x, y - _RADIUS - 10, above, size=12, fill="#444"))
        if k == n_layers - 1 and output_name is not None:
            x, y = position(n_layers, 0)
            neurons.append(text(x + _RADIUS + 8, y, output_name, anchor="start", weight="bold"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        + "\n".join(edges + labels + neurons)
        + "\n</svg>\n"
    )
