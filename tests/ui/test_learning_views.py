"""The learning views in the window: the loss landscape, the input space, kept runs and comparisons."""

import numpy as np
from PySide6.QtWidgets import QWidget

from backprop_gui.engine import loss_surface
from backprop_gui.engine.measures.landscape import parameter_index, parameter_vector
from backprop_gui.engine.notation import all_parameters
from backprop_gui.engine.measures.input_plane import SAMPLE_ROWS, layer_outputs, plane_points, predicted_class, target_class


def test_the_views_are_made_when_their_tab_is_first_shown(qtbot, window):
    """Building them costs tens of milliseconds the window should not pay before it paints."""
    assert window.findChild(QWidget, "lossLandscape") is None
    window.lesson_tabs.setCurrentIndex(window.lesson_tabs.indexOf(window.findChild(QWidget, "landscapePage")))
    landscape = window.findChild(QWidget, "lossLandscape")
    assert landscape is window.learning.landscape and landscape.isVisible()
    assert window.findChild(QWidget, "inputSpace") is None


def wait_for_surface(qtbot, window):
    view = window.learning.show_landscape()
    qtbot.waitUntil(lambda: view.surface is not None and not view.is_busy(), timeout=10000)
    return view


def test_the_landscape_starts_on_the_first_two_weights_then_follows_the_largest_gradients(qtbot, window):
    view = wait_for_surface(qtbot, window)
    assert [ref.name for ref in view.pair] == ["w¹₁₁", "w¹₂₁"]
    assert window.findChild(type(view.first_input), "landscapeFirstInput").currentText() == "w¹₁₁"
    window.step_button.click()
    record = window.lesson.last_record
    sizes = window.lesson.network.layer_sizes
    grads = parameter_vector(record.weight_grads, record.bias_grads)
    largest = sorted(all_parameters(sizes), key=lambda ref: -abs(grads[parameter_index(sizes, ref)]))[:2]
    assert list(view.pair) == largest


def test_the_surface_on_screen_is_the_engines_for_the_weights_on_show(qtbot, window):
    lesson = window.lesson
    for _ in range(3):
        window.step_button.click()
    view = wait_for_surface(qtbot, window)
    view.choose_pair("w²₁₁", "b₂₁")
    qtbot.waitUntil(lambda: not view.is_busy() and view.values is not None and view.values[0].size == 200, timeout=10000)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    X = lesson.scaler().transform(lesson.table.inputs())
    expected = loss_surface(lesson.network, X, lesson.table.targets(), "mse", "w²₁₁", "b₂₁", *view.values)
    np.testing.assert_array_equal(view.surface, expected)
    # Its grid spans the weights on show.
    current = (lesson.network.weights[1][0, 0], lesson.network.biases[1][0])
    assert all(values[0] < value < values[-1] for values, value in zip(view.values, current))


def test_the_path_grows_by_a_point_a_step_and_back_shortens_it(qtbot, window):
    view = wait_for_surface(qtbot, window)
    for _ in range(4):
        window.step_button.click()
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    assert len(view.path_item.getData()[0]) == 5
    window.back_button.click()
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    x, y = view.path_item.getData()
    assert len(x) == 4
    current = view.current_item.getData()
    assert (current[0][0], current[1][0]) == (x[-1], y[-1])


def test_a_step_walked_through_shows_its_old_weights_until_its_update(qtbot, window):
    view = wait_for_surface(qtbot, window)
    view.choose_pair("w¹₁₁", "b₂₁")
    window.step_button.click()
    window.next_phase_button.click()  # a new step, at its first phase
    assert window.learning.showing(view)  # stepping leaves the landscape on show
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    x, y = view.path_item.getData()
    assert len(x) == 2  # the new step's update is not drawn yet
    before = window.lesson.step_log[-1]
    current = view.current_item.getData()
    assert (current[0][0], current[1][0]) == (before.weights[0][0, 0], before.biases[1][0]) == (x[-1], y[-1])
    window.step_button.click()  # finish it: its update appears
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    assert len(view.path_item.getData()[0]) == 3


def test_training_draws_the_path_and_the_window_stays_live(qtbot, window):
    view = wait_for_surface(qtbot, window)
    window.lesson.update_settings(epochs=300)
    window.train_and_wait()
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10000)
    x, _ = view.path_item.getData()
    assert len(x) >= 2
    np.testing.assert_array_equal(view.path.points()[-1], parameter_vector(window.lesson.network.weights, window.lesson.network.biases))


def wait_for_plane(qtbot, view):
    qtbot.waitUntil(lambda: view.plane is not None and not view.is_busy(), timeout=10000)
    return view.plane


