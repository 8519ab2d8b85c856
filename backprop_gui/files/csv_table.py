"""Tables of numbers in CSV files: a header row of column names, then one row per student.

``read_csv_table`` accepts comma, semicolon or tab separators (found from the header
line), a UTF-8 byte order mark, quoted fields, blank lines and Windows line ends. It
refuses anything else with a ``CsvError`` whose message names the line and column,
before the caller has changed anything.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..engine.limits import MAX_MAGNITUDE
from ..engine.notation import counted
from .atomic import atomic_write_text

MAX_CSV_BYTES = 50 * 1024 * 1024
"""Files above this size are refused before they are read."""

DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}

_LIMIT_TEXT = f"{MAX_MAGNITUDE:.0e}".replace("e+", "e")  # 1e100
_NOT_SPACE = re.compile(r"\S")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+\s*$")


class CsvError(ValueError):
    """A file that is not a table of numbers; the message says where and why."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        """1-based line of the file, when the problem has one."""
        self.column = column
        """1-based column of the table, when the problem has one."""


@dataclass(frozen=True)
class CsvTable:
    column_names: list[str]
    values: np.ndarray
    """rows × columns, float64, every value finite."""
    delimiter: str = ","

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_columns(self) -> int:
        return int(self.values.shape[1])


def read_csv_table(path: str | os.PathLike, max_bytes: int = MAX_CSV_BYTES) -> CsvTable:
    """The column names and numbers of a CSV file, or CsvError saying what is wrong and where."""
    path = Path(path)
    name = path.name
    text = _decode(_read_bytes(path, name, max_bytes), name)
    _check_text(text, name)
    plan = _clean_table_plan(text)
    if plan is not None:
        del text  # a million rows: 30 MB that NumPy's reader does not need
        table = _read_clean_table(path, *plan)
        if table is not None:
            return table
        text = _decode(_read_bytes(path, name, max_bytes), name)
    return parse_csv_text(text, name)


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CsvError(f"{name} is {_megabytes(size)}; the largest table Backprop GUI imports is {_megabytes(max_bytes)}.")
        with open(path, "rb") as file:
            # read(n) sets aside n bytes before it reads: ask for the file's size (and one more
            # byte, to see a file that grew), not the largest size allowed (50 MB every time).
            data = file.read(size + 1)
            if len(data) > size:  # it grew, or it is a special file that reports a size of 0
                data += file.read(max_bytes + 1 - len(data))
    except OSError as error:
        raise CsvError(f"Cannot read {name}: {error.strerror or error}.") from None
    if len(data) > max_bytes:
        raise CsvError(f"{name} is larger than {_megabytes(max_bytes)}, the largest table Backprop GUI imports.")
    return data


FAST_HEADER_CHARACTERS = 1 << 16
"""The fast path looks for the header record within this many characters of the text's start."""


def _clean_table_plan(text: str) -> tuple[list[str], str, int] | None:
    """The header, separator and header lines of the usual file (a header, then rows of plain
    numbers, nothing quoted), or None when the careful path must read it."""
    head = text[:FAST_HEADER_CHARACTERS]
    delimiter = _find_delimiter(_first_nonblank_line(head)[1])
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=True)
    try:
        for header in reader:
            if any(field.strip() for field in header):
                break
        else:
            return None
    except csv.Error:
        return None
    header_lines = reader.line_num
    if len(header) < 2 or all(_is_number(h) for h in header):
        return None
    body_start = 0
    for _ in range(header_lines):
        body_start = text.find("\n", body_start) + 1
        if body_start == 0:
            return None  # no rows below the header
    if text.find('"', body_start) >= 0:
        return None  # quoted cells: the csv module's rules
    if _NOT_SPACE.search(text, body_start) is None:
        return None  # no rows: the careful path says so
    return header, delimiter, header_lines


