import os

import pytest

from tests import floors_run

# Keras 3 runs on the torch backend in the parity tests (no TensorFlow needed).
os.environ.setdefault("KERAS_BACKEND", "torch")

# Worker processes and training: seconds of CPU each. `pytest -m "not browser and not slow"` is
# the quick loop while editing lstm_core (see tests/README.md).
SLOW_FILES = {"test_hostile_files.py", "test_training.py", "test_background_jobs.py", "test_long_memory.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session):
    """The floors' environment is built while the rest of the suite runs (tests/floors_run.py)."""
    if any(item.nodeid == floors_run.TEST for item in session.items):
        floors_run.background()


def pytest_sessionfinish(session):
    floors_run.stop()
