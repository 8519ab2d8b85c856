"""The bundle's contents (packaging/bundle_contents.py): what the app never loads stays out, and
with it every library only that needed; what a kept file links to stays in."""

import importlib.util
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
spec = importlib.util.spec_from_file_location("bundle_contents", PACKAGING / "bundle_contents.py")
contents = importlib.util.module_from_spec(spec)
spec.loader.exec_module(contents)

PySide6 = pytest.importorskip("PySide6")
QT = Path(PySide6.__file__).parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files of PySide6's Linux wheels")


def test_the_libraries_a_file_links_to_are_read_from_its_header():
    needed = contents.needed_libraries(str(next(QT.glob("QtWidgets.*.so"))))
    assert "libQt6Widgets.so.6" in needed and "libQt6Gui.so.6" in needed
    assert contents.needed_libraries(str(QT / "__init__.py")) == []


def test_what_is_never_loaded_goes_and_takes_with_it_what_only_it_needed():
    widgets = str(next(QT.glob("QtWidgets.*.so")))
    binaries = [
        ("PySide6/" + Path(widgets).name, widgets, "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", str(QT / "Qt/lib/libQt6Widgets.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", str(QT / "Qt/lib/libQt6Gui.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(QT / "Qt/lib/libQt6Core.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick.so.6", str(QT / "Qt/lib/libQt6Quick.so.6"), "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", str(QT / "Qt/plugins/platforms/libqoffscreen.so"), "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", str(QT / "Qt/plugins/platforms/libqvnc.so"), "BINARY"),
    ]
    datas = [
        ("libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6", "SYMLINK"),
        ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/somewhere/qtbase_de.qm", "DATA"),
        ("backprop_gui/resources/notes_example.csv", "/somewhere/notes_example.csv", "DATA"),
    ]
    kept_binaries, kept_datas = contents.keep(binaries, datas)
    kept = {entry[0] for entry in kept_binaries + kept_datas}
    assert "PySide6/Qt/lib/libQt6Widgets.so.6" in kept and "PySide6/Qt/lib/libQt6Core.so.6" in kept
    assert "PySide6/Qt/plugins/platforms/libqoffscreen.so" in kept
    assert "PySide6/Qt/plugins/platforms/libqvnc.so" not in kept  # a plugin the app never loads
    assert "PySide6/Qt/lib/libQt6Quick.so.6" not in kept  # nothing kept links to it
    assert "libQt6Quick.so.6" not in kept and "libQt6Widgets.so.6" in kept  # links follow their targets
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept
    assert "backprop_gui/resources/notes_example.csv" in kept


def test_the_kernel_modules_are_found_wherever_they_live():
    from backprop_gui.engine.compiled import backprop_compiled

    modules = contents.kernel_modules()
    assert backprop_compiled.compiled_kernel.__name__ in modules
    assert all(importlib.util.find_spec(name) is not None for name in modules)


def test_the_system_libraries_the_bundle_adds_are_the_ones_the_screen_check_names():
    from backprop_gui.screen_check import XCB_LIBRARIES

    assert set(contents.SYSTEM_LIBRARIES_ADDED) <= set(XCB_LIBRARIES)
    assert not any(contents._matches(name, contents.SYSTEM_LIBRARIES_LEFT_OUT) for name in contents.SYSTEM_LIBRARIES_ADDED)
