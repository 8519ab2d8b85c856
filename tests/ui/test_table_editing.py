"""The data table as a teacher edits it: every edit undoable, bad input refused whole, nothing lost."""

import numpy as np
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QUndoStack

from backprop_gui.lesson import NOTES_COLUMNS, NOTES_ROWS, PasteError, Table
from backprop_gui.ui.table.table_model import TableModel
from backprop_gui.ui.window.undo_bridge import QtUndoHistory

NOTES = np.array(NOTES_ROWS)


class EditedTable(TableModel):
    """The Qt model over a lesson table on a QUndoStack, with the table's edits at hand, as the window has them."""

    def __init__(self) -> None:
        self.undo_stack = QUndoStack()
        super().__init__(Table(history=QtUndoHistory(self.undo_stack)))
        self.editRejected = self.editRefused
        table = self.table
        self.values, self.value, self.insert_rows, self.remove_rows = table.values, table.value, table.insert_rows, table.remove_rows
        self.clear, self.paste_text, self.replace_table, self.set_table = table.clear, table.paste, table.replace, table.load
        self.copy_text = table.text

    column_names = property(lambda self: self.table.column_names)
    input_names = property(lambda self: self.table.input_names)
    target_name = property(lambda self: self.table.target_name)


@pytest.fixture
def model(qapp):
    return EditedTable()


def check_undo_redo(model: EditedTable, edit, expected_text: str):
    """Run ``edit``, then undo and redo it, checking the table and names at every stage."""
    before = (model.values(), model.column_names)
    edit()
    after = (model.values(), model.column_names)
    assert model.undo_stack.undoText() == expected_text
    model.undo_stack.undo()
    assert np.array_equal(model.values(), before[0]) and model.column_names == before[1]
    model.undo_stack.redo()
    assert np.array_equal(model.values(), after[0]) and model.column_names == after[1]
    return after


# -- the model itself ---------------------------------------------------------
def test_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_model_tester_follows_every_kind_of_edit(qtmodeltester, model):
    qtmodeltester.check(model)  # keeps watching: every later signal is checked as it comes
    model.setData(model.index(0, 0), "90")
    model.insert_rows(1, [[1, 2, 3], [4, 5, 6]])
    model.remove_rows([0, 2])
    model.paste_text(1, 1, "7\t8\n9\t10\n11\t12")
    model.replace_table(np.ones((5, 4)), ["a", "b", "c", "d"], "Import x.csv")
    model.clear()
    for _ in range(6):
        model.undo_stack.undo()
    model.set_table(NOTES_ROWS, NOTES_COLUMNS)
    assert np.array_equal(model.values(), NOTES)


def test_headers_name_the_columns_and_mark_the_target(model):
    header = lambda c, role=Qt.ItemDataRole.DisplayRole: model.headerData(c, Qt.Orientation.Horizontal, role)
    assert header(0) == "IQ\nx₁  (input)"
    assert header(2) == "Package (LPA)\ny  (target)"
    assert header(2, Qt.ItemDataRole.FontRole).bold()
    assert header(0, Qt.ItemDataRole.FontRole) is None


@pytest.mark.parametrize("text", ["", "  ", "abc", "nan", "NaN", "inf", "-inf", "1e999", "1,5"])
def test_a_bad_cell_is_refused_and_keeps_its_value(model, qtbot, text):
    with qtbot.waitSignal(model.editRejected) as rejected:
        assert model.setData(model.index(1, 1), text) is False
    assert model.value(1, 1) == 5
    assert "row 2" in rejected.args[0] and "stays 5" in rejected.args[0]
    assert model.undo_stack.count() == 0


# -- undo and redo of each kind of edit --------------------------------------------
def test_cell_edit_undoes(model):
    check_undo_redo(model, lambda: model.setData(model.index(2, 1), "7.5"), "Edit CGPA of row 3")


def test_insert_and_delete_undo(model):
    check_undo_redo(model, lambda: model.insert_rows(1, [1, 2, 3], "Insert row above row 2"), "Insert row above row 2")
    check_undo_redo(model, lambda: model.remove_rows([0, 2, 3]), "Delete 3 rows")


