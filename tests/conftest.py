"""Shared by every test folder. Qt's fixtures live in tests/ui/conftest.py, so the engine, files
and lesson tests run where PySide6 is not installed."""

import os

from hypothesis import settings

# No deadline in any profile: an example's time depends on the machine's load at that moment, and
# a test must not (figures belong in benchmarks/run.py; pytest-timeout catches a stall).
settings.register_profile("random", deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
# CI explores the same examples on every run, so a submission's CI result does not depend on luck;
# runs elsewhere draw new examples each time and keep finding what CI's fixed ones cannot.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "random"))


def pytest_addoption(parser):
    # pyproject.toml configures pytest-qt; where it is not installed (the Qt-free test run)
    # its options are declared here, so pytest does not refuse them as unknown.
    try:
        import pytestqt  # noqa: F401
    except ImportError:
        parser.addini("qt_api", "pytest-qt's Qt binding (pytest-qt is not installed)")
        parser.addini("qt_log_level_fail", "pytest-qt's log level that fails a test (not installed)")
        parser.addini("qt_log_ignore", "pytest-qt's ignored messages (not installed)", type="linelist")
    try:
        import pytest_timeout  # noqa: F401
    except ImportError:
        parser.addini("timeout", "pytest-timeout's limit per test (not installed)")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def data_folder(monkeypatch, tmp_path_factory):
    """Each test has a data folder of its own (recovery files): a window never meets another
    test's autosave, nor the user's, and never blocks on the recovery offer."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("BACKPROP_GUI_DATA_DIR", str(folder))
    return folder
