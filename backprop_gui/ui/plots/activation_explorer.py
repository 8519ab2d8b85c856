"""The activation explorer: why the activation's slope matters.

f and f′ of a hidden layer's activation on one plot, each of the layer's neurons marked at its
weighted sum z for one row of the table, with its slope drawn as a tangent; under it a warning
line naming every hidden neuron whose |f′(z)| is below 1% on most rows ("saturated", or "dead"
for ReLU), which the diagram marks too (a dashed outline). Every number is the engine's
(engine/measures/saturation.py), with the weights on show.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ...engine.activations import ACTIVATION_TITLES
from ...engine.notation import format_number, output_name
from ...engine.measures.saturation import FLAT_SLOPE, activation_curve, measured_rows, neuron_slopes
from ...lesson import Lesson, StepCursor
from ..widgets.export_png import export_widget_png
from ..widgets.throttle import Throttle
from .plot_palette import PaletteFollower

MARKER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe–Ito: a colour-blind-safe colour per neuron of the layer."""
TANGENT_HALF_WIDTH = 1.0
"""A tangent spans z ± this."""


class ActivationExplorer(QWidget):
    flagsChanged = Signal(object)
    """{(layer, neuron): "saturated" or "dead"} of every flagged hidden neuron (0-based)."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationExplorer")
        self.lesson, self.cursor = lesson, cursor
        self.slopes = []
        """The engine's NeuronSlope of every hidden neuron, as last measured."""
        self.flags: dict[tuple[int, int], str] = {}
        self.layer = QComboBox(objectName="explorerLayerInput")
        self.layer.setToolTip("The hidden layer whose activation is plotted, with its neurons marked")
        self.row = QSpinBox(objectName="explorerRowInput")
        self.row.setToolTip("The row of the table whose weighted sums z are marked on the curve")
        self.row.setMinimum(1)
        export = QPushButton("Export PNG…", objectName="activationExplorerExport")
        export.clicked.connect(lambda: export_widget_png(self, "activation"))
        bar = QHBoxLayout()
        for widget in (QLabel("Hidden layer"), self.layer, QLabel("row"), self.row):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(export)
        self.plot = pg.PlotWidget(objectName="activationExplorerPlot")
        self.plot.setBackground("w")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", "z, the weighted sum")
        self.plot.addLegend(offset=(10, 10))
        PaletteFollower(self.plot)
        self.f_curve = self.plot.plot(pen=pg.mkPen("#2b6cb0", width=2.5), name="f(z)")
        self.slope_curve = self.plot.plot(pen=pg.mkPen("#c05621", width=2, style=Qt.PenStyle.DashLine), name="f′(z)")
        self.markers = pg.ScatterPlotItem(size=11, pen=pg.mkPen("#1a202c", width=1))
        self.plot.addItem(self.markers)
        self.tangents: list[pg.PlotDataItem] = []
        self.labels: list[pg.TextItem] = []
        self.readout = QLabel(objectName="activationExplorerReadout")
        self.readout.setWordWrap(True)
        self.warning = QLabel(objectName="saturationWarning")
        self.warning.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.warning)
        self._measured: tuple | None = None
        for event in (lesson.table.changed, lesson.table.reset, lesson.settings_changed):
            event.connect(self._forget_inputs)
        self.throttle = Throttle(self.refresh, self)
        for event in (lesson.parameters_changed, lesson.settings_changed, lesson.structure_changed, lesson.table.changed,
                      lesson.table.reset, cursor.changed):  # fmt: skip
            event.connect(self.throttle.schedule)
        self.layer.activated.connect(lambda _: self.refresh())
        self.row.valueChanged.connect(lambda _: self.refresh())
        self.refresh()

    def choose(self, layer: int, row: int | None = None) -> None:
        """Plot hidden layer ``layer`` (0-based), marking the neurons at ``row`` (0-based) if given."""
        self._fill_layers()
        if 0 <= layer < self.layer.count():
            self.layer.setCurrentIndex(layer)
        if row is not None:
            self.row.setValue(row + 1)
        self.refresh()

    def _fill_layers(self) -> None:
        network = self.lesson.network
        names = [f"{k + 1}: {ACTIVATION_TITLES[network.activation(k).name]}" for k in range(network.n_layers - 1)]
        if names != [self.layer.itemText(k) for k in range(self.layer.count())]:
            current = self.layer.currentIndex()
            self.layer.clear()
            self.layer.addItems(names)
            self.layer.setCurrentIndex(min(max(current, 0), len(names) - 1))

    def _forget_inputs(self, *_args) -> None:
        self._measured = None

    def _inputs(self) -> np.ndarray | None:
        """The measured rows (saturation.measured_rows) as the network sees them, scaled; kept until
        the table or the scaling changes, so a run's refreshes do not copy a large table each time."""
        lesson = self.lesson
        if lesson.table.n_rows == 0 or lesson.network.n_inputs != len(lesson.table.input_names):
            return None
        scaler = lesson.scaler()  # a new one whenever the table or the scaling changed
        if self._measured is None or self._measured[0] is not scaler:
            self._measured = (scaler, scaler.transform(lesson.table.inputs()[measured_rows(lesson.table.n_rows)]))
        return self._measured[1]

    def _row_inputs(self, row: int) -> np.ndarray:
        """Row ``row`` (0-based) of the table as the network sees it."""
        table = self.lesson.table
        raw = np.array([[table.value(row, column) for column in range(table.n_columns - 1)]])
        return self.lesson.scaler().transform(raw)

    @Slot()
    def refresh(self) -> None:
        """Measure every hidden neuron's slope on the table's rows (the engine's), flag the flat
        ones, and plot the chosen layer at the chosen row."""
        self._fill_layers()
        inputs = self._inputs()
        network = self.lesson.network.copy()
        network.set_parameters(*self.cursor.shown_parameters())
        self.slopes = [] if inputs is None else neuron_slopes(network, inputs)
        flags = {(s.layer, s.j): s.verdict for s in self.slopes if s.verdict}
        if flags != self.flags:
            self.flags = flags
            self.flagsChanged.emit(dict(flags))
        self._show_warning()
        self._plot(network, inputs)

    def _show_warning(self) -> None:
        if not self.slopes:
            self.warning.setText("No hidden neurons to measure." if self.lesson.table.n_rows else "The table is empty.")
            return
        flagged = [s for s in self.slopes if s.verdict]
        if not flagged:
            self.warning.setText(f"No hidden neuron is saturated or dead: |f′(z)| ≥ {FLAT_SLOPE:g} on most rows for each.")
            return
        parts = [f"{output_name(s.layer, s.j)} is {s.verdict} (|f′(z)| < {FLAT_SLOPE:g} on {s.flat_share:.0%} of the rows)" for s in flagged]
        self.warning.setText("⚠ " + "; ".join(parts) + ": little gradient passes through it, and the weights into it barely learn.")

    def _plot(self, network, inputs) -> None:
        for item in self.tangents + self.labels:
            self.plot.removeItem(item)
        self.tangents, self.labels = [], []
        layer = self.layer.currentIndex()
        if layer < 0 or inputs is None:
            self.f_curve.setData([], [])
            self.slope_curve.setData([], [])
            self.markers.setData([], [])
            self.readout.setText("")
            return
        n_rows = self.lesson.table.n_rows
        self.row.setMaximum(max(1, n_rows))
        row = min(self.row.value(), n_rows) - 1
        name = network.activation(layer).name
        with np.errstate(over="ignore", invalid="ignore"):
            z = network.forward_pass(self._row_inputs(row)).z[layer][0]
        finite = z[np.isfinite(z)]
        low = min(-5.0, float(finite.min()) - 1.0) if finite.size else -5.0
        high = max(5.0, float(finite.max()) + 1.0) if finite.size else 5.0
        grid = np.linspace(max(low, -60.0), min(high, 60.0), 601)
        values, slopes = activation_curve(name, grid)
        self.f_curve.setData(grid, values)
        self.slope_curve.setData(grid, slopes)
        at, slope_at = activation_curve(name, z)
        brushes = [pg.mkBrush(MARKER_COLOURS[j % len(MARKER_COLOURS)]) for j in range(z.size)]
        self.markers.setData(z, at, brush=brushes)
        lines = []
        for j in range(z.size):
            if not (np.isfinite(z[j]) and np.isfinite(at[j]) and np.isfinite(slope_at[j])):
                continue
            span = np.array([z[j] - TANGENT_HALF_WIDTH, z[j] + TANGENT_HALF_WIDTH])
            tangent = self.plot.plot(span, at[j] + slope_at[j] * (span - z[j]), pen=pg.mkPen(MARKER_COLOURS[j % len(MARKER_COLOURS)], width=1.5))
            label = pg.TextItem(output_name(layer, j), color="#1a202c", anchor=(0.5, 1.3))
            label.setPos(float(z[j]), float(at[j]))
            self.plot.addItem(label)
            self.tangents.append(tangent)
            self.labels.append(label)
            lines.append(f"{output_name(layer, j)}: z = {format_number(float(z[j]))}, f(z) = {format_number(float(at[j]))}, "
                         f"f′(z) = {format_number(float(slope_at[j]))}")  # fmt: skip
        self.plot.setTitle(f"{ACTIVATION_TITLES[name]} and its slope, hidden layer {layer + 1}, row {row + 1}")
        self.readout.setText("   ·   ".join(lines))
