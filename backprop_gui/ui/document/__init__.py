"""The File menu's side: the document, recent files and the exports.

Owns ``document.py`` (``SessionDocument``: title, modified state, open, save, CSV import and
export), ``recent_files.py``, ``export_actions.py`` (the File menu's exports) and ``handout_pdf.py``
(a handout as PDF, through Qt). It may import the engine, the files, the lesson, the exports,
``ui.dialogs`` and ``ui.widgets``; no other ui subpackage.
"""
