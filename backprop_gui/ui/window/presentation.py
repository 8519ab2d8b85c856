"""Presentation mode (View > Presentation Mode, F9; Escape leaves): for a projector in front of a class.

Full screen, every text 1.6 times larger, the diagram with the chain-rule panel beside it, the
training form folded behind one button, and Step / Next Phase / Back / Train / Stop as large
buttons along the top. Leaving puts the window back exactly as it was (``saveState`` and
``restoreState`` of the docks, the window's geometry and its full-screen or maximised state).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSizePolicy, QToolBar, QToolButton, QWidget

from ..widgets.text_zoom import TextZoom

PRESENTATION_SCALE = 1.6
CHAIN_RULE_SHARE = 0.5
"""The chain-rule panel's share of the screen's width, beside the diagram."""


class PresentationMode(QObject):
    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, zoom: TextZoom, docks: dict[str, QDockWidget], actions: list[QAction]) -> None:
        super().__init__(window)
        self.window = window
        self.zoom = zoom
        self.docks = docks
        self.active = False
        self._saved_state: QByteArray | None = None
        self._saved_geometry: QByteArray | None = None
        self._saved_window_state = Qt.WindowState.WindowNoState
        self._saved_rect = window.geometry()

        self.action = QAction("&Presentation Mode", window)
        self.action.setObjectName("presentationModeAction")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("F9"))
        self.action.setToolTip("Full screen with large text, for a projector (F9; Escape leaves)")
        self.action.setStatusTip("Full screen with large text, the diagram and the chain rule side by side")
        self.action.toggled.connect(self.set_active)
        self.leave_action = QAction("Leave Presentation Mode", window)
        self.leave_action.setObjectName("leavePresentationAction")
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(lambda: self.set_active(False))
        window.addAction(self.leave_action)  # works with the menu bar hidden, too

        training = docks["training"]
        self.settings_action = training.toggleViewAction()
        # The presentation toolbar: the lesson's buttons, large.
        self.toolbar = QToolBar("Presentation", window)
        self.toolbar.setObjectName("presentationToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in actions:
            self.toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.settings_button = QToolButton()
        self.settings_button.setObjectName("presentationSettingsButton")
        self.settings_button.setText("Training Settings…")
        self.settings_button.setToolTip("Show or fold away the training form")
        self.settings_button.setCheckable(True)
        self.settings_button.toggled.connect(training.setVisible)
        training.visibilityChanged.connect(self._follow_training_dock)
        self.toolbar.addWidget(self.settings_button)
        self.toolbar.addAction(self.leave_action)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()

    def _follow_training_dock(self, visible: bool) -> None:
        if self.active:
            self.settings_button.blockSignals(True)
            self.settings_button.setChecked(visible)
            self.settings_button.blockSignals(False)

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.enter() if on else self.leave()

    def enter(self) -> None:
        window = self.window
        self._saved_state = window.saveState()
        self._saved_geometry = window.saveGeometry()
        self._saved_window_state = window.windowState()
        self._saved_rect = window.geometry()
        self.active = True
        for key in ("training", "data", "stepLog"):
            self.docks[key].hide()
        lesson = self.docks["lesson"]
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, lesson)
        lesson.show()
        self.toolbar.show()
        self.settings_button.setChecked(False)
        self.zoom.set_presentation_factor(PRESENTATION_SCALE)
        self._size_buttons()
        window.showFullScreen()
        window.resizeDocks([lesson], [int(window.width() * CHAIN_RULE_SHARE)], Qt.Orientation.Horizontal)
        self._sync(True)

    def _size_buttons(self) -> None:
        """Large, bold buttons, sized from the presentation font (no style sheet: it would pin the font)."""
        font = QFont(self.window.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        for button in self.toolbar.findChildren(QToolButton):
            button.setFont(font)
            button.setMinimumSize(metrics.horizontalAdvance(button.text()) + 2 * metrics.height(), round(2.2 * metrics.height()))

    def leave(self) -> None:
        window = self.window
        self.active = False
        self.zoom.set_presentation_factor(1.0)
        self.toolbar.hide()
        window.setWindowState(self._saved_window_state)
        if not self._saved_window_state & (Qt.WindowState.WindowFullScreen | Qt.WindowState.WindowMaximized):
            window.setGeometry(self._saved_rect)  # exactly; restoreGeometry would fit it to the screen
        window.restoreState(self._saved_state)
        self._sync(False)

    def layout_to_keep(self) -> tuple[QByteArray, QByteArray]:
        """(geometry, state) to remember between runs: the layout before presentation mode, if on."""
        if self.active:
            return self._saved_geometry, self._saved_state
        return self.window.saveGeometry(), self.window.saveState()

    def _sync(self, on: bool) -> None:
        self.leave_action.setEnabled(on)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.toggled.emit(on)
