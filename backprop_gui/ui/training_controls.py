"""The training settings form: task, network shape, activations, initialisation, learning rate,
epochs, update mode, row order, input scaling and stopping."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..engine import TrainingSettings
from ..lesson import Lesson
from .architecture_input import ArchitectureInput
from .data_checks import ScalingStatistics, TargetWarning
from .number_inputs import LearningRateSpinBox

TASK_CHOICES = [
    ("Regression: squared error (MSE)", "regression"),
    ("Classification: sigmoid + cross-entropy", "classification"),
]
ACTIVATION_CHOICES = [
    ("Linear (the notes)", "linear"),
    ("Sigmoid σ", "sigmoid"),
    ("tanh", "tanh"),
    ("ReLU", "relu"),
]
INIT_CHOICES = [
    ("Small random, ±0.5", "random"),
    ("Notes: weights 1, biases 0", "ones"),
    ("All zeros", "zeros"),
    ("Uniform, ±1", "uniform"),
    ("Normal, σ = 1", "normal"),
    ("Xavier / Glorot", "xavier"),
]
MODE_CHOICES = [("Per sample (SGD)", "sgd"), ("Mini-batch", "minibatch"), ("Full batch", "batch")]
SCALING_CHOICES = [("Standardise (z-scores)", "standardize"), ("None (raw values)", "none")]
ORDER_CHOICES = [("Random, as in the notes", "random"), ("Sequential", "sequential")]
DETERMINISTIC_INITS = ("ones", "zeros")


def _combo(name: str, choices: list[tuple[str, str]], tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, data in choices:
        combo.addItem(text, data)
    combo.setToolTip(tooltip)
    return combo


def _select(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _row(*widgets, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for k, widget in enumerate(widgets):
        row.addWidget(widget, 1 if (k == 0 and stretch_first) else 0)
    return row


class ToleranceSpinBox(LearningRateSpinBox):
    """Keeps every digit typed, like the learning rate, over 1e-12 to 1."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRange(1e-12, 1.0)


