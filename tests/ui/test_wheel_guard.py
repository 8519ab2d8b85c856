"""Nothing changes by accident (issue 35, point 4): a wheel turn over a box without the focus scrolls
the form and changes nothing; a change that Reset will apply is said beside the box."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea


def wheel(widget, notches=-1):
    """One wheel turn (down for negative notches) over the middle of ``widget``, through QApplication."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(widget, event)


def value_of(box):
    return box.currentIndex() if isinstance(box, QComboBox) else box.value()


def boxes(window):
    return [b for kind in (QComboBox, QAbstractSpinBox) for b in window.findChildren(kind)]


def test_a_wheel_turn_over_each_unfocused_box_changes_none(window):
    window.learning.landscape  # noqa: B018  (the lazily made views' boxes too)
    window.learning.input_space  # noqa: B018
    found = boxes(window)
    assert len(found) >= 18
    window.network_view.setFocus()
    for box in found:
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus, box.objectName()
        for notches in (-1, 1, -3):
            before = value_of(box)
            settings = window.lesson.settings
            wheel(box, notches)
            assert value_of(box) == before, box.objectName()
            assert window.lesson.settings == settings, box.objectName()


def test_the_wheel_scrolls_the_form_instead(window, qtbot):
    window.resize(1366, 600)
    scroll = next(a for a in window.findChildren(QScrollArea) if a.widget() is window.controls)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    bar = scroll.verticalScrollBar()
    bar.setValue(0)
    optimizer = window.controls.optimizer
    before = optimizer.currentIndex()
    wheel(optimizer, -1)
    assert optimizer.currentIndex() == before
    assert bar.value() > 0  # the form scrolled down


def test_a_clicked_box_still_takes_the_wheel(window):
    box = window.controls.optimizer
    box.setFocus()
    assert box.hasFocus()
    before = box.currentIndex()
    wheel(box, -1)
    assert box.currentIndex() != before  # the guard is not a dead box: focused, the wheel works


def test_a_change_reset_will_apply_is_said_beside_the_box(window):
    controls = window.controls
    hint = controls.reset_hint
    assert not hint.isVisibleTo(controls)
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    assert hint.isVisibleTo(controls) and "Reset" in hint.text() and "weights 1" in hint.text()
    window.reset_button.click()
    assert not hint.isVisibleTo(controls)
    controls.init.setCurrentIndex(controls.init.findData("random"))
    controls.seed.setValue(7)
    assert hint.isVisibleTo(controls) and "seed 7" in hint.text()
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    assert not hint.isVisibleTo(controls)  # back to what is in force (the seed plays no part): nothing to apply
