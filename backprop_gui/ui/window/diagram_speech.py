"""The network diagram in words, for a screen reader.

The diagram is drawn, so a screen reader has nothing to read in it; ``describe`` says the network
and the step on show in the notes' notation ("w¹₁₁ = 1, after the step −26.36"), from the same
lesson and step cursor the diagram draws. ``DiagramSpeech`` keeps the diagram's accessible
description up to date and announces each phase's title when the phase on show changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

from ...engine.notation import all_parameters, format_number
from ...lesson import Lesson, StepCursor


MAX_SPOKEN = 64
"""Parameters read out at most; a larger network's description says how many more there are
(and stays cheap to make on every training snapshot)."""


def _value(weights, biases, ref) -> float:
    return float(weights[ref.layer][ref.i, ref.j] if ref.kind == "w" else biases[ref.layer][ref.i])


def phase_caption(cursor: StepCursor) -> str:
    """The phase on show, as titled under the diagram ("Step 1 · 5. Update"), or ""."""
    if not cursor.active or cursor.phase is None:
        return ""
    return f"Step {cursor.explainer.record.step}, {cursor.explainer.phase_title(cursor.phase)}"


def describe(lesson: Lesson, cursor: StepCursor) -> str:
    """The network and the step on show in words, each parameter with its value."""
    network = lesson.network
    sizes = list(network.layer_sizes)
    head = f"Network {'-'.join(map(str, sizes))}, inputs {', '.join(lesson.table.input_names)}, target {lesson.table.target_name}."
    refs = all_parameters(sizes)
    more = len(refs) - MAX_SPOKEN
    refs = refs[:MAX_SPOKEN]
    tail = f" And {more} more parameters." if more > 0 else ""
    record = cursor.explainer.record if cursor.active and cursor.explainer.layer_sizes == network.layer_sizes else None
    if record is None:
        values = "; ".join(f"{r.name} = {format_number(_value(network.weights, network.biases, r))}" for r in refs)
        return f"{head} No step on show. {values}.{tail}"
    updated = cursor.phase is not None and cursor.phase.kind == "update"
    parts = []
    for r in refs:
        before = format_number(_value(record.weights_before, record.biases_before, r))
        after = format_number(_value(record.weights_after, record.biases_after, r))
        parts.append(f"{r.name} = {before}, after the step {after}" if updated else f"{r.name} = {before}")
    return f"{head} {phase_caption(cursor)}. {'; '.join(parts)}.{tail}"


class DiagramSpeech(QObject):
    """Keeps ``view``'s accessible description the diagram in words; announces phase changes."""

    def __init__(self, view: QWidget, lesson: Lesson, cursor: StepCursor) -> None:
        super().__init__(view)
        self._view, self.lesson, self.cursor = view, lesson, cursor
        self._caption = ""
        self.last_announcement = ""
        """The last phase title announced to a screen reader."""
        for event in (lesson.parameters_changed, lesson.structure_changed, cursor.changed):
            event.connect(self.update)
        self.update()

    def update(self, *_) -> None:
        view = self._view
        text = describe(self.lesson, self.cursor)
        if text != view.accessibleDescription():
            view.setAccessibleDescription(text)  # Qt sends DescriptionChanged itself
        caption = phase_caption(self.cursor)
        if caption != self._caption:
            self._caption = caption
            if caption:
                self.last_announcement = caption
                QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(view, caption))
