"""The File menu's side: the document, recent files and the exports.

Owns ``document.py`` (``SessionDocument``: title, modified state, open, save, CSV import and
export), ``recent_files.py``, ``export_actions.py`` (the File menu's exports) and ``handout_pdf.py``
(a handout as PDF, through Qt), ``autosave.py`` (the recovery file written after changes) and
``recovery_offer.py`` (what a crash left, offered when the window is first shown). It may import
the engine, the files, the lesson, the exports, ``ui.dialogs`` and ``ui.widgets``; no other ui
subpackage.
"""
