"""Regenerate the README's screenshots in docs/ on real X screens (Xvfb, the xcb platform).

    python tools/make_screenshots.py [--display 12] [--out docs] [--only NAME]

For each screen below it starts ``Xvfb :DISPLAY`` at that size, runs the app in a child process
on it (``QT_QPA_PLATFORM=xcb``, a fresh ``XDG_CONFIG_HOME``: a first run, no window manager),
takes the notes' first step (Initialisation "Notes: weights 1, biases 0", Input scaling None, Row
order Sequential, Reset, Step), grabs the whole screen and prints what it measured: the window's
frame, where Step / Train / Stop are, the diagram's share of the window and its labels' height.
Needs Xvfb on the PATH (apt: xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SHOTS = {
    # name: (width, height, presentation mode, QT_SCALE_FACTOR)
    "window-1024x768": (1024, 768, False, 1),
    "window-1366x768": (1366, 768, False, 1),
    "window-1920x1080": (1920, 1080, False, 1),
    "presentation-1024x768": (1024, 768, True, 1),
}
EXTRA = {
    "presentation-1366x768": (1366, 768, True, 1),
    "presentation-1920x1080": (1920, 1080, True, 1),
    "window-3840x2160-scale2": (3840, 2160, False, 2),
    "presentation-3840x2160-scale2": (3840, 2160, True, 2),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--display", type=int, default=12, help="X display number for Xvfb (default 12)")
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder of the PNGs (default docs/)")
    parser.add_argument("--only", action="append", help="just this shot (repeatable); also: " + ", ".join(EXTRA))
    parser.add_argument("--shoot", help=argparse.SUPPRESS)  # the child: draw on $DISPLAY, save here
    parser.add_argument("--presentation", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.shoot:
        return shoot(args.shoot, args.presentation)
    chosen = args.only or list(SHOTS)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in chosen:
        width, height, presentation, scale = {**SHOTS, **EXTRA}[name]
        status |= run_on_xvfb(args.display, width, height, presentation, scale, out / f"{name}.png")
    return status


def run_on_xvfb(display: int, width: int, height: int, presentation: bool, scale: int, path: Path) -> int:
    server = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        socket = Path(f"/tmp/.X11-unix/X{display}")
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        with tempfile.TemporaryDirectory() as config:
            env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb", "XDG_CONFIG_HOME": config}
            env["QT_SCALE_FACTOR"] = str(scale)
            command = [sys.executable, __file__, "--shoot", str(path)] + (["--presentation"] if presentation else [])
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        if done.returncode:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        else:
            print(f"{path.name}: {done.stdout.strip()}")
        return done.returncode
    finally:
        server.terminate()
        server.wait()


def shoot(path: str, presentation: bool) -> int:
    """In the child, on an X screen: the notes' first step, then a grab of the whole screen."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT))
    from backprop_gui.ui import MainWindow
    from backprop_gui.ui.document.recent_files import remember_files

    remember_files(False)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Backprop GUI")
    app.setOrganizationName("Backprop GUI")

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    window = MainWindow()
    window.show()
    settle(800)
    controls = window.controls
    controls.init.setCurrentIndex(controls.init.findData("ones"))
    controls.scaling.setCurrentIndex(controls.scaling.findData("none"))
    controls.order.setCurrentIndex(controls.order.findData("sequential"))
    window.reset_button.click()
    window.step_button.click()
    if presentation:
        window.presentation.action.trigger()
    settle(1500)
    screen = window.screen()
    screen.grabWindow(0).save(path)
    print(json.dumps(measure(window)))
    window.document.mark_unmodified()
    window.close()
    return 0


def measure(window) -> dict:
    """What the checks of issue 24 look at, in logical pixels."""
    from PySide6.QtCore import QRect

    view = window.network_view
    frame, available = window.frameGeometry(), window.screen().availableGeometry()

    def inside(widget) -> bool:
        top_left = widget.mapTo(window, widget.rect().topLeft())
        return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))

    labels = [e.label for e in view.edges] + list(view.bias_tags.values())
    shown = [label for label in labels if label.isVisible()]
    heights = [view.mapFromScene(label.sceneBoundingRect()).boundingRect().height() for label in shown]
    text_heights = [label.text_item.boundingRect().height() for label in shown]
    area = window.width() * window.height()
    return {
        "screen": [available.width(), available.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "frame_inside": available.contains(frame),
        "buttons_inside": all(inside(b) for b in (window.step_button, window.train_button, window.stop_button)),
        "labels_shown": f"{len(shown)}/{len(labels)}",
        "label_text_px": round(min(text_heights, default=0), 1),
        "label_box_px": round(min(heights, default=0), 1),
        "diagram_share": round(view.width() * view.height() / area, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
