"""The lesson's side panels: the chain rule, the nudge panel and the step log.

Owns ``chain_rule_panel.py``, ``nudge_panel.py`` and ``step_log_view.py``. They may import the
engine, the lesson and ``ui.widgets``; no other ui subpackage.
"""
