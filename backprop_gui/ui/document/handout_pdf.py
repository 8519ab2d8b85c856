"""Handouts as PDF, laid out by Qt (QTextDocument printed by QPdfWriter): no TeX installation.

The content is the HTML of ``export.handout`` (the notes' Unicode notation: w¹₁₁, ŷ, ∂L/∂w¹₁₁);
this module only puts it on A4 pages. A QGuiApplication is created if none exists (set
QT_QPA_PLATFORM=offscreen where there is no display).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ...export.handout import exercise_sheet_html, next_step_explainer, step_handout_html, write_exercise_sheet, write_step_handout
from ...export.snapshot import LessonSnapshot


def _application() -> QGuiApplication:
    """The running application, or a new one; offscreen where there is no display (a PDF needs none).

    A new one is a QApplication, not a bare QGuiApplication, so that widgets can still be made
    in the same process afterwards (a QGuiApplication would rule out a later QApplication)."""
    if QGuiApplication.instance() is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        return QApplication([])
    return QGuiApplication.instance()


def html_to_document(html: str) -> QTextDocument:
    _application()
    document = QTextDocument()
    document.setHtml(html)
    return document


def write_pdf(path: str | os.PathLike, html: str) -> None:
    """Print ``html`` to an A4 PDF at ``path``, atomically: a temporary file in the same folder is
    renamed over it, so a failure leaves any previous file as it was. OSError if it cannot be written."""
    path = Path(path)
    document = html_to_document(html)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(temporary, "wb"):
            pass  # the folder is writable: Qt's own failure would say nothing
        writer = QPdfWriter(str(temporary))
        writer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15))
        )
        writer.setResolution(300)
        writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle) or path.stem)
        writer.setCreator("Backprop GUI")
        document.print_(writer)
        del writer  # finishes the file
        if temporary.stat().st_size == 0:
            raise OSError(f"Qt could not write the PDF to {path}")
        os.replace(temporary, path)
    except BaseException:
        try:
            temporary.unlink()
        except OSError:
            pass
        raise


def write_step_pdf(path: str | os.PathLike, snapshot: LessonSnapshot) -> None:
    """The lesson's next step, worked in every phase, as a PDF handout."""
    write_step_handout(path, snapshot, write_pdf=write_pdf)


def write_exercise_sheet_pdf(path: str | os.PathLike, snapshot: LessonSnapshot, count: int, seed: int = 0) -> None:
    """``count`` seeded variants of the step, each answer key on a page of its own, as a PDF."""
    write_exercise_sheet(path, snapshot, count, seed, write_pdf=write_pdf)


def step_plain_text(snapshot: LessonSnapshot) -> str:
    """The text the step's PDF holds (for checks without a PDF reader)."""
    return html_to_document(step_handout_html(next_step_explainer(snapshot))).toPlainText()


def exercise_sheet_plain_text(snapshot: LessonSnapshot, count: int, seed: int = 0) -> str:
    return html_to_document(exercise_sheet_html(snapshot, count, seed)).toPlainText()
