"""The lesson: the table, the settings, the network and its history, and the step on show.

No Qt here: the desktop app's views (backprop_gui.ui) listen to these objects' events, and a
notebook can drive a whole lesson with them.

    >>> from backprop_gui.lesson import Lesson
    >>> from backprop_gui.engine import TrainingSettings
    >>> lesson = Lesson(TrainingSettings(init="ones", scaling="none", order="sequential", learning_rate=1e-6))
    >>> lesson.step().loss
    29241.0
    >>> lesson.table.edit_cell(0, 0, "90")
    True
    >>> lesson.table.history.undo()
    True
"""

from .cursor import ROW_SOURCES, StepCursor, explainer_for
from .events import Event
from .lesson import Lesson
from .runs import RunPlan
from .step_log import LogEntry, ReplacedNetwork
from .table import NOTES_COLUMNS, NOTES_ROWS, CellError, PasteError, Table, parse_cell, parse_pasted_text
from .undo import Command, UndoHistory

__all__ = [
    "NOTES_COLUMNS",
    "NOTES_ROWS",
    "ROW_SOURCES",
    "CellError",
    "Command",
    "Event",
    "Lesson",
    "LogEntry",
    "PasteError",
    "ReplacedNetwork",
    "RunPlan",
    "StepCursor",
    "Table",
    "UndoHistory",
    "explainer_for",
    "parse_cell",
    "parse_pasted_text",
]
