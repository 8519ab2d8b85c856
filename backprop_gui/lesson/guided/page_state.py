"""Building a page's state on a lesson: its table, settings and weights, then its @do actions.

The same code builds a page in the window (on the window's lesson and step cursor, which the
views follow) and in validation (on a lesson of its own, which nobody sees), so what a file
check accepts is what the window will show.
"""

from __future__ import annotations

from ...engine import TrainingSettings, classification_problem
from ...files.csv_table import CsvError, read_csv_table
from ...files.resources import resource_path
from ..cursor import StepCursor
from ..lesson import Lesson
from .lesson_file import EXAMPLES, Action, Page, TableSpec
from .settings_text import settings_changes


class PageError(ValueError):
    """The page cannot be built; ``line`` is the file's line that asks for what cannot be."""

    def __init__(self, line: int, problem: str) -> None:
        self.line, self.problem = line, problem
        super().__init__(problem)


def table_of(spec: TableSpec, page_line: int) -> tuple[list[str], list[list[float]]]:
    """(column names, rows) of a page's table."""
    if spec.columns:
        return list(spec.columns), [list(row) for row in spec.rows]
    path = resource_path(EXAMPLES[spec.example]) if spec.example else spec.csv_path
    try:
        table = read_csv_table(path)
    except (CsvError, OSError) as error:
        raise PageError(spec.line or page_line, f"cannot read the table {path.name}: {error}") from None
    return list(table.column_names), table.values.tolist()


def settings_of(page: Page) -> TrainingSettings:
    try:
        return TrainingSettings().replace(**settings_changes(page.settings))
    except ValueError as error:
        line = max(page.setting_lines.values(), default=page.line)
        raise PageError(line, f"these settings do not go together: {error}") from None


def build_page(page: Page, lesson: Lesson, cursor: StepCursor) -> None:
    """Put ``lesson`` in the page's state (PageError if it cannot be, with the line to blame).

    The lesson is changed only once its table, settings and weights are known to fit."""
    columns, rows = table_of(page.table, page.line)
    settings = settings_of(page)
    if settings.task == "classification":
        problem = classification_problem([row[-1] for row in rows])
        if problem:
            raise PageError(page.setting_lines.get("task", page.setting_lines.get("loss", page.line)), problem)
    network = settings.build_network(len(columns) - 1)
    for ref, value in page.weights.items():
        sizes = network.layer_sizes
        fits = 0 <= ref.layer < network.n_layers and (
            (ref.kind == "w" and ref.i < sizes[ref.layer] and ref.j < sizes[ref.layer + 1])
            or (ref.kind == "b" and ref.i < sizes[ref.layer + 1])
        )
        if not fits:
            need = f"; it needs input column {ref.i + 1} and the table has {len(columns) - 1}" if ref.kind == "w" and ref.layer == 0 else ""
            raise PageError(page.weight_lines[ref], f"the page's network ({'-'.join(map(str, sizes))}) has no {ref.name}{need}")
    cursor.clear()
    lesson.start_afresh(settings, rows, columns)
    for ref, value in page.weights.items():
        lesson.set_parameter(ref.layer, ref.i, ref.j if ref.kind == "w" else None, value)
    lesson.initial_parameters = lesson.network.get_parameters()
    run_actions(page.actions, lesson, cursor)


def run_actions(actions: tuple[Action, ...], lesson: Lesson, cursor: StepCursor) -> None:
    """Do each action as the buttons would; PageError, with the app's own message, if one cannot."""
    messages: list[str] = []
    lesson.message.connect(messages.append)
    cursor.message.connect(messages.append)
    try:
        for action in actions:
            for _ in range(action.count):
                done = {
                    "step": lambda: cursor.step(),
                    "next_phase": lambda: cursor.next_phase(),
                    "back": lambda: cursor.back(),
                    "reset": lambda: lesson.reset() or True,
                }[action.name]()
                if not done:
                    why = messages[-1] if messages else "the app refused it"
                    raise PageError(action.line, f"cannot do '{action.name}' here: {why}")
    finally:
        lesson.message.disconnect(messages.append)
        cursor.message.disconnect(messages.append)
