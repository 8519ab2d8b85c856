"""The network diagram and everything drawn on it.

Owns ``network_view.py`` (the diagram a step is shown on) with its parts ``diagram_layout.py``
(where things go, plain Python), ``diagram_items.py``, ``diagram_placement.py``, ``diagram_text.py``
and ``diagram_interaction.py``; ``lesson_diagram.py`` (the diagram following a lesson) and
``weight_editor.py``. It may import the engine, the files, the lesson and ``ui.widgets``; no other
ui subpackage, and no pyqtgraph.
"""