class TrainingControls(QWidget):
    refused = Signal(str)
    """Why a change was refused (the form then shows the settings in force again)."""
    newWeightsDrawn = Signal(int)
    """New random weights were drawn with this seed."""

    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.task = _combo(
            "taskInput",
            TASK_CHOICES,
            "Regression predicts a number with the loss (y − ŷ)²; classification predicts a 0/1 class with a "
            "sigmoid output and L = −y log ŷ − (1 − y) log(1 − ŷ). Choosing one sets its defaults.",
        )
        self.architecture = ArchitectureInput()
        self.hidden_activation = _combo(
            "hiddenActivationInput", ACTIVATION_CHOICES, "The activation f of every hidden neuron: O = f(z)"
        )
        self.output_activation = _combo(
            "outputActivationInput",
            ACTIVATION_CHOICES,
            "The activation of the output neuron: ŷ = f(z). Classification always uses a sigmoid.",
        )
        self.init = _combo(
            "initInput", INIT_CHOICES, "How Reset sets the weights and biases (press Reset to apply a new choice)"
        )
        self.seed = QSpinBox()
        self.seed.setObjectName("seedInput")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Seed of the random initialisation and the random row order: the same seed repeats a run")
        self.new_weights = QPushButton("New")
        self.new_weights.setObjectName("newWeightsButton")
        self.new_weights.setToolTip("Draw new random weights: pick a new seed and reset with it")
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
        self.mode = _combo(
            "modeInput",
            MODE_CHOICES,
            "How many rows each update uses: one (the notes' per-sample updates), a mini-batch, or the whole table. "
            "The loss of a batch is the mean over its rows.",
        )
        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batchSizeInput")
        self.batch_size.setRange(1, 100_000)
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.setPrefix("of ")
        self.batch_size.setSuffix(" rows")
        self.batch_size.setToolTip("Rows per mini-batch; in sequential order the last batch of an epoch may be shorter")
        self.order = _combo("orderInput", ORDER_CHOICES, "Which rows each step uses: shuffled every epoch, or top to bottom")
        self.scaling = _combo(
            "scalingInput",
            SCALING_CHOICES,
            "Standardise: the network sees each input as (x − mean) / std of its column, which lets training converge",
        )
        self.scaling_statistics = ScalingStatistics()
        self.stop_at_convergence = QCheckBox("at convergence, tolerance")
        self.stop_at_convergence.setObjectName("convergenceToggle")
        self.stop_at_convergence.setToolTip(
            "Stop before the last epoch once no weight or bias changed by more than the tolerance over an epoch "
            "(the notes' “stop when b_new ≈ b_old”)"
        )
        self.tolerance = ToleranceSpinBox()
        self.tolerance.setObjectName("toleranceInput")
        self.tolerance.setToolTip("The largest change of any parameter over one epoch that still counts as converged")
        self.target_warning = TargetWarning()

        form = QFormLayout(self)
        form.setContentsMargins(8, 8, 8, 8)
        form.setVerticalSpacing(6)
        form.addRow("Task", self.task)
        form.addRow(self.target_warning)  # near the top, so it is seen without scrolling
        form.addRow("Hidden layers", self.architecture)
        form.addRow("Activation", _row(QLabel("hidden"), self.hidden_activation, QLabel("output"), self.output_activation, stretch_first=False))
        form.addRow("Initialisation", _row(self.init, QLabel("Seed"), self.seed, self.new_weights))
        form.addRow("Learning rate η", _row(self.learning_rate, QLabel("Epochs"), self.epochs))
        form.addRow("Updates", _row(self.mode, self.batch_size))
        form.addRow("Row order", self.order)
        form.addRow("Input scaling", self.scaling)
        form.addRow("", self.scaling_statistics)
        form.addRow("Stop early", _row(self.stop_at_convergence, self.tolerance, stretch_first=False))

        self.learning_rate.valueChanged.connect(lambda v: self._edited(learning_rate=v))
        self.epochs.valueChanged.connect(lambda v: self._edited(epochs=v))
        self.seed.valueChanged.connect(lambda v: self._edited(seed=v))
        self.init.currentIndexChanged.connect(lambda _: self._edited(init=self.init.currentData()))
        self.scaling.currentIndexChanged.connect(lambda _: self._edited(scaling=self.scaling.currentData()))
        self.order.currentIndexChanged.connect(lambda _: self._edited(order=self.order.currentData()))
        self.mode.currentIndexChanged.connect(lambda _: self._edited(mode=self.mode.currentData()))
        self.batch_size.valueChanged.connect(lambda v: self._edited(batch_size=v))
        self.hidden_activation.currentIndexChanged.connect(
            lambda _: self._edited(hidden_activation=self.hidden_activation.currentData())
        )
        self.output_activation.currentIndexChanged.connect(
            lambda _: self._edited(output_activation=self.output_activation.currentData())
        )
        self.architecture.layersChanged.connect(lambda layers: self._edited(hidden_layers=layers))
        self.stop_at_convergence.toggled.connect(lambda on: self._edited(stop_at_convergence=on))
        self.tolerance.valueChanged.connect(lambda v: self._edited(convergence_tolerance=v))
        self.task.currentIndexChanged.connect(self._on_task_chosen)
        self.new_weights.clicked.connect(lambda: self.newWeightsDrawn.emit(lesson.new_random_weights()))
        self._showing = False
        self.scaling_statistics.attach(lesson)
        self.target_warning.attach(lesson)
        lesson.settings_changed.connect(self.refresh)
        lesson.running_changed.connect(lambda running: self.setEnabled(not running))
        self.refresh()

    def refresh(self) -> None:
        self.show_settings(self.lesson.settings)

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
            _select(self.mode, settings.mode)
            self.batch_size.setValue(settings.batch_size)
            _select(self.task, settings.task)
            _select(self.hidden_activation, settings.hidden_activation)
            _select(self.output_activation, settings.output_activation)
            self.architecture.set_layers(settings.hidden_layers)
            self.stop_at_convergence.setChecked(settings.stop_at_convergence)
            self.tolerance.setValue(settings.convergence_tolerance)
        finally:
            self._showing = False
        self.batch_size.setEnabled(settings.mode == "minibatch")
        self.output_activation.setEnabled(settings.task == "regression")
        self.new_weights.setEnabled(settings.init not in DETERMINISTIC_INITS)
        self.tolerance.setEnabled(settings.stop_at_convergence)

    def _on_task_chosen(self, _index: int) -> None:
        if not self._showing:
            self._apply(self.lesson.choose_task, self.task.currentData())

    def _edited(self, **change) -> None:
        if not self._showing:
            self._apply(self.lesson.update_settings, **change)

    def _apply(self, change, *args, **kwargs) -> None:
        try:
            change(*args, **kwargs)
        except ValueError as error:
            self.refused.emit(f"Refused: {error}")
            self.refresh()
