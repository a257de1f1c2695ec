"""Build a virtual environment with every floor of requirements.txt and run the tests that use
those packages there (tests/test_floors.py reads what this prints and its exit status).

    python tests/floors_run.py DIRECTORY VERDICT_FILE

It runs as a process of its own, started once the suite is collected (tests/conftest.py), so the
install overlaps the other tests; it writes its verdict into VERDICT_FILE, where
tests/test_floors.py waits for it, in whichever xdist worker runs it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
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
        # in one process: the floors' environment has no pytest-xdist (pyproject.toml's -n 2)
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=-ra --strict-markers"]
        + ["-m", "not browser and not slow", *TESTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    print(f"on the floors {wanted}:\n{result.stdout[-4000:]}")
    return result.returncode


VERDICT = "LSTM_GATE_LAB_FLOORS_VERDICT"  # where the build writes its verdict, for whichever process runs the test


def verdict_file() -> Path:
    """The file the build writes its verdict to: set by the process that starts the suite
    (conftest.py), so the xdist workers, which it starts after, inherit the same path."""
    return Path(os.environ[VERDICT])


class Build:
    """This script in a process of its own, in a temporary directory, until the session ends. Its
    verdict (exit status, then what it printed) goes into verdict_file() when it ends, where the
    test reads it, from the process that started it or from an xdist worker."""

    def __init__(self) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="floors-")
        self.process = subprocess.Popen(
            [sys.executable, __file__, f"{self.directory.name}/venv", str(verdict_file())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.directory.cleanup()


_builds: list[Build] = []


def background() -> None:
    """Start the build for this test session, once."""
    if not _builds:
        _builds.append(Build())


def result(poll_seconds: float = 1.0) -> tuple[int, str]:
    """Waits for the verdict of the build this session started: the exit status and what it printed."""
    path = verdict_file()
    while not path.exists():  # written whole, by one rename, when the build ends
        time.sleep(poll_seconds)
    status, _, output = path.read_text(encoding="utf-8").partition("\n")
    return int(status), output


def write_verdict(path: Path, directory: Path) -> int:
    """Run main() with its printing captured, and put the verdict where result() waits for it:
    whatever happens, a crash included, so that the test never waits for a verdict that will not come."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            status = main(directory)
    except BaseException:
        status = 1
        printed.write(traceback.format_exc())
    partial = path.with_suffix(".part")
    partial.write_text(f"{status}\n{printed.getvalue()}", encoding="utf-8")
    partial.replace(path)
    return status


def stop() -> None:
    while _builds:
        _builds.pop().stop()


if __name__ == "__main__":
    sys.exit(write_verdict(Path(sys.argv[2]), Path(sys.argv[1])))
