"""The lowest versions requirements.txt admits are versions the app runs on.

A floor is a promise: `streamlit>=1.67` says 1.67 has every API we call. This test builds a
fresh virtual environment with every runtime package at its floor (`name>=X` → `name==X`, read
from requirements.txt itself, so the promise and the test cannot drift apart), the test oracles
beside them, and runs the tests that exercise those packages: the core's files and numbers
(numpy, h5py, safetensors), the figures (plotly) and the pages through Streamlit's AppTest
(streamlit, pandas). It needs the package index that `pip install -r requirements-dev.txt`
needs anyway.
"""

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# What runs against the floors: one test file per package's use (all of them would double the suite).
TESTS = [
    "tests/core/test_lstm_parity.py",
    "tests/core/test_files.py",
    "tests/core/test_safetensors.py",
    "tests/core/test_saving.py",
    "tests/ui/test_figures.py",
    "tests/ui/test_stepper_figure.py",
    "tests/pages/test_cell.py",
    "tests/pages/test_stepper.py",
    "tests/pages/test_csv_series.py",
    "tests/pages/test_models.py",
]
# The oracles and the runner, as requirements-dev.txt pins or floors them.
TEST_TOOLS = ("torch", "keras", "pytest", "hypothesis")


def floors(path: Path, names: tuple[str, ...] | None = None) -> list[str]:
    """`name==floor` for every `name>=floor` (or `name==version`) line of a requirements file."""
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*(?:>=|==)\s*([0-9][^,;\s]*)", line.strip())
        if match and (names is None or match.group(1) in names):
            pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def test_the_floors_are_read_from_the_requirements():
    runtime = floors(ROOT / "requirements.txt")
    assert {pin.split("==")[0] for pin in runtime} >= {"streamlit", "numpy", "plotly", "pandas", "h5py", "safetensors"}
    assert {pin.split("==")[0] for pin in floors(ROOT / "requirements-dev.txt", TEST_TOOLS)} == set(TEST_TOOLS)


@pytest.mark.slow
def test_the_app_s_tests_pass_on_every_floor(tmp_path):
    environment = tmp_path / "floors"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    pins = floors(ROOT / "requirements.txt") + floors(ROOT / "requirements-dev.txt", TEST_TOOLS)
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, f"the floors do not install together: {pins}\n{installed.stderr[-3000:]}"
    frozen = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True).stdout.lower()
    installed_versions = dict(line.split("==", 1) for line in frozen.splitlines() if "==" in line)
    for pin in pins:  # another package's requirement must not have lifted a floor ("1.67" is "1.67.0")
        name, version = pin.lower().split("==")
        kept = installed_versions.get(name, "0")
        assert Version(Version(kept).public) == Version(version), f"{pin} was not kept: {kept}"
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not slow", *TESTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, f"on the floors {pins}:\n{result.stdout[-4000:]}"
