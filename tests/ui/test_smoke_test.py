"""``backprop-gui --smoke-test`` (what CI runs on the bundle) opens the window, trains, stops after
the first epoch and closes, with exit status 0 and the times it took."""

import os
import re
import subprocess
import sys


def test_the_smoke_test_trains_stops_closes_and_exits_0(tmp_path):
    environ = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    environ["BACKPROP_GUI_JIT"] = "0"  # the NumPy path: no compiler to wait for in a test
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui", "--smoke-test"], env=environ, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    figures = re.findall(r"(the window to show|the first epoch after Train|idle after Stop|closing) ([0-9.]+) s", result.stdout)
    assert [step for step, _ in figures] == ["the window to show", "the first epoch after Train", "idle after Stop", "closing"]
    assert not list(tmp_path.rglob("*.ini")), "a scripted run keeps no settings"
