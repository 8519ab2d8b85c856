"""The learning views in the main window: the loss landscape and the input space as tabs beside the
loss, the kept runs as a dock tab beside the data and the step log, their View-menu entries, and their shutdown.

Kept apart from main_window.py, which only makes one of these; the state they show (the descent
path and the kept runs) is lesson state, in lesson/kept_runs.py. The landscape and the input space
are made the first time their tab is shown (or a caller asks for them): each builds plots that cost
tens of milliseconds, which a window that starts on the chain rule should not pay before it paints.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QVBoxLayout, QWidget

from ...lesson.kept_runs import DescentPath
from .kept_runs_panel import KeptRunsPanel
from ..widgets.export_png import export_widget_png
from ..widgets.wheel_guard import guard_wheel


class LazyPage(QWidget):
    """A tab's page that makes its view, with ``build``, the first time it is shown or asked for."""

    def __init__(self, name: str, build: Callable[[], QWidget]) -> None:
        super().__init__()
        self.setObjectName(name)
        self._build = build
        self._view: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._view is not None

    @property
    def view(self) -> QWidget:
        if self._view is None:
            self._view = self._build()
            self.layout().addWidget(self._view)
            window = self.window()
            guard_wheel(self._view, getattr(window, "wheel_guard", None))  # its boxes, as the window's
            if self.isVisible():  # Qt shows a visible widget's new child only when asked to
                self._view.show()
        return self._view

    def showEvent(self, event) -> None:
        self.view  # noqa: B018  (made now, shown with its page)
        super().showEvent(event)


class LearningViews(QObject):
    def __init__(self, window: QMainWindow, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        lesson = window.lesson
        self.path, self.kept = DescentPath(lesson), lesson.kept_runs
        self._landscape_page = LazyPage("landscapePage", self._make_landscape)
        self._input_space_page = LazyPage("inputSpacePage", self._make_input_space)
        self._explorer_page = LazyPage("activationExplorerPage", self._make_activation_explorer)
        self.runs_panel = KeptRunsPanel(lesson, self.path, self.kept, lambda: window.loss_panel.plot)
        self.pages = (self._landscape_page, self._input_space_page, self._explorer_page)

        tabs = window.lesson_tabs
        tabs.addTab(self._landscape_page, "Loss landscape")
        tabs.setTabToolTip(tabs.indexOf(self._landscape_page), "The mean loss against two weights, with the path of descent")
        tabs.addTab(self._input_space_page, "Input space")
        tabs.setTabToolTip(tabs.indexOf(self._input_space_page), "ŷ and each hidden neuron's output over two inputs")
        tabs.addTab(self._explorer_page, "Activations")
        tabs.setTabToolTip(tabs.indexOf(self._explorer_page), "Each hidden layer's f and f′, its neurons marked at their z")
        window.network_view.activationExplored.connect(lambda neuron: self.show_activation_explorer(*neuron))
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
        view_menu.addAction("Loss &Landscape", self.show_landscape)
        view_menu.addAction("&Input Space", self.show_input_space)
        view_menu.addAction("&Activation Explorer", self.show_activation_explorer)
        view_menu.addAction("&Export View as PNG…", lambda: export_widget_png(tabs.currentWidget(), "view"))
        self.runs_panel.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
        window.installEventFilter(self)

    @property
    def landscape(self):
        """The loss landscape (a ``LossLandscapeView``), made now if its tab has not been shown."""
        return self._landscape_page.view

    @property
    def input_space(self):
        """The input space (an ``InputSpaceView``), made now if its tab has not been shown."""
        return self._input_space_page.view

    def show_landscape(self):
        """Bring the landscape's tab forward; returns the view."""
        self.window.lesson_tabs.setCurrentWidget(self._landscape_page)
        return self.landscape

    def show_input_space(self):
        """Bring the input space's tab forward; returns the view."""
        self.window.lesson_tabs.setCurrentWidget(self._input_space_page)
        return self.input_space

    @property
    def activation_explorer(self):
        """The activation explorer (an ``ActivationExplorer``), made now if its tab has not been shown."""
        return self._explorer_page.view

    def show_activation_explorer(self, layer: int | None = None, j: int | None = None):
        """Bring the activation explorer forward, on hidden layer ``layer`` if given; returns it."""
        self.window.lesson_tabs.setCurrentWidget(self._explorer_page)
        if layer is not None:
            self.activation_explorer.choose(layer)
        return self.activation_explorer

    def showing(self, view: QWidget) -> bool:
        """Whether ``view``'s tab is the one on show."""
        current = self.window.lesson_tabs.currentWidget()
        return current is view or (isinstance(current, LazyPage) and current.built and current.view is view)

    def _make_landscape(self) -> QWidget:
        from .loss_landscape import LossLandscapeView

        return LossLandscapeView(self.window.lesson, self.window.cursor, self.path, self.kept)

    def _make_input_space(self) -> QWidget:
        from .input_space import InputSpaceView

        view = InputSpaceView(self.window.lesson, self.window.cursor)
        diagram = self.window.network_view  # hovering a neuron picks out its map, and its map the neuron
        diagram.neuronHovered.connect(view.highlight_neuron)
        view.neuronHovered.connect(diagram.highlight_neuron)
        return view

    def _make_activation_explorer(self) -> QWidget:
        from .activation_explorer import ActivationExplorer

        explorer = ActivationExplorer(self.window.lesson, self.window.cursor)
        explorer.flagsChanged.connect(self.window.network_view.show_flags)
        self.window.network_view.show_flags(explorer.flags)
        return explorer

    def bring_forward(self, panel) -> None:
        """A step brings the chain rule forward, a run the loss: not over these views, which are live too."""
        if self.window.lesson_tabs.currentWidget() not in self.pages:
            self.window.lesson_tabs.setCurrentWidget(panel)

    def _give_room(self) -> None:
        """The landscape and the input space need height: the bottom takes half the window for them."""
        window = self.window
        if window.lesson_tabs.currentWidget() in self.pages:
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
        if self._landscape_page.built:
            self.landscape.shutdown()
        if self._input_space_page.built:
            self.input_space.shutdown()
