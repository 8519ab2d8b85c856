"""The command line's exports: ``backprop-gui --export-code KIND OUT FILE`` and ``--export-step OUT FILE``.

Each returns the exit status: 0 when written, 2 with one clear line on stderr when FILE cannot
be read or OUT cannot be written (never a traceback). No window opens; only a PDF needs Qt,
which the caller hands in as ``write_pdf``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .code.export_code import KINDS, write_code
from .handout import STEP_FORMATS, write_step_handout
from .snapshot import LessonError, load_lesson_snapshot


def _fail(message: str) -> int:
    print(f"backprop-gui: {message}", file=sys.stderr)
    return 2


def _write_error(out: str, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"cannot write {out}: {reason}"


def export_code_command(kind: str, out: str, file: str) -> int:
    if kind not in KINDS:
        return _fail(f"--export-code takes {', '.join(KINDS)}, not {kind!r}")
    try:
        snapshot = load_lesson_snapshot(file)
        write_code(kind, snapshot, out)
    except LessonError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(_write_error(out, error))
    print(f"Wrote {out}: the lesson in {file} as {'a notebook' if kind == 'notebook' else f'a {kind} script'}.")
    return 0


def export_step_command(out: str, file: str, write_pdf=None) -> int:
    suffix = Path(out).suffix.lower()
    if suffix not in STEP_FORMATS:
        return _fail(f"--export-step writes {', '.join('OUT' + s for s in STEP_FORMATS)}; {out} has none of these suffixes")
    try:
        snapshot = load_lesson_snapshot(file)
        write_step_handout(out, snapshot, write_pdf=write_pdf)
    except LessonError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(_write_error(out, error))
    except ValueError as error:
        return _fail(str(error))
    print(f"Wrote {out}: the next step of the lesson in {file}, worked in every phase.")
    return 0
