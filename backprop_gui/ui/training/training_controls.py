"""The training settings form: task, network shape, activations, initialisation, learning rate,
epochs, update mode, row order, input scaling, optimizer, regularisation, validation and stopping."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...engine import TrainingSettings
from ...lesson import Lesson
from .architecture_input import ArchitectureInput, LayerActivations
from .data_checks import ScalingStatistics, TargetWarning
from ..widgets.number_inputs import LearningRateSpinBox
from ..widgets.range_boxes import ReportingDoubleSpinBox, ReportingSpinBox, report_typed_values

TASK_CHOICES = [
    ("Regression: squared error (MSE)", "regression"),
    ("Classification: sigmoid + cross-entropy", "classification"),
]
ACTIVATION_CHOICES = [
    ("Linear (the notes)", "linear"),
    ("Sigmoid σ", "sigmoid"),
    ("tanh", "tanh"),
    ("ReLU", "relu"),
    ("Leaky ReLU (0.01)", "leaky_relu"),
    ("ELU (α = 1)", "elu"),
    ("Softplus", "softplus"),
    ("GELU (exact)", "gelu"),
    ("SiLU / swish", "silu"),
]
PER_LAYER = "per_layer"
"""The hidden activation's choice shown when the hidden layers differ (each set on the row under it)."""
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
OPTIMIZER_CHOICES = [
    ("Gradient descent (the notes)", "sgd"),
    ("Momentum", "momentum"),
    ("Nesterov momentum", "nesterov"),
    ("RMSprop", "rmsprop"),
    ("Adam", "adam"),
]
OPTIMIZER_TOOLTIP = (
    "The update rule: w ← w − η·g (the notes), momentum v ← μ·v + g, w ← w − η·v, Nesterov "
    "w ← w − η·(g + μ·v), RMSprop w ← w − η·g / (√s + ε), or Adam w ← w − η·m̂ / (√ŝ + ε), as PyTorch computes them."
)


def _number_box(name: str, maximum: float, decimals: int, step: float, tooltip: str) -> QDoubleSpinBox:
    box = ReportingDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    box.setToolTip(tooltip)
    return box


