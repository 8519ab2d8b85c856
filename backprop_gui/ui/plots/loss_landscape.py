"""The loss landscape: the mean loss over the table against two parameters, with the descent path.

The surface is the engine's (``engine.loss_surface``), computed in a background thread from the
weights on show (``StepCursor.shown_parameters``): a heatmap with contour lines and a colour bar,
the path of every step and run since the last reset drawn point by point on it, the weights on show
marked, and the paths of kept runs in their colours. The choices are the engine's and the lesson's
(``engine.measures.landscape``: which two parameters, the grid's ranges; ``lesson.measures``: when
there is nothing to show); this view asks, computes through ``LatestJob`` (one computation at a
time, a request meanwhile asked again once it ends) and draws.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...engine.measures.landscape import clamp_zoom, grid_ranges, largest_gradients, parameter_vector, project
from ...engine.notation import ParameterRef, all_parameters, format_number
from ...lesson import Lesson, StepCursor
from ...lesson.kept_runs import DescentPath, KeptRuns
from ...lesson.measures import landscape_problem, network_with
from .plot_palette import PaletteFollower
from ..widgets.background import LatestJob
from ..widgets.export_png import export_widget_png
from .landscape_surface import CONTOURS, ContourItem, compute_surface
from ..widgets.throttle import Throttle

REFRESH_MS = 60
"""Parameter changes arrive up to 20 times a second in a run; the surface follows at most this often."""
MAX_SYMBOLS = 400
"""A path of more points is drawn as a line only: thousands of symbols slow every repaint."""
PATH_COLOUR = "#ffffff"
CURRENT_COLOUR = "#e53e3e"


class LossLandscapeView(QWidget):
    surfaceShown = Signal()
    """A computed surface is on screen (tests and the screenshot wait for it)."""

    def __init__(self, lesson: Lesson, cursor: StepCursor, path: DescentPath, kept: KeptRuns,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("lossLandscape")
        self.lesson, self.cursor, self.path, self.kept = lesson, cursor, path, kept
        self._refs: list[ParameterRef] = []
        self._pair: tuple[ParameterRef, ParameterRef] | None = None
        self._ranges: tuple[np.ndarray, np.ndarray] | None = None
        self._zoom = 1.0
        self._job = LatestJob(self)
        self._job.done.connect(self._on_done)
        self._job.again.connect(self.schedule_refresh)
        self.surface: np.ndarray | None = None
        """The loss surface on screen, ``surface[i, j]`` at (first_values[i], second_values[j])."""
        self.values: tuple[np.ndarray, np.ndarray] | None = None

        self.first_input = QComboBox(objectName="landscapeFirstInput")
        self.second_input = QComboBox(objectName="landscapeSecondInput")
        for box, axis in ((self.first_input, "across"), (self.second_input, "up")):
            box.setToolTip(f"The parameter {axis} the landscape; the others stay at their values on show")
            box.activated.connect(self._pair_chosen)
        self.auto_pair = QCheckBox("Largest gradients", objectName="landscapeAutoPair")
        self.auto_pair.setToolTip("Show the two parameters with the largest |∂L/∂w| of the latest step")
        self.auto_pair.setChecked(True)
        self.auto_pair.toggled.connect(self._follow_gradients)
        self.log_colour = QCheckBox("Log colours", objectName="landscapeLogColour")
        self.log_colour.setToolTip("Colour by log₁₀ of the loss, so the valley floor shows its shape too")
        self.log_colour.setChecked(True)
        self.log_colour.toggled.connect(self.schedule_refresh)
        zoom_out = QPushButton("−", objectName="landscapeZoomOut")
        zoom_out.setToolTip("Show a wider range of both parameters")
        zoom_out.clicked.connect(lambda: self._set_zoom(self._zoom * 2))
        zoom_in = QPushButton("+", objectName="landscapeZoomIn")
        zoom_in.setToolTip("Show a narrower range around the path")
        zoom_in.clicked.connect(lambda: self._set_zoom(self._zoom / 2))
        for button in (zoom_in, zoom_out):
            button.setFixedWidth(30)
        export = QPushButton("Export PNG…", objectName="landscapeExport")
        export.clicked.connect(lambda: export_widget_png(self, "loss-landscape"))
        # Two rows of controls: in one they held the window wider than a 1024×768 projector.
        bar = QHBoxLayout()
        for widget in (QLabel("Across"), self.first_input, QLabel("up"), self.second_input, self.auto_pair):
            bar.addWidget(widget)
        bar.addStretch(1)
        tools = QHBoxLayout()
        for widget in (self.log_colour, zoom_in, zoom_out):
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(export)

        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setObjectName("landscapePlot")
        PaletteFollower(self.plot_widget)
        item = self.plot_widget.getPlotItem()
        item.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="col-major")
        item.addItem(self.image)
        self.contours = [ContourItem(pen=pg.mkPen("#ffffffb0", width=1)) for _ in range(CONTOURS)]
        for contour in self.contours:
            contour.setParentItem(self.image)  # drawn in the image's grid coordinates
        self.colour_bar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False, width=14)
        self.colour_bar.setImageItem(self.image, insert_in=item)
        self.kept_paths: list[pg.PlotDataItem] = []
        self.path_item = item.plot(pen=pg.mkPen(PATH_COLOUR, width=2), symbol="o", symbolSize=5,
                                   symbolBrush=PATH_COLOUR, symbolPen=pg.mkPen("#1a202c", width=1))  # fmt: skip
        self.current_item = pg.ScatterPlotItem(size=14, symbol="o", brush=CURRENT_COLOUR, pen=pg.mkPen("w", width=2))
        item.addItem(self.current_item)
        self.note = pg.TextItem("", color="#1a202c", anchor=(0.5, 0.5))
        item.addItem(self.note)
        self.caption = QLabel(objectName="landscapeCaption")
        self.caption.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addLayout(tools)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.caption)

        self.throttle = Throttle(self.refresh, self, REFRESH_MS)
        for event in (lesson.parameters_changed, lesson.settings_changed, lesson.table.changed, cursor.changed):
            event.connect(self.schedule_refresh)
        lesson.structure_changed.connect(self._on_structure_changed)
        lesson.stepped.connect(self._on_stepped)
        kept.changed.connect(self._draw_kept_paths)
        self._on_structure_changed()
        self._draw_kept_paths()  # runs kept before this view was made

    # -- the pair of parameters ---------------------------------------------------------
    @property
    def pair(self) -> tuple[ParameterRef, ParameterRef] | None:
        return self._pair

    def choose_pair(self, first: ParameterRef | str, second: ParameterRef | str) -> None:
        """Show the landscape of these two parameters (refs or the notes' names); stops following the gradients."""
        names = [ref.name for ref in self._refs]
        refs = [self._refs[names.index(p)] if isinstance(p, str) else ParameterRef(*p) for p in (first, second)]
        self.auto_pair.setChecked(False)
        self._set_pair(refs[0], refs[1])

    def _set_pair(self, first: ParameterRef, second: ParameterRef) -> None:
        if (first, second) == self._pair:
            return
        self._pair = (first, second)
        self._ranges = None
        for box, ref in ((self.first_input, first), (self.second_input, second)):
            box.setCurrentIndex(self._refs.index(ref))
        item = self.plot_widget.getPlotItem()
        item.setLabel("bottom", first.name)
        item.setLabel("left", second.name)
        self.schedule_refresh()

    def _pair_chosen(self) -> None:
        first, second = self._refs[self.first_input.currentIndex()], self._refs[self.second_input.currentIndex()]
        if first == second:  # keep two different parameters: swap the other box's choice
            other = self._pair[0] if self.sender() is self.second_input else self._pair[1]
            if other == first:
                other = next(ref for ref in self._refs if ref != first)
            first, second = (first, other) if self.sender() is self.first_input else (other, second)
        self.auto_pair.setChecked(False)
        self._set_pair(first, second)

    def _follow_gradients(self, follow: bool = True) -> None:
        if follow and self.auto_pair.isChecked():
            pair = self._largest_gradients()
            if pair is not None:
                self._set_pair(*pair)

    def _largest_gradients(self) -> list[ParameterRef] | None:
        record = self.lesson.last_record
        if record is None:
            return None
        return largest_gradients(self.lesson.network.layer_sizes, record.weight_grads, record.bias_grads)

    def _on_stepped(self, _record) -> None:
        self._follow_gradients()

    def _on_structure_changed(self) -> None:
        refs = all_parameters(self.lesson.network.layer_sizes)
        if refs == self._refs:
            return
        self._refs = refs
        for box in (self.first_input, self.second_input):
            box.clear()
            box.addItems([ref.name for ref in refs])
        self._pair = None
        # Before any step: the first two weights, w¹₁₁ and w¹₂₁.
        self._set_pair(*(self._largest_gradients() or refs[:2]))

    # -- computing -------------------------------------------------------------------------
    def _set_zoom(self, zoom: float) -> None:
        self._zoom = clamp_zoom(zoom)
        self._ranges = None
        self.schedule_refresh()

    @Slot()
    def schedule_refresh(self, *_args) -> None:
        self.throttle.schedule()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.schedule_refresh()

    @Slot()
    def refresh(self) -> None:
        """Draw the path now and start computing the surface for the weights on show."""
        if not self.isVisible() or self._pair is None:
            return  # a hidden tab costs nothing; showing it refreshes it
        if not self._job.free():
            return  # one computation at a time: this refresh follows when it ends
        self._draw_path()
        lesson = self.lesson
        problem = landscape_problem(lesson)
        if problem:
            self._show_note(problem)
            return
        shown = network_with(lesson.network, *self.cursor.shown_parameters())
        if shown is None:
            return
        sizes = lesson.network.layer_sizes
        extent = np.vstack([project(self._path_points(), sizes, self._pair), self._current_point()[None, :]])
        values = self._ranges = grid_ranges(extent, self._zoom, self._ranges)
        X = lesson.scaler().transform(lesson.table.inputs())
        args = (shown, X, lesson.table.targets(), lesson.settings.loss, self._pair, values, self.log_colour.isChecked())
        self._job.start(lambda: compute_surface(*args))

    @Slot(object)
    def _on_done(self, result) -> None:
        if isinstance(result, Exception):
            self._show_note(f"The landscape could not be computed: {result}")
            return
        surface, shown, lines, refs, values, log_colour = result
        if refs != self._pair:
            return  # stale: another pair is on show by now
        self.surface, self.values = surface, values
        finite = shown[np.isfinite(shown)]
        if finite.size == 0:
            self._show_note("The loss is not a finite number anywhere here: zoom in.")
            return
        self.note.setText("")
        lo, hi = float(finite.min()), float(finite.max())
        hi = hi if hi > lo else lo + 1.0
        self.image.setImage(np.where(np.isfinite(shown), shown, hi), autoLevels=False)
        first, second = values
        step_x, step_y = first[1] - first[0], second[1] - second[0]
        self.image.setRect(QRectF(first[0] - step_x / 2, second[0] - step_y / 2, step_x * first.size, step_y * second.size))
        self.colour_bar.setLevels((lo, hi))
        self.colour_bar.setLabel("left", "log₁₀ mean loss" if log_colour else "mean loss")
        for contour, (level, level_lines) in itertools.zip_longest(self.contours, lines, fillvalue=(None, [])):
            if contour is not None:
                contour.set_lines(level_lines)
        item = self.plot_widget.getPlotItem()
        item.setRange(xRange=(first[0], first[-1]), yRange=(second[0], second[-1]), padding=0)
        self._write_caption(surface, values, log_colour)
        self.surfaceShown.emit()

    def _write_caption(self, surface, values, log_colour) -> None:
        finite = surface[np.isfinite(surface)]
        i, j = np.unravel_index(np.nanargmin(np.where(np.isfinite(surface), surface, np.inf)), surface.shape)
        first, second = self._pair
        loss = "cross-entropy" if self.lesson.settings.loss == "bce" else "squared error"
        lowest = f"lowest here {format_number(float(finite.min()))} at {first.name} = {format_number(values[0][i])}, " \
                 f"{second.name} = {format_number(values[1][j])}" if finite.size else "no finite loss here"  # fmt: skip
        self.caption.setText(
            f"Mean {loss} over the table as {first.name} and {second.name} change, every other weight and bias as on show; "
            f"{lowest}. White: the path of every step and run since the last reset; red: the weights on show."
        )

    def _show_note(self, text: str) -> None:
        self.image.clear()
        for contour in self.contours:
            contour.set_lines([])
        self.note.setText(text)
        view = self.plot_widget.getPlotItem().getViewBox().viewRange()
        self.note.setPos((view[0][0] + view[0][1]) / 2, (view[1][0] + view[1][1]) / 2)

    # -- the paths ----------------------------------------------------------------------------
    def _path_points(self) -> np.ndarray:
        cursor = self.cursor
        if cursor.active and cursor.log_index is not None:
            return self.path.points(upto=cursor.log_index, after=not cursor.before_update)
        return self.path.points()

    def _current_point(self) -> np.ndarray:
        """The weights on show, on the plane of the pair."""
        return project(parameter_vector(*self.cursor.shown_parameters()), self.lesson.network.layer_sizes, self._pair)

    def _draw_path(self) -> None:
        points = project(self._path_points(), self.lesson.network.layer_sizes, self._pair)
        x, y = points[:, 0], points[:, 1]
        symbols = len(points) <= MAX_SYMBOLS
        self.path_item.setData(x, y, symbol="o" if symbols else None)
        self.current_item.setData([self._current_point()[0]], [self._current_point()[1]])
        self._draw_kept_paths()

    def _draw_kept_paths(self) -> None:
        item = self.plot_widget.getPlotItem()
        for old in self.kept_paths:
            item.removeItem(old)
        self.kept_paths = []
        if self._pair is None:
            return
        sizes = list(self.lesson.network.layer_sizes)
        for run in self.kept.runs:
            if run.layer_sizes != sizes or len(run.path) == 0:
                continue  # a path of another network has no place on this landscape
            points = project(run.path, sizes, self._pair)
            curve = pg.PlotDataItem(points[:, 0], points[:, 1], pen=pg.mkPen(run.colour, width=2), name=run.label)
            curve.setZValue(self.path_item.zValue() - 1)
            item.addItem(curve)
            self.kept_paths.append(curve)

    # -- for the window, tests and the screenshot ----------------------------------------
    def is_busy(self) -> bool:
        return self._job.busy or self.throttle.pending

    def shutdown(self) -> None:
        """Wait for a computation in progress; call before the window goes away."""
        self.throttle.cancel()
        self._job.shutdown()

    def export_png(self, path: str) -> bool:
        return self.grab().save(path, "PNG")

