"""Number boxes that say so when a typed number is refused.

Qt's spin boxes put the value in force back, without a word, when the number typed is outside
their range (a learning rate of 0, −1 or 1e10), and refuse some keystrokes outright. These take
any well-formed number as it is typed, and when editing ends on one outside the range they put
the value in force back and emit ``typedOutOfRange`` with the text; ``report_typed_values``
turns it into a message naming the setting and its range.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox

from ...engine.notation import format_number
from ...engine.settings import WHOLE_NUMBER_SETTINGS, range_text

SETTING_LABELS = {
    "learning_rate": "The learning rate η",
    "epochs": "Epochs",
    "seed": "The seed",
    "batch_size": "The batch size",
    "convergence_tolerance": "The tolerance",
    "momentum": "The momentum μ",
    "l2": "L2 λ₂",
    "l1": "L1 λ₁",
    "validation_percent": "The validation share (%)",
    "patience": "The patience",
}


def typed_number(box: QAbstractSpinBox, text: str) -> float | None:
    """The number in a box's text without its prefix and suffix, or None."""
    text = text.strip()
    for affix, cut in ((box.prefix(), text.startswith), (box.suffix().strip(), text.endswith)):
        if affix and cut(affix):
            text = text[len(affix):] if cut == text.startswith else text[: -len(affix)]
    try:
        return float(text.strip().replace("−", "-").replace(",", ""))  # "20,000,000" as the epochs box shows it
    except ValueError:
        return None


def _validate(box, state, text: str, position: int):
    """Any well-formed number outside the range is let through as Intermediate, so editing
    ends in fixup (which reports it) instead of the keystroke being dropped in silence."""
    if state == QValidator.State.Invalid:
        value = typed_number(box, text)
        if value is not None and not box.minimum() <= value <= box.maximum():
            state = QValidator.State.Intermediate
    return state, text, position


def _fixup(box, text: str) -> str:
    value = typed_number(box, text)
    if value is not None and not box.minimum() <= value <= box.maximum():
        box.typedOutOfRange.emit(text.strip())
    return text


class ReportingSpinBox(QSpinBox):
    typedOutOfRange = Signal(str)

    def validate(self, text: str, position: int):
        return _validate(self, super().validate(text, position)[0], text, position)

    def fixup(self, text: str) -> str:
        return _fixup(self, text)


class ReportingDoubleSpinBox(QDoubleSpinBox):
    typedOutOfRange = Signal(str)

    def validate(self, text: str, position: int):
        return _validate(self, super().validate(text, position)[0], text, position)

    def fixup(self, text: str) -> str:
        return _fixup(self, text)


def refusal(name: str, typed: str, in_force) -> str:
    """ "Refused: the learning rate η must be a number from 1e−06 to 10, not 0; it stays 0.001." """
    kind = "a whole number" if name in WHOLE_NUMBER_SETTINGS else "a number"
    kept = f"{in_force:,}" if name in WHOLE_NUMBER_SETTINGS else format_number(in_force)
    return f"Refused: {SETTING_LABELS[name]} must be {kind} {range_text(name)}, not {typed}; it stays {kept}."


def report_typed_values(boxes: dict, emit) -> None:
    """Connect each box (by setting name) to ``emit(message)`` for every refused typed value."""
    for name, box in boxes.items():
        box.typedOutOfRange.connect(lambda typed, name=name, box=box: emit(refusal(name, typed, box.value())))
