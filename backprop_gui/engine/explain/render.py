"""A step and a network rendered for documents: Markdown with LaTeX math, LaTeX, and SVG.

``step_markdown`` writes every phase of one step (the row, the forward pass, the loss, the
chain rule of every parameter with its numbers, the update) in the notes' notation, from the
explanation the app shows (``explain.StepExplainer``): the same equations, with the same
numbers, typeset. ``network_svg`` draws a network with every weight and bias labelled.

They are what Jupyter shows for a ``StepRecord``, a ``StepExplainer`` and a ``Network``:

    >>> from backprop_gui.engine import Network, Trainer
    >>> record = Trainer(Network([2, 2, 1], init="ones"), [[80, 8]], [5], learning_rate=1e-6).step()
    >>> "= 29241" in step_markdown(record, input_names=["IQ", "CGPA"])
    True

The work is done in ``render_step`` (a step's blocks, as Markdown or LaTeX), ``render_latex``
(the notes' Unicode as LaTeX math) and ``render_network`` (the SVG); this module takes a
StepRecord as well as a StepExplainer. NumPy and the engine only; no Qt.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..activations import ACTIVATIONS, activation_choice
from .explainer import StepExplainer
from ..losses import BCE, MSE
from ..notation import subscript
from .render_latex import latex_escape, latex_escape_keep_unicode_math
from .render_network import network_svg
from .render_step import explainer_latex, explainer_markdown


def step_markdown(step, *, heading_level: int = 2, title: str | None = None, **names) -> str:
    """Markdown with LaTeX math ($$ … $$) of every phase of one step, in the notes' notation.

    ``step`` is a StepExplainer, or a StepRecord with the optional keywords of
    ``explainer_for`` (layer_sizes, hidden_activation, output_activation, loss,
    input_names, target_name, scaled_inputs).
    """
    explainer = explainer_for(step, **names)
    return explainer_markdown(explainer, heading_level=heading_level, title=title, names_are_symbols=_names_are_symbols(step, names))


def step_latex(step, *, title: str | None = None, **names) -> str:
    """The same as ``step_markdown``, as LaTeX body text (\\subsection*, aligned displays) for
    a document that loads amsmath; ``export.handout.latex_document`` wraps it into one."""
    explainer = explainer_for(step, **names)
    return explainer_latex(explainer, title=title, names_are_symbols=_names_are_symbols(step, names))


def _names_are_symbols(step, names: dict) -> bool:
    """A record given without input names has inputs x₁, x₂: symbols, not words."""
    return "input_names" not in names and not isinstance(step, StepExplainer)


def explainer_for(
    step,
    *,
    layer_sizes: Sequence[int] | None = None,
    hidden_activation: str | Sequence[str] | None = None,
    output_activation: str | None = None,
    loss: str | None = None,
    input_names: Sequence[str] | None = None,
    target_name: str = "y",
    scaled_inputs: bool = False,
) -> StepExplainer:
    """A StepExplainer for ``step``: returned as it is, or built from a StepRecord.

    What a record does not say is worked out from its numbers: the layer sizes from its
    weights, each activation from the layer's outputs against its weighted sums, the loss
    from its value (binary cross-entropy only on a sigmoid output). A ReLU layer whose sums
    were all positive is indistinguishable from a linear one (and has the same slopes); give
    the names to be sure. Inputs without names are called x₁, x₂, ….
    """
    if isinstance(step, StepExplainer):
        return step
    record = step
    weights = record.weights_before
    sizes = list(layer_sizes) if layer_sizes is not None else [w.shape[0] for w in weights] + [weights[-1].shape[1]]
    n_layers = len(sizes) - 1
    if hidden_activation is None:
        hidden_activation = activation_choice([_infer_activation(record, [k]) for k in range(n_layers - 1)])
    if output_activation is None:
        output_activation = _infer_activation(record, [n_layers - 1])
    if loss is None:
        loss = "bce" if output_activation == "sigmoid" and _looks_like_bce(record) else "mse"
    names = list(input_names) if input_names is not None else [f"x{subscript(i + 1)}" for i in range(sizes[0])]
    return StepExplainer(record, sizes, hidden_activation, output_activation, loss, names, target_name, scaled_inputs)


def _infer_activation(record, layers) -> str:
    # Linear first: where another activation gives the same outputs (ReLU on positive sums, tanh
    # at 0) it has the same slopes too, so the explanation's numbers are the same either way.
    for name, activation in ACTIVATIONS.items():
        with np.errstate(all="ignore"):
            if all(np.array_equal(activation.forward(record.z[k]), record.outputs[k]) for k in layers):
                return name
    return "linear"


def _looks_like_bce(record) -> bool:
    with np.errstate(all="ignore"):
        bce = BCE.value(record.targets, record.y_hat, record.z[-1])
        mse = MSE.value(record.targets, record.y_hat, record.z[-1])
    return bool(np.isclose(bce, record.loss, rtol=1e-12, atol=0)) and not bool(np.isclose(mse, record.loss, rtol=1e-12, atol=0))


__all__ = [
    "explainer_for",
    "latex_escape",
    "latex_escape_keep_unicode_math",
    "network_svg",
    "step_latex",
    "step_markdown",
]
