"""What a crash left, offered when the main window is first shown: the unsaved lesson of a
recovery file (Recover, Open Saved or Discard), and a complete newer copy an interrupted save
left beside a session file (Open It or Discard; incomplete or older ones are removed unasked)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ...engine.notation import counted
from ...files.recovery import Found, Leftover, interrupted_saves, left_behind

RECOVER, OPEN_SAVED, DISCARD, OPEN_COPY = "Recover", "Open Saved", "Discard", "Open It"


def ask(parent: QWidget, title: str, text: str, buttons: list[str], disabled=()) -> str:
    """A question with buttons of these words; the first is the default, Escape the last. Tests replace it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    made = {}
    for k, word in enumerate(buttons):
        role = QMessageBox.ButtonRole.AcceptRole if k == 0 else QMessageBox.ButtonRole.RejectRole if word == DISCARD else QMessageBox.ButtonRole.ActionRole
        button = box.addButton(word, role)
        button.setObjectName(f"recovery{word.replace(' ', '')}Button")
        button.setEnabled(word not in disabled)
        made[button] = word
    box.setDefaultButton(next(iter(made)))
    box.exec()
    answer = made.get(box.clickedButton(), buttons[-1])
    box.deleteLater()
    return answer


def describe(found: Found) -> str:
    """ "Backprop GUI did not close normally. It kept unsaved changes to “lesson.bpsession” from 14:32: 3 edits and 1,000 epochs." """
    info = found.data.recovery
    what = f"to “{Path(info.source).name}”" if info and info.source else "to an untitled lesson"
    when = time.strftime("%H:%M", time.localtime(info.saved_at)) if info else "an earlier run"
    day = time.strftime("%d %b %Y", time.localtime(info.saved_at)) if info else ""
    if info and day != time.strftime("%d %b %Y"):
        when = f"{when} on {day}"
    changes = [counted(info.edits, "edit")] if info and info.edits else []
    if info and info.epochs:
        changes.append(counted(info.epochs, "epoch"))
    summary = " and ".join(changes) if changes else "changes"
    return f"Backprop GUI did not close normally. It kept unsaved changes {what} from {when}: {summary}."


class RecoverySearch(QObject):
    """Reads what a crash left on a thread of its own (a recovery file of a long history takes
    seconds to read), then offers it on the GUI thread: the window paints and answers meanwhile."""

    finished = Signal(object, object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.done = False
        self.finished.connect(self._offer)
        folders = {Path(p).parent for p in window.document.recent.paths()}
        threading.Thread(target=self._search, args=(folders,), name="backprop-gui-recovery-search", daemon=True).start()

    def _search(self, folders) -> None:
        found, leftovers = left_behind(), interrupted_saves(folders)
        if shiboken6.isValid(self):
            self.finished.emit(found, leftovers)

    def _offer(self, found: list[Found], leftovers: list[Leftover]) -> None:
        if shiboken6.isValid(self.window) and self.window.isVisible():
            offer(self.window, found, leftovers)
        self.done = True


def look_for_unsaved_work(window) -> None:
    """Once the window is on screen: offer what a crash left (read off the GUI thread), and start autosaving."""
    window.recovery_search = RecoverySearch(window)
    window.autosave.start()


def offer(window, found: list[Found], leftovers: list[Leftover]) -> None:
    """Offer each recovery file a crash left, then each interrupted save's complete newer copy."""
    document = window.document
    for item in found:
        if item.data is None:
            _remove(item.path)
            window.feedback.error("Recovery", f"A recovery file could not be read and was removed: {item.error}")
            continue
        source = item.data.recovery.source if item.data.recovery else None
        saved_exists = bool(source) and Path(source).exists()
        text = describe(item) + "\n\nRecover them, open the last saved file, or discard them?"
        answer = ask(window, "Recover unsaved changes?", text, [RECOVER, OPEN_SAVED, DISCARD],
                     disabled=() if saved_exists else (OPEN_SAVED,))  # fmt: skip
        if answer == RECOVER:
            recover(window, item)
        elif answer == OPEN_SAVED and saved_exists and document.open_session(source):
            window.feedback.status(f"Opened the saved {Path(source).name}; the unsaved changes were discarded.")
        _remove(item.path)
    for leftover in leftovers:
        _offer_copy(window, leftover)


def recover(window, found: Found) -> None:
    data, document = found.data, window.document
    try:
        window.lesson.load(data)
    except (ValueError, RuntimeError) as error:
        window.feedback.error("Recovery", f"The unsaved changes could not be put back: {error}.")
        return
    info = data.recovery
    if info is not None:
        window.lesson.restore_table_history(info.undo, data.column_names, data.values)
    document.path = Path(info.source) if info and info.source else None
    document.mark_modified()
    if info is not None:
        window.autosave.carry_on(info.edits, len(data.loss_history) - info.epochs)
    window.feedback.status(f"Recovered: {describe(found).split(': ', 1)[-1]} Save to keep them.", 15000)


def _offer_copy(window, leftover: Leftover) -> None:
    when = time.strftime("%H:%M", time.localtime(leftover.temporary.stat().st_mtime))
    text = (f"Saving “{leftover.target.name}” was interrupted at {when}, and left a complete copy newer than the "
            f"file ({leftover.temporary.name}).\n\nOpen that copy, or discard it?")  # fmt: skip
    if ask(window, "Interrupted save", text, [OPEN_COPY, DISCARD]) == OPEN_COPY:
        try:
            window.lesson.load(leftover.data)
        except (ValueError, RuntimeError) as error:
            window.feedback.error("Interrupted save", f"The copy could not be opened: {error}.")
        else:
            window.document.path = leftover.target.resolve()
            window.document.mark_modified()
            window.feedback.status(f"Opened the copy of {leftover.target.name} an interrupted save left: save to keep it.", 15000)
    _remove(leftover.temporary)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
