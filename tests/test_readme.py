"""The README's two set-up commands are the ones that actually run."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = (
        "apt-get update && apt-get install -y chromium fonts-noto-cjk nginx && pip install -r requirements-dev.txt"
        " && ruff check . && ruff format --check . && mypy && python -m pytest"
    )
    assert command in readme and command in ci


def test_readme_app_command_and_pictures_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && streamlit run app.py" in readme
    for picture in ("docs/stepper.png", "docs/cell.png"):
        assert picture in readme and (ROOT / picture).stat().st_size > 10_000
    for placeholder in ("BENCH_TABLE", "LONG_MEMORY_TABLE", "TRAINING_TABLE"):
        assert placeholder not in readme
