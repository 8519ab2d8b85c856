"""What can be measured of a network: metrics, a gradient check, the loss landscape, contours.

Owns ``metrics.py`` (accuracy and the regression measures), ``gradient_check.py`` (the chain rule
against finite differences), ``landscape.py`` (the loss over a plane of two parameters) and
``contours.py`` (contour lines of a grid) and ``saturation.py`` (each hidden neuron's slope over the
rows: saturated and dead neurons). It may import the engine's plain modules and
``engine.training``; nothing else in the engine imports it.
"""
