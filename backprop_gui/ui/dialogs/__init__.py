"""The dialogs the menus open: gradient check, CSV import, the known answer, practice.

Each ``*_dialog.py`` shows one dialog. They may import the engine, the files, the lesson and
``ui.widgets``, and no other ui subpackage: the menus that open them live above.
"""
