"""Shared by every test folder. Qt's fixtures live in tests/ui/conftest.py, so the engine, files
and lesson tests run where PySide6 is not installed."""

import os

from hypothesis import settings

settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
