"""What a recovery file holds beyond a session: when it was written, which saved file it is the
unsaved state of, what changed since that save, and the table's undo history as far as kept."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class TableState:
    """The table before one undoable edit, and the edit's name ("Edit cell")."""

    text: str
    column_names: list[str]
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class RecoveryInfo:
    saved_at: float
    """When it was written, in seconds since 1970 (UTC)."""
    source: str | None
    """The session file it is the unsaved state of, or None for an untitled lesson."""
    edits: int
    """Undoable table edits and settings changes since that file was saved or opened."""
    epochs: int
    """Epochs trained since then."""
    undo: list[TableState] = field(default_factory=list)
    """The table before each undoable edit that led to the session's table, oldest first, as far
    as it was kept (edits undone, which could have been redone, are not kept)."""

    def to_dict(self) -> dict:
        return {
            "saved_at": float(self.saved_at),
            "source": self.source,
            "edits": int(self.edits),
            "epochs": int(self.epochs),
            "undo": [{"text": s.text, "column_names": list(s.column_names), "rows": np.asarray(s.values, float).tolist()}
                     for s in self.undo],  # fmt: skip
        }

    @classmethod
    def from_doc(cls, doc) -> "RecoveryInfo":
        from .session_schema import SchemaError

        undo = []
        for k, state in enumerate(doc.undo):
            if any(len(row) != len(state.column_names) for row in state.rows):
                raise SchemaError(f"recovery.undo[{k}].rows", "holds a row whose length differs from the column names'")
            values = np.array(state.rows, dtype=float).reshape(len(state.rows), len(state.column_names))
            undo.append(TableState(state.text, list(state.column_names), values))
        return cls(doc.saved_at, doc.source, doc.edits, doc.epochs, undo)
