"""Two notes under the training settings that follow the table: the statistics the input
scaling uses, and a warning when the chosen output cannot fit the targets."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from ...engine import classification_problem, output_range_warning
from ...engine.notation import format_number


def describe_scaling(scaling: str, names, mean, std) -> str:
    """The statistics in force, one input a line: "IQ: mean 83.33, std 20.55"."""
    if scaling == "none":
        return "The network sees the raw values of " + ", ".join(names) + "."
    parts = [f"{name}: mean {format_number(m)}, std {format_number(s)}" for name, m, s in zip(names, mean, std)]
    return "  ·  ".join(parts)


class _SessionLabel(QLabel):
    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.lesson = None

    def attach(self, lesson) -> None:
        """Follow ``lesson``'s settings and table from now on."""
        self.lesson = lesson
        for changed in (lesson.table.changed, lesson.settings_changed, lesson.structure_changed):
            changed.connect(self.refresh)
        self.refresh()  # each subclass's own


class ScalingStatistics(_SessionLabel):
    """The mean and standard deviation of each input column that standardisation uses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("scalingStatistics", parent)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, and readable on a dark palette too
        self.setToolTip(
            "Standardisation feeds the network (x − mean) / std of each input column, computed from the table "
            "as it is now; the table and predictions stay in your units"
        )

    @Slot()
    def refresh(self, *_args) -> None:
        lesson = self.lesson
        if lesson.table.n_rows == 0:
            self.setText("No rows: nothing to scale.")
            return
        scaler = lesson.scaler()
        self.setText(describe_scaling(lesson.settings.scaling, lesson.table.input_names, scaler.mean, scaler.std))


class TargetWarning(_SessionLabel):
    """Visible while the targets do not suit the task or the output activation; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("targetWarning", parent)
        self.setStyleSheet(
            "color: #7b341e; background: #fffaf0; border: 1px solid #dd6b20; border-radius: 4px; padding: 4px;"
        )
        self.setVisible(False)

    @Slot()
    def refresh(self, *_args) -> None:
        lesson = self.lesson
        text = None
        if lesson.table.n_rows:
            targets = lesson.table.targets()
            settings = lesson.settings
            if settings.task == "classification":
                text = classification_problem(targets)
            else:
                text = output_range_warning(settings.output_activation, targets)
        self.setText(f"⚠ {text}" if text else "")
        self.setToolTip(text or "")
        self.setVisible(bool(text))
