"""Command line entry point: ``backprop-gui [FILE] [--screenshot PATH [--train-epochs N]]``.

Before Qt is asked for a window, ``screen_check`` makes sure Qt's X11 plugin can load (one
message and exit status 1 if not, rather than Qt's abort); ``--install-desktop-entry`` and
``--smoke-test`` serve the self-contained bundle (packaging/)."""

from __future__ import annotations

import argparse
import os
import sys
import time

from . import __version__
from .engine.limits import EPOCHS_RANGE

OFFSCREEN_NOTICES = ("This plugin does not support ",)
"""What Qt's offscreen platform says about window calls it cannot do (propagateSizeHints(),
raise()): nothing is wrong, so a scripted run does not print it."""


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="backprop-gui", description="Learn backpropagation on the course notes' network."
    )
    parser.add_argument(
        "file", nargs="?", metavar="FILE", help="a saved session (.bpsession) to open, or a CSV table to import"
    )
    parser.add_argument("--screenshot", metavar="PATH", help="build the window offscreen, save a PNG of it and exit")
    parser.add_argument(
        "--train-epochs", metavar="N", type=int, default=0, help="with --screenshot: train N epochs first (default 0)"
    )
    parser.add_argument(
        "--export-code", nargs=2, metavar=("KIND", "OUT"), help="write FILE's lesson as code (numpy, pytorch or notebook) to OUT and exit"
    )
    parser.add_argument("--export-step", metavar="OUT", help="write FILE's next step, worked, to OUT (.md, .tex or .pdf) and exit")
    parser.add_argument(
        "--install-desktop-entry", action="store_true",
        help="add the app and its icon to the desktop's menu (~/.local/share/applications) and exit",
    )  # fmt: skip
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="open the window, press Train, Stop after the first epoch, close; print the times and exit",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_lesson_arguments(parser)
    args = parser.parse_args(argv)
    if (args.export_code or args.export_step) and not args.file:
        parser.error("--export-code and --export-step need a FILE (a session or a CSV table)")
    if not 0 <= args.train_epochs <= EPOCHS_RANGE[1]:
        parser.error(f"--train-epochs must be from 0 to {EPOCHS_RANGE[1]:,}")
    if args.train_epochs and not args.screenshot:
        parser.error("--train-epochs goes with --screenshot")
    return args


def _add_lesson_arguments(parser: argparse.ArgumentParser) -> None:
    """The guided lessons' options (backprop_gui/lesson/guided/)."""
    lessons = parser.add_mutually_exclusive_group()
    lessons.add_argument("--list-lessons", action="store_true", help="print the built-in lessons (title, a tab, file) and exit")
    lessons.add_argument("--check-lesson", metavar="FILE", help="check a lesson file and exit: 0 if it can be used, else 2")
    lessons.add_argument("--lesson", metavar="FILE", help="open a lesson: a lesson file, or a built-in lesson's title")


def _lesson_command(args: argparse.Namespace) -> int | None:
    """Run --list-lessons or --check-lesson; None for any other command line."""
    if not (args.list_lessons or args.check_lesson):
        return None
    from .lesson.guided.commands import check_lesson_command, list_lessons_command

    return list_lessons_command() if args.list_lessons else check_lesson_command(args.check_lesson)


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = _parse_args(argv)
    status = _lesson_command(args)
    if status is not None:
        return status
    if args.export_code or args.export_step:
        return _export(args)
    if args.install_desktop_entry:
        return _install_desktop_entry()
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .screen_check import check_screen

    problem = check_screen()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .ui import MainWindow
    from .files.resources import icon_path
    from .ui.document.recent_files import remember_files

    scripted = bool(args.screenshot or args.smoke_test)
    if scripted:
        # A scripted run leaves the user's Open Recent list alone and prints only what matters.
        remember_files(False)
        _quiet_offscreen_notices()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Backprop GUI")
    app.setOrganizationName("Backprop GUI")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(icon_path())))
    window = MainWindow()
    window.interactive = not scripted
    window.show()
    if args.file and window.open_path(args.file):
        window.document.mark_unmodified()  # a file handed to the app is not a change to save
    elif args.file and args.screenshot:
        reason = " ".join(str(window.last_error or f"cannot open {args.file}").split())  # one line
        print(f"backprop-gui: {reason}", file=sys.stderr)
        window.close()
        return 2

    if window.interactive and not (args.lesson or args.file):
        window.guided.offer_once()  # a fresh profile starts with the list of lessons
    if args.lesson and not window.open_lesson(args.lesson) and args.screenshot:
        print(f"backprop-gui: {' '.join(str(window.last_error).split())}", file=sys.stderr)
        window.close()
        return 2
    if args.screenshot:
        return _save_screenshot(app, window, args.screenshot, args.train_epochs)
    if args.smoke_test:
        from .smoke_test import run_smoke_test

        return run_smoke_test(app, window, started)
    return app.exec()


def _install_desktop_entry() -> int:
    from .desktop_entry import install_desktop_entry

    written = install_desktop_entry()
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("backprop-gui: the desktop entry and the icon are in place already; nothing changed")
    return 0


def _export(args: argparse.Namespace) -> int:
    """The exports of backprop_gui.export, without a window (a PDF uses Qt offscreen)."""
    from .export.cli import export_code_command, export_step_command

    if args.export_code:
        return export_code_command(*args.export_code, args.file)

    def write_pdf(path, html):
        from .ui.document.handout_pdf import write_pdf as qt_write_pdf

        qt_write_pdf(path, html)

    return export_step_command(args.export_step, args.file, write_pdf=write_pdf)


def _save_screenshot(app, window, path: str, epochs: int) -> int:
    window.settle()
    if epochs:
        window.controls.epochs.setValue(epochs)
        outcome = window.train_and_wait()
        if outcome is not None:
            print(outcome.message)
    window.settle()
    if not window.grab().save(path):
        print(f"backprop-gui: could not write the screenshot to {path}", file=sys.stderr)
        return 2
    window.close()
    return 0


def _quiet_offscreen_notices():
    """Drop the offscreen platform's notices; pass every other Qt message on to standard error.
    Returns the handler this one replaces."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if message.startswith(OFFSCREEN_NOTICES):
            return
        print(message, file=sys.stderr)

    global _message_handler
    _message_handler = handler  # keep it alive while Qt holds it
    return qInstallMessageHandler(handler)


_message_handler = None
