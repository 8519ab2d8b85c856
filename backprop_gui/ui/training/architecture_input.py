"""The hidden layers editor: how many hidden layers (0 to 4), and how many neurons each (1 to 8);
and the row of each hidden layer's own activation."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from ...engine import MAX_HIDDEN_LAYERS, MAX_NEURONS


class ArchitectureInput(QWidget):
    layersChanged = Signal(tuple)
    """The neurons of each hidden layer, first to last; () for no hidden layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer_count = QSpinBox()
        self.layer_count.setObjectName("hiddenLayersInput")
        self.layer_count.setRange(0, MAX_HIDDEN_LAYERS)
        self.layer_count.setKeyboardTracking(False)
        self.layer_count.setToolTip(
            f"Number of hidden layers, 0 to {MAX_HIDDEN_LAYERS} (0: the inputs feed the output directly, "
            "as in linear or logistic regression). Changing it rebuilds the network."
        )
        self.neurons: list[QSpinBox] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.layer_count)
        self._neurons_label = QLabel("of")
        layout.addWidget(self._neurons_label)
        for k in range(MAX_HIDDEN_LAYERS):
            spin = QSpinBox()
            spin.setObjectName(f"neuronsInput{k + 1}")
            spin.setRange(1, MAX_NEURONS)
            spin.setValue(2)
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"Neurons in hidden layer {k + 1}, 1 to {MAX_NEURONS}")
            spin.valueChanged.connect(self._emit)
            layout.addWidget(spin)
            self.neurons.append(spin)
        self._unit_label = QLabel("neurons")
        layout.addWidget(self._unit_label)
        layout.addStretch(1)
        self.layer_count.valueChanged.connect(self._on_count_changed)
        self._showing = False
        self._on_count_changed(self.layer_count.value())

    def layers(self) -> tuple[int, ...]:
        return tuple(spin.value() for spin in self.neurons[: self.layer_count.value()])

    def set_layers(self, layers: tuple[int, ...]) -> None:
        """Show ``layers`` without reporting a change."""
        self._showing = True
        try:
            for spin, n in zip(self.neurons, layers):
                spin.setValue(n)
            self.layer_count.setValue(len(layers))
            self._update_visibility()
        finally:
            self._showing = False

    def _on_count_changed(self, _count: int) -> None:
        self._update_visibility()
        self._emit()

    def _update_visibility(self) -> None:
        count = self.layer_count.value()
        for k, spin in enumerate(self.neurons):
            spin.setVisible(k < count)
        self._neurons_label.setVisible(count > 0)
        self._unit_label.setText("neurons" if count > 0 else "(inputs straight to the output)")

    def _emit(self, *_args) -> None:
        if not self._showing:
            self.layersChanged.emit(self.layers())


LAYER_ACTIVATION_CHOICES = [
    ("linear", "linear"), ("sigmoid", "sigmoid"), ("tanh", "tanh"), ("ReLU", "relu"), ("leaky ReLU", "leaky_relu"),
    ("ELU", "elu"), ("softplus", "softplus"), ("GELU", "gelu"), ("SiLU", "silu"),
]  # fmt: skip


class LayerActivations(QWidget):
    """One activation per hidden layer: a choice for each of the network's hidden layers."""

    activationChosen = Signal(int, str)
    """Hidden layer (0-based) and the activation's name, chosen by the user."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("per layer"))
        self.choices: list[QComboBox] = []
        for k in range(MAX_HIDDEN_LAYERS):
            combo = QComboBox()
            combo.setObjectName(f"hiddenActivationInput{k + 1}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)  # four fit the form's width; the list shows the names in full
            for text, name in LAYER_ACTIVATION_CHOICES:
                combo.addItem(text, name)
            combo.setToolTip(f"The activation of hidden layer {k + 1}'s neurons")
            combo.currentIndexChanged.connect(lambda _index, k=k: self._chosen(k))
            layout.addWidget(combo)
            self.choices.append(combo)
        layout.addStretch(1)
        self._showing = False
        self._leader: QWidget | None = None

    def follow_enabled(self, widget: QWidget) -> None:
        """Be enabled exactly when ``widget`` is (the choice for every hidden layer): what closes that
        (a lesson page, a run) closes these too."""
        self._leader = widget
        widget.installEventFilter(self)
        self.setEnabled(widget.isEnabled())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._leader and event.type() == QEvent.Type.EnabledChange:
            self.setEnabled(watched.isEnabled())
        return False

    def show_names(self, names: list[str]) -> None:
        """Show each hidden layer's activation, and a choice for each hidden layer only, without reporting."""
        self._showing = True
        try:
            for k, combo in enumerate(self.choices):
                combo.setVisible(k < len(names))
                if k < len(names):
                    combo.setCurrentIndex(combo.findData(names[k]))
        finally:
            self._showing = False

    def _chosen(self, layer: int) -> None:
        if not self._showing:
            self.activationChosen.emit(layer, self.choices[layer].currentData())