def test_the_input_space_map_at_the_tables_rows_is_the_lessons_prediction(qtbot, window):
    view = window.learning.show_input_space()
    for _ in range(3):
        window.step_button.click()
    lesson = window.lesson
    rows = lesson.table.inputs()
    np.testing.assert_array_equal(layer_outputs(lesson.network, lesson.scaler(), rows)[-1], lesson.predict(rows))
    wait_for_plane(qtbot, view)
    with qtbot.waitSignal(view.pictureShown, timeout=10000):
        view.refresh()
    grid_points = plane_points(lesson.table.inputs().mean(axis=0), view.axes(), *view.grid)
    np.testing.assert_array_equal(view.map.reshape(-1), lesson.predict(grid_points)[:, 0])
    assert len(view.neuron_maps) == 2
    assert view.points.data.size == lesson.table.n_rows and view.main.titleLabel.text == ""


def test_the_input_space_holds_other_inputs_at_their_means(qtbot, window):
    view = window.learning.show_input_space()
    lesson = window.lesson
    lesson.table.load([[80, 8, 1, 5], [60, 5, 2, 3], [110, 7, 3, 8]], ["IQ", "CGPA", "Age", "Package"])
    qtbot.waitUntil(lambda: lesson.network.n_inputs == 3, timeout=5000)
    with qtbot.waitSignal(view.pictureShown, timeout=10000):
        view.choose_inputs(0, 2)
    assert view.x_input.isVisibleTo(view)
    np.testing.assert_allclose(view.plane.means, [np.mean([80, 60, 110]), np.mean([8, 5, 7]), 2.0])
    points = plane_points(view.plane.means, view.axes(), [70.0, 90.0], [1.0, 2.0])
    assert np.all(points[:, 1] == np.mean([8, 5, 7]))
    assert "CGPA" in view.held.text()
    np.testing.assert_array_equal(layer_outputs(lesson.network, lesson.scaler(), points)[-1], lesson.predict(points))


def test_a_large_table_is_drawn_as_a_sample_of_its_rows_and_says_so(qtbot, window):
    """Beyond SAMPLE_ROWS rows the plane shows that many of them, marked right or wrong by the
    network's own prediction, brushes shared by class; the count right is over the whole table."""
    from backprop_gui.engine import CLASSIFICATION_DEFAULTS

    rng = np.random.default_rng(7)
    n = SAMPLE_ROWS + 2500
    inputs = np.column_stack([rng.normal(100, 15, n), rng.uniform(4, 10, n)])
    targets = (inputs[:, 0] / 15 + inputs[:, 1] + rng.normal(0, 1, n) > 13.5).astype(float)
    lesson = window.lesson
    lesson.table.load(np.column_stack([inputs, targets]), ["IQ", "CGPA", "placed"])
    lesson.update_settings(**CLASSIFICATION_DEFAULTS, scaling="standardize")
    view = window.learning.show_input_space()
    qtbot.waitUntil(lambda: view.plane is not None and view.plane.n_rows == n and not view.is_busy(), timeout=20000)
    plane = view.plane
    assert plane.sampled and plane.shown_rows.size == SAMPLE_ROWS == view.points.data.size
    assert view.main.titleLabel.text.startswith(f"showing {SAMPLE_ROWS:,} of {n:,} rows")
    placed = predicted_class(lesson.predict(inputs)[:, 0])
    assert plane.right == int(np.sum(placed == target_class(targets)))
    assert plane.right == round(lesson.metrics().accuracy * n)
    wrong = placed[plane.shown_rows] != target_class(targets[plane.shown_rows])
    np.testing.assert_array_equal(view.wrong.getData()[0], inputs[plane.shown_rows][wrong, 0])
    np.testing.assert_array_equal(view.points.getData()[0], inputs[plane.shown_rows, 0])
    assert len({id(brush) for brush in view.points.data["brush"]}) <= 2
    assert f"{plane.right:,} of all {n:,} right" in view.caption.text()


def test_hovering_a_neuron_map_highlights_it(qtbot, window):
    view = window.learning.input_space
    heard = []
    view.neuronHovered.connect(heard.append)
    view._hover(1)
    assert view.highlighted == 1 and heard == [(0, 1)]
    view.highlight_neuron((0, 0))
    assert view.highlighted == 0


