"""The activation explorer: f and f′ of a hidden layer's activation, its neurons marked at their z with
their slopes, saturated and dead neurons named in a warning line and marked on the diagram. Every
number is the engine's, with the weights on show."""

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from backprop_gui.engine import ACTIVATIONS
from backprop_gui.engine.notation import format_number
from backprop_gui.engine.measures.saturation import neuron_slopes


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, name
    return widget


def test_the_explorer_is_made_when_first_shown_and_plots_the_engines_curve_and_zs(window, qtbot):
    assert window.findChild(QObject, "activationExplorer") is None  # not before it is asked for
    window.lesson.update_settings(hidden_layers=(3, 2), hidden_activations=("gelu", "tanh"))
    explorer = window.learning.show_activation_explorer(0)
    assert explorer.objectName() == "activationExplorer" and explorer.isVisible()
    explorer.row.setValue(2)
    explorer.refresh()
    z_grid, f = explorer.f_curve.getData()
    _, slope = explorer.slope_curve.getData()
    assert np.array_equal(f, ACTIVATIONS["gelu"].forward(z_grid))
    assert np.array_equal(slope, ACTIVATIONS["gelu"].derivative(z_grid, f))
    lesson = window.lesson
    inputs = lesson.scaler().transform(lesson.table.inputs())
    z = lesson.network.forward_pass(inputs[1:2]).z[0][0]
    marked_z, marked_f = explorer.markers.getData()
    assert np.array_equal(marked_z, z) and np.array_equal(marked_f, ACTIVATIONS["gelu"].forward(z))
    assert len(explorer.tangents) == 3
    for j, tangent in enumerate(explorer.tangents):
        xs, ys = tangent.getData()
        slope_j = ACTIVATIONS["gelu"].derivative(z[j:j + 1], ACTIVATIONS["gelu"].forward(z[j:j + 1]))[0]
        assert np.isclose((ys[1] - ys[0]) / (xs[1] - xs[0]), slope_j, rtol=1e-9, atol=1e-12)  # the tangent's slope
    assert f"f′(z) = {format_number(float(ACTIVATIONS['gelu'].derivative(z, ACTIVATIONS['gelu'].forward(z))[0]))}" in explorer.readout.text()
    explorer.choose(1)
    assert "tanh" in explorer.plot.getPlotItem().titleLabel.text and len(explorer.tangents) == 2


def test_a_saturated_sigmoid_neuron_is_named_and_marked_on_the_diagram(window, qtbot):
    lesson = window.lesson
    lesson.update_settings(hidden_activation="sigmoid")
    explorer = window.learning.show_activation_explorer(0)
    assert "No hidden neuron is saturated" in explorer.warning.text()
    assert all(n.flag is None for n in window.network_view.neurons[1])
    weights, biases = lesson.network.get_parameters()
    biases[0][1] = -40.0  # O₁₂'s sum far below 0 on every row: σ′ ≈ 0
    lesson.network.set_parameters(weights, biases)
    lesson.parameters_changed.emit()
    qtbot.waitUntil(lambda: "O₁₂ is saturated" in explorer.warning.text(), timeout=3000)
    inputs = lesson.scaler().transform(lesson.table.inputs())
    share = neuron_slopes(lesson.network, inputs)[1].flat_share
    assert f"on {share:.0%} of the rows" in explorer.warning.text()
    assert window.network_view.neurons[1][1].flag == "saturated" and window.network_view.neurons[1][0].flag is None


def test_the_neuron_context_menu_and_the_view_menu_open_it(window, qtbot):
    window.lesson.update_settings(hidden_layers=(2, 3), hidden_activation="relu")
    menu = window.network_view.neuron_menu(1, 2)
    menu.findChild(QAction, "exploreActivationAction").trigger()
    explorer = find(window, "activationExplorer")
    assert explorer.isVisible() and explorer.layer.currentIndex() == 1
    window.lesson_tabs.setCurrentIndex(0)
    action = next(a for a in window.menuBar().findChildren(QAction) if a.text().replace("&", "") == "Activation Explorer")
    action.trigger()
    assert explorer.isVisible()
