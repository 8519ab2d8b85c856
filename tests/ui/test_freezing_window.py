"""Freezing a weight or bias from the diagram: its context menu and the weight editor's padlock;
drawn dashed with a padlock; steps and training leave it; its gradient still shown; saved."""

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from backprop_gui.engine.notation import ParameterRef
from backprop_gui.files import load_session, save_session

W111 = ParameterRef("w", 0, 0, 0)
B21 = ParameterRef("b", 1, 0)


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, name
    return widget


def edge(window, ref):
    return next(e for e in window.network_view.edges if e.parameter == ref)


def test_the_context_menu_freezes_a_weight_drawn_dashed_with_a_padlock(window, qtbot):
    view, lesson = window.network_view, window.lesson
    menu = view.parameter_menu(W111)
    freeze = menu.findChild(QAction, "freezeAction")
    assert freeze.isCheckable() and not freeze.isChecked()
    freeze.trigger()
    assert lesson.frozen == {"w¹₁₁"}
    assert edge(window, W111).frozen and edge(window, W111).label.locked
    assert edge(window, W111).pen().style() == Qt.PenStyle.CustomDashLine
    other = edge(window, ParameterRef("w", 0, 1, 0))
    assert not other.frozen and other.pen().dashPattern() != edge(window, W111).pen().dashPattern()  # a negative weight is dashed otherwise
    before = float(lesson.network.weights[0][0, 0])
    find(window, "stepButton").click()
    record = window.cursor.explainer.record  # the step on show
    assert float(lesson.network.weights[0][0, 0]) == before
    assert record.weight_grads[0][0, 0] != 0.0 and record.frozen == {"w¹₁₁"}
    window.chain_rule_panel.choose(W111)
    text = window.chain_rule_panel.text()
    assert "w¹₁₁ is frozen: the update leaves it at" in text and "∂L/∂w¹₁₁" in text
    # Unfreezing from the same menu.
    view.parameter_menu(W111).findChild(QAction, "freezeAction").trigger()
    assert lesson.frozen == frozenset() and not edge(window, W111).frozen and not edge(window, W111).label.locked


def test_the_weight_editors_padlock_freezes_a_bias_and_the_session_keeps_it(window, qtbot, tmp_path):
    view, lesson = window.network_view, window.lesson
    assert view.edit_parameter(B21)
    padlock = view.editor.freeze_action
    assert not padlock.isChecked()
    padlock.trigger()
    assert lesson.frozen == {"b₂₁"} and view.bias_tags[(1, 0)].locked
    before = float(lesson.network.biases[1][0])
    lesson.train(5)
    assert float(lesson.network.biases[1][0]) == before
    path = tmp_path / "frozen.bpsession"
    save_session(path, lesson.session_data())
    lesson.freeze("b₂₁", False)
    assert not view.bias_tags[(1, 0)].locked
    lesson.load(load_session(path))
    assert lesson.frozen == {"b₂₁"} and view.bias_tags[(1, 0)].locked
    assert view.edit_parameter(B21) and view.editor.freeze_action.isChecked()


def test_the_loss_plot_marks_where_the_settings_changed(window, qtbot):
    lesson = window.lesson
    plot = window.loss_panel.plot
    lesson.train(4)
    assert plot._mark_lines == []
    window.network_view.parameter_menu(W111).findChild(QAction, "freezeAction").trigger()
    (line,) = plot._mark_lines
    assert line.value() == 4.5 and line.label.format == "frozen none → w¹₁₁"
    assert len(lesson.loss_history) == 4  # kept, not cleared
    lesson.reset()
    assert plot._mark_lines == []
