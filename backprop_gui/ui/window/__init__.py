"""The window's own settings and chrome: theme, presentation mode, the user guide, undo.

Owns ``app_settings.py`` (settings kept between sessions), ``presentation.py``, ``theme.py``,
``user_guide.py`` and ``undo_bridge.py`` (the lesson's undo history on Qt's undo stack). They may
import the engine, the files, the lesson and ``ui.widgets``; no other ui subpackage.
"""
