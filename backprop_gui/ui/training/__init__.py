"""Training from the window: the settings form, the Training menu, the runner and its thread.

Owns ``training_panel.py`` (the dock) over ``training_controls.py`` (the settings form, with
``architecture_input.py`` and ``data_checks.py``) and ``run_progress.py``; ``lesson_actions.py``
(the Training menu's actions); ``training_runner.py`` and ``training_worker.py`` (a run on a worker
thread, copied into the lesson). It may import the engine, the lesson, ``ui.dialogs`` and
``ui.widgets``; no other ui subpackage.
"""
