"""A step into words and formulas: the explanations and their renderers.

Owns ``explainer.py`` (``StepExplainer``: a ``StepRecord`` told phase by phase the notes' way) with
``explain_chain.py``, ``explain_notation.py`` and ``explain_update.py``, and the renderers that
typeset a step or draw a network: ``render.py`` over ``render_step.py``, ``render_latex.py`` and
``render_network.py``. It may import the engine's plain modules (notation, losses, activations,
optimizers); a record it explains it reads through its attributes, never by importing
``step_record``, which reaches down here for its notebook display.
"""

from .explainer import StepExplainer, number, phases

__all__ = ["StepExplainer", "number", "phases"]
