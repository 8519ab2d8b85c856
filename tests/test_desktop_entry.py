"""``--install-desktop-entry`` puts the app and its icon in the desktop's menu; a second call
changes nothing."""

import configparser

from backprop_gui.desktop_entry import data_home, desktop_entry, install_desktop_entry
from backprop_gui.files.resources import icon_path


def _state(files):
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}


def test_the_entry_and_the_icon_are_written_once(tmp_path):
    command = [str(tmp_path / "my apps" / "backprop-gui")]
    written = install_desktop_entry(tmp_path, command)
    entry = tmp_path / "applications" / "backprop-gui.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "backprop-gui.svg"
    assert written == [entry, icon]
    assert icon.read_bytes() == icon_path().read_bytes()
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read_string(entry.read_text(encoding="utf-8"))
    assert parsed["Desktop Entry"]["Exec"] == f'"{command[0]}" %f'
    assert parsed["Desktop Entry"]["Icon"] == "backprop-gui"
    before = _state([entry, icon])
    assert install_desktop_entry(tmp_path, command) == []
    assert _state([entry, icon]) == before


def test_a_moved_program_rewrites_the_entry_only(tmp_path):
    install_desktop_entry(tmp_path, ["/opt/backprop-gui/backprop-gui"])
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "backprop-gui.svg"
    before = _state([icon])
    assert install_desktop_entry(tmp_path, ["/home/me/backprop-gui/backprop-gui"]) == [
        tmp_path / "applications" / "backprop-gui.desktop"
    ]
    assert _state([icon]) == before


def test_exec_quotes_what_the_specification_reserves():
    text = desktop_entry(["/home/a b/$x\"y`z\\w", "-m", "100%"])
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/home/a b/\\$x\\"y\\`z\\\\w" -m 100%% %f'


def test_the_data_folder_follows_xdg(tmp_path):
    assert data_home({"XDG_DATA_HOME": str(tmp_path), "HOME": "/home/me"}) == tmp_path
    assert str(data_home({"XDG_DATA_HOME": "relative", "HOME": "/home/me"})) == "/home/me/.local/share"
    assert str(data_home({"HOME": "/home/me"})) == "/home/me/.local/share"
