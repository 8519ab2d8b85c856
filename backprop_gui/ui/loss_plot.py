"""The live plot of the mean loss per epoch (the notes' "average loss for each epoch")."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ..engine.notation import format_number

CURVE_COLOUR = "#2b6cb0"


class LossPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setObjectName("lossPlot")
        self.plot_widget.setToolTip("Mean loss of each epoch; drag to pan, scroll to zoom, right-click for options")
        item = self.plot_widget.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "mean loss L")
        # No grid: it tripled the cost of every repaint during training (40 ms → 10 ms without).
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen("#1a202c")
            item.getAxis(axis).setPen("#4a5568")
        self.curve = item.plot(pen=pg.mkPen(CURVE_COLOUR, width=1))
        self.curve.setSkipFiniteCheck(True)  # the worker never reports a non-finite loss
        self._x = np.arange(1, 1025, dtype=float)

        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setObjectName("logScaleToggle")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis, where steady convergence is a straight line")
        self.log_scale.toggled.connect(self._set_log_scale)
        # A read-only line edit, not a QLabel: QLabel.setText asks for a new layout every
        # time, which repaints the whole dock on every training snapshot.
        self.latest = QLineEdit("No epochs yet")
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

    def show_history(self, values: np.ndarray) -> None:
        n = len(values)
        if n > self._x.size:
            self._x = np.arange(1, 2 * n + 1, dtype=float)
        if n == 0:
            self.curve.setData([], [])
            self.latest.setText("No epochs yet")
            return
        y = values
        if self.log_scale.isChecked():
            # A loss of exactly 0 has no logarithm; draw it at the smallest positive double.
            y = np.maximum(values, np.finfo(float).tiny)
        self.curve.setData(self._x[:n], y)
        self.latest.setText(f"Epoch {n}: mean loss {format_number(values[-1], 6)}")

    def _set_log_scale(self, enabled: bool) -> None:
        self.plot_widget.getPlotItem().setLogMode(y=enabled)
        x, y = self.curve.getOriginalDataset()
        if y is not None:
            self.show_history(np.asarray(y))
