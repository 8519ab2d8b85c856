"""File formats: CSV tables and saved sessions. Plain Python and NumPy, no Qt.

Every reader checks everything it reads and raises an error whose message a
teacher can act on (it names the line and column, or the part of a session
that is wrong); nothing in a file is ever executed.
"""

from .atomic import atomic_write_text
from .csv_table import MAX_CSV_BYTES, CsvError, CsvTable, read_csv_table, write_csv_table
from .session_file import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SESSION_SUFFIX,
    SessionData,
    SessionFileError,
    load_session,
    save_session,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_CSV_BYTES",
    "SESSION_SUFFIX",
    "CsvError",
    "CsvTable",
    "SessionData",
    "SessionFileError",
    "atomic_write_text",
    "load_session",
    "read_csv_table",
    "save_session",
    "write_csv_table",
]
