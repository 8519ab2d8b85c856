"""Every training choice the user makes, in one plain value that sessions can save."""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from .activations import ACTIVATIONS, OUTPUT_ONLY_ACTIVATIONS, activation_choice, get_activation
from .training.freezing import parameter_names
from .limits import (
    BATCH_SIZE_RANGE,
    CONVERGENCE_TOLERANCE_RANGE,
    EPOCHS_RANGE,
    L1_RANGE,
    L2_RANGE,
    LEARNING_RATE_RANGE,
    MOMENTUM_RANGE,
    PATIENCE_RANGE,
    SEED_RANGE,
    VALIDATION_PERCENT_RANGE,
)
from .losses import LOSSES, MULTICLASS_LOSSES
from .network import INITIALISATIONS, Network
from .notation import format_number
from .optimizers import OPTIMIZERS
from .scaling import SCALINGS
from .training.trainer import MODES, ORDERS, Trainer

MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 8
#: What choosing the classification task sets, in one action: the notes' sigmoid output with
#: binary cross-entropy (seed 001), sigmoid hidden neurons as in the notes, and a learning rate
#: that reaches 97% training accuracy on the placement example in the default 1000 epochs.
CLASSIFICATION_DEFAULTS = {"loss": "bce", "output_activation": "sigmoid", "hidden_activation": "sigmoid", "hidden_activations": (), "learning_rate": 0.1}
#: What choosing multi-class classification sets: k softmax outputs with the categorical
#: cross-entropy (L = −Σₖ yₖ log ŷₖ), tanh hidden neurons (they learn several boundaries at once).
MULTICLASS_DEFAULTS = {"loss": "categorical_cross_entropy", "output_activation": "softmax", "hidden_activation": "tanh", "hidden_activations": (), "learning_rate": 0.1}
#: What choosing regression sets back: the notes' linear network with the squared error.
REGRESSION_DEFAULTS = {"loss": "mse", "output_activation": "linear", "hidden_activation": "linear", "hidden_activations": (), "learning_rate": 0.001}

#: The range of every number setting, as the form's boxes allow (engine/limits.py).
NUMBER_RANGES = {
    "learning_rate": LEARNING_RATE_RANGE,
    "epochs": EPOCHS_RANGE,
    "seed": SEED_RANGE,
    "batch_size": BATCH_SIZE_RANGE,
    "convergence_tolerance": CONVERGENCE_TOLERANCE_RANGE,
    "momentum": MOMENTUM_RANGE,
    "l2": L2_RANGE,
    "l1": L1_RANGE,
    "validation_percent": VALIDATION_PERCENT_RANGE,
    "patience": PATIENCE_RANGE,
}
WHOLE_NUMBER_SETTINGS = ("epochs", "seed", "batch_size", "validation_percent", "patience")
#: The settings that are one of a few names, and the names each allows.
SETTING_CHOICES = {
    "init": INITIALISATIONS,
    "scaling": SCALINGS,
    "order": ORDERS,
    "mode": MODES,
    "hidden_activation": ACTIVATIONS,
    "output_activation": ACTIVATIONS,
    "loss": LOSSES,
    "optimizer": OPTIMIZERS,
}
"""The choices the form and session files offer. Multi-class classification is the engine's alone
for now: a session file cannot hold its class labels yet, so it refuses that task by name."""
ENGINE_SETTING_CHOICES = {
    **SETTING_CHOICES,
    "output_activation": {**ACTIVATIONS, **OUTPUT_ONLY_ACTIVATIONS},
    "loss": {**LOSSES, **MULTICLASS_LOSSES},
}


def validation_rows(n_rows: int, percent: int, seed: int) -> np.ndarray:
    """The validation rows of a table of ``n_rows``: ``percent`` of them (rounded, at least one
    row left to train on), drawn with ``seed`` from a stream of their own, ascending."""
    count = min(int(percent * n_rows / 100 + 0.5), max(n_rows - 1, 0))
    if count <= 0:
        return np.empty(0, np.int64)
    return np.sort(np.random.default_rng((int(seed), 14)).permutation(n_rows)[:count]).astype(np.int64)


