"""Number fields that keep every digit the user types."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator

from .range_boxes import ReportingDoubleSpinBox

_STEPS = (1.0, 2.0, 5.0)


class LearningRateSpinBox(ReportingDoubleSpinBox):
    """A spin box for values from 1e-6 to 10 that shows and keeps 1.2345e-06 as typed.

    QDoubleSpinBox rounds to a fixed number of decimals (two by default, which
    would turn 0.001 into 0). Here the value keeps 20 decimals and is shown in
    the shortest form that round-trips; the arrows walk the 1-2-5 sequence.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDecimals(20)
        self.setRange(1e-6, 10.0)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.12g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int):
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            partial = stripped == "" or stripped[-1] in "eE.+-"
            state = QValidator.State.Intermediate if partial else QValidator.State.Invalid
            return state, text, position
        in_range = self.minimum() <= value <= self.maximum() and math.isfinite(value)
        return (QValidator.State.Acceptable if in_range else QValidator.State.Intermediate), text, position

    def stepBy(self, steps: int) -> None:
        value = self.value()
        exponent = math.floor(math.log10(value))
        mantissa = value / 10**exponent
        # Position in the 1-2-5 sequence, snapped down, then moved by `steps`.
        index = max(i for i, m in enumerate(_STEPS) if m <= mantissa + 1e-9)
        position = exponent * 3 + index
        between_steps = mantissa > _STEPS[index] + 1e-9
        # From between two steps, one step down lands on the lower of them.
        position += steps + 1 if steps < 0 and between_steps else steps
        exponent, index = divmod(position, 3)
        self.setValue(float(f"{_STEPS[index]}e{exponent}"))
