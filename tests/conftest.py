import os
import shutil
import tempfile

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


def pytest_configure(config):
    """The process that starts the suite says where the floors' verdict goes; xdist's workers,
    started after this, inherit it (tests/floors_run.py)."""
    if not hasattr(config, "workerinput"):
        directory = tempfile.mkdtemp(prefix="floors-verdict-")
        os.environ[floors_run.VERDICT] = os.path.join(directory, "verdict")
        config.add_cleanup(lambda: shutil.rmtree(directory, ignore_errors=True))


def pytest_collection_finish(session):
    """The floors' environment is built while the rest of the suite runs (tests/floors_run.py),
    started by the process that runs the suite: here without xdist, below with it."""
    if not hasattr(session.config, "workerinput") and floors_run.TEST in (item.nodeid for item in session.items):
        floors_run.background()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """xdist's controller: a worker collected the suite (every worker collects all of it)."""
    if floors_run.TEST in ids:
        floors_run.background()


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        floors_run.stop()
