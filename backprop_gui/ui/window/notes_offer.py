"""On a fresh profile's first start, a bar above the diagram offers the notes' example in one click.

The app starts on settings that converge (standardised inputs, small random weights); a student
following the course notes wants theirs. The bar offers them (Training > Use the Notes' Example
does the same at any time) and goes once used or dismissed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QWidget

OFFER_TEXT = "Following the course notes? Their worked example in one step:"


class NotesOffer(QToolBar):
    def __init__(self, use: QAction, parent: QWidget | None = None) -> None:
        super().__init__("The notes' example", parent)
        self.setObjectName("notesOfferBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        label = QLabel(OFFER_TEXT)
        label.setObjectName("notesOfferText")
        label.setToolTip("Their table, weights 1 and biases 0, raw inputs, rows in order, L = (y − ŷ)²; Undo puts this setup back")
        label.setContentsMargins(6, 2, 6, 2)
        self.addWidget(label)
        self.use_action = self.addAction("Set up the notes' example")
        self.use_action.setObjectName("notesOfferUse")
        self.use_action.setToolTip(use.toolTip())
        self.use_action.triggered.connect(use.trigger)
        self.use_action.triggered.connect(self.hide)
        self.dismiss_action = self.addAction("Not now")
        self.dismiss_action.setObjectName("notesOfferDismiss")
        self.dismiss_action.triggered.connect(self.hide)
        use.changed.connect(lambda: self.use_action.setEnabled(use.isEnabled()))
        self.hide()
