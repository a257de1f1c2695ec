"""Build a virtual environment with every floor of requirements.txt and run the tests that use
those packages there (tests/test_floors.py reads what this prints and its exit status).

    python tests/floors_run.py DIRECTORY

It runs as a process of its own, started when the suite is collected (tests/conftest.py), so the
install overlaps the browser tests, which mostly wait for chromium and the server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/test_floors.py::test_the_app_s_tests_pass_on_every_floor"  # the test that waits for the verdict
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


def pins() -> list[str]:
    return floors(ROOT / "requirements.txt") + floors(ROOT / "requirements-dev.txt", TEST_TOOLS)


def main(directory: Path) -> int:
    from packaging.version import Version

    venv.EnvBuilder(with_pip=True).create(directory)
    python = directory / "bin" / "python"
    wanted = pins()
    # --no-compile: the tests import a small part of torch, compiled when imported
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check", *wanted],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        print(f"the floors do not install together: {wanted}\n{installed.stderr[-3000:]}")
        return 1
    frozen = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True).stdout.lower()
    versions = dict(line.split("==", 1) for line in frozen.splitlines() if "==" in line)
    for pin in wanted:  # another package's requirement must not have lifted a floor ("1.67" is "1.67.0")
        name, version = pin.lower().split("==")
        kept = versions.get(name, "0")
        if Version(Version(kept).public) != Version(version):
            print(f"{pin} was not kept: {kept}")
            return 1
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not slow", *TESTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    print(f"on the floors {wanted}:\n{result.stdout[-4000:]}")
    return result.returncode


class Build:
    """This script in a process of its own, in a temporary directory, until the session ends."""

    def __init__(self) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="floors-")
        self.process = subprocess.Popen(
            [sys.executable, __file__, f"{self.directory.name}/venv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def result(self) -> tuple[int, str]:
        """Waits for the verdict: the exit status and what the script printed."""
        output, _ = self.process.communicate()
        return self.process.returncode, output

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        self.directory.cleanup()


_builds: list[Build] = []


def background() -> Build:
    """The build started for this test session (started now if it was not yet)."""
    if not _builds:
        _builds.append(Build())
    return _builds[0]


def stop() -> None:
    while _builds:
        _builds.pop().stop()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
