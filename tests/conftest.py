import os

import pytest

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
