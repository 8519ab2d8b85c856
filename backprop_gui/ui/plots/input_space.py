"""The input space: what the network answers over the plane of two inputs, in the table's units.

A heatmap of ŷ over IQ × CGPA (any two inputs; the others held at their means), the table's rows on
it coloured by their target on the same colour scale, for classification the ŷ = 0.5 boundary and
each row marked right or wrong; beside it one small map per hidden neuron, its output O over the
same plane. Every value is the lesson's: ŷ is ``Lesson.predict`` with the weights on show.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...engine.measures.contours import contour_segments
from ...engine.measures.metrics import CLASSIFICATION_THRESHOLD
from ...engine.notation import format_number, output_name
from ...lesson import Lesson, StepCursor
from ..widgets.export_png import export_widget_png
from .landscape_surface import ContourItem
from .plot_palette import PaletteFollower
from ..widgets.throttle import Throttle

GRID = 90
"""Grid points along each input: the map is cheap (8,100 rows through the network)."""
NEURON_GRID = 45
REFRESH_MS = 50
MARGIN = 0.08
"""The plane reaches this share of each input's range beyond the table's rows."""
CLASS_COLOURS = ("#0072B2", "#E69F00")
"""Okabe–Ito blue for class 0 and orange for class 1."""
WRONG_COLOUR = "#D55E00"
HIGHLIGHT = "#D55E00"


class _NeuronBox(pg.ViewBox):
    """A small map's view that reports the pointer coming and going."""

    def __init__(self, on_hover, index: int) -> None:
        super().__init__(lockAspect=False, enableMouse=False, enableMenu=False)
        self._on_hover, self._index = on_hover, index

    def hoverEvent(self, event) -> None:
        if event.isEnter():
            self._on_hover(self._index)
        elif event.isExit():
            self._on_hover(None)


