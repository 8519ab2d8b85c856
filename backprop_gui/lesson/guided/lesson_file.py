"""The lesson file: Markdown with a small set of ``@`` directives (docs/LESSONS.md).

    # The notes' first step              the lesson's title (the file's first line that is not blank)
    ## The forward pass                  a page, with its title; the lines after it are its text
    @table notes                         its data: a built-in example, or a CSV file beside the lesson
    @columns IQ, CGPA, Package (LPA)     … or an inline table: the column names, then one @row per row
    @row 80, 8, 5
    @set init = ones                     one training setting per line
    @weight w¹₁₁ = 0.5                   a weight or bias set after the network is built
    @do next_phase 2                     what the engine does before the page shows (step, next_phase, back, reset)
    @controls step, next_phase, back     the controls this page offers; every other one is locked …
    @others hidden                       … or hidden
    @ask What is O₁₁ for row 1?          a checkpoint: the question
    @answer O₁₁ row 1                    … and the quantity the engine computes for its answer
    @reveal next_phase                   what the engine does once the checkpoint is answered
    @wait steps >= 1                     a condition the student's actions must meet before Next

A page inherits the previous page's table, settings and weights and changes what it says; its
@do actions start from the freshly built state. This module reads and checks the text; whether
every page can be built and every answer computed is checked by validation.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...engine.notation import ParameterRef, parse_number
from .settings_text import SettingError, parse_setting
from .symbols import Condition, Quantity, SymbolError, parse_condition, parse_parameter, parse_quantity

MAX_LESSON_BYTES = 1_000_000
PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
"""A number the engine fills in: {{O₁₁ row 1}}."""
EXAMPLES = {
    "notes": "notes_example.csv",
    "placement": "placement.csv",
    "package_regression": "package_regression.csv",
    "overfitting": "overfitting.csv",
}
"""The built-in tables a page may name with @table."""
CONTROLS = {
    "step": "Step", "next_phase": "Next Phase", "back": "Back", "train": "Train and Stop", "reset": "Reset",
    "gradient_check": "Check Gradients", "practice": "Practice", "task": "Task", "architecture": "Hidden layers",
    "activations": "Activations", "init": "Initialisation and seed", "learning_rate": "Learning rate η",
    "epochs": "Epochs", "updates": "Updates (per sample, mini-batch, batch)", "optimizer": "Optimizer",
    "regularisation": "Regularisation", "validation": "Validation and patience", "order": "Row order",
    "scaling": "Input scaling", "stop_early": "Stop early", "table": "Editing the table", "weights": "Editing weights",
    "files": "Opening and saving files", "predict": "Predict",
}  # fmt: skip
"""Every control a page can offer, by the name a lesson file uses, and what the app calls it.
"predict" and "weights" are hidden, not only locked, when not offered: the prediction's ŷ and the
nudge strip's L and ∂L/∂w would give a checkpoint's answer away."""
ACTIONS = ("step", "next_phase", "back", "reset")
MAX_ACTION_COUNT = 50
OTHERS = ("locked", "hidden")
DIRECTIVES = ("table", "columns", "row", "set", "weight", "do", "controls", "others", "ask", "answer", "reveal", "wait")
SINGLE = ("table", "columns", "controls", "others", "ask", "answer", "wait")
"""Directives a page may hold once."""


class LessonFileError(ValueError):
    """A lesson file that cannot be used: one line naming the file and the line."""

    def __init__(self, name: str, line: int | None, problem: str) -> None:
        self.name, self.line, self.problem = name, line, problem
        super().__init__(f"{name}:{line}: {problem}" if line else f"{name}: {problem}")


@dataclass(frozen=True)
class TableSpec:
    example: str | None = None
    """A key of EXAMPLES, or None for an inline table or a CSV file."""
    csv_path: Path | None = None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[float, ...], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Action:
    name: str
    count: int
    line: int


@dataclass(frozen=True)
class Page:
    title: str
    line: int
    text: str = ""
    table: TableSpec = TableSpec(example="notes")
    settings: dict = field(default_factory=dict)
    """Setting name → value, every @set so far (inherited pages included)."""
    setting_lines: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    """ParameterRef → value."""
    weight_lines: dict = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    controls: tuple[str, ...] = ()
    others: str = "locked"
    question: str | None = None
    answer: Quantity | None = None
    answer_line: int = 0
    reveal: tuple[Action, ...] = ()
    wait: Condition | None = None
    wait_line: int = 0
    shown: tuple[tuple[str, Quantity, int], ...] = ()
    """Each {{quantity}} of the text: (its text, the quantity, its line), filled in by the engine."""

    def filled_text(self, value_of) -> str:
        """The page's text with every {{quantity}} replaced by ``value_of(quantity)``, a string."""
        return PLACEHOLDER.sub(lambda match: value_of(parse_quantity(match.group(1))), self.text)