def _whole_box(name: str, maximum: int, tooltip: str, suffix: str = "", zero_text: str = "") -> QSpinBox:
    box = ReportingSpinBox()
    box.setObjectName(name)
    box.setRange(0, maximum)
    box.setKeyboardTracking(False)
    box.setSuffix(suffix)
    if zero_text:
        box.setSpecialValueText(zero_text)
    box.setToolTip(tooltip)
    return box


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
            "hiddenActivationInput",
            ACTIVATION_CHOICES + [("Per layer, below", PER_LAYER)],
            "The activation f of every hidden neuron: O = f(z). With two or more hidden layers each can have "
            "its own, on the row below.",
        )
        self.layer_activations = LayerActivations()
        self.layer_activations.follow_enabled(self.hidden_activation)
        self.output_activation = _combo(
            "outputActivationInput",
            ACTIVATION_CHOICES,
            "The activation of the output neuron: ŷ = f(z). Classification always uses a sigmoid.",
        )
        self.init = _combo(
            "initInput", INIT_CHOICES, "How Reset sets the weights and biases (press Reset to apply a new choice)"
        )
        self.seed = ReportingSpinBox()
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
        self.epochs = ReportingSpinBox()
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
        self.batch_size = ReportingSpinBox()
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
        self.reset_hint = QLabel()
        self.reset_hint.setObjectName("resetHint")
        self.reset_hint.setWordWrap(True)
        self.reset_hint.setStyleSheet("QLabel { color: palette(highlighted-text); background: palette(highlight); padding: 3px 6px; border-radius: 4px; }")
        self.reset_hint.setToolTip("Initialisation and seed set how Reset draws the weights; the diagram keeps its weights until then")
        self.reset_hint.hide()
        self.optimizer = _combo("optimizerInput", OPTIMIZER_CHOICES, OPTIMIZER_TOOLTIP)
        self.momentum = _number_box(
            "momentumInput", 0.999, 3, 0.05, "μ of momentum and Nesterov: how much of the last step's velocity each update keeps."
        )
        self.l2 = _number_box(
            "l2Input", 10.0, 6, 0.001, "L2 penalty λ₂: adds (λ₂/2)·Σw² to the loss, so each weight's gradient gains λ₂·w (no biases)."
        )
        self.l1 = _number_box(
            "l1Input", 10.0, 6, 0.001, "L1 penalty λ₁: adds λ₁·Σ|w| to the loss, so each weight's gradient gains λ₁·sign(w) (no biases)."
        )
        self.validation = _whole_box(
            "validationInput", 50, "The share of the table's rows (drawn with the seed) kept out of training to measure overfitting.",
            suffix=" %",
        )  # fmt: skip
        self.patience = _whole_box(
            "patienceInput", 100_000, "Early stopping: stop once the validation loss has not improved for this many epochs, "
            "keeping the best epoch's weights (off at 0).", suffix=" epochs", zero_text="off",
        )  # fmt: skip

        form = QFormLayout(self)
        form.setContentsMargins(8, 8, 8, 8)
        form.setVerticalSpacing(6)
        form.addRow("Task", self.task)
        form.addRow(self.target_warning)  # near the top, so it is seen without scrolling
        form.addRow("Hidden layers", self.architecture)
        form.addRow("Activation", _row(QLabel("hidden"), self.hidden_activation, QLabel("output"), self.output_activation, stretch_first=False))
        form.addRow("", self.layer_activations)
        self._form = form
        # The notes' first step sets the initialisation, the input scaling and the row order: together,
        # near the top, in view without scrolling on a 768-pixel screen.
        form.addRow("Initialisation", _row(self.init, QLabel("Seed"), self.seed, self.new_weights))
        form.addRow("", self.reset_hint)  # beside the box just changed, not in a banner out of view
        form.addRow("Input scaling", self.scaling)
        form.addRow("", self.scaling_statistics)
        form.addRow("Row order", self.order)
        form.addRow("Learning rate η", _row(self.learning_rate, QLabel("Epochs"), self.epochs))
        form.addRow("Updates", _row(self.mode, self.batch_size))
        form.addRow("Optimizer", _row(self.optimizer, QLabel("μ"), self.momentum))
        form.addRow("Regularisation", _row(QLabel("L2 λ₂"), self.l2, QLabel("L1 λ₁"), self.l1, stretch_first=False))
        form.addRow("Validation", _row(self.validation, QLabel("patience"), self.patience))
        form.addRow("Stop early", _row(self.stop_at_convergence, self.tolerance, stretch_first=False))

        self._report_typed_values()
        self.learning_rate.valueChanged.connect(lambda v: self._edited(learning_rate=v))
        self.epochs.valueChanged.connect(lambda v: self._edited(epochs=v))
        self.seed.valueChanged.connect(lambda v: self._edited(seed=v))
        self.init.currentIndexChanged.connect(lambda _: self._edited(init=self.init.currentData()))
        self.scaling.currentIndexChanged.connect(lambda _: self._edited(scaling=self.scaling.currentData()))
        self.order.currentIndexChanged.connect(lambda _: self._edited(order=self.order.currentData()))
        self.mode.currentIndexChanged.connect(lambda _: self._edited(mode=self.mode.currentData()))
        self.batch_size.valueChanged.connect(lambda v: self._edited(batch_size=v))
        self.hidden_activation.currentIndexChanged.connect(self._on_hidden_activation_chosen)
        self.layer_activations.activationChosen.connect(self._on_layer_activation_chosen)
        self.output_activation.currentIndexChanged.connect(
            lambda _: self._edited(output_activation=self.output_activation.currentData())
        )
        self.architecture.layersChanged.connect(lambda layers: self._edited(hidden_layers=layers))
        self.stop_at_convergence.toggled.connect(lambda on: self._edited(stop_at_convergence=on))
        self.tolerance.valueChanged.connect(lambda v: self._edited(convergence_tolerance=v))
        self.optimizer.currentIndexChanged.connect(lambda _: self._edited(optimizer=self.optimizer.currentData()))
        self.momentum.valueChanged.connect(lambda v: self._edited(momentum=v))
        self.l2.valueChanged.connect(lambda v: self._edited(l2=v))
        self.l1.valueChanged.connect(lambda v: self._edited(l1=v))
        self.validation.valueChanged.connect(lambda v: self._edited(validation_percent=v))
        self.patience.valueChanged.connect(lambda v: self._edited(patience=v))
        self.task.currentIndexChanged.connect(self._on_task_chosen)
        self.new_weights.clicked.connect(lambda: self.newWeightsDrawn.emit(lesson.new_random_weights()))
        self._showing = False
        self.scaling_statistics.attach(lesson)
        self.target_warning.attach(lesson)
        lesson.settings_changed.connect(self.refresh)
        lesson.parameters_changed.connect(self._show_reset_hint)  # Reset applied the choice
        lesson.running_changed.connect(lambda running: self.setEnabled(not running))
        self.refresh()

    def _report_typed_values(self) -> None:
        """A number typed out of a box's range is said in the status bar, not dropped in silence."""
        boxes = {"learning_rate": self.learning_rate, "epochs": self.epochs, "seed": self.seed, "batch_size": self.batch_size,
                 "convergence_tolerance": self.tolerance, "momentum": self.momentum, "l2": self.l2, "l1": self.l1,
                 "validation_percent": self.validation, "patience": self.patience}  # fmt: skip
        report_typed_values(boxes, self.refused.emit)

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
            choice = settings.hidden_activation_choice
            _select(self.hidden_activation, choice if isinstance(choice, str) else PER_LAYER)
            self.layer_activations.show_names(settings.hidden_activation_names)
            _select(self.output_activation, settings.output_activation)
            self.architecture.set_layers(settings.hidden_layers)
            self.stop_at_convergence.setChecked(settings.stop_at_convergence)
            self.tolerance.setValue(settings.convergence_tolerance)
            _select(self.optimizer, settings.optimizer)
            self.momentum.setValue(settings.momentum)
            self.l2.setValue(settings.l2)
            self.l1.setValue(settings.l1)
            self.validation.setValue(settings.validation_percent)
            self.patience.setValue(settings.patience)
        finally:
            self._showing = False
        self.batch_size.setEnabled(settings.mode == "minibatch")
        self.output_activation.setEnabled(settings.task == "regression")
        self.new_weights.setEnabled(settings.init not in DETERMINISTIC_INITS)
        self.tolerance.setEnabled(settings.stop_at_convergence)
        self.momentum.setEnabled(settings.optimizer in ("momentum", "nesterov"))
        self.patience.setEnabled(settings.validation_percent > 0)
        self._form.setRowVisible(self.layer_activations, len(settings.hidden_layers) >= 2)
        self._show_reset_hint()

    def _show_reset_hint(self) -> None:
        """Say beside the Initialisation box when the choice there waits for Reset."""
        settings, network = self.lesson.settings, self.lesson.network
        seeded = settings.init not in DETERMINISTIC_INITS
        chosen = (settings.init, settings.seed if seeded else None)
        in_force = (network.init, network.seed if network.init not in DETERMINISTIC_INITS else None)
        pending = chosen != in_force
        if pending:
            name = dict((data, text) for text, data in INIT_CHOICES)[settings.init]
            seed = f", seed {settings.seed}" if seeded else ""
            self.reset_hint.setText(f"Press Reset (Ctrl+R) to apply “{name}”{seed}: the weights on show are unchanged until then.")
        self.reset_hint.setVisible(pending)

    def _on_hidden_activation_chosen(self, _index: int) -> None:
        name = self.hidden_activation.currentData()
        if name == PER_LAYER:  # not a choice itself: the layers' own are on the row below
            self.refresh()
        else:
            self._edited(hidden_activation=name, hidden_activations=())

    def _on_layer_activation_chosen(self, layer: int, name: str) -> None:
        names = list(self.lesson.settings.hidden_activation_names)
        if layer < len(names):
            names[layer] = name
            self._edited(hidden_activations=tuple(names))
        else:
            self.refresh()

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
