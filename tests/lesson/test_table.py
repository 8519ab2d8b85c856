"""The lesson's table without Qt: every edit undoable, bad input refused whole, the events views rely on."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS, CellError, Event, PasteError, Table, UndoHistory, parse_cell

NOTES = np.array(NOTES_ROWS)


@pytest.mark.parametrize("text", ["", "  ", "abc", "nan", "inf", "-inf", "1e999", "1,5", "1e308", "-2e100"])
def test_parse_cell_refuses_what_is_not_a_number_the_table_can_hold(text):
    with pytest.raises(CellError):
        parse_cell(text)


@pytest.mark.parametrize(("text", "value"), [("80", 80.0), (" 7.5 ", 7.5), ("−3", -3.0), ("1e100", 1e100), (4, 4.0)])
def test_parse_cell_reads_numbers_as_typed(text, value):
    assert parse_cell(text) == value


def test_a_refused_cell_changes_nothing():
    table = Table()
    with pytest.raises(CellError, match="too large"):
        table.edit_cell(0, 0, "1e308")
    assert np.array_equal(table.values(), NOTES) and len(table.history) == 0


def test_every_edit_undoes_and_redoes():
    table = Table()
    history = table.history
    edits = [
        (lambda: table.edit_cell(2, 1, "7.5"), "Edit CGPA of row 3"),
        (lambda: table.insert_rows(1, [1, 2, 3]), "Add row"),
        (lambda: table.remove_rows([0, 2]), "Delete 2 rows"),
        (lambda: table.paste(1, 1, "1\t2\n3\t4\n5\t6\n"), "Paste 3 rows"),
        (lambda: table.replace(np.eye(3, 4), ["a", "b", "c", "d"], "Import x.csv"), "Import x.csv"),
        (table.clear, "Clear table"),
    ]
    states = [(table.values(), table.column_names)]
    for edit, text in edits:
        edit()
        assert history.undo_text() == text
        states.append((table.values(), table.column_names))
    for values, names in reversed(states[:-1]):
        assert history.undo()
        assert np.array_equal(table.values(), values) and table.column_names == names
    for values, names in states[1:]:
        assert history.redo()
        assert np.array_equal(table.values(), values) and table.column_names == names


def test_a_bad_paste_is_refused_whole():
    table = Table()
    with pytest.raises(PasteError, match="CGPA of row 3"):
        table.paste(1, 0, "61\t6\n62\tx")
    with pytest.raises(PasteError, match="1 cell but line 1 has 2"):
        table.paste(0, 0, "1\t2\n3")
    assert np.array_equal(table.values(), NOTES) and len(table.history) == 0


def test_events_say_what_changed_before_and_after():
    table = Table()
    seen = []
    table.about_to_change.connect(lambda *args: seen.append(("about", *args)))
    table.rows_inserted.connect(lambda *args: seen.append(("inserted", *args)))
    table.rows_removed.connect(lambda *args: seen.append(("removed", *args)))
    table.cells_changed.connect(lambda *args: seen.append(("cells", *args)))
    table.insert_rows(3, [[1, 2, 3], [4, 5, 6]])
    table.remove_rows([0])
    table.edit_cell(0, 2, "9")
    assert seen == [("about", "insert", 3, 2), ("inserted", 3, 2), ("about", "remove", 0, 1), ("removed", 0, 1),
                    ("cells", 0, 2, 0, 2)]  # fmt: skip


def test_the_undo_history_knows_the_saved_state():
    table = Table()
    history = table.history
    table.edit_cell(0, 0, "1")
    history.set_clean()
    table.edit_cell(0, 0, "2")
    assert not history.is_clean()
    history.undo()
    assert history.is_clean()
    history.undo()
    table.edit_cell(0, 0, "3")  # the saved state was on the branch this drops
    assert not history.is_clean()
    while history.undo():
        pass
    assert not history.is_clean()


def test_an_event_forgets_a_listener_that_has_gone():
    event = Event()

    class Listener:
        calls = 0

        def heard(self):
            Listener.calls += 1

    listener = Listener()
    event.connect(listener.heard)
    event.emit()
    del listener
    event.emit()
    assert Listener.calls == 1 and len(event) == 0


edits = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 5), st.integers(0, 2), st.sampled_from(["1", "2.5", "x", "", "1e308"])),
    st.tuples(st.just("insert"), st.integers(0, 5), st.integers(1, 3)),
    st.tuples(st.just("remove"), st.lists(st.integers(0, 5), max_size=3)),
    st.tuples(st.just("paste"), st.integers(0, 5), st.integers(0, 2), st.sampled_from(["7\t8", "1\n2\n3", "a\tb", "4"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(edits, max_size=30))
def test_any_sequence_of_edits_undoes_back_to_the_first_table(sequence):
    table = Table(history=UndoHistory())
    for edit in sequence:
        kind = edit[0]
        try:
            if kind == "cell" and edit[1] < table.n_rows:
                table.edit_cell(edit[1], edit[2], edit[3])
            elif kind == "insert":
                table.insert_rows(min(edit[1], table.n_rows), np.ones((edit[2], 3)))
            elif kind == "remove":
                table.remove_rows(edit[1])
            elif kind == "paste" and edit[1] <= table.n_rows:
                table.paste(edit[1], edit[2], edit[3])
            elif kind == "undo":
                table.history.undo()
            elif kind == "redo":
                table.history.redo()
        except (CellError, PasteError):
            pass
        assert np.isfinite(table.values()).all()
    while table.history.undo():
        pass
    assert np.array_equal(table.values(), NOTES) and table.column_names == NOTES_COLUMNS
