"""The browser code in ui/static/ is real JavaScript and CSS: checked here, not only when a
browser test happens to run it."""

import shutil
import subprocess

import pytest

from ui.static_files import STATIC, read
from ui.svg_template import SvgTemplate

SCRIPTS = sorted(STATIC.glob("*.js"))
STYLES = sorted(STATIC.glob("*.css"))
DRAWINGS = sorted(STATIC.glob("*.svg"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_script_parses_as_a_module(path, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    module = tmp_path / (path.stem + ".mjs")  # the components load them as ES modules
    module.write_text(read(path.name), encoding="utf-8")
    checked = subprocess.run([node, "--check", str(module)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("path", STYLES, ids=lambda p: p.name)
def test_every_style_sheet_has_balanced_braces_and_comments(path):
    text = read(path.name)
    assert text.count("/*") == text.count("*/")
    without_comments = "".join(part.split("*/")[-1] for part in text.split("/*"))
    depth = 0
    for character in without_comments:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0, f"{path.name}: a '}}' closes nothing"
    assert depth == 0, f"{path.name}: a '{{' is never closed"


def test_every_static_file_is_used():
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (*STATIC.parent.glob("*.py"), *STATIC.parents[1].glob("pages/*.py"), STATIC.parents[1] / "app.py")
    )
    for path in (*SCRIPTS, *STYLES, *DRAWINGS):
        assert f'"{path.name}"' in source, f"{path.name} is read by nothing"


@pytest.mark.parametrize("path", DRAWINGS, ids=lambda p: p.name)
def test_every_drawing_is_a_template_with_unique_data_ids(path):
    template = SvgTemplate(path.name)  # parses it and refuses a data-id used twice
    assert {"title", "highway", "next_step"} <= template.ids
    markup = template.render({})
    assert "<!--" not in markup and "\n" not in markup  # one line of markup: one HTML block for st.markdown
