"""The compiled SVG templates write the same markup as copying the parsed tree and serialising it
with ElementTree (the oracle below, what ui/svg_template.py did before it was compiled)."""

import copy
import itertools
import xml.etree.ElementTree as ET

import pytest

from ui import static_files
from ui.svg_template import SvgTemplate


def elementtree_render(name, painting, removed=(), root=None) -> str:
    tree = ET.fromstring(static_files.read(name))
    for element in tree.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    tree = copy.deepcopy(tree)
    by_id = {element.get("data-id"): element for element in tree.iter() if element.get("data-id")}
    for data_id, parts in painting.items():
        for attribute, value in parts.items():
            text = f"{value:.4f}" if isinstance(value, float) else str(value)
            if attribute == "text":
                by_id[data_id].text = text
            else:
                by_id[data_id].set(attribute, text)
    parents = {child: parent for parent in tree.iter() for child in parent}
    for data_id in removed:
        parents[by_id[data_id]].remove(by_id[data_id])
    for attribute, value in (root or {}).items():
        tree.set(attribute, value)
    return ET.tostring(tree, encoding="unicode")


HOSTILE = 'a < b & "c" > d\n\té 公主'


@pytest.mark.parametrize("name", ["cell_diagram.svg", "gru_diagram.svg"])
def test_every_data_id_painted_or_removed_gives_elementtree_s_markup(name):
    template = SvgTemplate(name)
    ids = sorted(template.ids)
    assert template.render({}) == elementtree_render(name, {})
    for data_id in ids:
        painting = {data_id: {"text": HOSTILE, "fill": "#123456", "new-attribute": 0.123456, "class": HOSTILE}}
        assert template.render(painting) == elementtree_render(name, painting)
        assert template.render({}, removed=[data_id]) == elementtree_render(name, {}, removed=[data_id])
    root = {"aria-label": HOSTILE, "data-computed-for": '{"x": 1}'}
    every = {data_id: {"text": f"{k}", "opacity": float(k)} for k, data_id in enumerate(ids)}
    for removed in itertools.combinations(ids[:4], 2):
        assert template.render(every, removed, root) == elementtree_render(name, every, removed, root)


def test_an_unknown_data_id_is_refused():
    template = SvgTemplate("cell_diagram.svg")
    with pytest.raises(ValueError, match="no data-id"):
        template.render({"nowhere": {"text": "x"}})
    with pytest.raises(ValueError, match="no data-id"):
        template.render({}, removed=["nowhere"])
