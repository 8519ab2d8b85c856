"""Run by test_screens.py in a child process, on an offscreen screen of a given size (one Qt screen
per process): opens the window as a first run does, takes the notes' first step, and prints what
issue 24's checks look at as JSON. Each measure is taken as a user would see it."""

from __future__ import annotations

import json
import re
import sys

from PySide6.QtCore import QEventLoop, QRect, QRectF, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsEllipseItem, QGraphicsSimpleTextItem, QGraphicsTextItem

CUT_NUMBER = re.compile(r"\d\s*…")


def settle(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def inside_window(window, widget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


def visible_scene(view) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def diagram_texts(view) -> list[str]:
    """Every text the diagram shows: labels, caption, headings, equations."""
    return [
        item.text() if isinstance(item, QGraphicsSimpleTextItem) else item.toPlainText()
        for item in view.scene().items()
        if isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)) and item.isVisible()
    ]


def line_in_view(item, text: str, area: QRectF) -> bool:
    """Whether the line of a text item that holds ``text`` is inside ``area`` (each line is a
    line-height band of the item's box)."""
    lines = item.text().split("\n")
    box = item.sceneBoundingRect()
    height = box.height() / len(lines)
    return any(text in line and area.contains(QRectF(box.left(), box.top() + k * height, box.width(), height))
               for k, line in enumerate(lines))  # fmt: skip


def diagram(window, presentation: bool) -> dict:
    view = window.network_view
    area = visible_scene(view)
    neurons = [n for n in view.scene().items() if isinstance(n, QGraphicsEllipseItem) and n.isVisible()]
    labels = [e.label for e in view.edges] + list(view.bias_tags.values())
    texts = diagram_texts(view)
    floor_px = min((label.text_item.font().pixelSize() for label in labels), default=0)
    return {
        "neurons_inside": sum(area.contains(n.sceneBoundingRect()) for n in neurons),
        "labels_inside": sum(label.isVisible() and area.contains(label.sceneBoundingRect()) for label in labels),
        "label_names": [label.text() for label in labels],
        "loss_shown": any(line_in_view(item, "L = 29241", area) for item in view.scene().items()
                          if isinstance(item, QGraphicsSimpleTextItem) and item.isVisible()),  # fmt: skip
        "phase_text_inside": all(area.contains(view._texts[key].sceneBoundingRect()) for key in ("phase_title", "phase")),
        "chain_rule_lines": chain_rule_lines(window),
        "cut_numbers": [text for text in texts if CUT_NUMBER.search(text)],
        "label_px": floor_px,
        "diagram_share": view.width() * view.height() / (window.width() * window.height()),
        "chain_rule_hscroll": chain_rule_hscroll(window),
        "presentation": presentation, "caption": view._texts["caption"].text(), "phase": view.phase_text(),
        "scene": list(view.sceneRect().getRect()),
        "viewport": [view.viewport().width(), view.viewport().height()],
        "hidden_labels": [label.text() for label in labels if not label.isVisible()],
    }


def chain_rule_hscroll(window) -> int:
    from PySide6.QtWidgets import QScrollArea

    scroll = window.chain_rule_panel.findChild(QScrollArea)
    return scroll.horizontalScrollBar().maximum()


def chain_rule_lines(window) -> float:
    """How many lines of the chain rule its scroll area shows at once (if it is on screen)."""
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QScrollArea

    scroll = window.chain_rule_panel.findChild(QScrollArea)
    if not scroll.isVisible():
        return 0.0
    return scroll.viewport().height() / QFontMetricsF(window.chain_rule_panel.derivation.font()).lineSpacing()


def phases_cut(window) -> list[str]:
    """Texts with a digit followed by "…" in any of the five phases of a step from the default start."""
    cut, titles = [], set()
    for _ in range(5):  # Next Phase walks through the next step one phase at a time
        window.actions.next_phase_action.trigger()
        settle(30)
        titles.add(window.network_view.phase_text().split("\n")[0])
        cut += [text for text in diagram_texts(window.network_view) if CUT_NUMBER.search(text)]
    assert len(titles) == 5, titles
    return cut


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Backprop GUI screen check")
    from backprop_gui.ui import MainWindow
    from backprop_gui.ui.document.recent_files import remember_files

    remember_files(False)
    window = MainWindow()
    window.interactive = True  # as app.py makes it: a first run fits the screen
    window.show()
    settle(300)
    report = {"screen": list(window.screen().availableGeometry().getRect()), "dpr": window.devicePixelRatioF()}
    report["random_start_cut"] = phases_cut(window)
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    controls.scaling.setCurrentIndex(controls.scaling.findData("none"))
    controls.order.setCurrentIndex(controls.order.findData("sequential"))
    window.reset_button.click()
    window.step_button.click()
    settle(200)
    frame = window.frameGeometry()
    report["frame"] = list(frame.getRect())
    report["frame_inside"] = window.screen().availableGeometry().contains(frame)
    report["buttons_inside"] = all(inside_window(window, b) for b in (window.step_button, window.train_button, window.stop_button))
    report["normal"] = diagram(window, False)
    # The notes' first step's fields are in view without scrolling the form.
    scroll_view = controls.parentWidget()  # the scroll area's viewport
    report["first_step_fields_in_view"] = all(
        scroll_view.rect().contains(QRect(field.mapTo(scroll_view, field.rect().topLeft()), field.size()))
        for field in (controls.init, controls.scaling, controls.order)
    )

    stop = window.stop_button
    before = stop.mapTo(window, stop.rect().topLeft())
    controls.epochs.setValue(10_000_000)
    window.actions.train()
    settle(1500)
    report["stop_moved"] = stop.mapTo(window, stop.rect().topLeft()) != before
    loop = QEventLoop()
    window.runner.trainingFinished.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    window.runner.stop()
    if window.lesson.is_running:
        loop.exec()
    window.reset_button.click()
    window.step_button.click()

    window.presentation.action.trigger()
    settle(300)
    report["presentation_frame_inside"] = window.screen().geometry().contains(window.frameGeometry())
    report["presentation"] = diagram(window, True)
    window.presentation.set_active(False)
    window.document.mark_unmodified()
    window.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
