"""The input space: what the network answers over the plane of two inputs, in the table's units.

A heatmap of ŷ over IQ × CGPA (any two inputs; the others held at their means), the table's rows on
it coloured by their target on the same colour scale, for classification the ŷ = 0.5 boundary and
each row marked right or wrong; beside it one small map per hidden neuron, its output O over the
same plane. Every value is the lesson's (``engine.measures.input_plane``, the floats of
``Lesson.predict`` with the weights on show), computed in a pool thread (``LatestJob``) and drawn
here. A table of more than ``SAMPLE_ROWS`` rows is drawn as a sample of them, and the plot says so.
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
from ...engine.measures.input_plane import NEURON_GRID, input_plane, target_class
from ...lesson.measures import input_plane_request
from ..widgets.background import LatestJob
from ..widgets.export_png import export_widget_png
from .landscape_surface import ContourItem
from .plot_palette import PaletteFollower
from ..widgets.throttle import Throttle

REFRESH_MS = 50
COLOUR_STEPS = 256
"""A regression's rows take one of this many brushes along the colour scale."""
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
    pictureShown = Signal()
    """A computed plane is on screen (tests wait for it)."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputSpace")
        self.lesson, self.cursor = lesson, cursor
        self.highlighted: int | None = None
        self.map: np.ndarray | None = None
        """ŷ on the grid on screen, ``map[i, j]`` at (grid[0][i], grid[1][j])."""
        self.grid: tuple[np.ndarray, np.ndarray] | None = None
        self.neuron_maps: list[np.ndarray] = []
        self.plane = None
        """The ``InputPlane`` on screen."""
        self._rows_drawn: tuple | None = None
        self._table_version = 0
        self._table_data: tuple[np.ndarray, np.ndarray] | None = None
        """A copy of the table's (inputs, targets), taken at the first refresh after it changed."""
        self._job = LatestJob(self)
        self._job.done.connect(self._on_done)
        self._job.again.connect(self.schedule_refresh)

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
        self._table_data = None

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

    @Slot()
    def refresh(self) -> None:
        """Ask for the plane with the weights on show; it is computed in a pool thread and drawn
        when it comes back (``pictureShown``)."""
        if not self.isVisible() or not self._job.free():
            return  # a hidden tab costs nothing; one computation at a time, this one follows
        if self._table_data is None and self.lesson.table.n_rows > 0:
            self._table_data = (self.lesson.table.inputs(), self.lesson.table.targets())
        request = input_plane_request(self.lesson, *self.cursor.shown_parameters(), self.axes(), self._table_data)
        if request is None:
            self._show_nothing()
            return
        version = self._table_version
        self._job.start(lambda: (version, input_plane(request)))

    def _show_nothing(self) -> None:
        self.caption.setText("The table is empty: nothing to show.")
        self.image.clear()
        self.points.setData([], [])
        self.wrong.setData([], [])
        self.main.setTitle(None)
        self._rows_drawn = None

    @Slot(object)
    def _on_done(self, result) -> None:
        if isinstance(result, Exception):
            self.caption.setText(f"The input space could not be computed: {result}")
            return
        version, plane = result
        if version != self._table_version or plane.axes != self.axes():
            return  # stale: the table or the inputs chosen changed meanwhile, and a refresh follows
        self.plane, self.grid, self.map = plane, plane.grid, plane.map
        classification = self.lesson.settings.task == "classification"
        self._draw_map(plane.grid, plane.target_range, classification)
        rows_key = (plane.axes, classification, version)
        if rows_key != self._rows_drawn:  # the rows stay put during a run: only their marks change
            self._rows_drawn = rows_key
            self._draw_rows(plane, classification)
        if classification:
            self.wrong.setData(plane.x[plane.wrong], plane.y[plane.wrong])
        else:
            self.wrong.setData([], [])
        self._draw_neurons(plane)
        names = self.lesson.table.input_names
        across, up = plane.axes
        self.main.setLabel("bottom", names[across])
        self.main.setLabel("left", names[up])
        others = [i for i in range(len(names)) if i not in (across, up)]
        self.held.setText("Held at their means: " + ", ".join(f"{names[i]} = {format_number(plane.means[i])}" for i in others)
                          if others else "")  # fmt: skip
        self._write_caption(plane, classification)
        self.pictureShown.emit()

    def _draw_map(self, ranges, target_range, classification: bool) -> None:
        shown = np.where(np.isfinite(self.map), self.map, np.nan)
        if classification:
            levels = (0.0, 1.0)
            self.colour_bar.setColorMap(pg.colormap.get("CET-D1A"))
        else:
            levels = target_range
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

    def _draw_rows(self, plane, classification: bool) -> None:
        """The rows shown as dots, their brushes picked from a few made once (one per class, or per
        step of the colour scale): a brush per row cost minutes and gigabytes at a million rows."""
        if classification:
            palette = np.array([pg.mkBrush(colour) for colour in CLASS_COLOURS], dtype=object)
            buckets = target_class(plane.targets).astype(int)
        else:
            lo, hi = self.colour_bar.levels()
            steps = np.linspace(0.0, 1.0, COLOUR_STEPS)
            palette = np.array([pg.mkBrush(c) for c in self.colour_bar.colorMap().mapToQColor(steps)], dtype=object)
            scaled = (plane.targets - lo) / (hi - lo) if hi > lo else np.zeros_like(plane.targets)
            buckets = np.rint(np.clip(np.nan_to_num(scaled), 0, 1) * (COLOUR_STEPS - 1)).astype(int)
        self.points.setData(plane.x, plane.y, brush=palette[buckets])
        self.main.setTitle(f"showing {plane.shown_rows.size:,} of {plane.n_rows:,} rows, drawn at random"
                           if plane.sampled else None, color="#4a5568", size="9pt")  # fmt: skip

    def _draw_neurons(self, plane) -> None:
        if not self._neuron_items:
            self.neuron_maps = []
            return
        small = plane.neuron_grid
        maps = []
        for (plot, image), (layer, j) in zip(self._neuron_items, self._neuron_refs):
            values = plane.neuron_outputs[layer][:, j].reshape(NEURON_GRID, NEURON_GRID)
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

    def _write_caption(self, plane, classification: bool) -> None:
        if classification:
            n, right = plane.n_rows, plane.right
            if plane.sampled:
                marked = (f"✗ marks the {int(np.count_nonzero(plane.wrong)):,} of the {plane.shown_rows.size:,} rows "
                          f"shown that the network gets wrong ({right:,} of all {n:,} right)")  # fmt: skip
            else:
                marked = f"✗ marks the {n - right} the network gets wrong ({right} of {n} right)"
            self.caption.setText(
                f"ŷ over the plane; the black line is ŷ = {format_number(CLASSIFICATION_THRESHOLD)}, where the "
                f"network's answer changes. Rows: blue placed 0, orange placed 1; {marked}."
            )
        else:
            self.caption.setText(
                "ŷ over the plane, in the table's units; each row is a dot coloured by its target on the same scale, "
                "so a dot that melts into its background is predicted well."
            )

    def is_busy(self) -> bool:
        return self._job.busy or self.throttle.pending

    def shutdown(self) -> None:
        """Wait for a computation in progress; call before the window goes away."""
        self.throttle.cancel()
        self._job.shutdown()

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")
