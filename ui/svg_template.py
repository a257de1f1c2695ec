"""An SVG drawing from ui/static/ whose changing parts carry a data-id: the cell diagrams.

The drawing lives in one file (ui/static/cell_diagram.svg, gru_diagram.svg). The server fills
it with one step's numbers and words by data-id (`SvgTemplate.render`), and the cell page's
browser twin (ui/static/cell_live.js) repaints the same data-ids in place while a slider moves:
one picture, two writers, no copy of the geometry in either. data-id rather than id, so that two
diagrams on one page are still valid HTML.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from ui import static_files

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NAMESPACE)

Painting = Mapping[str, Mapping[str, str | float]]  # data-id → {"text" or an attribute: its value}


class SvgTemplate:
    """One of ui/static/'s diagrams, parsed once (our own file: no untrusted XML reaches it)."""

    def __init__(self, name: str):
        root = ET.fromstring(static_files.read(name))
        for element in root.iter():  # the file's indentation is not part of the picture
            if element.text is not None and not element.text.strip():
                element.text = None
            if element.tail is not None and not element.tail.strip():
                element.tail = None
        ids = [element.get("data-id") for element in root.iter() if element.get("data-id")]
        duplicated = {name for name in ids if ids.count(name) > 1}
        if duplicated:
            raise ValueError(f"{name}: data-id used twice: {sorted(duplicated)}")
        self.name, self.ids, self._root = name, frozenset(ids), root

    def render(self, painting: Painting, removed: Iterable[str] = (), root: Mapping[str, str] | None = None) -> str:
        """The drawing with `painting` written into its data-ids ("text" sets the element's text),
        the parts named in `removed` left out and `root`'s attributes on the <svg> element."""
        tree = copy.deepcopy(self._root)
        by_id = {element.get("data-id"): element for element in tree.iter() if element.get("data-id")}
        unknown = (set(painting) | set(removed)) - self.ids
        if unknown:
            raise ValueError(f"{self.name}: no data-id {sorted(unknown)}")
        for name, parts in painting.items():
            element = by_id[name]
            for attribute, value in parts.items():
                text = f"{value:.4f}" if isinstance(value, float) else str(value)
                if attribute == "text":
                    element.text = text
                else:
                    element.set(attribute, text)
        if removed:  # ElementTree knows no parents: found only when something is left out
            parents = {child: parent for parent in tree.iter() for child in parent}
            for name in removed:
                parents[by_id[name]].remove(by_id[name])
        for attribute, value in (root or {}).items():
            tree.set(attribute, value)
        return ET.tostring(tree, encoding="unicode")
