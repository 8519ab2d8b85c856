"""The File menu's exports: the lesson as code, a worked step, an exercise sheet (``backprop_gui.export``).

Each action asks for a file, then exports a snapshot of the lesson as it is at that moment
(``LessonSnapshot.from_session(lesson.session_data())``); the worked step is the step on show,
if there is one, else the lesson's next step. Every failure (a file that cannot be written, a
lesson that cannot make a step) becomes one message through ``Feedback``, never a traceback.
The methods that take the path (``export_code``, ``export_worked_step``,
``export_exercise_sheet``) do the work; the dialogs only choose their arguments.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QMenu, QSpinBox, QWidget

from ...lesson import Lesson, StepCursor
from ..widgets.actions import make_action
from ..widgets.feedback import Feedback
from .recent_files import RecentFiles

if TYPE_CHECKING:
    from ...export import LessonSnapshot

# backprop_gui.export and the PDF writer are imported when an export is asked for, not at
# start-up, which they would lengthen by 8 ms for an action most sessions never take.

CODE_FILTERS = {
    "numpy": "NumPy script (*.py)",
    "pytorch": "PyTorch script (*.py)",
    "notebook": "Jupyter notebook (*.ipynb)",
}
CODE_DESCRIPTIONS = {"numpy": "a NumPy script", "pytorch": "a PyTorch script", "notebook": "a Jupyter notebook"}
STEP_FILTERS = "Markdown with LaTeX math (*.md);;LaTeX document (*.tex);;PDF (*.pdf)"
SHEET_FILTERS = "Markdown with LaTeX math (*.md);;PDF (*.pdf)"
MAX_EXERCISES = 50


class ExportActions(QObject):
    def __init__(self, lesson: Lesson, cursor: StepCursor, feedback: Feedback) -> None:
        super().__init__(feedback.window)
        self.lesson, self.cursor, self.feedback = lesson, cursor, feedback
        window = feedback.window
        self.code_action = make_action(
            window, "Export as &Code…", None,
            "Save the lesson as a NumPy or PyTorch script, or a Jupyter notebook, that predicts and trains as the app does",
            self._export_code_dialog,
        )  # fmt: skip
        self.worked_step_action = make_action(
            window, "Export &Worked Step…", None,
            "Save the step on show (or else the next step), every phase worked with its numbers, as Markdown, LaTeX or PDF",
            self._export_worked_step_dialog,
        )  # fmt: skip
        self.exercise_sheet_action = make_action(
            window, "Export E&xercise Sheet…", None,
            "Save exercises on one step, each with its own weights, row and η and its answer key, as Markdown or PDF",
            self._export_exercise_sheet_dialog,
        )  # fmt: skip
        self.actions = [self.code_action, self.worked_step_action, self.exercise_sheet_action]
        self._folder: str | None = None
        """Where the last export went; the dialogs start there."""

    def add_to_menu(self, menu: QMenu) -> None:
        """Add the three exports to ``menu`` (the File menu, after the document's actions), then a separator."""
        menu.addActions(self.actions)
        menu.addSeparator()

    # -- the exports ----------------------------------------------------------------
    def snapshot(self) -> LessonSnapshot:
        """The lesson as it is now (LessonError, a ValueError, if the exports cannot take it)."""
        from ...export import LessonSnapshot

        return LessonSnapshot.from_session(self.lesson.session_data())

    def export_code(self, kind: str, path: str | os.PathLike) -> bool:
        """Write the lesson as code of ``kind`` ("numpy", "pytorch" or "notebook") to ``path``."""
        from ...export import write_code

        return self._export(
            "Cannot export the code", path,
            lambda: write_code(kind, self.snapshot(), path),
            f"Exported the lesson as {CODE_DESCRIPTIONS.get(kind, kind)} to {path}.",
        )  # fmt: skip

    def export_worked_step(self, path: str | os.PathLike) -> bool:
        """Write the step on show, or else the lesson's next step, every phase worked, as the suffix
        of ``path`` says: .md, .tex or .pdf."""
        from ...export import next_step_explainer, write_worked_step
        from .handout_pdf import write_pdf

        on_show = self.cursor.explainer

        def write() -> None:
            explainer = on_show if on_show is not None else next_step_explainer(self.snapshot())
            write_worked_step(path, explainer, write_pdf=write_pdf)

        which = f"step {on_show.record.step}" if on_show is not None else "the next step"
        return self._export("Cannot export the worked step", path, write, f"Exported {which}, worked in every phase, to {path}.")

    def export_exercise_sheet(self, path: str | os.PathLike, count: int, seed: int = 0) -> bool:
        """Write ``count`` seeded variants of one step with their answer keys, as .md or .pdf."""
        from ...export import write_exercise_sheet
        from .handout_pdf import write_pdf

        return self._export(
            "Cannot export the exercise sheet", path,
            lambda: write_exercise_sheet(path, self.snapshot(), count, seed, write_pdf=write_pdf),
            f"Exported {count} {'exercise' if count == 1 else 'exercises'} with answer keys (seed {seed}) to {path}.",
        )  # fmt: skip

    def _export(self, title: str, path, write, done: str) -> bool:
        try:
            write()
        except OSError as error:
            self.feedback.error(title, f"Could not write {path}: {error.strerror or error}.")
            return False
        except ValueError as error:
            self.feedback.error(title, f"Could not export to {Path(path).name}: {str(error).rstrip('.')}.")
            return False
        self._folder = str(Path(path).parent)
        self.feedback.status(done)
        return True

    # -- the dialogs ------------------------------------------------------------------
    @Slot()
    def _export_code_dialog(self) -> None:
        from ...export import SUFFIXES

        filters = list(CODE_FILTERS.values())
        path, chosen = QFileDialog.getSaveFileName(
            self.feedback.window, "Export as Code", self._suggest("lesson.py"), ";;".join(filters)
        )
        if not path:
            return
        kind = next((k for k, f in CODE_FILTERS.items() if f == chosen), "numpy")
        if Path(path).suffix.lower() == SUFFIXES["notebook"]:
            kind = "notebook"
        self.export_code(kind, _with_suffix(path, SUFFIXES[kind]))

    @Slot()
    def _export_worked_step_dialog(self) -> None:
        from ...export.handout import STEP_FORMATS

        path, chosen = QFileDialog.getSaveFileName(
            self.feedback.window, "Export Worked Step", self._suggest("worked-step.md"), STEP_FILTERS
        )
        if path:
            self.export_worked_step(_with_suffix(path, _filter_suffix(chosen, STEP_FORMATS)))

    @Slot()
    def _export_exercise_sheet_dialog(self) -> None:
        from ...export.handout import SHEET_FORMATS

        options = ExerciseSheetDialog(self.feedback.window, seed=self.lesson.settings.seed)
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self.feedback.window, "Export Exercise Sheet", self._suggest("exercise-sheet.md"), SHEET_FILTERS
        )
        if path:
            self.export_exercise_sheet(_with_suffix(path, _filter_suffix(chosen, SHEET_FORMATS)), *options.values())

    def _suggest(self, name: str) -> str:
        """A file name in the folder of the last export, else of the last file used, else home."""
        folder = self._folder
        if folder is None:
            recent = [Path(p).parent for p in RecentFiles().paths()[:1] if Path(p).parent.is_dir()]
            folder = str(recent[0]) if recent else str(Path.home())
        return str(Path(folder) / name)


class ExerciseSheetDialog(QDialog):
    """How many exercises, and the seed that draws their weights, rows and η."""

    def __init__(self, parent: QWidget, count: int = 5, seed: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Exercise Sheet")
        self.count = QSpinBox(minimum=1, maximum=MAX_EXERCISES, value=count)
        self.count.setToolTip("How many variants of the exercise; each answer key follows on a page of its own")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=seed)
        self.seed.setToolTip("The same seed gives the same sheet again; another seed, other weights, rows and η")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("&Exercises:", self.count)
        layout.addRow("&Seed:", self.seed)
        layout.addRow(buttons)

    def values(self) -> tuple[int, int]:
        return self.count.value(), self.seed.value()


def _filter_suffix(chosen_filter: str, formats: tuple[str, ...]) -> str:
    """The suffix a file filter such as "PDF (*.pdf)" names, else the first of ``formats``."""
    return next((suffix for suffix in formats if f"*{suffix})" in chosen_filter), formats[0])


def _with_suffix(path: str, suffix: str) -> str:
    """``path`` as typed, with ``suffix`` added when it has none."""
    return path if Path(path).suffix else path + suffix
