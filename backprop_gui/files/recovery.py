"""Autosave's files, without Qt: where recovery files live, writing them off the caller's thread,
finding those a crashed instance left, and the temporary files an interrupted save left.

A recovery file is a session file (the same format, written atomically) with a ``recovery``
part, named ``unsaved-<pid>-<n>.bpsession`` after the process and the window that write it, in
the user's data folder (platformdirs' ``user_data_dir``, or ``$BACKPROP_GUI_DATA_DIR``). One
whose process is no longer running is what a crash (or a kill, or a power cut) left behind.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .session_file import SESSION_SUFFIX, SessionData, SessionFileError, load_session, save_session

DATA_DIR_VARIABLE = "BACKPROP_GUI_DATA_DIR"
_NAME = re.compile(r"^unsaved-(\d+)-(\d+)" + re.escape(SESSION_SUFFIX) + "$")
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{12}\.tmp$")
"""What atomic_write_text names its temporary file: ``.<name>.<12 hex digits>.tmp``."""
_numbers = itertools.count()


def recovery_folder() -> Path:
    """The folder of recovery files: ``$BACKPROP_GUI_DATA_DIR/recovery``, else the user's data folder's."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        return Path(chosen) / "recovery"
    import platformdirs

    return Path(platformdirs.user_data_dir("Backprop GUI", "Backprop GUI")) / "recovery"


def new_recovery_path(folder: Path | None = None) -> Path:
    """A recovery file of this process, one per window."""
    return (folder or recovery_folder()) / f"unsaved-{os.getpid()}-{next(_numbers)}{SESSION_SUFFIX}"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # without a portable check, a file is taken as left behind
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet (Linux): it answers os.kill, but is dead."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


@dataclass
class Found:
    """A recovery file left by an instance that is no longer running: the session in it, or why it cannot be read."""

    path: Path
    data: SessionData | None
    error: str | None = None


def left_behind(folder: Path | None = None) -> list[Found]:
    """Recovery files of processes no longer running, newest first; the temporary files of
    interrupted autosaves in the folder are removed (a recovery file is written again anyway)."""
    folder = folder or recovery_folder()
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        if _TEMPORARY.match(path.name) and _NAME.match(_TEMPORARY.match(path.name)["name"]):
            owner = int(_NAME.match(_TEMPORARY.match(path.name)["name"])[1])
            if not _process_alive(owner):
                _remove(path)
            continue
        match = _NAME.match(path.name)
        if not match or _process_alive(int(match[1])):
            continue
        try:
            data = load_session(path)
        except SessionFileError as error:
            found.append(Found(path, None, str(error)))
            continue
        found.append(Found(path, data))
    found.sort(key=lambda f: f.data.recovery.saved_at if f.data and f.data.recovery else 0.0, reverse=True)
    return found


@dataclass
class Leftover:
    """The temporary file an interrupted save of ``target`` left: complete (``data``) or not."""

    temporary: Path
    target: Path
    data: SessionData | None


def interrupted_saves(folders) -> list[Leftover]:
    """The ``.<name>.<hex>.tmp`` files of sessions in ``folders``. Those that are incomplete,
    or not newer than the file they were to replace, are removed; the rest are returned, for
    the user to choose (a complete newer copy is the save the interruption lost)."""
    offered = []
    for folder in dict.fromkeys(Path(f) for f in folders):
        try:
            entries = [p for p in folder.iterdir() if _TEMPORARY.match(p.name)]
        except OSError:
            continue
        for path in entries:
            name = _TEMPORARY.match(path.name)["name"]
            if not name.endswith(SESSION_SUFFIX):
                continue  # another file's (a CSV export's): not ours to judge
            target = folder / name
            try:
                data = load_session(path)
            except SessionFileError:
                data = None
            newer = data is not None and (not target.exists() or path.stat().st_mtime > target.stat().st_mtime)
            if newer:
                offered.append(Leftover(path, target, data))
            else:
                _remove(path)
    return offered


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


class RecoveryWriter:
    """Writes the latest session handed to it to one recovery file, on a thread of its own:
    serialising a large table or a long history never holds up the caller. Newer data replaces
    data not yet written; ``discard`` waits for a write in progress and removes the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pending: SessionData | None = None
        self._lock = threading.Condition()
        self._writing = False
        self._closed = False
        self.last_error: str | None = None
        self.written = 0
        """How many recovery files were written (for tests and the benchmark)."""
        self.last_seconds = 0.0
        """How long the last write took: autosave waits a few times that between writes."""
        self._thread = threading.Thread(target=self._run, name="backprop-gui-autosave", daemon=True)
        self._thread.start()

    def submit(self, data: SessionData) -> None:
        with self._lock:
            self._pending = data
            self._lock.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until nothing is pending or being written; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending is not None or self._writing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
        return True

    def discard(self) -> None:
        """Drop what is pending, wait for a write in progress, remove the recovery file."""
        with self._lock:
            self._pending = None
        self.wait_idle()
        _remove(self.path)

    def close(self, remove: bool = True) -> None:
        if remove:
            self.discard()
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed and self._pending is None:
                    return
                data, self._pending = self._pending, None
                self._writing = True
            started = time.perf_counter()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                save_session(self.path, data)
                self.last_error = None
                self.written += 1
                self.last_seconds = time.perf_counter() - started
            except (OSError, ValueError) as error:
                self.last_error = str(error)
            finally:
                with self._lock:
                    self._writing = False
                    self._lock.notify_all()