def _read_clean_table(path: Path, header: list[str], delimiter: str, header_lines: int) -> CsvTable | None:
    """The usual file, fast: NumPy's C reader parses it in chunks straight from the file (1,000,000
    rows of 3 columns in well under a second, in about the file's size of memory). Returns None for
    anything it cannot take in full, and parse_csv_text then finds what is wrong and where; so both
    paths accept the same files."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.loadtxt(
                path, dtype=float, delimiter=delimiter, skiprows=header_lines, comments=None, ndmin=2, encoding="utf-8-sig"
            )
    except (ValueError, OSError):
        return None
    if values.shape[0] == 0 or values.shape[1] != len(header):
        return None
    low, high = values.min(), values.max()  # NaN in, NaN out; no array as large as the table
    if not (np.isfinite(low) and np.isfinite(high)) or max(-low, high) > MAX_MAGNITUDE:
        return None
    return CsvTable([_clean_name(h, i) for i, h in enumerate(header)], values, delimiter)


def _check_text(text: str, name: str) -> None:
    control = _CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise CsvError(
            f"{name}, line {line}: a control character (U+{ord(control.group()):04X}) in the text; "
            "this looks like a binary file, not a CSV table.",
            line=line,
        )
    if not text.strip():
        raise CsvError(f"{name} is empty: it needs a header row naming the columns and rows of numbers below it.")


def parse_csv_text(text: str, name: str = "the file") -> CsvTable:
    """Like read_csv_table, for text already in memory (the BOM already removed)."""
    _check_text(text, name)
    header_line_number, header_text = _first_nonblank_line(text)
    delimiter = _find_delimiter(header_text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
    cells: list[list[str]] = []
    lines: list[int] = []
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 1  # where this record starts (a quoted field may span lines)
            previous_end = reader.line_num
            if not any(field.strip() for field in record):
                continue  # blank lines, and rows of empty cells that spreadsheets leave at the end
            if header is None:
                header, header_line = record, line
                continue
            if len(record) != len(header):
                raise CsvError(
                    f"{name}, line {line}: {counted(len(record), 'value')}, but the header "
                    f"(line {header_line}) names {len(header)} columns: {', '.join(_clean_name(h, i) for i, h in enumerate(header))}.",
                    line=line,
                )
            cells.append(record)
            lines.append(line)
    except csv.Error as error:
        line = previous_end + 1
        raise CsvError(f"{name}, line {reader.line_num or line}: {error}.", line=reader.line_num or line) from None

    assert header is not None  # the text is not blank
    column_names = [_clean_name(h, i) for i, h in enumerate(header)]
    if len(column_names) < 2:
        raise CsvError(
            f"{name}, line {header_line}: only one column (“{column_names[0]}”). A table needs at least one input "
            "column and a target column, separated by commas, semicolons or tabs.",
            line=header_line,
        )
    if all(_is_number(h) for h in header):
        raise CsvError(
            f"{name}, line {header_line}: the first row holds numbers, not column names. Add a header row that "
            "names the columns, for example IQ,CGPA,Package.",
            line=header_line,
        )
    if not cells:
        raise CsvError(
            f"{name} has a header row (line {header_line}: {', '.join(column_names)}) but no rows of numbers.",
            line=header_line,
        )

    try:
        values = np.array(cells, dtype=float)  # one vectorised conversion for the usual, clean file
    except ValueError:
        values = _convert_cell_by_cell(cells, lines, column_names, delimiter, name)
    not_finite = ~np.isfinite(values)
    if not_finite.any():
        row, column = (int(i) for i in np.argwhere(not_finite)[0])
        raise _cell_error(name, lines[row], column, column_names, f"“{cells[row][column].strip()}” is not a finite number")
    too_large = np.abs(values) > MAX_MAGNITUDE
    if too_large.any():
        row, column = (int(i) for i in np.argwhere(too_large)[0])
        raise _cell_error(
            name, lines[row], column, column_names, f"{_shorten(cells[row][column].strip())} is too large (the limit is ±{_LIMIT_TEXT})"
        )
    return CsvTable(column_names, values, delimiter)


def write_csv_table(path: str | os.PathLike, column_names: Sequence[str], values) -> None:
    """Write a header row and the numbers, comma-separated, so that read_csv_table gives them back exactly."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(column_names):
        raise ValueError(f"values of shape {values.shape} do not match {len(column_names)} column names")
    if not np.isfinite(values).all():
        raise ValueError("a table to export must hold finite numbers only")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(name) for name in column_names])
    writer.writerows([[format_exact(v) for v in row] for row in values.tolist()])
    atomic_write_text(path, buffer.getvalue())


def format_exact(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: 80, 7.5, 0.1, 1e-07."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


# -- helpers --------------------------------------------------------------
def _decode(data: bytes, name: str) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise CsvError(
            f"{name}, line {line}: a NUL byte; this is a binary file (or UTF-16 text), not a CSV table. "
            "Save it as “CSV UTF-8” and import it again.",
            line=line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CsvError(
            f"{name}, line {line}: byte 0x{data[error.start]:02X} is not UTF-8 text. "
            "Save the file as “CSV UTF-8” and import it again.",
            line=line,
        ) from None


def _first_nonblank_line(text: str) -> tuple[int, str]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip(" \t,;"):
            return number, line
    return 1, text


def _find_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most fields (ties: comma, semicolon, tab)."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        try:
            count = len(next(csv.reader([header_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _clean_name(name: str, index: int) -> str:
    cleaned = " ".join(str(name).split())[:80]
    return cleaned or f"Column {index + 1}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _convert_cell_by_cell(cells, lines, column_names, delimiter, name) -> np.ndarray:
    """The slow path, taken only when some cell is not a number: find the first one and name it."""
    values = np.empty((len(cells), len(column_names)))
    for r, record in enumerate(cells):
        for c, cell in enumerate(record):
            text = cell.strip()
            try:
                value = float(text)
            except ValueError:
                if not text:
                    problem = "is empty; every cell must hold a number"
                elif delimiter != "," and _DECIMAL_COMMA.match(text):
                    problem = f"“{text}” is not a number: write decimals with a point ({text.replace(',', '.')})"
                else:
                    problem = f"“{_shorten(text)}” is not a number"
                raise _cell_error(name, lines[r], c, column_names, problem) from None
            if not math.isfinite(value):
                raise _cell_error(name, lines[r], c, column_names, f"“{text}” is not a finite number")
            values[r, c] = value
    return values


def _cell_error(name: str, line: int, column: int, column_names: list[str], problem: str) -> CsvError:
    where = f"{name}, line {line}, column {column + 1} ({column_names[column]})"
    joiner = " " if problem.startswith("is ") else ": "
    return CsvError(where + joiner + problem + ".", line=line, column=column + 1)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"
