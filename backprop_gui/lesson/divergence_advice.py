"""What to tell a student whose run diverged: only the remedies that apply to their settings, with a
learning rate to try that a quick trial found (engine/divergence.py).

    >>> from backprop_gui.engine import TrainingSettings
    >>> advice(TrainingSettings(scaling="none", learning_rate=0.001), 1e-05, 2)
    'Try η = 1e−05: the largest of η/10, η/100, … that did not diverge in a trial of 2 epochs from the weights this run started from (Back, Alt+Left, takes the run back). Standardising the inputs (Input scaling) may also help: raw IQs make steep, uneven slopes.'
"""

from __future__ import annotations

from ..engine import TrainingSettings
from ..engine.limits import LEARNING_RATE_RANGE
from ..engine.notation import format_number

SEARCHING = "Looking for a learning rate that does not diverge…"


def advice(settings: TrainingSettings, rate: float | None, trial_epochs: int | None, searching: bool = False) -> str:
    """The remedies for a divergence under ``settings``: the learning rate ``rate`` the trial found
    (None: none found, or ``searching`` still), then standardising only if the inputs are raw."""
    if searching:
        parts = [SEARCHING]
    elif rate is not None:
        parts = [
            f"Try η = {format_number(rate)}: the largest of η/10, η/100, … that did not diverge in a trial of "
            f"{trial_epochs} epochs from the weights this run started from (Back, Alt+Left, takes the run back)."
        ]
    elif trial_epochs is not None:
        parts = [
            f"No learning rate from η/10 down to {format_number(LEARNING_RATE_RANGE[0])} avoided it in a trial of "
            f"{trial_epochs} epochs: the start itself is too steep."
        ]
    else:
        parts = ["Try a lower learning rate."]
    if settings.scaling == "none":
        parts.append("Standardising the inputs (Input scaling) may also help: raw IQs make steep, uneven slopes.")
    return " ".join(parts)


def overflow_advice(settings: TrainingSettings) -> str:
    """After a step that overflowed: what may help with these settings."""
    text = "That step made a weight overflow, so it was undone. Try a lower learning rate"
    return text + (", or standardise the inputs." if settings.scaling == "none" else ".")