@dataclass(frozen=True)
class GuidedLesson:
    title: str
    pages: tuple[Page, ...]
    name: str
    """How messages name the file (its file name)."""
    path: Path | None = None
    intro: str = ""


def read_lesson_text(path: str | Path) -> str:
    """The file's text; LessonFileError for a missing path, a folder, an empty, binary or huge file."""
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise LessonFileError(str(path), None, "no such file")
    if path.is_dir():
        raise LessonFileError(str(path), None, "is a folder, not a lesson file")
    try:
        size = path.stat().st_size
        if size > MAX_LESSON_BYTES:
            raise LessonFileError(name, None, f"is {size:,} bytes; a lesson file has at most {MAX_LESSON_BYTES:,}")
        data = path.read_bytes()
    except OSError as error:
        raise LessonFileError(name, None, f"cannot be read: {error.strerror or error}") from None
    if b"\0" in data:
        raise LessonFileError(name, None, "is a binary file, not a lesson (Markdown text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LessonFileError(name, line, "is not UTF-8 text") from None
    if not text.strip():
        raise LessonFileError(name, None, "is empty: a lesson needs a '# title' and at least one '## page'")
    return text


def parse_lesson(text: str, name: str = "lesson", path: Path | None = None) -> GuidedLesson:
    """Read a lesson's text; LessonFileError at the first line that cannot be used."""
    reader = _Reader(name, path)
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        reader.read(number, line)
    return reader.finish()


def load_lesson_file(path: str | Path) -> GuidedLesson:
    path = Path(path)
    return parse_lesson(read_lesson_text(path), path.name, path)


class _Reader:
    def __init__(self, name: str, path: Path | None) -> None:
        self.name, self.path = name, path
        self.title: str | None = None
        self.intro: list[str] = []
        self.pages: list[Page] = []
        self.page: Page | None = None
        self.text: list[str] = []
        self.seen: dict[str, int] = {}
        self.inline_rows: list[tuple[float, ...]] = []

    def fail(self, line: int | None, problem: str) -> LessonFileError:
        return LessonFileError(self.name, line, problem)

    def read(self, number: int, line: str) -> None:
        stripped = line.strip()
        if self.title is None:
            if not stripped:
                return
            if not stripped.startswith("# ") or not stripped[2:].strip():
                raise self.fail(number, "a lesson starts with its title: '# Title'")
            self.title = stripped[2:].strip()
            return
        if stripped == "##" or stripped.startswith("## "):
            self._close_page()
            inherited = self.pages[-1] if self.pages else Page("", 0)
            self.page = replace(inherited, title=stripped[2:].strip(), line=number, text="", actions=(), controls=(),
                                others="locked", question=None, answer=None, reveal=(), wait=None, answer_line=0,
                                wait_line=0, shown=(), settings=dict(inherited.settings), setting_lines=dict(inherited.setting_lines),
                                weights=dict(inherited.weights), weight_lines=dict(inherited.weight_lines))  # fmt: skip
            if not self.page.title:
                raise self.fail(number, "a page needs a title after '## '")
            self.seen, self.inline_rows = {}, []
            return
        if stripped.startswith("# "):
            raise self.fail(number, "a lesson has one '# title'; start a page with '## '")
        if stripped.startswith("@"):
            if self.page is None:
                raise self.fail(number, f"'{stripped.split()[0]}' before the first page: start a page with '## Title'")
            self._directive(number, stripped)
            return
        if self.page is not None:
            for match in PLACEHOLDER.finditer(line):
                try:
                    quantity = parse_quantity(match.group(1))
                except SymbolError as error:
                    raise self.fail(number, f"{{{{{match.group(1)}}}}}: {error}") from None
                self.page = replace(self.page, shown=self.page.shown + ((match.group(1), quantity, number),))
        (self.text if self.page is not None else self.intro).append(line)

    def _directive(self, number: int, line: str) -> None:
        word, _, argument = line[1:].partition(" ")
        word, argument = word.lower(), argument.strip()
        if word not in DIRECTIVES:
            raise self.fail(number, f"unknown directive '@{word}' (known: {', '.join('@' + d for d in DIRECTIVES)})")
        if word in SINGLE and word in self.seen:
            raise self.fail(number, f"a second '@{word}' on this page (the first is on line {self.seen[word]})")
        self.seen.setdefault(word, number)
        if not argument and word not in ("controls",):
            raise self.fail(number, f"'@{word}' needs a value")
        try:
            getattr(self, f"_on_{word}")(number, argument)
        except (SymbolError, SettingError) as error:
            raise self.fail(number, str(error)) from None

    # -- the directives ------------------------------------------------------------
    def _on_table(self, number: int, argument: str) -> None:
        if "columns" in self.seen:
            raise self.fail(number, "'@table' and '@columns' on one page: a page has one table")
        if argument.lower().endswith((".csv", ".tsv", ".txt")):
            base = self.path.parent if self.path is not None else Path.cwd()
            self.page = replace(self.page, table=TableSpec(csv_path=base / argument, line=number))
        elif argument in EXAMPLES:
            self.page = replace(self.page, table=TableSpec(example=argument, line=number))
        else:
            raise self.fail(number, f"unknown table {argument!r}: one of {', '.join(EXAMPLES)}, or a .csv file beside the lesson")

    def _on_columns(self, number: int, argument: str) -> None:
        if "table" in self.seen:
            raise self.fail(number, "'@table' and '@columns' on one page: a page has one table")
        columns = tuple(part.strip() for part in argument.split(","))
        if len(columns) < 2 or not all(columns):
            raise self.fail(number, "'@columns' names at least two columns (inputs, then the target), separated by commas")
        if len(set(columns)) != len(columns):
            raise self.fail(number, "'@columns' names a column twice")
        self.page = replace(self.page, table=TableSpec(columns=columns, line=number))

    def _on_row(self, number: int, argument: str) -> None:
        if "columns" not in self.seen:
            raise self.fail(number, "'@row' needs '@columns' before it on the same page")
        columns = self.page.table.columns
        cells = [part.strip() for part in argument.split(",")]
        if len(cells) != len(columns):
            raise self.fail(number, f"'@row' has {len(cells)} values; the table has {len(columns)} columns")
        try:
            values = tuple(parse_number(cell) for cell in cells)
        except ValueError:
            raise self.fail(number, f"'@row' takes numbers separated by commas, not {argument!r}") from None
        if not all(math.isfinite(v) and abs(v) <= 1e100 for v in values):
            raise self.fail(number, "'@row' takes finite numbers within ±1e100")
        self.inline_rows.append(values)
        self.page = replace(self.page, table=replace(self.page.table, rows=tuple(self.inline_rows)))

    def _on_set(self, number: int, argument: str) -> None:
        key, equals, value = argument.partition("=")
        if not equals:
            raise self.fail(number, "'@set' takes 'name = value', e.g. '@set learning_rate = 0.001'")
        name, parsed = parse_setting(key.strip(), value.strip())
        self.page.settings[name] = parsed
        self.page.setting_lines[name] = number

    def _on_weight(self, number: int, argument: str) -> None:
        key, equals, value = argument.partition("=")
        if not equals:
            raise self.fail(number, "'@weight' takes 'name = value', e.g. '@weight w¹₁₁ = 0.5'")
        ref: ParameterRef = parse_parameter(key.strip())
        try:
            parsed = parse_number(value.strip())
        except ValueError:
            raise self.fail(number, f"'@weight' needs a number, not {value.strip()!r}") from None
        if not math.isfinite(parsed) or abs(parsed) > 1e100:
            raise self.fail(number, "a weight or bias must be a finite number within ±1e100")
        self.page.weights[ref] = parsed
        self.page.weight_lines[ref] = number

    def _actions(self, number: int, argument: str, directive: str) -> tuple[Action, ...]:
        words = argument.split()
        if words[0] not in ACTIONS or len(words) > 2:
            raise self.fail(number, f"'@{directive}' takes one of {', '.join(ACTIONS)}, optionally with a count")
        count = 1
        if len(words) == 2:
            if not words[1].isdigit() or not 1 <= int(words[1]) <= MAX_ACTION_COUNT:
                raise self.fail(number, f"the count of '@{directive} {words[0]}' is a whole number from 1 to {MAX_ACTION_COUNT}")
            count = int(words[1])
        return (Action(words[0], count, number),)

    def _on_do(self, number: int, argument: str) -> None:
        self.page = replace(self.page, actions=self.page.actions + self._actions(number, argument, "do"))

    def _on_reveal(self, number: int, argument: str) -> None:
        self.page = replace(self.page, reveal=self.page.reveal + self._actions(number, argument, "reveal"))

    def _on_controls(self, number: int, argument: str) -> None:
        names = tuple(part.strip() for part in argument.split(",") if part.strip())
        if names == ("none",):
            names = ()
        for control in names:
            if control not in CONTROLS:
                raise self.fail(number, f"unknown control {control!r} (known: {', '.join(CONTROLS)}, or none)")
        self.page = replace(self.page, controls=names)

    def _on_others(self, number: int, argument: str) -> None:
        if argument not in OTHERS:
            raise self.fail(number, f"'@others' is 'locked' or 'hidden', not {argument!r}")
        self.page = replace(self.page, others=argument)

    def _on_ask(self, number: int, argument: str) -> None:
        self.page = replace(self.page, question=argument)

    def _on_answer(self, number: int, argument: str) -> None:
        self.page = replace(self.page, answer=parse_quantity(argument), answer_line=number)

    def _on_wait(self, number: int, argument: str) -> None:
        condition = parse_condition(argument)
        for part in condition.parts:
            if part.quantity.needs_step and part.quantity.row is None and not part.quantity.batch:
                raise self.fail(number, f"'@wait' cannot use the step on show ({part.quantity.text}): write 'row N'")
        self.page = replace(self.page, wait=condition, wait_line=number)

    # -- the end of a page and of the file --------------------------------------------
    def _close_page(self) -> None:
        page = self.page
        if page is None:
            return
        if "columns" in self.seen and not self.inline_rows:
            raise self.fail(self.seen["columns"], "'@columns' needs at least one '@row' after it")
        if page.question and page.answer is None:
            raise self.fail(self.seen["ask"], "'@ask' needs an '@answer' on the same page: the quantity the engine computes")
        if page.answer is not None and not page.question:
            raise self.fail(page.answer_line, "'@answer' needs an '@ask' on the same page: the question to show")
        if page.reveal and not page.question:
            raise self.fail(page.reveal[0].line, "'@reveal' needs a checkpoint ('@ask' and '@answer') on the page")
        self.pages.append(replace(page, text="\n".join(self.text).strip()))
        self.page, self.text = None, []

    def finish(self) -> GuidedLesson:
        if self.title is None:
            raise self.fail(None, "is empty: a lesson needs a '# title' and at least one '## page'")
        self._close_page()
        if not self.pages:
            raise self.fail(None, "has no pages: start each with '## Title'")
        return GuidedLesson(self.title, tuple(self.pages), self.name, self.path, "\n".join(self.intro).strip())
