"""Backprop GUI: learn backpropagation by stepping through the course notes' network."""

__version__ = "0.1.0"
APP_TITLE = "Backprop GUI"
"""The app's name, in its window title, menus and dialogs."""