def range_text(name: str) -> str:
    """The range of a number setting in words: "from 1 to 10,000,000", "from 1e−06 to 10"."""
    low, high = NUMBER_RANGES[name]
    if name in WHOLE_NUMBER_SETTINGS:
        return f"from {low:,} to {high:,}"
    return f"from {format_number(low)} to {format_number(high)}"


def check_number_setting(name: str, value, label: str | None = None) -> int | float:
    """``value`` as the setting ``name`` holds it, or ValueError naming the setting and its range.

    Whole-number settings take whole numbers only (not 3.0 or 1e15); every setting must lie
    in its range of engine/limits.py, the same range as the form's box. ``label`` names the
    setting in the message (default: its name).
    """
    low, high = NUMBER_RANGES[name]
    whole = name in WHOLE_NUMBER_SETTINGS
    label = label or name
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be {kind} {range_text(name)}, not {value!r}")
    if not low <= value <= high:  # also NaN
        raise ValueError(f"{label} must be {kind} {range_text(name)}, not {_shown(value)}")
    if whole and not isinstance(value, numbers.Integral):
        raise ValueError(f"{label} must be a whole number {range_text(name)}, not {float(value)!r} (a decimal number)")
    value = int(value) if whole else float(value)
    return value


def _shown(value) -> str:
    """A number for a message; a whole number too large for a float is described, not converted."""
    if isinstance(value, numbers.Integral) and abs(int(value)) >= 10**30:
        return f"a {len(str(abs(int(value))))}-digit whole number"
    return format_number(float(value))