def test_keep_this_run_pins_the_curve_on_the_loss_plot_and_it_can_go(qtbot, window):
    window.lesson.update_settings(epochs=20)
    window.train_and_wait()
    window.findChild(type(window.learning.runs_panel.keep_button), "keepRunButton").click()
    kept_list = window.findChild(type(window.learning.runs_panel.list), "keptRuns")
    assert kept_list.count() == 1
    (curve,) = window.learning.runs_panel.curves
    assert curve in window.loss_panel.plot.plot_widget.getPlotItem().items
    np.testing.assert_array_equal(curve.getOriginalDataset()[1], window.lesson.loss_history.values)
    assert len(window.learning.landscape.kept_paths) == 1
    kept_list.setCurrentRow(0)
    window.learning.runs_panel.remove_button.click()
    assert kept_list.count() == 0 and window.learning.runs_panel.curves == []


def test_comparing_two_learning_rates_overlays_two_runs_from_the_same_start(qtbot, notes_window):
    window = notes_window
    panel = window.learning.runs_panel
    window.lesson.update_settings(scaling="standardize", init="random")
    window.reset_button.click()
    with qtbot.waitSignal(panel.comparisonFinished, timeout=30000):
        assert panel.compare("learning_rate", [0.001, 0.01], epochs=50)
    slow, fast = window.learning.kept.runs
    assert slow.label.startswith("η = 0.001") and fast.label.startswith("η = 0.01")
    np.testing.assert_array_equal(slow.path[0], fast.path[0])
    assert not np.array_equal(slow.loss_history, fast.loss_history)
    assert len(panel.curves) == 2 and slow.colour != fast.colour
    assert len(window.lesson.step_log) == 0  # the lesson's own network did not move


def test_each_view_exports_a_png(qtbot, window, tmp_path):
    wait_for_surface(qtbot, window)
    for show in (window.learning.show_landscape, window.learning.show_input_space):
        view = show()
        path = tmp_path / f"{view.objectName()}.png"
        assert view.export_png(str(path))
        assert path.stat().st_size > 1000


def test_hovering_a_neuron_map_picks_out_the_neuron_on_the_diagram_and_back(qtbot, window):
    view, diagram = window.learning.input_space, window.network_view
    view._hover(1)  # the map of O₁₂
    emphasised = [(layer, j) for layer, column in enumerate(diagram.neurons) for j, n in enumerate(column) if n.emphasised]
    assert emphasised == [(1, 1)]
    view._hover(None)
    assert not any(n.emphasised for column in diagram.neurons for n in column)


def test_the_classification_boundary_is_a_whole_line_where_the_map_crosses_one_half(qtbot, window):
    """The input space draws ŷ = 0.5 as segments traced on its map: every end of one lies on the
    map where ŷ = 0.5, and the ends join up into a line (each shared by two segments but at its
    two ends)."""
    from backprop_gui.engine import CLASSIFICATION_DEFAULTS

    assert window.document.open_example("placement.csv")
    window.lesson.update_settings(**CLASSIFICATION_DEFAULTS, epochs=300, scaling="standardize")
    window.train_and_wait()
    view = window.learning.show_input_space()
    qtbot.waitUntil(lambda: view.map is not None and len(view.boundary.segments) > 0, timeout=5000)
    shown, segments = view.map, view.boundary.segments - 0.5  # the image's pixel middles, back to grid points
    for x, y in segments.reshape(-1, 2):
        i, j = int(min(np.floor(x), shown.shape[0] - 2)), int(min(np.floor(y), shown.shape[1] - 2))
        s, t = x - i, y - j
        value = (1 - s) * (1 - t) * shown[i, j] + s * (1 - t) * shown[i + 1, j] + (1 - s) * t * shown[i, j + 1] + s * t * shown[i + 1, j + 1]
        assert abs(value - 0.5) < 1e-9  # on a cell edge, where the interpolation is linear

    ends, counts = np.unique(np.round(segments.reshape(-1, 2), 9), axis=0, return_counts=True)
    assert (counts == 1).sum() <= 2 * max(1, len(segments) // 50) and (counts <= 2).all()


def test_the_loss_view_takes_in_a_kept_run_and_lets_it_go(qtbot, window):
    """Keeping or removing a run changes what the loss plot must show, without a new epoch."""
    view = window.loss_panel.plot.plot_widget.getPlotItem().getViewBox()
    window.lesson.update_settings(epochs=40)
    window.train_and_wait()
    window.findChild(type(window.learning.runs_panel.keep_button), "keepRunButton").click()
    window.reset_button.click()
    window.lesson.update_settings(epochs=5)
    window.train_and_wait()
    assert view.viewRange()[0][1] >= 40  # the kept run's 40 epochs beside the new run's 5
    window.learning.runs_panel.list.setCurrentRow(0)
    window.learning.runs_panel.remove_button.click()
    assert view.viewRange()[0][1] < 10  # the 5 epochs fill the view again
