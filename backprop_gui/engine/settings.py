"""Every training choice the user makes, in one plain value that sessions can save."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from .activations import ACTIVATIONS
from .losses import LOSSES
from .network import INITIALISATIONS, Network
from .scaling import SCALINGS
from .trainer import MODES, ORDERS, Trainer

MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 8
#: What choosing the classification task sets, in one action: the notes' sigmoid output with
#: binary cross-entropy (seed 001), sigmoid hidden neurons as in the notes, and a learning rate
#: that reaches 97% training accuracy on the placement example in the default 1000 epochs.
CLASSIFICATION_DEFAULTS = {"loss": "bce", "output_activation": "sigmoid", "hidden_activation": "sigmoid", "learning_rate": 0.1}
#: What choosing regression sets back: the notes' linear network with the squared error.
REGRESSION_DEFAULTS = {"loss": "mse", "output_activation": "linear", "hidden_activation": "linear", "learning_rate": 0.001}


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
    output_activation: str = "linear"
    loss: str = "mse"
    stop_at_convergence: bool = False
    convergence_tolerance: float = 1e-6
    """Training stops when no parameter changed by more than this over an epoch (the notes'
    "stop when b_new ≈ b_old"), if stop_at_convergence is on."""

    def __post_init__(self) -> None:
        choices = {
            "init": INITIALISATIONS,
            "scaling": SCALINGS,
            "order": ORDERS,
            "mode": MODES,
            "hidden_activation": ACTIVATIONS,
            "output_activation": ACTIVATIONS,
            "loss": LOSSES,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {sorted(allowed)}, got {getattr(self, name)!r}")
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {self.learning_rate}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {self.epochs}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        object.__setattr__(self, "hidden_layers", tuple(int(n) for n in self.hidden_layers))
        if len(self.hidden_layers) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden_layers)}")
        if any(not 1 <= n <= MAX_NEURONS for n in self.hidden_layers):
            raise ValueError(f"every hidden layer needs 1 to {MAX_NEURONS} neurons, got {self.hidden_layers}")
        if self.loss == "bce" and self.output_activation != "sigmoid":
            raise ValueError("binary cross-entropy needs a sigmoid output activation")
        if not isinstance(self.stop_at_convergence, bool):
            raise ValueError(f"stop_at_convergence must be true or false, got {self.stop_at_convergence!r}")
        if not (np.isfinite(self.convergence_tolerance) and self.convergence_tolerance >= 0):
            raise ValueError(f"convergence_tolerance must be a number of at least 0, got {self.convergence_tolerance}")

    @property
    def task(self) -> str:
        """"classification" with binary cross-entropy, else "regression"."""
        return "classification" if self.loss == "bce" else "regression"

    @property
    def tolerance_in_force(self) -> float | None:
        """The convergence tolerance train() should use, or None to run every epoch."""
        return self.convergence_tolerance if self.stop_at_convergence else None

    def layer_sizes(self, n_inputs: int, n_outputs: int = 1) -> list[int]:
        return [n_inputs, *self.hidden_layers, n_outputs]

    def build_network(self, n_inputs: int, n_outputs: int = 1) -> Network:
        return Network(
            self.layer_sizes(n_inputs, n_outputs),
            hidden_activation=self.hidden_activation,
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
        )

    def replace(self, **changes) -> "TrainingSettings":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["hidden_layers"] = list(self.hidden_layers)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingSettings":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return cls(**data)
