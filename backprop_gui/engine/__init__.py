"""The backpropagation engine: NumPy (and numba, where installed), no Qt, usable from a notebook.

Where the chain rule is computed: ``backprop.py`` (the readable forward pass, backward pass and
update that ``Trainer.step`` runs) and ``backprop_compiled.py`` (their compiled twin, which
training runs use; ``jit_available()`` says whether it is in use, ``warm_up()`` compiles it).

    >>> from backprop_gui.engine import Network, Trainer
    >>> net = Network([2, 2, 1], init="ones")
    >>> record = Trainer(net, [[80, 8]], [5], learning_rate=1e-6).step()
    >>> float(record.y_hat[0, 0]), record.loss
    (176.0, 29241.0)
"""

from .activations import ACTIVATIONS
from .measures.gradient_check import GradientComparison, check_gradients
from .training.history import LossHistory
from .backprop import Gradients, backward_pass, forward_pass, train_step, update
from .compiled.backprop_compiled import jit_available, warm_up
from .measures.landscape import loss_surface
from .losses import LOSSES, Loss, get_loss
from .measures.metrics import Metrics, evaluate
from .network import INITIALISATIONS, ForwardPass, Network
from .notation import bias_name, format_number, output_name, weight_name
from .scaling import SCALINGS, Standardizer, make_scaler
from .settings import CLASSIFICATION_DEFAULTS, MAX_HIDDEN_LAYERS, MAX_NEURONS, MULTICLASS_DEFAULTS, REGRESSION_DEFAULTS, TrainingSettings
from .targets import classification_problem, output_range_warning
from .step_record import StepRecord
from .training.trainer import MODES, ORDERS, Trainer
from .training.train_loop import Progress, TrainingOutcome, train

__all__ = [
    "ACTIVATIONS",
    "CLASSIFICATION_DEFAULTS",
    "MULTICLASS_DEFAULTS",
    "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS",
    "REGRESSION_DEFAULTS",
    "GradientComparison",
    "Gradients",
    "Loss",
    "backward_pass",
    "forward_pass",
    "get_loss",
    "jit_available",
    "train_step",
    "update",
    "warm_up",
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
    "loss_surface",
    "make_scaler",
    "output_name",
    "train",
    "weight_name",
]
