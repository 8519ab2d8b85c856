"""Issue 16, the diagram: laid out to its pane in screen pixels, no label on a node or another label
in any phase, nothing moving between phases, values inside their neurons, wide tables, the palette
and the zoom."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication

from backprop_gui.engine import Network, Trainer
from backprop_gui.engine.explain.explainer import StepExplainer
from backprop_gui.engine.notation import ParameterRef
from backprop_gui.ui.diagram.diagram_layout import place_stack


def set_architecture(window, layers):
    controls = window.controls.architecture
    controls.layer_count.setValue(len(layers))
    for k, n in enumerate(layers):
        controls.neurons[k].setValue(n)


def boxes(view):
    """(what, scene rectangle) of every visible label and neuron of the diagram."""
    out = []
    for column in view.neurons:
        for neuron in column:
            if neuron.isVisible():
                out.append((f"neuron {neuron.full_name}", neuron.sceneBoundingRect()))
                if neuron.value_box.isVisible():
                    out.append((f"value of {neuron.full_name}", neuron.value_box.sceneBoundingRect()))
    for edge in view.edges:
        if edge.label.isVisible():
            out.append((edge.label.text(), edge.label.sceneBoundingRect()))
    for tag in list(view.bias_tags.values()) + view._markers:
        if tag.isVisible():
            out.append((tag.text(), tag.sceneBoundingRect()))
    for heading in view._headings:
        out.append((heading.text(), heading.sceneBoundingRect()))
    return out


def overlaps(view):
    found = boxes(view)
    return [(a, b) for k, (a, ra) in enumerate(found) for b, rb in found[k + 1 :] if ra.intersects(rb)]


def positions(view):
    items = [n for column in view.neurons for n in column] + [e.label for e in view.edges] + list(view.bias_tags.values())
    return [(item.isVisible(), round(item.scenePos().x(), 3), round(item.scenePos().y(), 3)) for item in items]


def value_fits(neuron):
    """A value shown inside its circle lies wholly inside it."""
    if neuron.value_beside or not neuron.value_text.text():
        return True
    rect = neuron.value_text.sceneBoundingRect()
    centre = neuron.scenePos()
    corners = (rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight())
    return all(math.dist((c.x(), c.y()), (centre.x(), centre.y())) <= neuron.radius for c in corners)


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)])
@pytest.mark.parametrize("layers", [(2,), (6, 6, 6), (8, 8, 8, 8)], ids=["2-2-1", "3x6", "4x8"])
def test_no_label_overlaps_a_node_or_a_label_and_nothing_moves_in_any_phase(window, qtbot, layers, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    set_architecture(window, layers)
    view = window.network_view
    assert overlaps(view) == []
    window.actions.next_phase()
    step = window.cursor.explainer.record.step
    first = positions(view)
    phases = 0
    while window.cursor.active and window.cursor.explainer.record.step == step:
        QApplication.processEvents()
        assert overlaps(view) == [], window.cursor.phase
        assert positions(view) == first, f"the diagram moved at {window.cursor.phase}"
        assert all(value_fits(n) for column in view.neurons for n in column)
        phases += 1
        if window.cursor.phase == window.cursor.explainer.phases()[-1]:
            break
        window.actions.next_phase()
    assert phases == len(window.cursor.explainer.phases())


def test_the_notes_2_2_1_shows_every_label_at_1920_by_1080(window, qtbot):
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    view = window.network_view
    assert all(e.label.isVisible() for e in view.edges) and all(t.isVisible() for t in view.bias_tags.values())
    # The diagram fills its pane: no blank band under the equations, no scaling.
    assert view.transform().isIdentity()
    assert view.sceneRect().height() <= view.viewport().height() + 1
    legend_bottom = max(t.sceneBoundingRect().bottom() for t in view._texts.values())
    assert legend_bottom > 0.75 * view.viewport().height()


def font_pixels(item):
    return item.font().pixelSize()


@pytest.mark.parametrize("size, least_value, least_text", [((1920, 1080), 14, 11), ((1024, 768), 11, 11)])
def test_text_is_sized_in_screen_pixels(window, qtbot, size, least_value, least_text):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    window.actions.step()
    view = window.network_view
    assert view.transform().isIdentity()  # pixels of the scene are pixels of the screen
    values = [n.value_text for column in view.neurons for n in column]
    labels = [e.label.text_item for e in view.edges if e.label.isVisible()]
    labels += [t.text_item for t in view.bias_tags.values() if t.isVisible()]
    assert min(font_pixels(t) for t in values + labels) >= least_value
    others = [n.name_text for column in view.neurons for n in column] + view._headings + list(view._texts.values())
    assert min(font_pixels(t) for t in values + labels + others) >= least_text


def test_text_follows_the_zoom_and_presentation_mode(window, qtbot):
    view = window.network_view
    before = font_pixels(view.neuron(1, 0).value_text)
    view.set_text_scale(1.6)
    assert font_pixels(view.neuron(1, 0).value_text) == round(before * 1.6)
    assert overlaps(view) == []
    view.set_text_scale(1.0)
    assert font_pixels(view.neuron(1, 0).value_text) == before


def notes_record(weight=1.0):
    X = np.array([[80.0, 8.0], [60.0, 5.0], [110.0, 7.0]])
    y = np.array([5.0, 3.0, 8.0])
    network = Network([2, 2, 1], init="ones")
    network.weights[0][:] = weight
    record = Trainer(network, X, y, learning_rate=1e-6, order="sequential").step()
    return StepExplainer(record, [2, 2, 1], "linear", "linear", "mse", ["IQ", "CGPA"], "Package")


@pytest.fixture
def view(qtbot):
    from backprop_gui.ui.diagram.network_view import NetworkView

    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def test_large_values_stay_inside_their_neurons(view):
    explainer = notes_record(weight=-18.07)  # O₁₁ = −1590.16, ŷ in the thousands
    view.set_structure([2, 2, 1], ["IQ", "CGPA"], ["Package"])
    for phase in explainer.phases():
        assert view.show_step(explainer, phase)
        assert all(value_fits(n) for column in view.neurons for n in column), phase
        assert overlaps(view) == []
    assert view.neuron(1, 0).value_text.text().startswith("−1590")


def test_colours_follow_a_dark_palette_and_the_highlight_keeps_dark_text(view):
    from backprop_gui.ui.window.theme import dark_palette

    view.set_structure([2, 2, 1], ["IQ", "CGPA"], ["Package"])
    explainer = notes_record()
    view.show_step(explainer, explainer.phases()[-1])
    view.setPalette(dark_palette())
    QApplication.processEvents()
    palette = view.palette()
    assert view.backgroundBrush().color() == palette.color(QPalette.ColorRole.Base)
    edge = view.edges[0]
    tag = view.bias_tags[(0, 0)]
    assert view._headings[0].brush().color() == palette.color(QPalette.ColorRole.PlaceholderText)
    assert view._texts["phase"].brush().color() == palette.color(QPalette.ColorRole.Text)
    # The update phase's labels are highlighted: yellow ground, dark text, on dark and light alike.
    assert edge.label.brush().color().lightness() > 200 and edge.label.text_item.brush().color().lightness() < 60
    tag.set_emphasis(False)
    assert tag.brush().color().lightness() < 80 and tag.text_item.brush().color().lightness() > 200
    view.setPalette(QPalette())
    QApplication.processEvents()
    assert view.backgroundBrush().color().lightness() > 200


def test_the_chosen_parameter_is_marked_and_hovering_a_hidden_neuron_is_announced(view, qtbot):
    view.set_structure([2, 3, 1], ["IQ", "CGPA"], ["Package"])
    view.select_parameter(ParameterRef("w", 0, 1, 2))
    chosen = [e for e in view.edges if e.label._selected]
    assert [e.parameter for e in chosen] == [ParameterRef("w", 0, 1, 2)] and view._halo.isVisible()
    view.select_parameter(ParameterRef("b", 0, 1))
    assert view.bias_tags[(0, 1)]._selected and not chosen[0].label._selected
    heard = []
    view.neuronHovered.connect(heard.append)
    for point in (view.mapFromScene(view.neuron(1, 2).scenePos()), QPoint(2, 2)):
        move = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(view.viewport().mapToGlobal(point)),
                           Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(view.viewport(), move)
    assert heard == [(0, 2), None]


def test_a_40_column_table_scrolls_its_input_column_instead_of_shrinking_the_diagram(view):
    names = [f"x{k}" for k in range(1, 40)]
    view.set_structure([39, 2, 1], names, ["y"])
    network = Network([39, 2, 1], init="random", seed=0)
    view.show_parameters(network.weights, network.biases)
    start, shown = view.layout_result.input_window
    assert start == 0 and 3 <= shown < 39
    assert sum(n.isVisible() for n in view.neurons[0]) == shown
    assert view.neuron(1, 0).radius >= 30  # the hidden layer is drawn at its full size
    assert view._markers[1].isVisible() and "more" in view._markers[1].text()
    view.scroll_inputs(5)
    assert view.layout_result.input_window[0] == 5 and view._markers[0].isVisible()
    assert overlaps(view) == []
    assert view.sceneRect().width() <= view.viewport().width() + 1


def test_place_stack_keeps_order_and_room():
    placed = place_stack([10.0, 11.0, 12.0, 100.0], 20.0, 0.0, 200.0)
    assert placed is not None and all(b - a >= 20.0 - 1e-9 for a, b in zip(sorted(placed), sorted(placed)[1:]))
    assert placed[3] == pytest.approx(100.0)
    assert place_stack([0.0] * 11, 20.0, 0.0, 200.0) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    inputs=st.integers(1, 12),
    hidden=st.lists(st.integers(1, 8), max_size=4),
    size=st.sampled_from([(560, 390), (900, 600), (1460, 700)]),
    scale=st.sampled_from([1.0, 1.6]),
)
def test_no_overlaps_for_any_architecture_the_app_allows(view, inputs, hidden, size, scale):
    sizes = [inputs, *hidden, 1]
    view.resize(*size)
    view.set_text_scale(scale)
    view.set_structure(sizes, [f"in{k}" for k in range(inputs)], ["y"])
    network = Network(sizes, init="random", seed=1)
    view.show_parameters(network.weights, network.biases)
    assert overlaps(view) == []
    X = np.arange(3 * inputs, dtype=float).reshape(3, inputs) * 37.3 - 50
    record = Trainer(network, X, np.array([5.0, -3.0, 8.0]), learning_rate=0.01, order="sequential").step()
    explainer = StepExplainer(record, sizes, "linear", "linear", "mse", [f"in{k}" for k in range(inputs)], "y")
    phases = explainer.phases()
    view.show_step(explainer, phases[0])
    first = positions(view)
    for phase in phases[1:]:
        view.show_step(explainer, phase)
        assert overlaps(view) == [], (sizes, size, phase)
        assert positions(view) == first
        assert all(value_fits(n) for column in view.neurons for n in column)
    view.set_text_scale(1.0)
