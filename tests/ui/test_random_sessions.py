"""The guard of issue 12: random sequences of what a user does, with the screen checked against the
engine after every action.

CI runs a few hundred actions. A long run is one command away:

    RANDOM_SESSION_ACTIONS=5000 pytest tests/ui/test_random_sessions.py
"""

import os
import traceback

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtCore import QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QSpinBox

from backprop_gui.engine.notation import ParameterRef, format_number, subscript, weight_name
from backprop_gui.engine.explain import number
from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS
from backprop_gui.lesson.guided import builtin_paths
from backprop_gui.ui import MainWindow
from backprop_gui.ui.diagram.lesson_diagram import describe_start

ACTIONS = int(os.environ.get("RANDOM_SESSION_ACTIONS", "400"))
STEPS_PER_SESSION = 50
COMBOS = ["taskInput", "hiddenActivationInput", "hiddenActivationInput1", "hiddenActivationInput2", "outputActivationInput", "initInput", "modeInput", "orderInput",
          "scalingInput"]  # fmt: skip
SPINS = {
    "hiddenLayersInput": [0, 1, 2, 3, 4],
    "neuronsInput1": [1, 2, 8],
    "neuronsInput2": [1, 3, 8],
    "seedInput": [0, 1, 2**31 - 1],
    "epochsInput": [1, 5, 10_000_000],
    "batchSizeInput": [1, 2, 100_000],
}
CELL_TEXTS = ["90", "7.5", "0", "-3", "1e-300", "1e100", "abc", "", "nan", "1e308", "−4"]
PASTES = ["1\t2\t3", "81\t8.5\n61\t5.5", "x\t1", "4", "1\t2\t3\t4"]
LESSONS = [path.stem for path in builtin_paths()]


def find(window, name):
    widget = window.findChild(QObject, name)
    assert widget is not None, name
    return widget


