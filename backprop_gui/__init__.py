"""Backprop GUI: learn backpropagation by stepping through the course notes' network."""

__version__ = "0.1.0"
