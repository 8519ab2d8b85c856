"""Every pyqtgraph view: the only modules of the app that import pyqtgraph.

Owns the loss plot (``loss_plot.py``, with ``peak_envelope.py`` for a long history and
``plot_palette.py``) and its dock (``loss_panel.py`` with ``metrics_panel.py``), and the learning
views (``learning_views.py`` over ``loss_landscape.py`` and ``landscape_surface.py``,
``input_space.py``, ``activation_explorer.py`` and ``kept_runs_panel.py``). It may import the engine, the lesson and
``ui.widgets``; no other ui subpackage.
"""
