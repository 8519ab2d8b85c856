"""The backpropagation engine: pure NumPy, no Qt, usable from a notebook.

    >>> from backprop_gui.engine import Network, Trainer
    >>> net = Network([2, 2, 1], init="ones")
    >>> record = Trainer(net, [[80, 8]], [5], learning_rate=1e-6).step()
    >>> float(record.y_hat[0, 0]), record.loss
    (176.0, 29241.0)
"""

from .activations import ACTIVATIONS
from .gradient_check import GradientComparison, check_gradients
from .history import LossHistory
from .losses import LOSSES
from .metrics import Metrics, evaluate
from .network import INITIALISATIONS, ForwardPass, Network
from .notation import bias_name, format_number, output_name, weight_name
from .scaling import SCALINGS, Standardizer, make_scaler
from .settings import CLASSIFICATION_DEFAULTS, MAX_HIDDEN_LAYERS, MAX_NEURONS, REGRESSION_DEFAULTS, TrainingSettings
from .targets import classification_problem, output_range_warning
from .trainer import MODES, ORDERS, StepRecord, Trainer
from .training import Progress, TrainingOutcome, train

__all__ = [
    "ACTIVATIONS",
    "CLASSIFICATION_DEFAULTS",
    "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS",
    "REGRESSION_DEFAULTS",
    "GradientComparison",
    "Metrics",
    "check_gradients",
    "classification_problem",
    "evaluate",
    "output_range_warning",
    "INITIALISATIONS",
    "LOSSES",
    "MODES",
    "ORDERS",
    "SCALINGS",
    "ForwardPass",
    "LossHistory",
    "Network",
    "Progress",
    "Standardizer",
    "StepRecord",
    "Trainer",
    "TrainingOutcome",
    "TrainingSettings",
    "bias_name",
    "format_number",
    "make_scaler",
    "output_name",
    "train",
    "weight_name",
]
