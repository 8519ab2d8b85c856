"""Presentation mode (View > Presentation Mode, F9; Escape leaves): for a projector in front of a class.

Full screen, every text larger (``presentation_scale``: the diagram's labels at least a 45th of
the screen's height), the diagram with the chain-rule panel beside it on a wide screen and below
it on a 4:3 one, the training form folded behind one button, panels with nothing to show hidden,
and Step / Next Phase / Back / Train / Stop as large buttons along the top. A presenter remote
drives it: Page Down is Next Phase, Page Up is Back, B blanks the screen (any key brings it back).
Leaving puts the window back exactly as it was (``saveState`` and ``restoreState`` of the docks,
the window's geometry and its full-screen or maximised state).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from .blank_screen import BlankScreen
from ..widgets.text_zoom import TextZoom

PRESENTATION_SCALE = 1.6
"""The text scale on a screen 1080 pixels tall or more; smaller screens get less (presentation_scale)."""
LABEL_SCREEN_SHARE = 45
"""The diagram's weight and bias labels are at least the screen's height / this, in pixels."""
CHAIN_RULE_SHARE = 0.42
"""The chain-rule panel's share of the screen's width, beside the diagram (a wide screen)."""
CHAIN_RULE_HEIGHT_SHARE = 0.215
"""Its share of the screen's height, below the diagram (a screen under WIDE_SCREEN pixels wide)."""
WIDE_SCREEN = 1600
"""From this many (logical) pixels wide, the chain rule stands beside the diagram, not below it."""


def presentation_scale(screen_height: int) -> float:
    """The text scale for a screen this many logical pixels tall: 1.6 from 1080 down to 1.2 at 768
    and below; the diagram's labels (15 px at scale 1) stay above screen_height / 45."""
    return min(PRESENTATION_SCALE, max(1.2, screen_height / 675))


def label_floor(screen_height: int) -> int:
    """The smallest pixel size of the diagram's labels in presentation mode on this screen."""
    return math.ceil(screen_height / LABEL_SCREEN_SHARE)


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
        self._menu_actions: list[QAction] = []
        self._offer_shown = False

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
        self.blank = BlankScreen(window)
        self.remote_actions = []
        for name, text, key, action in (
            ("remoteNextAction", "Next Phase (presenter remote)", Qt.Key.Key_PageDown, actions[1]),
            ("remoteBackAction", "Back (presenter remote)", Qt.Key.Key_PageUp, actions[2]),
            ("blankScreenAction", "Blank the Screen", Qt.Key.Key_B, None),
        ):
            remote = QAction(text, window)
            remote.setObjectName(name)
            remote.setShortcut(QKeySequence(key))
            remote.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            remote.setEnabled(False)  # only in presentation mode: elsewhere these keys scroll and type
            remote.triggered.connect(action.trigger if action is not None else self.blank.toggle)
            window.addAction(remote)
            self.remote_actions.append(remote)

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
        screen = (window.screen() or QGuiApplication.primaryScreen()).geometry()
        for key, dock in self.docks.items():
            if key != "lesson":  # the form is one button away; the data, the step log and kept runs wait
                dock.hide()
        lesson = self.docks["lesson"]
        wide = screen.width() >= WIDE_SCREEN
        area = Qt.DockWidgetArea.RightDockWidgetArea if wide else Qt.DockWidgetArea.BottomDockWidgetArea
        window.addDockWidget(area, lesson)
        lesson.show()
        # Every line of the screen for the lesson: the menus' shortcuts still work (the window holds
        # their actions while the menu bar is hidden); the nudge, the legend and the chain
        # rule's choosers and buttons wait on a short screen (the toolbar steps, a click on a label chooses).
        self._menu_actions = [a for menu in window.menuBar().findChildren(QMenu) for a in menu.actions() if not a.isSeparator()]
        window.addActions(self._menu_actions)
        window.menuBar().hide()
        window.statusBar().hide()
        offer = getattr(window, "notes_offer", None)  # the first start's offer waits: its line is the lesson's
        self._offer_shown = offer is not None and offer.isVisible()
        if self._offer_shown:
            offer.hide()
        window.nudge_panel.setVisible(wide)
        window.chain_rule_panel.top_row.setVisible(wide)  # the toolbar steps, a click on a label chooses
        lesson.setTitleBarWidget(QWidget())  # no "Backpropagation" line: its tabs say what it is
        window.network_view.set_legend_shown(wide)
        self.toolbar.show()
        self.settings_button.setChecked(False)
        self.zoom.set_presentation_factor(presentation_scale(screen.height()))
        window.loss_panel.set_room_ticks(True)
        window.network_view.set_label_floor(label_floor(screen.height()))
        self._size_buttons()
        window.setGeometry(screen)  # with no window manager, showFullScreen alone would not
        window.showFullScreen()
        if wide:
            window.resizeDocks([lesson], [int(screen.width() * CHAIN_RULE_SHARE)], Qt.Orientation.Horizontal)
        else:
            window.resizeDocks([lesson], [int(screen.height() * CHAIN_RULE_HEIGHT_SHARE)], Qt.Orientation.Vertical)
        self._sync(True)

    def _size_buttons(self) -> None:
        """Large, bold buttons, sized from the presentation font (no style sheet: it would pin the font)."""
        font = QFont(self.window.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        for button in self.toolbar.findChildren(QToolButton):
            button.setFont(font)
            button.setMinimumSize(metrics.horizontalAdvance(button.text()) + 2 * metrics.height(), round(1.9 * metrics.height()))

    def leave(self) -> None:
        window = self.window
        self.active = False
        self.zoom.set_presentation_factor(1.0)
        window.loss_panel.set_room_ticks(False)
        view = window.network_view
        view.set_label_floor(None)
        view.set_legend_shown(True)
        self.blank.hide()
        self.toolbar.hide()
        for action in self._menu_actions:
            window.removeAction(action)
        window.menuBar().show()
        window.statusBar().show()
        if self._offer_shown:
            window.notes_offer.show()
        window.nudge_panel.show()
        window.chain_rule_panel.top_row.show()
        self.docks["lesson"].setTitleBarWidget(None)
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
        for action in self.remote_actions:
            action.setEnabled(on)
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.toggled.emit(on)