def test_paste_undoes_including_the_rows_it_added(model):
    after = check_undo_redo(model, lambda: model.paste_text(2, 1, "1\t2\n3\t4\n5\t6\n"), "Paste 3 rows")
    values = after[0]
    assert values.shape == (5, 3)
    assert values[2].tolist() == [110, 1, 2]
    assert values[3:].tolist() == [[0, 3, 4], [0, 5, 6]]  # new rows: 0 outside the pasted columns


def test_replacing_and_clearing_the_table_undo(model):
    check_undo_redo(model, lambda: model.replace_table(np.eye(3, 4), ["a", "b", "c", "d"], "Import x.csv"), "Import x.csv")
    check_undo_redo(model, model.clear, "Clear table")
    assert model.rowCount() == 0 and model.column_names == ["a", "b", "c", "d"]


def test_set_table_forgets_the_undo_history(model):
    model.setData(model.index(0, 0), "1")
    model.set_table([[1, 2]], ["x", "y"])
    assert model.undo_stack.count() == 0 and model.undo_stack.isClean()
    assert model.input_names == ["x"] and model.target_name == "y"


# -- paste: good and bad ranges -----------------------------------------------------
def test_paste_from_a_spreadsheet_with_windows_line_ends(model):
    rows = model.paste_text(0, 0, "81\t8.5\t5.5\r\n61\t5.5\t3.5\r\n")
    assert rows == 2
    assert model.values()[:2].tolist() == [[81, 8.5, 5.5], [61, 5.5, 3.5]]


def test_paste_one_cell(model):
    model.paste_text(1, 2, "4.25")
    assert model.value(1, 2) == 4.25
    assert model.undo_stack.undoText() == "Paste 1 cell"


@pytest.mark.parametrize(
    "row, column, text, expected",
    [
        (0, 0, "1\t2\n3\tabc\n", "CGPA of row 2: “abc” is not a number"),
        (1, 1, "1\t2\n\t4\n", "CGPA of row 3: a cell cannot be empty"),
        (2, 0, "1\t2\t3\n4\tnan\t6\n", "CGPA of row 4: “nan” is not a finite number"),
        (0, 0, "IQ\tCGPA\n1\t2\n", "IQ of row 1: “IQ” is not a number"),
        (0, 1, "1\t2\t3\n", "3 columns wide, but only 2 columns fit from CGPA"),
        (0, 0, "1\t2\n3\n", "line 2 of the copied range has 1 cell but line 1 has 2"),
        (0, 0, "\n\n", "Nothing to paste"),
    ],
)
def test_a_bad_paste_is_refused_whole_naming_the_first_bad_cell(model, row, column, text, expected):
    with pytest.raises(PasteError) as refused:
        model.paste_text(row, column, text)
    assert expected in str(refused.value)
    assert np.array_equal(model.values(), NOTES)
    assert model.undo_stack.count() == 0


def test_copy_gives_exact_tab_separated_text(model):
    model.setData(model.index(1, 1), "0.1")
    assert model.copy_text(0, 0, 1, 2) == "80\t8\t5\n60\t0.1\t3"


# -- through the window: Ctrl+C, Ctrl+V, the Edit menu ----------------------------
def select_rectangle(window, top, left, bottom, right):
    selection = QItemSelection(window.table_model.index(top, left), window.table_model.index(bottom, right))
    window.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    window.table.setCurrentIndex(window.table_model.index(top, left))
    window.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_ctrl_c_and_ctrl_v_copy_a_rectangle_and_paste_it_growing_the_table(window, qtbot):
    window.table.setFocus()
    select_rectangle(window, 1, 0, 2, 1)
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "60\t5\n110\t7"
    select_rectangle(window, 2, 0, 2, 0)
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.lesson.table.values().tolist() == [[80, 8, 5], [60, 5, 3], [60, 5, 8], [110, 7, 0]]
    assert window.undo_action.text() == "&Undo Paste 2 rows"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(window.lesson.table.values(), NOTES)
    qtbot.keyClick(window.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.table_model.rowCount() == 4
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.table_model.rowCount() == 4
    # QTest leaves Shift "held" after that click; a plain key resets it for the tests that follow.
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)


