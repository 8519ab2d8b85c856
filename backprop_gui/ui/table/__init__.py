"""The data table: the Data dock, its Qt model, its actions and the predictions beside it.

Owns ``data_panel.py`` over ``table_model.py`` (the lesson's table as a Qt model),
``table_actions.py`` and ``prediction_panel.py``. It may import the engine, the files, the lesson
and ``ui.widgets``; no other ui subpackage.
"""
