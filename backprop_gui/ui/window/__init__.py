"""The window's own settings and chrome: theme, presentation mode, the user guide, undo.

Owns ``app_settings.py`` (settings kept between sessions), ``presentation.py``, ``theme.py``,
``user_guide.py``, ``undo_bridge.py`` (the lesson's undo history on Qt's undo stack) and the
accessibility: ``accessibility.py`` (names), ``diagram_speech.py`` (the diagram in words) and
``keyboard.py`` (mnemonics, the diagram's arrow keys). They may
import the engine, the files, the lesson and ``ui.widgets``; no other ui subpackage.
"""
