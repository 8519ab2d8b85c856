"""No stale drawings (issue 35, point 8): after any change of task, network or table, at any scroll
position of the diagram, the screen shows exactly the current scene."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem

from backprop_gui.files.resources import resource_path

TOLERANCE = 24
"""Antialiased edges repainted in part differ from a full repaint by a few levels; a stale fragment by far more."""


def settle():
    for _ in range(20):
        QApplication.processEvents()


def screen_and_fresh(window):
    """What the window system holds for the diagram's viewport, and the viewport painted afresh."""
    settle()
    viewport = window.network_view.viewport()
    origin = viewport.mapTo(window, QPoint(0, 0))
    screen = QApplication.primaryScreen().grabWindow(window.winId(), origin.x(), origin.y(), viewport.width(), viewport.height())
    return screen.toImage().convertToFormat(QImage.Format.Format_RGB32), viewport.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def pixels(image: QImage) -> np.ndarray:
    """An RGB32 image as a (height, width, 4) array of bytes."""
    array = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return array.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :].astype(int)


def stale_pixels(window) -> int:
    screen, fresh = screen_and_fresh(window)
    assert screen.size() == fresh.size()
    return int((np.abs(pixels(screen) - pixels(fresh))[:, :, :3].max(axis=2) > TOLERANCE).sum())


def scroll_to(window, where):
    bar = window.network_view.verticalScrollBar()
    bar.setValue({"top": bar.minimum(), "middle": (bar.minimum() + bar.maximum()) // 2, "bottom": bar.maximum()}[where])


CHANGES = [
    ("task to classification", lambda w: w.controls.task.setCurrentIndex(w.controls.task.findData("classification"))),
    ("an example table", lambda w: w.open_path(resource_path("placement.csv"))),
    ("two phases", lambda w: [w.actions.next_phase_action.trigger() for _ in range(2)]),
    ("task to regression", lambda w: w.controls.task.setCurrentIndex(w.controls.task.findData("regression"))),
    ("two hidden layers", lambda w: w.controls.architecture.layer_count.setValue(2)),
    ("a row deleted", lambda w: w.lesson.table.remove_rows([0])),
    ("undo", lambda w: w.undo_action.trigger()),
    ("one hidden layer of 5", lambda w: (w.controls.architecture.layer_count.setValue(1), w.controls.architecture.neurons[0].setValue(5))),
    ("the notes' example", lambda w: w.actions.notes_example_action.trigger()),
]


@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_after_each_change_the_viewport_shows_exactly_the_scene(window, where):
    window.resize(1366, 768)
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))  # large weights: wide labels
    controls.learning_rate.setValue(0.5)
    window.reset_button.click()
    window.train_and_wait()
    window.actions.next_phase_action.trigger()
    for name, change in CHANGES:
        scroll_to(window, where)
        settle()
        change(window)
        assert stale_pixels(window) == 0, f"stale pixels after {name}, scrolled to the {where}"


class _Sprawling(QGraphicsItem):
    """Paints outside its bounding rect: what the comparison must catch."""

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 4, 4)

    def paint(self, painter, option, widget=None) -> None:
        painter.fillRect(QRectF(-40, -40, 120, 120), Qt.GlobalColor.red)


def test_the_comparison_sees_an_item_that_paints_outside_its_bounds(window):
    view = window.network_view
    rogue = _Sprawling()
    view.scene().addItem(rogue)
    rogue.setPos(view.mapToScene(QPoint(100, 100)))
    settle()
    rogue.setPos(rogue.pos() + QPointF(60, 0))  # leaves red behind, outside the rect Qt repaints
    assert stale_pixels(window) > 0
    view.scene().removeItem(rogue)
    view.viewport().update()
    assert stale_pixels(window) == 0


def test_every_item_of_the_diagram_paints_inside_its_bounding_rect(window):
    window.actions.notes_example_action.trigger()
    window.actions.step_action.trigger()
    items = window.network_view.scene().items()
    assert len(items) > 30
    option = QStyleOptionGraphicsItem()
    for item in items:
        rect = item.boundingRect()
        if rect.isEmpty():
            continue
        margin = 20
        image = QImage(int(rect.width()) + 2 * margin, int(rect.height()) + 2 * margin, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(margin - rect.left(), margin - rect.top())
        item.paint(painter, option, None)
        painter.end()
        alpha = pixels(image)[:, :, 3]
        outside = np.ones_like(alpha, bool)
        top, left = margin - 1, margin - 1  # a pixel's antialiased edge may touch the rect's border
        outside[max(top, 0) : int(np.ceil(margin + rect.height() + 1)), max(left, 0) : int(np.ceil(margin + rect.width() + 1))] = False
        assert not alpha[outside].any(), type(item).__name__
