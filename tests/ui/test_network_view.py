"""Issue 12, defects 1, 10 and 14: the network diagram survives clicks, hovers and rebuilds, never
draws a step of another network, and writes every number the one way."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from backprop_gui.engine import Network, Trainer
from backprop_gui.engine.explain.explainer import StepExplainer
from backprop_gui.engine.notation import format_number

# Run in a child process: before the fix this crashed the interpreter (a segmentation fault),
# which would have killed the whole test run instead of failing one test.
CLICK_HOVER_REBUILD = textwrap.dedent(
    """
    import faulthandler, os, sys
    faulthandler.enable()
    faulthandler.dump_traceback_later(240, exit=True)  # a hang is reported too
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QPoint, Qt
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem
    import shiboken6

    app = QApplication([])
    from backprop_gui.ui import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    QTest.qWaitForWindowExposed(window)
    view = window.network_view
    viewport = view.viewport()

    def texts():
        return sorted(i.text() for i in view.scene().items() if type(i) is QGraphicsSimpleTextItem)

    architectures = [3, 1, 4, 0, 2, 3]
    for round_, layers in enumerate(architectures):
        if round_ % 2:
            window.actions.step_action.trigger()  # a step on show while the diagram is rebuilt (defect 1)
        before = texts()
        for x in range(0, viewport.width(), 40):
            for y in range(0, viewport.height(), 40):
                point = QPoint(x, y)
                QTest.mouseMove(viewport, point)
                QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
                QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        app.processEvents()
        # A click must not take a heading or a legend label out of the scene.
        assert texts() == before, (round_, sorted(set(before) ^ set(texts())))
        window.controls.architecture.layer_count.setValue(layers)
        app.processEvents()
        view.set_structure([2, 5, 1], ["IQ", "CGPA"], ["Package"])  # and rebuilt directly
        view.set_structure(window.lesson.network.layer_sizes, ["IQ", "CGPA"], ["Package"])
        network = window.lesson.network
        assert view.show_parameters(network.weights, network.biases)
        assert all(shiboken6.isValid(e) and shiboken6.isValid(e.label) for e in view.edges)
    window.interactive = False  # close without asking to save
    window.close()
    print("survived", len(architectures), "rounds")
    """
)


def test_clicking_hovering_and_rebuilding_the_diagram_many_times_never_crashes():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CLICK_HOVER_REBUILD], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}"
    assert "survived 6 rounds" in result.stdout
    assert "already deleted" not in result.stderr


@pytest.fixture
def view(qtbot):
    from backprop_gui.ui.diagram.network_view import NetworkView

    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def labels(view):
    return [edge.label.text() for edge in view.edges] + [tag.text() for tag in view.bias_tags.values()]


def test_parameters_of_another_network_are_ignored_not_half_drawn(view):
    small = Network([2, 2, 1], init="random", seed=1)
    view.set_structure([2, 3, 3, 1], ["IQ", "CGPA"], ["Package"])
    big = Network([2, 3, 3, 1], init="random", seed=2)
    assert view.show_parameters(big.weights, big.biases)
    shown = labels(view)

    assert view.show_parameters(small.weights, small.biases) is False  # no IndexError
    assert labels(view) == shown  # nothing half drawn


def test_a_step_of_another_network_is_not_drawn_and_leaves_no_step_on_show(view):
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    y = np.array([5.0, 3.0, 8.0])
    record = Trainer(Network([2, 2, 1], init="ones"), X, y, learning_rate=1e-6, order="sequential").step()
    explainer = StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"], "Package")
    view.set_structure([2, 2, 1], ["IQ", "CGPA"], ["Package"])
    phase = explainer.phases()[-1]
    assert view.show_step(explainer, phase, "Step 1")
    assert "Step 1" in view.phase_text()

    view.set_structure([2, 3, 3, 1], ["IQ", "CGPA"], ["Package"])  # the hidden-layers box changed
    big = Network([2, 3, 3, 1], init="random", seed=2)
    view.show_parameters(big.weights, big.biases)
    shown = labels(view)
    for phase in explainer.phases():
        assert view.show_step(explainer, phase, "Step 1") is False  # no IndexError
    assert labels(view) == shown and view.phase_text() == ""


def test_labels_tooltips_and_equations_use_the_one_number_format(view):
    network = Network([2, 2, 1], init="random", seed=0)
    network.weights[0][0, 0] = -0.07731277880234155
    network.biases[1][0] = -0.0
    view.set_structure([2, 2, 1], ["IQ", "CGPA"], ["Package"])
    view.show_parameters(network.weights, network.biases)

    edge = next(e for e in view.edges if e.parameter.name == "w¹₁₁")
    assert edge.label.text() == "w¹₁₁ = −0.0773128"
    assert edge.toolTip().endswith("= −0.0773128")  # not repr(-0.07731277880234155)
    tag = view.bias_tags[(1, 0)]
    assert tag.text() == "b₂₁ = 0" and tag.toolTip().endswith("= 0")  # not "0.0", not "−0"
    for text in labels(view) + [e.toolTip() for e in view.edges] + [t.toolTip() for t in view.bias_tags.values()]:
        assert "-" not in text.replace("→", ""), text


def test_step_labels_use_the_same_digits_as_the_equations(view):
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    y = np.array([5.0, 3.0, 8.0])
    record = Trainer(Network([2, 2, 1], init="ones"), X, y, learning_rate=1e-6, order="sequential").step()
    explainer = StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"], "Package")
    view.set_structure([2, 2, 1], ["IQ", "CGPA"], ["Package"])
    view.show_step(explainer, explainer.phases()[-1])
    edge = next(e for e in view.edges if e.parameter.name == "w¹₁₁")
    before, after, _ = explainer.values(edge.parameter)
    assert edge.label.text() == f"w¹₁₁: {format_number(before)} → {format_number(after)}"


def test_the_output_neurons_tooltip_says_what_it_predicts_then_its_bias_however_often_redrawn(window, qtbot):
    view = window.network_view
    for _ in range(3):
        window.step_button.click()
    output = view.neurons[-1][0]
    lines = output.toolTip().split("\n")
    assert len(lines) == 2 and "the predicted" in lines[0] and lines[1].startswith("b₂₁: bias of")
    assert lines[1].endswith(format_number(window.lesson.network.biases[1][0]))
