"""Export a lesson as code: a NumPy script, a PyTorch script, a Jupyter notebook.

Owns ``export_code.py`` (the entry points ``export_code`` and ``write_code``) over ``code_numpy.py``,
``code_pytorch.py``, ``code_notebook.py`` and ``code_template.py``. It may import the engine, the
files, ``export.snapshot`` (a lesson frozen for exporting) and nbformat; no Qt.
"""