def run_random_sessions(qtbot, message_boxes):
    class RandomSession(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.window = MainWindow()
            qtbot.addWidget(self.window)
            self.window.resize(1400, 900)
            self.window.show()
            self.window.activateWindow()

        def teardown(self):
            window = self.window
            window.guided.close_lesson()  # the user's own session and undo history come back
            stack = window.undo_stack
            while stack.canUndo():
                stack.undo()
            values, names = window.lesson.table.values(), window.lesson.table.column_names
            window.controls.epochs.setValue(10_000_000)
            window.train_button.click()  # closing the window mid-run stops the run and its thread
            window.close()
            assert window.runner.running_threads() == 0
            # New starts a new undo history on the notes' table; an import is an edit that undoes.
            assert names == NOTES_COLUMNS and np.array_equal(values, NOTES_ROWS)

        def act(self, action):
            with qtbot.captureExceptions() as exceptions:
                action()
                qtbot.wait(1)
            assert not exceptions, "".join(traceback.format_exception(*exceptions[0]))

        # -- what a user does -------------------------------------------------------------
        @rule(button=st.sampled_from(["stepButton", "nextPhaseButton", "backButton", "resetButton",
                                      "gradientCheckButton"]))  # fmt: skip
        def press(self, button):
            self.act(find(self.window, button).click)

        @rule(phases=st.integers(1, 6))
        def check_gradients_during_a_walk(self, phases):
            window = self.window
            for _ in range(phases):
                self.act(window.actions.next_phase_action.trigger)
            self.act(window.actions.gradient_check_action.trigger)

        @rule()
        def notes_example(self):
            self.act(self.window.actions.notes_example_action.trigger)

        @rule(pick=st.integers(0, 10_000), notches=st.sampled_from([-3, -1, 1, 2]))
        def wheel_over_the_form(self, pick, notches):
            window = self.window
            boxes = [b for kind in (QComboBox, QAbstractSpinBox) for b in window.findChildren(kind)]
            box = boxes[pick % len(boxes)]
            window.network_view.setFocus()
            before = (box.currentIndex() if isinstance(box, QComboBox) else box.value(), window.lesson.settings)
            centre = QPointF(box.rect().center())
            event = QWheelEvent(centre, QPointF(box.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
            self.act(lambda: QApplication.sendEvent(box, event))
            after = (box.currentIndex() if isinstance(box, QComboBox) else box.value(), window.lesson.settings)
            assert after == before, box.objectName()

        @rule(wait_ms=st.integers(0, 60))
        def train_then_stop(self, wait_ms):
            window = self.window

            def train_and_stop():
                find(window, "trainButton").click()
                qtbot.wait(wait_ms)
                find(window, "stopButton").click() if window.runner.is_training else None
                qtbot.waitUntil(lambda: window.runner.running_threads() == 0, timeout=5000)

            self.act(train_and_stop)

        @rule(name=st.sampled_from(COMBOS), pick=st.integers(0, 10))
        def choose(self, name, pick):
            combo: QComboBox = find(self.window, name)
            if combo.isEnabled():
                self.act(lambda: combo.setCurrentIndex(pick % combo.count()))

        @rule(name=st.sampled_from(sorted(SPINS)), pick=st.integers(0, 10))
        def spin(self, name, pick):
            box: QSpinBox = find(self.window, name)
            values = SPINS[name]
            if box.isEnabled():
                self.act(lambda: box.setValue(values[pick % len(values)]))

        @rule(rate=st.sampled_from([1e-6, 1e-3, 0.1, 10.0]))
        def learning_rate(self, rate):
            box = find(self.window, "learningRateInput")
            if box.isEnabled():
                self.act(lambda: box.setValue(rate))

        @rule(row=st.integers(0, 8), column=st.integers(0, 4), text=st.sampled_from(CELL_TEXTS))
        def edit_cell(self, row, column, text):
            model = self.window.table_model
            if self.closed("table"):
                return
            if row < model.rowCount() and column < model.columnCount():
                self.act(lambda: model.setData(model.index(row, column), text))

        @rule(row=st.integers(0, 8), column=st.integers(0, 3), text=st.sampled_from(PASTES))
        def paste(self, row, column, text):
            window = self.window
            if self.closed("table"):
                return
            if row <= window.table_model.rowCount() and column < window.table_model.columnCount():
                self.act(lambda: window.table_actions.paste_text(text, row, column))

        @rule(row=st.integers(0, 8))
        def add_row(self, row):
            window = self.window
            if row < window.table_model.rowCount():
                window.table.selectRow(row)
            self.act(window.table_actions.add_row_action.trigger)
            window.table.closePersistentEditor(window.table.currentIndex())

        @rule(rows=st.lists(st.integers(0, 8), max_size=3))
        def delete_rows(self, rows):
            window = self.window
            window.table.clearSelection()
            for row in rows:
                if row < window.table_model.rowCount():
                    window.table.selectRow(row)
            self.act(window.table_actions.delete_rows_action.trigger)

        @rule(redo=st.booleans())
        def undo_or_redo(self, redo):
            self.act((self.window.redo_action if redo else self.window.undo_action).trigger)

        @rule(example=st.sampled_from(["notes_example.csv", "placement.csv", "package_regression.csv"]))
        def open_example(self, example):
            if not self.window.runner.is_training and not self.closed("files"):
                self.act(lambda: self.window.document.open_example(example))

        @rule()
        def new_session(self):
            if not self.closed("files"):
                self.act(self.window.document.new_session)

        # -- guided lessons ---------------------------------------------------------------
        def closed(self, control):
            return self.window.guided.gate.is_closed(control)

        @rule(name=st.sampled_from(LESSONS), page=st.integers(0, 12))
        def open_lesson(self, name, page):
            window = self.window
            if not window.runner.is_training:
                self.act(lambda: window.open_lesson(name))
                tutor = window.guided.tutor
                if tutor is not None and page < tutor.n_pages:
                    self.act(lambda: tutor.open_page(page))  # as if resumed there

        @rule(right=st.booleans(), slip=st.sampled_from([-1.0, 0.5, 2.0, 1.001]))
        def answer(self, right, slip):
            tutor = self.window.guided.tutor
            if tutor is None or tutor.asked is None or tutor.resolved:
                return
            value = tutor.asked.value if right else tutor.asked.value * slip + (slip == 1.001)
            panel = self.window.guided.panel
            panel.answer_input.setText(number(value))
            self.act(lambda: find(self.window, "lessonCheckButton").click())
            assert find(self.window, "lessonFeedback").property("correct") is tutor.last_check.correct
            assert tutor.last_check.correct or not right

        @rule(button=st.sampled_from(["lessonNextButton", "lessonBackButton", "lessonCloseButton"]))
        def lesson_button(self, button):
            if self.window.guided.tutor is not None:
                self.act(find(self.window, button).click)

        @rule(x=st.integers(0, 1000), y=st.integers(0, 1000), click=st.booleans())
        def diagram(self, x, y, click):
            view = self.window.network_view.viewport()
            point = QPoint(x * view.width() // 1000, y * view.height() // 1000)
            if click:
                self.act(lambda: QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point))
            else:
                self.act(lambda: QTest.mouseMove(view, point))

        @rule(pick=st.integers(0, 100))
        def freeze_from_the_diagram(self, pick):
            """Freeze (or free) a weight or bias from its context menu, as a right click opens it."""
            view = self.window.network_view
            refs = [edge.parameter for edge in view.edges] + [ParameterRef("b", layer, j) for layer, j in view.bias_tags]
            if refs:
                menu = view.parameter_menu(refs[pick % len(refs)])
                self.act(menu.findChild(QAction, "freezeAction").trigger)
                menu.deleteLater()

        @rule(layer=st.integers(0, 3), row=st.integers(1, 12))
        def explore_activations(self, layer, row):
            """The activation explorer on a hidden layer and a row (it stays made, and live, after)."""
            def explore():
                explorer = self.window.learning.show_activation_explorer(layer)
                explorer.row.setValue(row)

            self.act(explore)

        # -- what must hold after every action ----------------------------------------------
        @invariant()
        def the_table_holds_finite_numbers(self):
            assert np.isfinite(self.window.lesson.table.values()).all()

        @invariant()
        def the_diagram_shows_the_engines_parameters(self):
            window = self.window
            view, cursor, network = window.network_view, window.cursor, window.lesson.network
            assert [len(column) for column in view.neurons] == network.layer_sizes
            if cursor.active:
                return  # labels show the step's own numbers: test_step_through checks those
            for edge in view.edges:
                if edge.label.isVisible():
                    ref = edge.parameter
                    assert edge.label.text() == f"{ref.name} = {format_number(network.weights[ref.layer][ref.i, ref.j])}"
            frozen = window.lesson.frozen
            assert all(edge.frozen == (edge.parameter.name in frozen) for edge in view.edges)
            assert all(tag.locked == (f"b{subscript(layer + 1, j + 1)}" in frozen) for (layer, j), tag in view.bias_tags.items())

        @invariant()
        def the_caption_describes_the_network(self):
            window = self.window
            caption = window.network_view.caption()
            assert f"η = {format_number(window.lesson.settings.learning_rate)}" in caption
            assert f"started from {describe_start(window.lesson.network.init, window.lesson.network.seed)}" in caption

        @invariant()
        def the_prediction_and_metrics_are_the_engines_now(self):
            window = self.window
            panel, metrics = window.data_panel.prediction_panel, window.loss_panel.metrics
            qtbot.waitUntil(lambda: not panel.throttle.pending and not metrics.throttle.pending, timeout=2000)
            shown = window.cursor.shown_parameters()
            texts = [field.text() for field in panel.inputs]
            try:
                values = np.array([[float(t) for t in texts]])
            except ValueError:
                return
            predicted = window.lesson.predict(values, shown) if values.shape[1] == window.lesson.network.n_inputs else None
            if not window.cursor.reached("output"):
                assert panel.prediction_text().startswith("—")  # no ŷ before the forward pass reaches it
            elif predicted is None:
                assert panel.prediction_text() == "—"
            else:
                assert panel.prediction_text().split()[0] == format_number(float(predicted[0, 0]))
            expected = window.lesson.metrics_split(shown)[0] if window.cursor.reached("loss") else None
            if expected is None:
                assert find(window, "metricLoss").text() == "—"
            else:
                assert find(window, "metricLoss").text() == format_number(expected.loss)

        @invariant()
        def the_gradient_check_is_of_what_is_on_screen(self):
            window = self.window
            dialog, cursor = window.actions.gradient_check_dialog, window.cursor
            settings = window.lesson.settings
            if dialog is None or not dialog.isVisible() or not cursor.before_update or settings.l1 or settings.l2:
                return
            if window.actions.gradient_check_choice()[1] is None:
                return  # the table was edited since the step: the check says it checks another row
            record = cursor.explainer.record
            rows = ", ".join(str(int(r) + 1) for r in record.rows[:8])
            assert (f"row {rows} (" if len(record.rows) == 1 else f"rows {rows}") in dialog.summary.text()
            shown = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
            for layer, grads in enumerate(record.weight_grads):  # the diagram's ∂L/∂w, from the step's record
                for (i, j), value in np.ndenumerate(grads):
                    assert shown[weight_name(layer, i, j)] == format_number(float(value), 10)

        @invariant()
        def a_lesson_page_keeps_its_closed_controls_closed(self):
            window = self.window
            tutor, gate = window.guided.tutor, window.guided.gate
            if tutor is None:
                assert gate.closed == []
                return
            assert find(window, "lessonProgress").text() == tutor.progress_text()
            assert set(gate.closed) == {*tutor.closed_controls(), "undo"}
            for name in gate.closed:
                widgets, actions = gate.controls[name]
                assert not any(w.isEnabled() for w in widgets) and not any(a.isEnabled() for a in actions), name
            assert find(window, "lessonNextButton").isEnabled() == (tutor.can_go_next and not window.lesson.is_running)

        @invariant()
        def the_activation_explorer_marks_the_engines_sums(self):
            learning = self.window.learning
            if not learning._explorer_page.built:
                return
            explorer = learning.activation_explorer
            qtbot.waitUntil(lambda: not explorer.throttle.pending, timeout=2000)
            lesson, marked = self.window.lesson, explorer.markers.getData()[0]
            inputs = explorer._inputs()
            if inputs is None or explorer.layer.currentIndex() < 0:
                assert len(marked) == 0
                return
            network = lesson.network.copy()
            network.set_parameters(*self.window.cursor.shown_parameters())
            row = min(explorer.row.value(), lesson.table.n_rows) - 1
            scaled = lesson.scaler().transform(lesson.table.inputs()[row : row + 1])
            with np.errstate(all="ignore"):
                z = network.forward_pass(scaled).z[explorer.layer.currentIndex()][0]
            assert np.array_equal(marked, z, equal_nan=True)

        @invariant()
        def nothing_on_screen_is_of_a_later_phase(self):
            cursor = self.window.cursor
            if cursor.active and not cursor.inspecting_old_step:
                kinds = [phase.kind for phase in cursor.phases[: cursor.phase_index + 1]]
                if "loss" not in kinds:
                    assert "L =" not in self.window.statusBar().currentMessage()

    run_state_machine_as_test(
        RandomSession,
        settings=settings(
            max_examples=max(1, ACTIONS // STEPS_PER_SESSION),
            stateful_step_count=STEPS_PER_SESSION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=os.environ.get("RANDOM_SESSION_SEED") is None and not os.environ.get("RANDOM_SESSION_ACTIONS"),
        ),
    )


def test_random_user_sessions_keep_the_screen_true_to_the_engine(qtbot, message_boxes):
    run_random_sessions(qtbot, message_boxes)
