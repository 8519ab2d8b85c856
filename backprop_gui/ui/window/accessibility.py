"""Accessible names and descriptions for every interactive widget, in one place.

A screen reader reads a widget by its accessible name ("Learning rate η") and description (its
unit or range). ``ACCESSIBLE`` names the widgets that have an objectName; any other widget takes
a name from what a sighted user reads beside it: the QLabel just before it in its row, its form
row's label, its tooltip, its placeholder. The description of a field says its range (a spin box's
minimum and maximum with its suffix) after its tooltip.

``AccessibleNamer`` is installed once on the application by the main window: it names each
interactive widget the first time it is shown, so the plots made when their tab is first shown
and the dialogs made on demand are named too, with no edit to the modules that make them.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QMainWindow,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QSpinBox,
    QTabBar,
    QTabWidget,
    QWidget,
)

from .diagram_speech import DiagramSpeech
from .keyboard import DiagramKeys, keep_mnemonics

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar, QGraphicsView, QDockWidget)
"""The kinds of widget a user reaches with Tab or the mouse, which must each say what they are."""

ACCESSIBLE: dict[str, tuple[str, str]] = {
    # objectName: (name, description)
    "networkView": ("Network diagram", "The network's weights and biases and the step on show"),
    "learningRateInput": ("Learning rate η", "η in w_new = w_old − η·∂L/∂w, from 1e-6 to 10"),
    "epochsInput": ("Epochs", "Passes of Train through the whole table, from 1 to 10,000,000"),
    "batchSizeInput": ("Mini-batch size", "Rows per mini-batch, from 1 to 100,000 rows"),
    "seedInput": ("Seed", "Seed of the random initialisation and row order, a whole number from 0"),
    "hiddenLayersInput": ("Hidden layers", "The sizes of the hidden layers, e.g. 2 or 4, 4"),
    "toleranceInput": ("Convergence tolerance", "The largest change of a parameter over an epoch that counts as converged"),
    "nudgeStepInput": ("Nudge size h", "How far the nudge buttons move the chosen parameter"),
    "rowSourceInput": ("Row of the next step", "Which row the next step sends through the network"),
    "targetColumnInput": ("Target column", "The column the network learns to predict"),
    "datasetTable": ("Data table", "The table's rows: inputs and target; cells are editable"),
    "stepLog": ("Step log", "Every step taken: row, loss and parameters"),
    "lessonTabs": ("Lesson views", "The chain rule step by step, the loss, and the other views"),
    "lossPlot": ("Loss curve", "The mean loss of each epoch"),
    "landscapePlot": ("Loss landscape", "The loss over two chosen parameters"),
    "newWeightsButton": ("New weights", "Draw new random weights: a new seed, then reset"),
    "nudgeUpButton": ("Nudge up", "Add h to the chosen parameter"),
    "nudgeDownButton": ("Nudge down", "Subtract h from the chosen parameter"),
    "parameterChooser": ("Parameter explained", "The weight or bias whose chain rule is shown"),
    "practiceAnswerInput": ("Your answer", "A number; a decimal point or an exponent like 5e-4"),
    "lessonAnswerInput": ("Your answer", "A number; a decimal point or an exponent like 5e-4"),
    "weightEditor": ("Value of the parameter", "Type a number and press Enter; Escape cancels"),
    "weightEditorFreeze": ("Freeze this parameter", "Training leaves a frozen parameter as it is"),
}

_HEADER_NAMES = {True: "Column headers", False: "Row headers"}


def _plain(text: str) -> str:
    """A label's text as read aloud: no mnemonic ampersand, no trailing colon, one line."""
    text = re.sub(r"&(?!&)", "", text or "").replace("&&", "&")
    return " ".join(text.split()).rstrip(":").strip()


