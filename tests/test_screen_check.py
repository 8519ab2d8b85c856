"""Before Qt opens a window on X11, the app names the system libraries its xcb plugin lacks and
exits with status 1, instead of Qt's abort."""

import os
import subprocess
import sys

import pytest

from backprop_gui import screen_check
from backprop_gui.screen_check import XCB_LIBRARIES, install_command, message, missing_libraries, xcb_wanted


@pytest.mark.parametrize(
    "environ, platform, wanted",
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:nomitshm"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_the_check_runs_only_where_qt_will_use_xcb(environ, platform, wanted):
    assert xcb_wanted(environ, platform) is wanted


@pytest.mark.parametrize(
    "environ, platform, missing",
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "darwin", False),
    ],
)
def test_no_display_is_said_before_qt_would_abort(environ, platform, missing):
    assert screen_check.no_display(environ, platform) is missing


def _loader(reasons):
    return lambda name, folders: reasons.get(name)


def test_a_library_missing_under_others_is_named_once_not_with_each_that_needs_it():
    lost = "libxcb.so.1: cannot open shared object file: No such file or directory"
    reasons = {name: lost for name in XCB_LIBRARIES if "xcb" in name or "X11" in name}  # all that need it
    missing = missing_libraries(load=_loader(reasons))
    assert list(missing) == ["libxcb.so.1"]
    assert install_command(missing, which=lambda tool: tool == "apt-get") == "sudo apt-get install libxcb1"


def test_a_failure_naming_no_known_library_still_names_the_one_that_failed():
    reasons = {"libfontconfig.so.1": "libexpat.so.1: cannot open shared object file: No such file or directory"}
    missing = missing_libraries(load=_loader(reasons))
    assert list(missing) == ["libfontconfig.so.1"]
    assert "libexpat.so.1: cannot open" in message(missing, which=lambda tool: tool == "apt-get")


def test_the_command_follows_the_package_manager():
    missing = {"libxcb-cursor.so.0": "x", "libxkbcommon-x11.so.0": "y"}
    assert install_command(missing, which=lambda tool: tool == "apt-get") == (
        "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0"
    )
    assert install_command(missing, which=lambda tool: tool == "dnf") == "sudo dnf install libxkbcommon-x11 xcb-util-cursor"
    both = install_command(missing, which=lambda tool: None)
    assert "apt-get install libxcb-cursor0" in both and "dnf install" in both


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux shared libraries")
def test_an_unloadable_library_is_found_by_really_loading_it(tmp_path):
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")  # found first, and not a library
    missing = missing_libraries([tmp_path])
    assert "libxcb-cursor.so.0" in missing
    assert "too short" in missing["libxcb-cursor.so.0"]
    text = message(missing, which=lambda tool: tool == "apt-get")
    assert text.splitlines()[1].startswith("  libxcb-cursor.so.0 (")
    assert "sudo apt-get install" in text and "libxcb-cursor0" in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux shared libraries")
def test_the_app_says_what_is_missing_and_exits_1_instead_of_aborting(tmp_path):
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    environ = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    environ.update(DISPLAY=":99", LD_LIBRARY_PATH=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "backprop_gui"], env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("backprop-gui:") == 1
    assert "libxcb-cursor.so.0 (file too short)" in result.stderr
    assert "libxcb-cursor0" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 platform")
def test_the_app_without_any_display_says_so_and_exits_1(tmp_path):
    environ = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    environ["HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "backprop_gui"], env=environ, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == screen_check.NO_DISPLAY


def test_a_frozen_app_tries_its_own_copies_first(monkeypatch, tmp_path):
    monkeypatch.setattr(screen_check.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert screen_check.bundled_library_folders() == [tmp_path]
    monkeypatch.delattr(screen_check.sys, "_MEIPASS")
    assert screen_check.bundled_library_folders() == []