class InputSpaceView(QWidget):
    neuronHovered = Signal(object)
    """(layer, neuron) of the hidden neuron whose map the pointer is over, 0-based, or None."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputSpace")
        self.lesson, self.cursor = lesson, cursor
        self.highlighted: int | None = None
        self.map: np.ndarray | None = None
        """ŷ on the grid on screen, ``map[i, j]`` at (grid[0][i], grid[1][j])."""
        self.grid: tuple[np.ndarray, np.ndarray] | None = None
        self.neuron_maps: list[np.ndarray] = []
        self._rows_drawn: tuple | None = None
        self._table_version = 0

        self.x_input = QComboBox(objectName="inputSpaceX")
        self.y_input = QComboBox(objectName="inputSpaceY")
        for box in (self.x_input, self.y_input):
            box.setToolTip("The inputs across and up the plane; any others are held at their means")
            box.activated.connect(self._inputs_chosen)
        self.held = QLabel(objectName="inputSpaceHeld")
        export = QPushButton("Export PNG…", objectName="inputSpaceExport")
        export.clicked.connect(lambda: export_widget_png(self, "input-space"))
        bar = QHBoxLayout()
        self._axis_labels = (QLabel("Across"), QLabel("up"))
        bar.addWidget(self._axis_labels[0])
        bar.addWidget(self.x_input)
        bar.addWidget(self._axis_labels[1])
        bar.addWidget(self.y_input)
        bar.addWidget(self.held, 1)
        bar.addWidget(export)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.graphics.setObjectName("inputSpacePlots")
        self.main = self.graphics.addPlot(row=0, col=0)
        self.main.setMenuEnabled(False)
        self.main.setMinimumWidth(320)
        PaletteFollower(self.graphics)  # after the axes exist: it colours them from the palette
        self.image = pg.ImageItem(axisOrder="col-major")
        self.main.addItem(self.image)
        self.boundary = ContourItem(pen=pg.mkPen("#1a202c", width=2.5))
        self.boundary.setParentItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=pg.colormap.get("cividis"), interactive=False, width=14)
        self.colour_bar.setImageItem(self.image, insert_in=self.main)
        self.points = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#1a202c", width=1.2))
        self.main.addItem(self.points)
        self.wrong = pg.ScatterPlotItem(size=15, symbol="x", brush=WRONG_COLOUR, pen=pg.mkPen("w", width=0.8))
        self.main.addItem(self.wrong)
        self.neurons = self.graphics.addLayout(row=0, col=1)
        self.neurons.setContentsMargins(8, 0, 0, 0)
        self._neuron_items: list[tuple[pg.PlotItem, pg.ImageItem]] = []
        self._neuron_refs: list[tuple[int, int]] = []
        self.graphics.ci.layout.setColumnStretchFactor(0, 3)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        self.caption = QLabel(objectName="inputSpaceCaption")
        self.caption.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.caption)

        self.throttle = Throttle(self.refresh, self, REFRESH_MS)
        for event in (lesson.parameters_changed, lesson.settings_changed, lesson.table.changed, cursor.changed):
            event.connect(self.schedule_refresh)
        lesson.structure_changed.connect(self._rebuild)
        lesson.table.reset.connect(self._rebuild)
        lesson.table.changed.connect(self._table_changed)
        self._rebuild()

    def _table_changed(self, *_args) -> None:
        self._table_version += 1

    # -- structure ------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        names = self.lesson.table.input_names
        current = (self.x_input.currentText(), self.y_input.currentText())
        for box, fallback in ((self.x_input, 0), (self.y_input, 1)):
            box.clear()
            box.addItems(names)
            chosen = box.findText(current[fallback]) if current[fallback] else -1
            box.setCurrentIndex(chosen if chosen >= 0 else min(fallback, len(names) - 1))
        choosing = len(names) > 2
        for widget in (self.x_input, self.y_input, *self._axis_labels):
            widget.setVisible(choosing)
        self._build_neuron_maps()
        self._rows_drawn = None
        self.schedule_refresh()

    def _build_neuron_maps(self) -> None:
        self.neurons.clear()
        self._neuron_items, self._neuron_refs = [], []
        sizes = self.lesson.network.layer_sizes
        hidden = sizes[1:-1]
        if not hidden:
            self.neurons.addLabel("No hidden layer: ŷ depends on the inputs directly.", color="#4a5568")
            return
        columns = max(hidden)
        ink = self.palette().color(QPalette.ColorRole.Text).name()
        self.neurons.addLabel("Hidden neurons: O over the plane", color=ink,
                              row=0, col=0, colspan=min(columns, 4))  # fmt: skip
        row = 1
        for layer, width in enumerate(hidden):
            for j in range(width):
                box = _NeuronBox(self._hover, len(self._neuron_items))
                plot = self.neurons.addPlot(row=row + j // 4, col=j % 4, viewBox=box)
                plot.setMaximumSize(150, 125)  # small multiples: the main map keeps the room
                plot.hideAxis("left")
                plot.hideAxis("bottom")
                plot.setTitle(output_name(layer, j), color=ink, size="10pt")
                image = pg.ImageItem(axisOrder="col-major")
                image.setColorMap(pg.colormap.get("viridis"))
                plot.addItem(image)
                plot.setToolTip(f"{output_name(layer, j)}: the output of hidden neuron {j + 1} of layer {layer + 1} "
                                "over the plane (yellow high, purple low)")  # fmt: skip
                self._neuron_items.append((plot, image))
                self._neuron_refs.append((layer, j))
            row += (width + 3) // 4
        self._hover(None)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the maps' titles follow the light or dark theme
            self._build_neuron_maps()
            self.schedule_refresh()

    # -- choosing -----------------------------------------------------------------------------
    def _inputs_chosen(self) -> None:
        if self.x_input.currentIndex() == self.y_input.currentIndex():
            other = self.y_input if self.sender() is self.x_input else self.x_input
            other.setCurrentIndex(next(i for i in range(other.count()) if i != self.sender().currentIndex()))
        self.refresh()

    def choose_inputs(self, across: int, up: int) -> None:
        self.x_input.setCurrentIndex(across)
        self.y_input.setCurrentIndex(up)
        self.refresh()

    def highlight_neuron(self, layer_neuron: tuple[int, int] | None) -> None:
        """Frame one neuron's map (layer, neuron, 0-based), or none."""
        index = self._neuron_refs.index(tuple(layer_neuron)) if layer_neuron in self._neuron_refs else None
        self._hover(index, emit=False)

    def _hover(self, index: int | None, emit: bool = True) -> None:
        self.highlighted = index
        for k, (plot, _) in enumerate(self._neuron_items):
            plot.getViewBox().setBorder(pg.mkPen(HIGHLIGHT, width=3) if k == index else pg.mkPen("#cbd5e0", width=1))
        if emit:
            self.neuronHovered.emit(None if index is None else self._neuron_refs[index])

    # -- computing ----------------------------------------------------------------------------------
    @Slot()
    def schedule_refresh(self, *_args) -> None:
        self.throttle.schedule()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.schedule_refresh()

    def axes(self) -> tuple[int, int]:
        return self.x_input.currentIndex(), self.y_input.currentIndex()

    def plane_points(self, across_values, up_values) -> np.ndarray:
        """Rows in the table's units for each (across, up) pair, every other input at its mean; across varies slowest."""
        inputs = self.lesson.table.inputs()
        across, up = self.axes()
        points = np.repeat(inputs.mean(axis=0)[None, :], len(across_values) * len(up_values), axis=0)
        points[:, across] = np.repeat(np.asarray(across_values, dtype=float), len(up_values))
        points[:, up] = np.tile(np.asarray(up_values, dtype=float), len(across_values))
        return points

    def outputs_at(self, points) -> list[np.ndarray] | None:
        """Every layer's outputs at rows given in the table's units, with the weights on show (ŷ last,
        through ``Lesson.predict``); None when there is nothing to show."""
        lesson = self.lesson
        y_hat = lesson.predict(points, self.cursor.shown_parameters())
        if y_hat is None:
            return None
        network = lesson.network.copy()
        network.set_parameters(*self.cursor.shown_parameters())
        with np.errstate(over="ignore", invalid="ignore"):
            hidden = network.forward_pass(lesson.scaler().transform(points)).outputs[:-1]
        return [*hidden, y_hat]

    @Slot()
    def refresh(self) -> None:
        if not self.isVisible():
            return
        lesson = self.lesson
        table = lesson.table
        if table.n_rows == 0 or lesson.network.n_inputs != len(table.input_names) or min(self.axes()) < 0:
            self.caption.setText("The table is empty: nothing to show.")
            self.image.clear()
            self.points.setData([], [])
            self.wrong.setData([], [])
            return
        inputs, targets = table.inputs(), table.targets()
        across, up = self.axes()
        ranges = []
        for column in (across, up):
            lo, hi = float(inputs[:, column].min()), float(inputs[:, column].max())
            pad = MARGIN * (hi - lo) if hi > lo else max(1.0, abs(lo) * 0.1)
            ranges.append(np.linspace(lo - pad, hi + pad, GRID))
        outputs = self.outputs_at(self.plane_points(*ranges))
        if outputs is None:
            return
        self.grid = (ranges[0], ranges[1])
        self.map = outputs[-1][:, 0].reshape(GRID, GRID)
        classification = lesson.settings.task == "classification"
        self._draw_map(ranges, targets, classification)
        rows_key = (across, up, classification, lesson.table.n_rows, self._table_version)
        if rows_key != self._rows_drawn:  # the rows stay put during a run: only their marks change
            self._rows_drawn = rows_key
            self._draw_rows(inputs[:, across], inputs[:, up], targets, classification)
        if classification:
            self._mark_wrong(inputs[:, across], inputs[:, up], targets)
        self._draw_neurons(ranges)
        names = table.input_names
        self.main.setLabel("bottom", names[across])
        self.main.setLabel("left", names[up])
        others = [i for i in range(len(names)) if i not in (across, up)]
        means = inputs.mean(axis=0)
        self.held.setText("Held at their means: " + ", ".join(f"{names[i]} = {format_number(means[i])}" for i in others)
                          if others else "")  # fmt: skip
        self._write_caption(classification, inputs, targets)

    def _draw_map(self, ranges, targets, classification: bool) -> None:
        shown = np.where(np.isfinite(self.map), self.map, np.nan)
        if classification:
            levels = (0.0, 1.0)
            self.colour_bar.setColorMap(pg.colormap.get("CET-D1A"))
        else:
            levels = (float(targets.min()), float(targets.max()))
            if levels[1] <= levels[0]:
                levels = (levels[0] - 1.0, levels[0] + 1.0)
            self.colour_bar.setColorMap(pg.colormap.get("cividis"))
        self.image.setImage(np.nan_to_num(shown, nan=levels[0]), autoLevels=False)
        self._place(self.image, ranges)
        self.colour_bar.setLevels(levels)
        self.colour_bar.setLabel("left", f"ŷ: {self.lesson.table.target_name}")
        if classification and np.isfinite(shown).all():
            # Value i is drawn in pixel i, whose middle is at i + 0.5 in the image's coordinates.
            self.boundary.set_lines(contour_segments(shown, CLASSIFICATION_THRESHOLD) + 0.5)
        else:
            self.boundary.set_lines([])
        self.main.setRange(xRange=(ranges[0][0], ranges[0][-1]), yRange=(ranges[1][0], ranges[1][-1]), padding=0)

    def _mark_wrong(self, x, y, targets) -> None:
        predicted = self.outputs_at(self.lesson.table.inputs())
        if predicted is not None:
            wrong = (predicted[-1][:, 0] >= CLASSIFICATION_THRESHOLD) != (targets >= 0.5)
            self.wrong.setData(x[wrong], y[wrong])

    def _draw_rows(self, x, y, targets, classification: bool) -> None:
        if classification:
            brushes = [pg.mkBrush(CLASS_COLOURS[int(t >= 0.5)]) for t in targets]
        else:
            colour_map = self.colour_bar.colorMap()
            lo, hi = self.colour_bar.levels()
            scaled = (targets - lo) / (hi - lo) if hi > lo else np.zeros_like(targets)
            brushes = [pg.mkBrush(colour) for colour in colour_map.mapToQColor(np.clip(scaled, 0, 1))]
            self.wrong.setData([], [])
        self.points.setData(x, y, brush=brushes)

    def _draw_neurons(self, ranges) -> None:
        if not self._neuron_items:
            self.neuron_maps = []
            return
        small = [np.linspace(r[0], r[-1], NEURON_GRID) for r in ranges]
        outputs = self.outputs_at(self.plane_points(*small))
        maps = []
        for (plot, image), (layer, j) in zip(self._neuron_items, self._neuron_refs):
            values = outputs[layer][:, j].reshape(NEURON_GRID, NEURON_GRID)
            finite = values[np.isfinite(values)]
            maps.append(values)
            lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
            image.setImage(np.nan_to_num(values, nan=lo, posinf=hi, neginf=lo), levels=(lo, hi if hi > lo else lo + 1))
            self._place(image, small)
            plot.setRange(xRange=(small[0][0], small[0][-1]), yRange=(small[1][0], small[1][-1]), padding=0)
        self.neuron_maps = maps

    @staticmethod
    def _place(image: pg.ImageItem, ranges) -> None:
        first, second = ranges
        dx, dy = first[1] - first[0], second[1] - second[0]
        image.setRect(QRectF(first[0] - dx / 2, second[0] - dy / 2, dx * first.size, dy * second.size))

    def _write_caption(self, classification: bool, inputs, targets) -> None:
        if classification:
            predicted = self.outputs_at(inputs)
            right = int(np.sum((predicted[-1][:, 0] >= CLASSIFICATION_THRESHOLD) == (targets >= 0.5))) if predicted else 0
            self.caption.setText(
                f"ŷ over the plane; the black line is ŷ = 0.5, where the network's answer changes. Rows: blue placed 0, "
                f"orange placed 1; ✗ marks the {len(targets) - right} the network gets wrong ({right} of {len(targets)} right)."
            )
        else:
            self.caption.setText(
                "ŷ over the plane, in the table's units; each row is a dot coloured by its target on the same scale, "
                "so a dot that melts into its background is predicted well."
            )

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")
