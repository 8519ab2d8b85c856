"""Issue 16 in front of a class: presentation mode, zoom, themes, remembered settings, dropped
files, help, wide tables, and hands on the weights (typed values, nudges)."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication

from backprop_gui import __version__
from backprop_gui.engine.notation import ParameterRef, format_number
from backprop_gui.ui import MainWindow
from backprop_gui.ui.window.presentation import WIDE_SCREEN, presentation_scale


@pytest.fixture
def restore_theme():
    """A forced theme is the application's: put the system's back after the test."""
    original = QApplication.palette().color(QPalette.ColorRole.Window)
    yield original
    from backprop_gui.ui.window.theme import ThemeChooser

    ThemeChooser(None).set_theme("system")


def weight(window, ref):
    network = window.lesson.network
    return float(network.weights[ref.layer][ref.i, ref.j] if ref.kind == "w" else network.biases[ref.layer][ref.i])


def label_of(window, name):
    view = window.network_view
    texts = [e.label.text() for e in view.edges] + [t.text() for t in view.bias_tags.values()]
    return next(text for text in texts if text.startswith(name))


# -- size and layout --------------------------------------------------------------
def test_the_window_fits_a_1024_by_768_projector(window, qtbot):
    assert window.minimumSizeHint().width() <= 1000
    assert window.minimumSize().width() <= 1000
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.network_view.width() >= 400
    # The form is not squashed: every field is at least as wide as it asks to be.
    for field in (window.controls.init, window.controls.learning_rate, window.controls.task):
        assert field.width() >= field.minimumSizeHint().width()


def test_presentation_mode_enlarges_and_restores_the_layout_exactly(window, qtbot):
    action = window.findChild(QAction, "presentationModeAction")
    assert action.shortcut().toString() == "F9"
    assert action in window.view_toolbar.actions()
    before_state, before_font = window.saveState(), window.font().pointSizeF()
    before_areas = {key: window.dockWidgetArea(dock) for key, dock in window.docks.items()}
    action.trigger()
    assert window.isFullScreen() and window.presentation.active
    screen = window.screen().geometry()
    scale = presentation_scale(screen.height())
    assert 1.2 <= scale <= 1.6
    assert window.font().pointSizeF() >= scale * before_font - 1e-9
    assert window.step_button.font().pointSizeF() >= scale * before_font - 1e-9  # inherits the window's text size
    assert not window.docks["training"].isVisible() and not window.docks["data"].isVisible()
    assert not window.docks["runs"].isVisible()  # no kept runs: nothing to show
    # Beside the diagram on a wide screen, below it on a narrower one (this test's screen is 800 wide).
    beside = screen.width() >= WIDE_SCREEN
    area = Qt.DockWidgetArea.RightDockWidgetArea if beside else Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.dockWidgetArea(window.docks["lesson"]) == area
    assert window.presentation.toolbar.isVisible()
    assert all(a in window.presentation.toolbar.actions() for a in (window.actions.step_action, window.actions.train_action))
    # The training form is one button away.
    window.presentation.settings_button.click()
    assert window.docks["training"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation.active and not window.isFullScreen() and not action.isChecked()
    assert window.font().pointSizeF() == before_font
    assert {key: window.dockWidgetArea(dock) for key, dock in window.docks.items()} == before_areas
    assert window.docks["training"].isVisible() and not window.presentation.toolbar.isVisible()
    qtbot.waitUntil(lambda: window.saveState() == before_state)  # the docks' sizes too, once laid out


def test_zoom_scales_every_text_of_the_window_and_ctrl_0_puts_it_back(window, qtbot):
    base, derivation = window.font().pointSizeF(), window.chain_rule_panel.derivation.font().pixelSize()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.text_zoom.zoom > 1
    assert window.font().pointSizeF() > base
    assert window.table.font().pointSizeF() > base and window.controls.epochs.font().pointSizeF() > base
    assert window.chain_rule_panel.derivation.font().pixelSize() > derivation  # its own size, scaled too
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.font().pointSizeF() < base
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.font().pointSizeF() == base and window.chain_rule_panel.derivation.font().pixelSize() == derivation


def test_a_forced_dark_theme_gives_a_dark_palette_and_system_gives_the_systems_back(window, restore_theme):
    from backprop_gui.ui.window.theme import is_dark

    window.theme.actions["dark"].trigger()
    QApplication.processEvents()
    palette = QApplication.palette()
    assert is_dark(palette) and palette.color(QPalette.ColorRole.Text).lightness() > 200
    assert QApplication.style().name().lower() == "fusion"
    # The chain-rule text follows the palette (no fixed white background any more).
    derivation = window.chain_rule_panel.derivation
    assert derivation.palette().color(derivation.backgroundRole()).lightness() < 80
    window.theme.actions["light"].trigger()
    assert not is_dark(QApplication.palette())
    window.theme.actions["system"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window) == restore_theme


def test_zoom_theme_and_layout_are_remembered_between_runs(qtbot, restore_theme):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.text_zoom.set_zoom(1.25)
    first.theme.set_theme("dark")
    first.docks["data"].hide()
    first.close()
    QApplication.setPalette(QPalette())  # as a new run starts
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.text_zoom.zoom == 1.25 and second.theme.theme == "dark"
    assert not second.docks["data"].isVisible()
    second.close()


def test_file_dialogs_start_in_the_folder_of_the_last_file_used_even_after_a_restart(window, qtbot, tmp_path):
    from pathlib import Path

    path = tmp_path / "lesson.csv"
    path.write_text("IQ,CGPA,Package\n80,8,5\n", encoding="utf-8")
    assert window.document.import_csv(path)
    second = MainWindow()
    qtbot.addWidget(second)
    assert Path(second.document._folder()) == tmp_path.resolve()
    second.close()


def test_a_file_dropped_on_the_window_opens_as_file_open_would(window, qtbot, tmp_path):
    path = tmp_path / "dropped.csv"
    path.write_text("a,b,c,target\n1,2,3,4\n5,6,7,8\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.lesson.table.column_names == ["a", "b", "c", "target"])
    assert window.lesson.network.n_inputs == 3


def test_about_shows_the_version_and_the_user_guide_opens_offline(window):
    box = window.help.show_about()
    assert __version__ in box.text()
    box.close()
    guide = window.help.show_user_guide()
    text = guide.text()
    assert "Presentation mode" in text and "Nudge" in text and "Alt+Up" in text
    guide.close()


def test_a_40_column_table_keeps_the_table_readable(window, qtbot, tmp_path):
    names = [f"x{k}" for k in range(1, 40)] + ["y"]
    rows = [[float(r * 40 + k) for k in range(40)] for r in range(20)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(names) + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n", encoding="utf-8")
    window.resize(1440, 900)
    assert window.document.import_csv(path)
    panel = window.data_panel.prediction_panel
    assert len(panel.inputs) == 39
    qtbot.waitUntil(lambda: window.table.height() > 0)
    row_height = window.table.verticalHeader().defaultSectionSize()
    assert window.table.viewport().height() >= 2 * row_height  # not crushed to one row
    assert window.table.columnWidth(0) >= window.table.fontMetrics().horizontalAdvance("0000000")  # nor to slivers
    qtbot.waitUntil(lambda: panel.scroll.height() < panel.fields.sizeHint().height())  # the fields scroll
    assert panel.output.isVisible() or not window.isVisible()


# -- hands on the weights --------------------------------------------------------------
def test_a_typed_weight_shows_everywhere_and_ctrl_z_takes_it_back(notes_window, qtbot):
    window = notes_window
    view = window.network_view
    ref = ParameterRef("w", 1, 0, 0)  # w²₁₁
    old_prediction = window.data_panel.prediction_panel.prediction_text()
    label = next(e.label for e in view.edges if e.parameter == ref)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(label.scenePos()))
    assert view.editor.isVisible() and view.editor.ref == ref and view.editor.text() == "1"
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "2.5")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert not view.editor.isVisible()
    assert weight(window, ref) == 2.5
    assert label_of(window, "w²₁₁") == "w²₁₁ = 2.5"
    assert window.nudge_panel.parameter_label.text() != ""
    qtbot.waitUntil(lambda: window.data_panel.prediction_panel.prediction_text() != old_prediction)
    assert "Undo Set w²₁₁" in window.undo_action.text().replace("&", "")
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert weight(window, ref) == 1.0
    assert label_of(window, "w²₁₁") == "w²₁₁ = 1"
    window.redo_action.trigger()
    assert weight(window, ref) == 2.5


def test_enter_on_the_selected_bias_edits_it_and_a_bad_value_is_refused_in_place(notes_window, qtbot):
    window = notes_window
    view = window.network_view
    ref = ParameterRef("b", 0, 1)  # b₁₂
    window.chain_rule_panel.choose(ref)
    assert view.selected_parameter == ref
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.editor.isVisible() and view.editor.ref == ref
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert view.editor.isVisible() and "not a number" in view.editor.toolTip()
    assert weight(window, ref) == 0.0
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert not view.editor.isVisible() and weight(window, ref) == 0.0
    assert window.presentation.active is False


@pytest.mark.parametrize("h", [0.001, 3.0])
def test_a_nudge_by_h_shows_the_engines_loss_difference_beside_the_gradients_prediction(window, qtbot, h):
    from backprop_gui.engine.notation import ParameterRef as Ref

    panel = window.findChild(type(window.nudge_panel), "nudgePanel")
    ref = Ref("w", 0, 1, 0)  # w¹₂₁
    window.chain_rule_panel.choose(ref)
    assert panel.parameter == ref
    step_input = panel.findChild(type(panel.step_input), "nudgeStepInput")
    step_input.setText(repr(h))
    lesson = window.lesson
    row = lesson.gradient_check()[0]
    scaled = lesson.scaler().transform(lesson.table.inputs())
    before_network = lesson.network.copy()
    trainer = lesson.settings.build_trainer(before_network, scaled, lesson.table.targets())
    loss_before, weight_grads, _ = trainer.gradients([row])
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    nudge = panel.last_nudge
    assert nudge is not None and nudge.row == row and nudge.delta == h
    after_network = before_network.copy()
    after_network.weights[0][1, 0] += h
    assert weight(window, ref) == after_network.weights[0][1, 0]
    loss_after = lesson.settings.build_trainer(after_network, scaled, lesson.table.targets()).loss_on([row])
    assert nudge.measured == loss_after - loss_before
    assert nudge.predicted == weight_grads[0][1, 0] * h
    text = panel.result.text()
    assert f"measured ΔL = {format_number(loss_after - loss_before)}" in text
    assert f"predicted ∂L/∂w¹₂₁·h = {format_number(weight_grads[0][1, 0] * h)}" in text
    gap = abs(nudge.measured - nudge.predicted) / abs(nudge.measured)
    assert (gap < 0.01) if h == 0.001 else (gap > 0.01)  # small h: the gradient predicts; large h: it does not
    window.undo_action.trigger()
    assert weight(window, ref) == before_network.weights[0][1, 0]
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert panel.last_nudge.delta == -h
    np.testing.assert_equal(weight(window, ref), before_network.weights[0][1, 0] - h)


def test_dragging_a_weight_label_up_nudges_it_by_h_per_step(window, qtbot):
    from backprop_gui.engine.notation import ParameterRef as Ref
    from backprop_gui.ui.diagram.lesson_diagram import DRAG_PIXELS

    view, panel = window.network_view, window.nudge_panel
    ref = Ref("w", 1, 0, 0)  # w²₁₁
    edge = next(e for e in view.edges if e.parameter == ref and e.label.isVisible())
    start = view.mapFromScene(edge.label.sceneBoundingRect().center())
    before = weight(window, ref)
    panel.step_input.setText("0.25")
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for dy in range(4, 2 * DRAG_PIXELS + 5, 4):
        qtbot.mouseMove(view.viewport(), start - QPoint(0, dy))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start - QPoint(0, 2 * DRAG_PIXELS + 4))
    assert panel.parameter == ref
    assert weight(window, ref) == pytest.approx(before + 0.5)
    assert panel.last_nudge is not None and panel.last_nudge.delta == 0.25
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert weight(window, ref) == before


def test_the_plots_follow_a_dark_theme(window, restore_theme, qtbot):
    from PySide6.QtGui import QPalette

    window.learning.landscape  # made before the switch; the loss plot and the input space after it
    window.theme.set_theme("dark")
    qtbot.wait(50)
    base, ink = window.palette().color(QPalette.ColorRole.Base), window.palette().color(QPalette.ColorRole.Text)
    for view, plot in (
        (window.loss_panel.plot.plot_widget, window.loss_panel.plot.plot_widget.getPlotItem()),
        (window.learning.landscape.plot_widget, window.learning.landscape.plot_widget.getPlotItem()),
        (window.learning.input_space.graphics, window.learning.input_space.main),
    ):
        assert view.backgroundBrush().color() == base
        assert plot.getAxis("left").textPen().color() == ink and plot.getAxis("bottom").textPen().color() == ink


def test_a_presenter_remote_drives_the_lesson_in_presentation_mode(notes_window, qtbot):
    window = notes_window
    window.presentation.action.trigger()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.cursor.active and window.cursor.explainer.phases().index(window.cursor.phase) == 0
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.cursor.explainer.phases().index(window.cursor.phase) == 1
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.cursor.explainer.phases().index(window.cursor.phase) == 0
    qtbot.keyClick(window, Qt.Key.Key_B)
    blank = window.presentation.blank
    assert blank.isVisible() and blank.geometry() == window.rect()
    qtbot.keyClick(blank, Qt.Key.Key_PageDown)  # the first key only brings the lesson back
    assert not blank.isVisible() and window.cursor.explainer.phases().index(window.cursor.phase) == 0
    window.presentation.set_active(False)
    # Outside presentation mode these keys are the table's and the scroll areas' again.
    assert not any(action.isEnabled() for action in window.presentation.remote_actions)
    guide = (Path(__file__).parents[2] / "resources" / "user_guide.html").read_text(encoding="utf-8")
    assert "Page Down" in guide and "Page Up" in guide and "<b>B</b>" in guide