def _from_object_name(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    words = [w for w in words if w.lower() not in ("input", "button", "box", "toggle")] or words
    return " ".join(words).capitalize()


def _row_label(widget: QWidget) -> str:
    """The QLabel just before ``widget`` in its own layout (a row like "Seed [box]")."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        return ""
    found = _find_in_layout(layout, widget)
    if found is None:
        return ""
    owner, index = found
    if index > 0:
        before = owner.itemAt(index - 1).widget()
        if isinstance(before, QLabel) and before.text() and before.buddy() in (None, widget):
            return _plain(before.text())
    return ""


def _find_in_layout(layout: QLayout, widget: QWidget):
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is widget:
            return layout, index
        if item.layout() is not None:
            found = _find_in_layout(item.layout(), widget)
            if found is not None:
                return found
    return None


def _form_label(widget: QWidget) -> str:
    """The label of the form row that holds ``widget`` (or a row of widgets holding it)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        if isinstance(layout, QFormLayout):
            for candidate in (child, widget):
                label = layout.labelForField(candidate)
                if isinstance(label, QLabel) and label.text():
                    return _plain(label.text())
            for row in range(layout.rowCount()):
                field = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if field is not None and field.layout() is not None and _find_in_layout(field.layout(), widget):
                    label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                    if label is not None and isinstance(label.widget(), QLabel):
                        return _plain(label.widget().text())
            return ""
        child, parent = parent, parent.parentWidget()
    return ""


def qt_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None and interface.isValid() else ""


def fallback_name(widget: QWidget) -> str:
    """A name from what is read beside the widget, for widgets the table does not name."""
    if isinstance(widget, QTabBar):
        tabs = [_plain(widget.tabText(i)) for i in range(widget.count())]
        owner = widget.parentWidget()
        if isinstance(owner, QTabWidget) and owner.objectName() in ACCESSIBLE:
            return ACCESSIBLE[owner.objectName()][0]
        return "Tabs: " + ", ".join(t for t in tabs if t) if any(tabs) else "Tabs"
    if isinstance(widget, QHeaderView):
        return _HEADER_NAMES[widget.orientation().name == "Horizontal"]
    if isinstance(widget, QDockWidget):
        return _plain(widget.windowTitle()) or "Panel"
    beside, form = _row_label(widget), _form_label(widget)
    if beside and form and beside.lower() != form.lower():
        return f"{form}: {beside}"
    for text in (beside, form, _plain(widget.toolTip()).split(". ")[0], getattr(widget, "placeholderText", lambda: "")()):
        if text:
            return text[:80]
    if widget.objectName() and not widget.objectName().startswith("qt_"):
        return _from_object_name(widget.objectName())
    return type(widget).__name__.removeprefix("Q")


def field_range(widget: QWidget) -> str:
    """A spin box's range in words, with its unit: "from 1 to 100000 rows"."""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        low, high = widget.minimum(), widget.maximum()
        unit = widget.suffix().strip()
        return f"from {low:g} to {high:g}{' ' + unit if unit else ''}"
    return ""


def name_widget(widget: QWidget) -> None:
    """Give ``widget`` an accessible name and description unless it has its own already."""
    name, description = ACCESSIBLE.get(widget.objectName(), ("", ""))
    if not widget.accessibleName():
        if not name and (isinstance(widget, QComboBox) or not qt_name(widget).strip()):  # a box's own name is its choice
            name = fallback_name(widget)
        if name:
            widget.setAccessibleName(name)
    if not widget.accessibleDescription():
        parts = [description or _plain(widget.toolTip())]
        limits = field_range(widget)
        if limits and limits not in parts[0]:
            parts.append(limits)
        text = "; ".join(p for p in parts if p)
        if text:
            widget.setAccessibleDescription(text)
    if isinstance(widget, QAbstractItemView):
        for header in widget.findChildren(QHeaderView):
            name_widget(header)


def name_all(root: QWidget) -> None:
    """Name every interactive widget under ``root`` (shown or not) and ``root`` itself."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, INTERACTIVE):
            name_widget(widget)


class AccessibleNamer(QObject):
    """Names each interactive widget when first shown, anywhere in the application."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        name_all(parent)
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, INTERACTIVE):
            name_widget(watched)
        return False


class Accessibility(QObject):
    """All of it for a main window: names, the diagram in words and by keys, menu mnemonics."""

    def __init__(self, window: QMainWindow, diagram: QGraphicsView) -> None:
        super().__init__(window)
        self.speech = DiagramSpeech(diagram, window.lesson, window.cursor)
        self.namer = AccessibleNamer(window)
        self.keys = DiagramKeys(diagram, window.lesson)  # arrows choose a parameter
        keep_mnemonics(window.menuBar())
        QApplication.instance().aboutToQuit.connect(self.detach)

    @Slot()
    def detach(self) -> None:
        """Stop filtering events when the app quits (see DiagramKeys.detach)."""
        self.keys.detach()
        QApplication.instance().removeEventFilter(self.namer)
