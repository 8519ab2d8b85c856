"""A wheel turn over a box the student has not clicked scrolls the form; it never changes a setting.

Qt gives combo and spin boxes the wheel focus by default: scrolling a long form with the mouse over
one changes its value (Optimizer → Momentum, Initialisation → Small random) without a sign. Here
every combo and spin box of a widget takes the focus only by a click or Tab (``StrongFocus``), and a
wheel event that reaches one without the focus is ignored, so Qt hands it on to the parent: the
scroll area scrolls. Once clicked (focused), the wheel changes the box as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, GUARDED) or watched.hasFocus():
            return False
        area = _scroll_area_of(watched)
        if area is None or not area.viewport().isAncestorOf(watched):
            event.ignore()  # ignored and filtered: QApplication hands a real wheel turn on to the parent
            return True
        # To the scroll area the box is in, directly: Qt hands on only the wheel events of the
        # window system, not those sent by a program (a test, an accessibility tool).
        viewport = area.viewport()
        forwarded = QWheelEvent(
            QPointF(viewport.mapFromGlobal(watched.mapToGlobal(event.position().toPoint()))), event.globalPosition(), event.pixelDelta(),
            event.angleDelta(), event.buttons(), event.modifiers(), event.phase(), event.inverted(),
        )  # fmt: skip
        QApplication.sendEvent(viewport, forwarded)
        event.accept()
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget, guard: WheelGuard | None = None) -> WheelGuard:
    """Guard every combo and spin box under ``root`` (again for boxes made since: each is guarded once)."""
    if guard is None:
        guard = getattr(root, "_wheel_guard", None) or WheelGuard(root)
        root._wheel_guard = guard
    for kind in GUARDED:
        for box in root.findChildren(kind):
            if box.property("wheelGuarded"):
                continue
            box.setProperty("wheelGuarded", True)
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            box.installEventFilter(guard)
    return guard
