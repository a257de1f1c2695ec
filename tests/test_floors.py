"""The lowest versions requirements.txt admits are versions the app runs on.

A floor is a promise: `streamlit>=1.67` says 1.67 has every API we call. tests/floors_run.py
builds a fresh virtual environment with every runtime package at its floor (`name>=X` →
`name==X`, read from requirements.txt itself, so the promise and the test cannot drift apart),
the test oracles beside them, and runs the tests that exercise those packages: the core's files
and numbers (numpy, h5py, safetensors), the figures (plotly) and the pages through Streamlit's
AppTest (streamlit, pandas). It needs the package index that `pip install -r
requirements-dev.txt` needs anyway. conftest.py starts it when the suite is collected; this test
waits for its verdict (in whichever xdist worker runs it).
"""

import pytest

from tests import floors_run


def test_the_floors_are_read_from_the_requirements():
    runtime = floors_run.floors(floors_run.ROOT / "requirements.txt")
    assert {pin.split("==")[0] for pin in runtime} >= {"streamlit", "numpy", "plotly", "pandas", "h5py", "safetensors"}
    tools = floors_run.floors(floors_run.ROOT / "requirements-dev.txt", floors_run.TEST_TOOLS)
    assert {pin.split("==")[0] for pin in tools} == set(floors_run.TEST_TOOLS)


@pytest.mark.slow
def test_the_app_s_tests_pass_on_every_floor():
    returncode, output = floors_run.result()
    assert returncode == 0, output
