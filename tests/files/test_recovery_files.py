"""Recovery files without Qt: written by a thread of their own, found after a crash, removed on
discard; the temporary files of interrupted saves removed, or returned when complete and newer."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.engine import TrainingSettings
from backprop_gui.files import SessionData, load_session, save_session
from backprop_gui.files.recovery import RecoveryWriter, interrupted_saves, left_behind, new_recovery_path, recovery_folder
from backprop_gui.files.recovery_info import RecoveryInfo, TableState


def session(rows=((80.0, 8.0, 5.0),), epochs=3, recovery=None) -> SessionData:
    settings = TrainingSettings()
    network = settings.build_network(2)
    w, b = network.get_parameters()
    values = np.array(rows, float).reshape(-1, 3)
    return SessionData(["IQ", "CGPA", "Package"], values, settings, network.layer_sizes, w, b, w, b,
                       np.linspace(3, 1, epochs), recovery=recovery)  # fmt: skip


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_folder_is_the_one_the_environment_names(data_folder):
    assert recovery_folder() == data_folder / "recovery"
    assert new_recovery_path().parent == data_folder / "recovery"
    assert new_recovery_path() != new_recovery_path()  # one file per window


def test_the_writer_writes_the_latest_session_and_discard_removes_it(tmp_path):
    path = tmp_path / "recovery" / f"unsaved-{os.getpid()}-0.bpsession"
    writer = RecoveryWriter(path)
    info = RecoveryInfo(1.7e9, "/somewhere/lesson.bpsession", 3, 1000, [TableState("Edit cell", ["IQ", "CGPA", "Package"], np.array([[70.0, 8, 5]]))])
    for epochs in (1, 2, 5):
        writer.submit(session(epochs=epochs, recovery=info))
    assert writer.wait_idle()
    loaded = load_session(path)
    assert len(loaded.loss_history) == 5 and loaded.recovery.to_dict() == info.to_dict()
    writer.discard()
    assert not path.exists()
    writer.close()


def test_a_file_left_by_a_process_no_longer_running_is_found_and_its_temporary_removed(tmp_path):
    folder = tmp_path / "recovery"
    folder.mkdir()
    pid = dead_pid()
    left = folder / f"unsaved-{pid}-0.bpsession"
    save_session(left, session(recovery=RecoveryInfo(1.7e9, None, 1, 3)))
    mine = folder / f"unsaved-{os.getpid()}-7.bpsession"
    save_session(mine, session())
    temporary = folder / f".unsaved-{pid}-0.bpsession.0123456789ab.tmp"
    temporary.write_text("{", encoding="utf-8")
    broken = folder / f"unsaved-{pid}-1.bpsession"
    broken.write_text("[]", encoding="utf-8")
    found = left_behind(folder)
    assert [f.path for f in found if f.data is not None] == [left]
    assert [f.path for f in found if f.data is None] == [broken] and "not a Backprop GUI session" in found[-1].error
    assert not temporary.exists() and mine.exists()  # this process's own file is not "left behind"


def test_an_interrupted_saves_complete_newer_copy_is_returned_and_the_rest_removed(tmp_path):
    target = tmp_path / "lesson.bpsession"
    save_session(target, session())
    os.utime(target, (1, 1))
    newer = tmp_path / ".lesson.bpsession.0123456789ab.tmp"
    save_session(newer, session(epochs=9))
    cut = tmp_path / ".lesson.bpsession.ba9876543210.tmp"
    cut.write_text(newer.read_text(encoding="utf-8")[:300], encoding="utf-8")
    older = tmp_path / ".other.bpsession.aaaaaaaaaaaa.tmp"
    save_session(older, session())
    save_session(tmp_path / "other.bpsession", session())
    os.utime(older, (1, 1))
    csv_temporary = tmp_path / ".table.csv.bbbbbbbbbbbb.tmp"
    csv_temporary.write_text("a,b\n", encoding="utf-8")
    offered = interrupted_saves([tmp_path])
    assert [(o.temporary, o.target) for o in offered] == [(newer, target)] and len(offered[0].data.loss_history) == 9
    assert not cut.exists() and not older.exists()
    assert csv_temporary.exists()  # not a session's: left alone


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="zombies are told apart through /proc (Linux)")
def test_a_killed_process_not_yet_reaped_counts_as_gone(tmp_path):
    folder = tmp_path / "recovery"
    folder.mkdir()
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    left = folder / f"unsaved-{process.pid}-0.bpsession"
    save_session(left, session())
    try:
        assert left_behind(folder) == []  # still running: not left behind
        process.kill()
        import time

        for _ in range(200):  # until the kernel has made it a zombie (it is not reaped: no wait yet)
            if Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                break
            time.sleep(0.01)
        assert [f.path for f in left_behind(folder)] == [left]
    finally:
        process.kill()
        process.wait()