def test_a_bad_paste_in_the_window_shows_the_cell_and_changes_nothing(window):
    QGuiApplication.clipboard().setText("90\tseven\n")
    select_rectangle(window, 0, 0, 0, 0)
    assert window.table_actions.paste() is False
    message = window.statusBar().currentMessage()
    assert "CGPA of row 1" in message and "seven" in message and "Nothing was changed" in message
    assert np.array_equal(window.lesson.table.values(), NOTES)


def test_paste_into_an_empty_table_adds_the_rows(window):
    window.table_actions.clear_action.trigger()
    assert window.table_model.rowCount() == 0
    QGuiApplication.clipboard().setText("1\t2\t3\n4\t5\t6\n")
    window.table.setCurrentIndex(window.table_model.index(-1, -1))
    assert window.table_actions.paste()
    assert window.lesson.table.values().tolist() == [[1, 2, 3], [4, 5, 6]]


def test_insert_above_and_below_copy_the_selected_row(window):
    window.table.selectRow(1)
    window.table_actions.insert_above_action.trigger()
    assert window.lesson.table.values()[:3, 0].tolist() == [80, 60, 60]
    assert window.undo_action.text() == "&Undo Insert row above row 2"
    window.table.clearSelection()
    window.table.selectRow(3)
    window.table_actions.insert_below_action.trigger()
    assert window.lesson.table.values()[:, 0].tolist() == [80, 60, 60, 110, 110]
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert np.array_equal(window.lesson.table.values(), NOTES)


def test_delete_several_selected_rows_at_once(window):
    select_rectangle(window, 0, 1, 1, 1)
    window.table_actions.delete_rows_action.trigger()
    assert window.lesson.table.values().tolist() == [[110, 7, 8]]
    assert window.undo_action.text() == "&Undo Delete 2 rows"


def test_clear_table_is_undoable_and_keeps_the_columns(window):
    window.table_actions.clear_action.trigger()
    assert window.table_model.rowCount() == 0 and window.lesson.table.column_names == NOTES_COLUMNS
    assert window.undo_action.text() == "&Undo Clear table"
    window.undo_action.trigger()
    assert np.array_equal(window.lesson.table.values(), NOTES)


def test_edit_menu_and_context_menu_offer_every_table_action(window):
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    texts = [a.text() for a in edit_menu.actions() if not a.isSeparator()]
    plain = [t.replace("&", "") for t in texts]  # mnemonics are assigned per menu (ui/window/keyboard.py)
    for wanted in ("Copy", "Paste", "Add Row", "Duplicate Row", "Insert Row Above", "Insert Row Below", "Delete Rows", "Clear Table"):
        assert wanted in plain
    assert window.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert {"Copy", "Paste", "Delete Rows", "Clear Table"} <= {a.text().replace("&", "") for a in window.table.actions()}
    assert window.redo_action.shortcuts()[0].toString() == "Ctrl+Shift+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]


def test_undo_stack_is_the_models_own():
    assert isinstance(EditedTable().undo_stack, QUndoStack)


def test_add_row_appends_an_empty_row_with_its_first_cell_open_and_duplicate_copies(window, qtbot):
    """Issue 24: Add Row adds at the end, as spreadsheets do, whatever is selected; Duplicate Row
    copies the selected row below it (what Add Row did before)."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    table = window.table
    table.selectRow(0)
    window.table_actions.add_row_action.trigger()
    values = window.lesson.table.values()
    assert len(values) == len(NOTES) + 1
    assert np.array_equal(values[: len(NOTES)], NOTES) and np.array_equal(values[-1], np.zeros(values.shape[1]))
    assert table.currentIndex().row() == len(NOTES) and table.currentIndex().column() == 0
    editor = QApplication.focusWidget()  # typing goes into the new row's first cell
    assert isinstance(editor, QLineEdit) and table.isAncestorOf(editor) and editor.text() == "0"
    qtbot.keyClicks(editor, "95")
    assert editor.text() == "95"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lesson.table.values()[-1][0] == 95)
    table.selectRow(1)
    window.table_actions.duplicate_row_action.trigger()
    values = window.lesson.table.values()
    assert np.array_equal(values[2], NOTES[1]) and len(values) == len(NOTES) + 2
