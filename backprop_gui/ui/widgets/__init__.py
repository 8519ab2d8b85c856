"""Leaf helpers every ui room may use; they import no other ui module.

Owns ``actions.py`` (making a QAction), ``throttle.py`` (a redraw at most once an interval),
``background.py`` (a view's computation in a pool thread, the latest state winning),
``number_inputs.py``, ``parameter_edit.py``, ``file_drop.py``, ``text_zoom.py``, ``export_png.py``
``feedback.py`` (messages for the status bar) and ``contrast.py`` (WCAG contrast ratios, the
high-contrast flag). They may import Qt, the engine, the files and
the lesson; nothing else of the ui.
"""
