"""A lesson without a mouse: mnemonics in every menu, arrow keys on the diagram, focus shown.

``assign_mnemonics`` gives each menu action that has none (or one its menu already uses) the
first free letter of its words, so Alt and one letter reach every command; it runs again when a
menu is about to show, as some texts change (a dock's title follows the table's name).
``DiagramKeys`` lets the arrow keys move the chosen weight or bias on the focused diagram, in the
notes' order (w¹₁₁, w¹₂₁, b₁₁, …), the chain-rule panel following as for a click; Enter (the
diagram's own) edits it. The diagram draws a frame in the highlight colour while it has focus.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsView, QMenu, QMenuBar, QWidget

from ...engine.notation import all_parameters

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` in ``text``, lower case, or ""."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else ""


def _with_mnemonic(text: str, taken: set[str]) -> str:
    plain = re.sub(r"&(?!&)", "", text)
    starts = [m.start() for m in re.finditer(r"\b\w", plain)]
    for index in starts + list(range(len(plain))):
        letter = plain[index].lower()
        if plain[index].isalnum() and letter not in taken:
            return plain[:index] + "&" + plain[index:]
    return plain


def assign_mnemonics(menu: QMenu | QMenuBar) -> None:
    """Give every action of ``menu`` and its submenus a mnemonic unique within its menu."""
    taken: set[str] = set()
    for action in menu.actions():
        if action.isSeparator() or not action.text():
            continue
        letter = mnemonic(action.text())
        if not letter or letter in taken:
            action.setText(_with_mnemonic(action.text(), taken))
            letter = mnemonic(action.text())
        taken.add(letter)
        if action.menu() is not None:
            assign_mnemonics(action.menu())


def keep_mnemonics(bar: QMenuBar) -> None:
    """Assign now, and again each time a menu opens (texts may have changed since)."""
    assign_mnemonics(bar)
    for menu in bar.findChildren(QMenu):
        menu.aboutToShow.connect(lambda m=menu: assign_mnemonics(m))


def menu_actions(menu: QMenu | QMenuBar) -> list[tuple[QMenu | QMenuBar, QAction]]:
    """Every (menu, action) of ``menu`` and its submenus, separators left out."""
    found = []
    for action in menu.actions():
        if not action.isSeparator():
            found.append((menu, action))
            if action.menu() is not None:
                found += menu_actions(action.menu())
    return found


_STEPS = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}


class FocusRing(QWidget):
    """A frame in the palette's highlight colour round a widget that has the keyboard focus
    (a style sheet would do it, but freezes the widget's palette against a change of theme)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 3))
        painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()


class DiagramKeys(QObject):
    """Arrow keys choose the previous or next parameter on the focused diagram; focus is framed."""

    def __init__(self, view: QGraphicsView, lesson) -> None:
        super().__init__(view)
        self._view, self.lesson = view, lesson
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.installEventFilter(self)
        self.focus_ring = FocusRing(view.viewport())  # on the viewport: a grab of it shows the ring too
        view.viewport().installEventFilter(self)  # its resizes

    def detach(self) -> None:
        """Stop filtering: a Python filter called while Qt tears the window down crashes the process."""
        self._view.removeEventFilter(self)
        self._view.viewport().removeEventFilter(self)

    def neighbour(self, step: int):
        """The parameter ``step`` places after the one chosen, in the notes' order, wrapping."""
        refs = all_parameters(self.lesson.network.layer_sizes)
        current = getattr(self._view, "selected_parameter", None)
        if current not in refs:
            return refs[0] if step > 0 else refs[-1]
        return refs[(refs.index(current) + step) % len(refs)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = _STEPS.get(Qt.Key(event.key()))
            if step is not None and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                self._view.parameterClicked.emit(self.neighbour(step))  # as a click: the chain rule follows
                return True
        elif kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._show_focus(kind == QEvent.Type.FocusIn)
        elif kind == QEvent.Type.Resize and watched is self._view.viewport():
            self.focus_ring.setGeometry(self._view.viewport().rect())
        return False

    def _show_focus(self, focused: bool) -> None:
        ring = self.focus_ring
        ring.setGeometry(self._view.viewport().rect())
        ring.setVisible(focused)
        ring.raise_()
