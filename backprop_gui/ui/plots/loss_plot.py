"""The live plot of the mean loss per epoch (the notes' "average loss for each epoch"), and of the
validation rows' loss after each epoch when the table has some.

Both curves show the data loss: the penalties of L1/L2 regularisation are not in them. A long
history is drawn as the lowest and highest loss of each bucket of epochs (peak_envelope.py)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ...engine.notation import counted, format_number
from .loss_axis import LossAxis
from .loss_marks import LossMarks, Mark
from .peak_envelope import PeakEnvelope
from .plot_palette import PaletteFollower

CURVE_COLOUR = "#2b6cb0"
MARK_COLOUR = "#718096"
"""The settings-change marks: a muted grey, readable on the light and the dark ground."""
VALIDATION_COLOUR = "#dd6b20"
ROOM_TICK_SCALE = 4 / 3
"""Presentation mode's tick labels, relative to the text around the plot."""
AUTO_LOG_DECADES = 3
"""A history whose losses span more than this many decades turns the log scale on by itself
(until the user ticks or clears the box: then the user's choice stands)."""
LARGEST_DRAWN = 1e300
"""Losses above this are not drawn (they are reported in the header): the view's padding and
tick arithmetic on values near the float limit overflow to ∞."""


def _extent(curve: pg.PlotDataItem, log: bool, kept: dict | None = None) -> tuple[float, float, float] | None:
    """A curve's last epoch and its lowest and highest loss as the axis shows them (log10 on a
    log scale), over its drawable points; None when it has none. An overlay never changes: its
    extents are kept in ``kept``, measured once."""
    x, y = curve.getOriginalDataset()
    if x is None or len(x) == 0:
        return None
    if kept is not None and log in kept:
        return kept[log]
    drawable = np.isfinite(y) & (y > 0) if log else np.isfinite(y)
    extent = None
    if drawable.any():
        shown = np.log10(y[drawable]) if log else y[drawable]
        extent = (float(x[-1]), float(shown.min()), float(shown.max()))
    if kept is not None:
        kept[log] = extent
    return extent


def _round_up(epochs: float) -> float:
    """The next of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten at or above ``epochs``: the
    epoch axis's end steps ahead of a run by a quarter or more, not with every epoch."""
    power = 10.0 ** np.floor(np.log10(max(epochs, 1.0)))
    return next(power * m for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if power * m >= epochs)


class LossPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._overlays: dict[pg.PlotDataItem, dict] = {}
        """The curves of ``set_overlays``, each with its extents by scale."""
        self.plot_widget = pg.PlotWidget(
            background="w", axisItems={"left": LossAxis("left"), "bottom": LossAxis("bottom")}
        )
        self.plot_widget.setObjectName("lossPlot")
        self.plot_widget.setToolTip(
            "Mean data loss of each epoch (without the L1/L2 penalty), on the training rows and, in orange, the "
            "validation rows; drag to pan, scroll to zoom, right-click for options"
        )
        item = self.plot_widget.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "mean loss L")  # the data loss: the tooltip says the penalty is not in it
        # No grid: it tripled the cost of every repaint during training (40 ms → 10 ms without).
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.legend = item.addLegend(offset=(-10, 10))
        self.curve = item.plot(pen=pg.mkPen(CURVE_COLOUR, width=1), name="training")
        self.curve.setSkipFiniteCheck(True)  # show_history passes finite values only
        self.validation_curve = item.plot(pen=pg.mkPen(VALIDATION_COLOUR, width=1, style=Qt.PenStyle.DashLine), name="validation")  # not by colour alone
        self.validation_curve.setSkipFiniteCheck(True)
        self.legend.removeItem(self.validation_curve)  # listed once there are validation rows
        self._following = True
        """Whether the view follows the curves (until the user pans or zooms; "A" resumes it)."""
        self._window: tuple[float, float, float, float] | None = None
        """(x0, x1, y0, y1) the view shows while following, y in the axis's units (log10 on a log scale)."""
        item.getViewBox().sigRangeChangedManually.connect(self._stop_following)
        PaletteFollower(self.plot_widget)  # after the axes and the legend exist: it colours them
        self._validation = np.zeros(0)
        self._envelope, self._validation_envelope = PeakEnvelope(), PeakEnvelope()
        self._x = np.arange(1, 1025, dtype=float)
        self._history = np.zeros(0)
        self._marks: list = []
        self._mark_lines: list[pg.InfiniteLine] = []

        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setObjectName("logScaleToggle")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis, where steady convergence is a straight line")
        self.log_scale.toggled.connect(self._set_log_scale)
        self.log_scale.clicked.connect(self._user_chose_scale)
        self.scale_chosen = False
        """Whether the user ticked or cleared the log scale: it is then no longer turned on by itself."""
        self._auto_log = False
        self.marks = LossMarks(item)
        # A read-only line edit, not a QLabel: QLabel.setText asks for a new layout every
        # time, which repaints the whole dock on every training snapshot.
        self.latest = QLineEdit("No epochs yet")
        self._header_forms = ["No epochs yet"]
        self.latest.setObjectName("latestLoss")
        self.latest.setReadOnly(True)
        self.latest.setFrame(False)
        self.latest.setStyleSheet("background: transparent;")
        self.latest.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = QHBoxLayout()
        header.addWidget(self.latest, 1)
        header.addWidget(self.log_scale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)

    def show_history(self, values: np.ndarray, validation: np.ndarray | None = None) -> None:
        """The training loss of each epoch, and beside it the validation loss (NaN: none measured)."""
        values = np.asarray(values, dtype=float)
        n = len(values)
        if n > self._x.size:
            self._x = np.arange(1, 2 * n + 1, dtype=float)
        self._history = values
        self._validation = np.zeros(0) if validation is None else np.asarray(validation, dtype=float)[:n]
        self.marks.follow_history(n)
        if self._choose_scale(values):
            return  # the new scale drew the history again
        self._show_validation()
        if n == 0:
            self.curve.setData([], [])
            self._window = None
            self._reset_view()
            diverged = self.marks.diverged()
            self._header_forms = [diverged.text] if diverged else ["No epochs yet"]
            self.latest.setToolTip(diverged.text if diverged else "")
            self._fit_header()
            return
        log = self.log_scale.isChecked()
        notes: list[tuple[str, str, str]] = []  # (how many, why in short, why in full)
        # The envelope holds every bucket's lowest and highest loss (NaN if the bucket has one), so
        # its extremes are the history's: the common case (all drawable) is decided without a
        # pass over millions of epochs at every frame.
        x, y = self._envelope.points(values)
        low, high = y.min(), y.max()
        if not (np.isfinite(low) and np.isfinite(high) and max(-low, high) <= LARGEST_DRAWN and (low > 0 or not log)):
            x = self._x[:n]
            too_large = ~(np.abs(values) <= LARGEST_DRAWN)  # also ∞ and NaN
            not_positive = (values <= 0) & ~too_large if log else np.zeros(n, dtype=bool)
            if too_large.any():
                finite = bool(np.isfinite(values[too_large]).all())
                notes.append(
                    (counted(int(too_large.sum()), "epoch"), "too large" if finite else "not finite",
                     f"a loss above {format_number(LARGEST_DRAWN)} or not a finite number")
                )
            if not_positive.any():
                notes.append((counted(int(not_positive.sum()), "epoch"), "loss 0", "a loss of 0, which a log scale cannot show"))
            drawable = ~(too_large | not_positive)
            x, y = x[drawable], values[drawable]
        self.curve.setData(x, y)
        self._follow()
        loss = format_number(values[-1])
        validation = None
        if self._validation.size == n and np.isfinite(self._validation[-1]):
            validation = format_number(self._validation[-1])
        long = f"Epoch {n:,}: mean loss {loss}" + (f", validation {validation}" if validation else "")
        diverged = self.marks.diverged()
        if diverged is not None:
            long = f"{long}  ·  {diverged.text}"
        not_drawn = "".join(f"  ({count} not drawn: {short})" for count, short, _ in notes)
        ended = "  ·  diverged" if diverged is not None else ""
        self._header_forms = [  # the first that fits the line is shown: never a number cut short
            long + not_drawn,
            f"Epoch {n:,}: L = {loss}" + (f", val {validation}" if validation else "") + ("  (some not drawn)" if notes else "") + ended,
            f"{n:,}: L = {loss}" + (f" · val {validation}" if validation else "") + ended,
        ]
        self.latest.setToolTip("\n".join([long] + [f"Not drawn: {count} with {full}." for count, _, full in notes]))
        self._fit_header()

    def show_marks(self, marks) -> None:
        """A dashed vertical line after each epoch at which the settings changed (lesson/step_log.py),
        labelled with what changed; redrawn only when the marks differ."""
        marks = list(marks)
        if marks == self._marks:
            return
        item = self.plot_widget.getPlotItem()
        for line in self._mark_lines:
            item.removeItem(line)
        self._marks, self._mark_lines = marks, []
        for mark in marks:
            line = pg.InfiniteLine(pos=mark.epochs + 0.5, angle=90, pen=pg.mkPen(MARK_COLOUR, width=1, style=Qt.PenStyle.DashLine),
                                   label=mark.text, labelOpts={"position": 0.9, "color": MARK_COLOUR, "anchors": [(0, 0.5), (0, 0.5)]})  # fmt: skip
            line.setToolTip(f"After epoch {mark.epochs:,}: {mark.text}")
            item.addItem(line, ignoreBounds=True)
            self._mark_lines.append(line)

    def _fit_header(self) -> None:
        """Show the longest form of the header that fits its line (the dock may be narrow)."""
        room = self.latest.width() - 8  # the line edit's own margins
        metrics = self.latest.fontMetrics()
        forms = self._header_forms
        text = next((form for form in forms if metrics.horizontalAdvance(form) <= room), forms[-1])
        if text != self.latest.text():
            self.latest.setText(text)
            self.latest.setCursorPosition(0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_header()

    def _stop_following(self, *_args) -> None:
        self._following = False

    def set_overlays(self, runs) -> list[pg.PlotDataItem]:
        """Draw these finished curves over the run's own, replacing those drawn before: (label,
        colour, loss of each epoch) each, as kept runs give them. Returns the curves drawn."""
        item = self.plot_widget.getPlotItem()
        for curve in self._overlays:
            item.removeItem(curve)
        self._overlays = {}
        for label, colour, losses in runs:
            n = len(losses)
            # Zero has no logarithm: drawn at the smallest positive double, as the run's own curve is.
            values = np.maximum(np.where(np.isfinite(losses), losses, np.nan), np.finfo(float).tiny)
            curve = pg.PlotDataItem(np.arange(1, n + 1, dtype=float), values, pen=pg.mkPen(colour, width=2), name=label,
                                    connect="finite", symbol="o" if n == 1 else None, symbolBrush=colour, symbolSize=6)  # fmt: skip
            item.addItem(curve)  # then clip and downsample: before it has a view they fail
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self._overlays[curve] = {}  # its extents, measured once
        self.refit()  # the view takes in the new curves, or lets go of those taken away
        return list(self._overlays)

    def refit(self) -> None:
        """Fit the view to the curves on it now (overlays were added or taken away)."""
        self._window = None
        self._follow()

    def _follow(self) -> None:
        """Keep the view a step ahead of the curves, so that it changes now and then, not with
        every epoch: each change redraws both axes, half of a frame's cost while training.
        pyqtgraph's own fitting moved the view at every frame (it pads by pixels, which depend on
        the view), so while the view follows the curves it is set here, to the epoch rounded up
        (``_round_up``) and the losses with room below; it moves when a curve leaves it or fills
        less than half of it. A pan or a zoom stops the following; pyqtgraph's "A" button (or a
        cleared history) starts it again."""
        view = self.plot_widget.getPlotItem().getViewBox()
        if any(view.autoRangeEnabled()):  # a reset, a new scale or the "A" button: follow again
            view.disableAutoRange()
            self._following, self._window = True, None
        if not self._following:
            return
        log = self.log_scale.isChecked()
        extents = [_extent(curve, log, self._overlays.get(curve)) for curve in self.plot_widget.getPlotItem().listDataItems()
                   if curve.isVisible()]  # fmt: skip
        extents = [extent for extent in extents if extent is not None]  # curves with something drawn
        if not extents:
            return
        x_high = max(x for x, _, _ in extents)
        y_low, y_high = min(low for _, low, _ in extents), max(high for _, _, high in extents)
        if self._window is not None:
            x0, x1, y0, y1 = self._window
            inside = x_high <= x1 and y0 <= y_low and y_high <= y1
            filled = (x_high - 1) >= 0.5 * (x1 - 1) and (y_high - y_low) >= 0.5 * (y1 - y0)
            if inside and filled:
                return
        y_span = (y_high - y_low) or max(abs(y_high), 1.0) * 0.1
        if log:  # the loss falls by decades: half a decade of room below it, or a quarter of the span
            below = y_low - max(0.25 * y_span, 0.5)
        else:  # the loss falls towards a floor: a tenth of the span below it, never under 0
            below = y_low - 0.1 * y_span
            below = max(below, 0.0) if y_low >= 0 else below
        self._window = (1.0, _round_up(x_high), below, y_high)
        view.setRange(xRange=self._window[:2], yRange=self._window[2:], padding=0.02)

    def _show_validation(self) -> None:
        values = self._validation
        n = values.size
        if n == 0 or not np.isfinite(values).any():
            if self.validation_curve.isVisible():  # once, not at every frame of a run without them
                self.validation_curve.setData([], [])
                self.validation_curve.setVisible(False)
                self.legend.removeItem(self.validation_curve)  # no validation rows: no entry for them
            return
        if self.legend.getLabel(self.validation_curve) is None:
            self.legend.addItem(self.validation_curve, "validation")
        drawable = np.isfinite(values) & (np.abs(values) <= LARGEST_DRAWN)
        if self.log_scale.isChecked():
            drawable &= values > 0
        self.validation_curve.setVisible(True)
        if drawable.all():
            self.validation_curve.setData(*self._validation_envelope.points(values))
        else:
            self.validation_curve.setData(self._x[:n][drawable], values[drawable])

    def _reset_view(self) -> None:
        """Forget any zoom or pan and the last history's ranges: the next history sets its own."""
        item = self.plot_widget.getPlotItem()
        item.getViewBox().setRange(xRange=(0, 10), yRange=(0, 1) if not self.log_scale.isChecked() else (-2, 0), padding=0)
        item.enableAutoRange()

    # -- marks and the scale chosen by itself -----------------------------------
    def mark(self, epoch: int, text: str, kind: str) -> None:
        """Mark an epoch of the history: "diverged" (a run's end, with its message) or "change"."""
        self.marks.add(Mark(epoch, text, kind))
        self.show_history(self._history, self._validation)

    def _user_chose_scale(self, _checked: bool) -> None:
        self.scale_chosen, self._auto_log = True, False

    def set_room_ticks(self, on: bool) -> None:
        """For a room (presentation mode): tick labels a third larger than the text around them and
        the major ticks only, so fewer labels, none overlapping; off gives pyqtgraph's defaults back."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * ROOM_TICK_SCALE)
        else:
            font.setPixelSize(round(font.pixelSize() * ROOM_TICK_SCALE))
        for side in ("left", "bottom"):
            axis = self.plot_widget.getPlotItem().getAxis(side)
            axis.room = on
            axis.setTickFont(font if on else None)
            axis.setStyle(maxTickLevel=0 if on else 2, maxTextLevel=0 if on else 2)

    def choose_log_scale(self, enabled: bool) -> None:
        """The user's choice (the View menu's entry, as the box): it stands from now on."""
        self._user_chose_scale(enabled)
        self.log_scale.setChecked(enabled)

    def _choose_scale(self, values: np.ndarray) -> bool:
        """Turn the log scale on when the history spans more than AUTO_LOG_DECADES decades, and off
        again when a shorter history replaces it, unless the user chose; True if it changed."""
        if self.scale_chosen:
            return False
        x, y = self._envelope.points(values) if len(values) else (None, np.zeros(0))
        shown = y[np.isfinite(y) & (y > 0) & (y <= LARGEST_DRAWN)]
        wide = shown.size > 1 and np.log10(shown.max() / shown.min()) > AUTO_LOG_DECADES
        if wide and not self.log_scale.isChecked():
            self._auto_log = True
            self.log_scale.setChecked(True)
            return True
        if not wide and self._auto_log and self.log_scale.isChecked():
            self._auto_log = False
            self.log_scale.setChecked(False)
            return True
        return False

    def _set_log_scale(self, enabled: bool) -> None:
        self.plot_widget.getPlotItem().setLogMode(y=enabled)
        self.plot_widget.getPlotItem().enableAutoRange()  # the new scale is followed afresh
        self.show_history(self._history, self._validation)
