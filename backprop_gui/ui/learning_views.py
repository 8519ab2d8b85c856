"""Issue 15's views in the main window: the loss landscape and the input space as tabs beside the
loss, the kept runs as a dock tab beside the data and the step log, their View-menu entries, and their shutdown.

Kept apart from main_window.py, which only makes one of these; the state they show (the descent
path and the kept runs) is lesson state, in lesson/kept_runs.py.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from ..lesson.kept_runs import DescentPath
from .input_space import InputSpaceView
from .kept_runs import KeptRunsPanel
from .landscape_surface import export_widget_png
from .loss_landscape import LossLandscapeView


class LearningViews(QObject):
    def __init__(self, window: QMainWindow, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        lesson, cursor = window.lesson, window.cursor
        self.path, self.kept = DescentPath(lesson), lesson.kept_runs
        self.landscape = LossLandscapeView(lesson, cursor, self.path, self.kept)
        self.input_space = InputSpaceView(lesson, cursor)
        self.runs_panel = KeptRunsPanel(lesson, self.path, self.kept, window.loss_panel.plot.plot_widget)
        self.views = (self.landscape, self.input_space)

        tabs = window.lesson_tabs
        tabs.addTab(self.landscape, "Loss landscape")
        tabs.setTabToolTip(tabs.indexOf(self.landscape), "The mean loss against two weights, with the path of descent")
        tabs.addTab(self.input_space, "Input space")
        tabs.setTabToolTip(tabs.indexOf(self.input_space), "ŷ and each hidden neuron's output over two inputs")
        tabs.currentChanged.connect(self._give_room)

        dock = QDockWidget("Kept runs", window)
        dock.setObjectName("runsDock")
        dock.setWidget(self.runs_panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        # A tab beside the data and the step log: beside the loss it made the window too wide for a
        # 1024×768 projector.
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.tabifyDockWidget(window.docks["stepLog"], dock)
        window.docks["data"].raise_()
        window.docks["runs"] = dock

        view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        for view, text in ((self.landscape, "Loss &Landscape"), (self.input_space, "&Input Space")):
            view_menu.addAction(text, lambda view=view: tabs.setCurrentWidget(view))
        view_menu.addAction("&Export View as PNG…", lambda: export_widget_png(tabs.currentWidget(), "view"))
        self.runs_panel.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
        window.installEventFilter(self)

    def bring_forward(self, panel) -> None:
        """A step brings the chain rule forward, a run the loss: not over these views, which are live too."""
        if self.window.lesson_tabs.currentWidget() not in self.views:
            self.window.lesson_tabs.setCurrentWidget(panel)

    def _give_room(self) -> None:
        """The landscape and the input space need height: the bottom takes half the window for them."""
        window = self.window
        if window.lesson_tabs.currentWidget() in self.views:
            dock = window.docks["lesson"]
            window.resizeDocks([dock], [max(dock.height(), window.height() // 2)], Qt.Orientation.Vertical)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window hides when it closes (never spontaneously: minimising is the window system's):
        # a comparison or a surface in progress must end before its thread is deleted with the window.
        if watched is self.window and event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.shutdown()
        return False

    def shutdown(self) -> None:
        self.runs_panel.shutdown()
        self.landscape.shutdown()
