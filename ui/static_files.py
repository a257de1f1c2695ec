"""The browser code and styles in ui/static/: real .js and .css files (a linter and an editor see
them; tests/ui/test_static_files.py checks their syntax), read by the components and pages."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")
