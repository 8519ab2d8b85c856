"""Help > User Guide (the guide shipped with the app, read offline) and Help > About."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from ... import APP_TITLE, __version__
from ...files.resources import resource_path

GUIDE_FILE = "user_guide.html"
NOTATION_HELP = (
    "w^k_ij is the weight from neuron i of layer k−1 to neuron j of layer k (the inputs are layer 0).\n"
    "b_kj is the bias of neuron j in layer k, and O_kj is that neuron's output.\n\n"
    "O₁₁ = w¹₁₁·IQ + w¹₂₁·CGPA + b₁₁\n"
    "ŷ = O₂₁ = w²₁₁·O₁₁ + w²₂₁·O₁₂ + b₂₁\n"
    "L = (y − ŷ)²,   w_new = w_old − η·∂L/∂w"
)


class UserGuide(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(f"{APP_TITLE} — User Guide")
        self.resize(820, 680)
        self.browser = QTextBrowser()
        self.browser.setObjectName("userGuideText")
        self.browser.setOpenExternalLinks(True)  # the guide itself is local; a web link goes to the browser
        path = resource_path(GUIDE_FILE)
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.browser.toPlainText()


def about_box(parent: QWidget) -> QMessageBox:
    """The About box, not yet shown (``open()`` it)."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(f"About {APP_TITLE}")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setText(
        f"<b>{APP_TITLE}</b> {__version__}<p>Learn backpropagation on the course notes' network: step one row "
        "through the forward pass, the loss and the chain rule, and watch gradient descent train it.</p>"
        f"<p><small>PySide6 {PySide6.__version__}; the User Guide is in the Help menu.</small></p>"
    )
    return box


class HelpActions(QObject):
    """The Help menu: User Guide (F1), Notation, About."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.user_guide: UserGuide | None = None
        self.about: QMessageBox | None = None
        guide = QAction("&User Guide", window)
        guide.setObjectName("userGuideAction")
        guide.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents))
        guide.setStatusTip("How to use the app, step by step (offline)")
        guide.triggered.connect(self.show_user_guide)
        notation = QAction("&Notation", window)
        notation.triggered.connect(lambda: QMessageBox.information(window, "Notation", NOTATION_HELP))
        about = QAction(f"&About {APP_TITLE}", window)
        about.setObjectName("aboutAction")
        about.triggered.connect(self.show_about)
        self.actions = [guide, notation, about]

    def show_user_guide(self) -> UserGuide:
        if self.user_guide is None:
            self.user_guide = UserGuide(self.window)
        self.user_guide.setFont(self.window.font())  # at the window's zoom
        self.user_guide.show()
        self.user_guide.raise_()
        return self.user_guide

    def show_about(self) -> QMessageBox:
        self.about = about_box(self.window)
        self.about.open()
        return self.about
