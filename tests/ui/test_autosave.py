"""Autosave and recovery in the window: a recovery file written after changes, offered after a
crash when the next window is first shown (Recover, Open Saved, Discard), removed by a clean quit,
a save or Discard; interrupted saves' leftovers offered or removed."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.files import load_session, save_session
from backprop_gui.files.recovery import recovery_folder
from backprop_gui.ui.document import recovery_offer


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def recovery_files() -> list[Path]:
    folder = recovery_folder()
    return sorted(folder.glob("*.bpsession")) if folder.exists() else []


def wait_for_recovery(qtbot, window) -> Path:
    """The file autosave writes by itself after a change; then written once more, so it surely
    holds the latest state (a write the run's end asked for may still be on its way)."""
    qtbot.waitUntil(lambda: bool(recovery_files()), timeout=15000)
    window.autosave.write_now()
    assert window.autosave.writer.wait_idle()
    return recovery_files()[0]


def crash(path: Path) -> Path:
    """What a kill leaves: the recovery file of a process that no longer runs."""
    left = path.with_name(f"unsaved-{dead_pid()}-0.bpsession")
    os.replace(path, left)
    return left


@pytest.fixture
def answers(monkeypatch):
    """The recovery offer answers with the words queued here, and records what it said."""
    asked, queue = [], []

    def ask(parent, title, text, buttons, disabled=()):
        asked.append((title, text, list(buttons), tuple(disabled)))
        return queue.pop(0) if queue else buttons[-1]

    monkeypatch.setattr(recovery_offer, "ask", ask)
    return asked, queue


def edited_window(window, qtbot):
    window.table_model.setData(window.table_model.index(0, 0), "77")
    window.controls.learning_rate.setValue(0.02)
    window.controls.epochs.setValue(30)
    window.train_and_wait()
    return wait_for_recovery(qtbot, window)


def new_window(qtbot):
    from backprop_gui.ui import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    return other


def test_after_a_crash_recover_brings_back_every_edit_setting_and_epoch(window, qtbot, answers):
    asked, queue = answers
    crash(edited_window(window, qtbot))
    expected = window.lesson.session_data()
    queue.append("Recover")
    other = new_window(qtbot)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    title, text, buttons, disabled = asked[0]
    assert buttons == ["Recover", "Open Saved", "Discard"] and "Open Saved" in disabled  # untitled: no saved file
    assert "did not close normally" in text and "30 epochs" in text and "edit" in text
    got = other.lesson.session_data()
    assert np.array_equal(got.values, expected.values) and got.values[0, 0] == 77
    assert got.settings == expected.settings and got.settings.learning_rate == 0.02
    assert np.array_equal(got.loss_history, expected.loss_history) and len(got.loss_history) == 30
    for a, b in zip(got.weights + got.biases, expected.weights + expected.biases):
        assert np.array_equal(a, b)
    assert other.document.is_modified() and other.isWindowModified()
    # The table's edit came back as an undoable one.
    assert other.undo_stack.canUndo()
    other.undo_stack.undo()
    assert other.lesson.table.value(0, 0) == 80
    other.close()


def test_discard_removes_the_recovery_file_and_keeps_the_fresh_lesson(window, qtbot, answers):
    asked, queue = answers
    left = crash(edited_window(window, qtbot))
    queue.append("Discard")
    other = new_window(qtbot)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert not left.exists()
    assert len(other.lesson.loss_history) == 0 and not other.document.is_modified()
    other.close()


def test_open_saved_opens_the_file_the_changes_were_made_to(window, qtbot, answers, tmp_path):
    asked, queue = answers
    saved = tmp_path / "lesson.bpsession"
    assert window.document.save_session(saved)
    assert not recovery_files()  # a save leaves nothing to recover
    left = crash(edited_window(window, qtbot))
    queue.append("Open Saved")
    other = new_window(qtbot)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "lesson.bpsession" in asked[0][1] and "Open Saved" not in asked[0][3]
    assert other.document.path == saved.resolve() and len(other.lesson.loss_history) == 0
    assert not left.exists()
    other.close()


def test_a_clean_quit_leaves_no_recovery_file(window, qtbot):
    edited_window(window, qtbot)
    window.close()  # the fixture's message boxes answer Discard to "Save changes?"
    assert recovery_files() == []


def test_a_recovery_file_that_cannot_be_read_is_said_and_removed(qtbot, answers, message_boxes):
    folder = recovery_folder()
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / f"unsaved-{dead_pid()}-0.bpsession"
    broken.write_text('{"format": "backprop-gui-session", "version": 2, "table": 5}', encoding="utf-8")
    other = new_window(qtbot)
    qtbot.waitUntil(lambda: not broken.exists(), timeout=10000)
    assert "could not be read" in other.last_error and "table" in other.last_error
    other.close()


def test_an_interrupted_saves_complete_newer_copy_is_offered_and_an_incomplete_one_removed(window, qtbot, answers, tmp_path):
    asked, queue = answers
    saved = tmp_path / "lesson.bpsession"
    assert window.document.save_session(saved)
    window.train_and_wait()
    newer = saved.with_name(".lesson.bpsession.0123456789ab.tmp")
    save_session(newer, window.lesson.session_data())
    cut = saved.with_name(".lesson.bpsession.ba9876543210.tmp")
    cut.write_text(newer.read_text(encoding="utf-8")[:500], encoding="utf-8")
    os.utime(saved, (1, 1))
    window.close()
    queue.append("Open It")
    other = new_window(qtbot)
    qtbot.waitUntil(lambda: not newer.exists(), timeout=10000)
    assert not cut.exists()
    assert [a[2] for a in asked] == [["Open It", "Discard"]]
    assert len(other.lesson.loss_history) == len(load_session(saved).loss_history) + 1000
    assert other.document.path == saved.resolve() and other.document.is_modified()
    other.close()