@dataclass(frozen=True)
class TrainingSettings:
    # Defaults that converge on the notes' table: standardised inputs with small seeded
    # random weights. The notes' own "weights 1, biases 0" on raw inputs diverges at any
    # usable learning rate, so it is one choice away rather than the default.
    learning_rate: float = 0.001
    epochs: int = 1000
    init: str = "random"
    seed: int = 0
    scaling: str = "standardize"
    order: str = "random"
    mode: str = "sgd"
    batch_size: int = 2
    hidden_layers: tuple[int, ...] = (2,)
    hidden_activation: str = "linear"
    """Every hidden layer's activation, but for those ``hidden_activations`` gives."""
    hidden_activations: tuple[str, ...] = ()
    """One activation per hidden layer, the first hidden layer first, where it differs from layer
    to layer; empty when every hidden layer has ``hidden_activation``. A hidden layer beyond its
    end has ``hidden_activation``; it keeps no more names than there are hidden layers."""
    output_activation: str = "linear"
    loss: str = "mse"
    stop_at_convergence: bool = False
    convergence_tolerance: float = 1e-6
    """Training stops when no parameter changed by more than this over an epoch (the notes'
    "stop when b_new ≈ b_old"), if stop_at_convergence is on."""
    optimizer: str = "sgd"
    """The update rule (optimizers.py): "sgd" is the notes' w_new = w_old − η·∂L/∂w."""
    momentum: float = 0.9
    """μ of momentum and Nesterov."""
    l2: float = 0.0
    l1: float = 0.0
    """λ₂ and λ₁: the penalties (λ₂/2)·Σw² + λ₁·Σ|w| on the weights."""
    validation_percent: int = 0
    """The share of the table's rows (0 to 50%) kept out of training to measure overfitting."""
    patience: int = 0
    """Early stopping: stop when the validation loss has not improved for this many epochs (0: never)."""
    frozen: tuple[str, ...] = ()
    """Parameters training leaves as they are, by name ("w¹₁₁", "b₂₁"; training/freezing.py), sorted; a
    trainer gets those its network has."""

    def __post_init__(self) -> None:
        for name, allowed in ENGINE_SETTING_CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {sorted(allowed)}, got {getattr(self, name)!r}")
        for name in NUMBER_RANGES:
            object.__setattr__(self, name, check_number_setting(name, getattr(self, name)))
        object.__setattr__(self, "hidden_layers", tuple(int(n) for n in self.hidden_layers))
        if len(self.hidden_layers) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden_layers)}")
        if any(not 1 <= n <= MAX_NEURONS for n in self.hidden_layers):
            raise ValueError(f"every hidden layer needs 1 to {MAX_NEURONS} neurons, got {self.hidden_layers}")
        self._normalise_hidden_activations()
        if isinstance(self.frozen, str) or not all(isinstance(name, str) for name in self.frozen):
            raise ValueError(f"frozen must be a list of parameter names, got {self.frozen!r}")
        object.__setattr__(self, "frozen", tuple(sorted(set(self.frozen))))
        if (self.loss in MULTICLASS_LOSSES) != (self.output_activation in OUTPUT_ONLY_ACTIVATIONS):
            raise ValueError("the categorical cross-entropy and a softmax output go together, for multi-class classification")
        if self.loss == "bce" and self.output_activation != "sigmoid":
            raise ValueError("binary cross-entropy needs a sigmoid output activation")
        if not isinstance(self.stop_at_convergence, bool):
            raise ValueError(f"stop_at_convergence must be true or false, got {self.stop_at_convergence!r}")

    def _normalise_hidden_activations(self) -> None:
        names = self.hidden_activations
        if isinstance(names, str) or not all(isinstance(name, str) for name in names):
            raise ValueError(f"hidden_activations must be a list of activation names, got {names!r}")
        for name in names:
            try:
                get_activation(name)
            except ValueError as error:
                raise ValueError(f"hidden_activations: {error}") from None
        names = tuple(names[: len(self.hidden_layers)])
        if all(name == self.hidden_activation for name in names):
            names = ()
        object.__setattr__(self, "hidden_activations", names)

    @property
    def hidden_activation_names(self) -> list[str]:
        """Each hidden layer's activation, the first hidden layer first."""
        given = self.hidden_activations
        return [given[k] if k < len(given) else self.hidden_activation for k in range(len(self.hidden_layers))]

    @property
    def hidden_activation_choice(self) -> str | list[str]:
        """The hidden activations as Network and StepExplainer take them: one name, or one per layer."""
        return activation_choice(self.hidden_activation_names, self.hidden_activation)

    @property
    def task(self) -> str:
        """"multiclass" with the categorical cross-entropy, "classification" with binary cross-entropy, else "regression"."""
        if self.loss in MULTICLASS_LOSSES:
            return "multiclass"
        return "classification" if self.loss == "bce" else "regression"

    @property
    def tolerance_in_force(self) -> float | None:
        """The convergence tolerance train() should use, or None to run every epoch."""
        return self.convergence_tolerance if self.stop_at_convergence else None

    @property
    def patience_in_force(self) -> int | None:
        """The patience train() should use: None without validation rows or with patience 0."""
        return self.patience if self.patience and self.validation_percent else None

    def validation_rows(self, n_rows: int) -> np.ndarray:
        return validation_rows(n_rows, self.validation_percent, self.seed)

    def layer_sizes(self, n_inputs: int, n_outputs: int = 1) -> list[int]:
        return [n_inputs, *self.hidden_layers, n_outputs]

    def build_network(self, n_inputs: int, n_outputs: int = 1) -> Network:
        return Network(
            self.layer_sizes(n_inputs, n_outputs),
            hidden_activation=self.hidden_activation_choice,
            output_activation=self.output_activation,
            init=self.init,
            seed=self.seed,
        )

    def build_trainer(self, network: Network, X: np.ndarray, y: np.ndarray) -> Trainer:
        return Trainer(
            network,
            X,
            y,
            learning_rate=self.learning_rate,
            loss=self.loss,
            mode=self.mode,
            order=self.order,
            seed=self.seed,
            batch_size=self.batch_size,
            optimizer=self.optimizer,
            momentum=self.momentum,
            l2=self.l2,
            l1=self.l1,
            validation_rows=self.validation_rows(len(y)),
            frozen=set(self.frozen) & set(parameter_names(network.layer_sizes)),
        )

    def replace(self, **changes) -> "TrainingSettings":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["hidden_layers"] = list(self.hidden_layers)
        data["hidden_activations"] = list(self.hidden_activations)
        data["frozen"] = list(self.frozen)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingSettings":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return cls(**data)
