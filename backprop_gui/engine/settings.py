"""Every training choice the user makes, in one plain value that sessions can save."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from .activations import ACTIVATIONS
from .losses import LOSSES
from .network import INITIALISATIONS, Network
from .scaling import SCALINGS
from .trainer import MODES, ORDERS, Trainer


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
        if any(n < 1 for n in self.hidden_layers):
            raise ValueError(f"every hidden layer needs at least one neuron, got {self.hidden_layers}")

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
