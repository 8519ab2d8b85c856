"""The training settings form: learning rate, epochs, initialisation, scaling, row order."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from ..engine import TrainingSettings
from .number_inputs import LearningRateSpinBox

INIT_CHOICES = [
    ("Small random, ±0.5", "random"),
    ("Notes: weights 1, biases 0", "ones"),
    ("All zeros", "zeros"),
    ("Uniform, ±1", "uniform"),
    ("Normal, σ = 1", "normal"),
    ("Xavier / Glorot", "xavier"),
]
SCALING_CHOICES = [("Standardise (z-scores)", "standardize"), ("None (raw values)", "none")]
ORDER_CHOICES = [("Random, as in the notes", "random"), ("Sequential", "sequential")]


def _combo(name: str, choices: list[tuple[str, str]], tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, data in choices:
        combo.addItem(text, data)
    combo.setToolTip(tooltip)
    return combo


def _select(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


class TrainingControls(QWidget):
    settingsEdited = Signal(dict)
    """Names and new values of the settings the user changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.learning_rate = LearningRateSpinBox()
        self.learning_rate.setObjectName("learningRateInput")
        self.learning_rate.setToolTip("Learning rate η in w_new = w_old − η·∂L/∂w (1e-6 to 10; type e.g. 0.003 or 5e-4)")
        self.epochs = QSpinBox()
        self.epochs.setObjectName("epochsInput")
        self.epochs.setRange(1, 10_000_000)
        self.epochs.setGroupSeparatorShown(True)
        self.epochs.setStepType(QSpinBox.StepType.AdaptiveDecimalStepType)
        self.epochs.setKeyboardTracking(False)
        self.epochs.setToolTip("How many times Train goes through the whole table (1 to 10,000,000)")
        self.init = _combo(
            "initInput", INIT_CHOICES, "How Reset sets the weights and biases (press Reset to apply a new choice)"
        )
        self.seed = QSpinBox()
        self.seed.setObjectName("seedInput")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Seed of the random initialisation and the random row order: the same seed repeats a run")
        self.scaling = _combo(
            "scalingInput",
            SCALING_CHOICES,
            "Standardise: the network sees each input as (x − mean) / std of its column, which lets training converge",
        )
        self.order = _combo("orderInput", ORDER_CHOICES, "Which row each step uses: shuffled every epoch, or top to bottom")

        init_row = QHBoxLayout()
        init_row.setContentsMargins(0, 0, 0, 0)
        init_row.addWidget(self.init, 1)
        init_row.addWidget(QLabel("Seed"))
        init_row.addWidget(self.seed)
        form = QFormLayout(self)
        form.setContentsMargins(8, 8, 8, 8)
        form.addRow("Learning rate η", self.learning_rate)
        form.addRow("Epochs", self.epochs)
        form.addRow("Initialisation", init_row)
        form.addRow("Input scaling", self.scaling)
        form.addRow("Row order", self.order)

        self.learning_rate.valueChanged.connect(lambda v: self._edited(learning_rate=v))
        self.epochs.valueChanged.connect(lambda v: self._edited(epochs=v))
        self.seed.valueChanged.connect(lambda v: self._edited(seed=v))
        self.init.currentIndexChanged.connect(lambda _: self._edited(init=self.init.currentData()))
        self.scaling.currentIndexChanged.connect(lambda _: self._edited(scaling=self.scaling.currentData()))
        self.order.currentIndexChanged.connect(lambda _: self._edited(order=self.order.currentData()))
        self._showing = False

    def show_settings(self, settings: TrainingSettings) -> None:
        """Make the widgets show ``settings`` without reporting edits."""
        self._showing = True
        try:
            self.learning_rate.setValue(settings.learning_rate)
            self.epochs.setValue(settings.epochs)
            self.seed.setValue(settings.seed)
            _select(self.init, settings.init)
            _select(self.scaling, settings.scaling)
            _select(self.order, settings.order)
        finally:
            self._showing = False

    def _edited(self, **change) -> None:
        if not self._showing:
            self.settingsEdited.emit(change)
