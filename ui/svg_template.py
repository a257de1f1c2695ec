"""An SVG drawing from ui/static/ whose changing parts carry a data-id: the cell diagrams.

The drawing lives in one file (ui/static/cell_diagram.svg, gru_diagram.svg). The server fills
it with one step's numbers and words by data-id (`SvgTemplate.render`), and the cell page's
browser twin (ui/static/cell_live.js) repaints the same data-ids in place while a slider moves:
one picture, two writers, no copy of the geometry in either. data-id rather than id, so that two
diagrams on one page are still valid HTML.

Every slider move on the cell page renders a diagram, for every student of a class at once, so
the file is compiled once into markup strings: every part without a data-id inside it is text
made at start-up, and a render only writes the few data-id elements and joins. (Copying the
parsed tree and serialising it with ElementTree each time was a sixth of the server's work per
move; the output is the same markup, which tests/ui/test_svg_template.py holds.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ui import static_files

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NAMESPACE)

Painting = Mapping[str, Mapping[str, str | float]]  # data-id → {"text" or an attribute: its value}
ATTRIBUTE_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}  # as ElementTree writes them


def escape_text(text: str) -> str:
    return escape(text)  # &, <, >


def escape_attribute(value: str) -> str:
    return escape(value, ATTRIBUTE_ENTITIES)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # "{http://www.w3.org/2000/svg}rect" → "rect"


def _open_tag(tag: str, attributes: Mapping[str, str], empty: bool) -> str:
    """The start tag of `tag` with `attributes` (already escaped), or the whole tag when `empty`."""
    written = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<{tag}{written}{' />' if empty else '>'}"


def _escaped(attributes: Mapping[str, str]) -> dict[str, str]:
    return {name: escape_attribute(value) for name, value in attributes.items()}


@dataclass(frozen=True)
class _Node:
    """An element that is, or holds, a data-id element; everything else is already markup."""

    data_id: str | None
    tag: str
    attributes: dict[str, str]  # escaped
    text: str | None
    children: tuple[str | _Node, ...]
    tail: str
    open_tag: str  # as written when nothing paints it, made once
    empty_tag: str  # the same, with nothing inside

    def write(self, out: list[str], painting: Painting, removed: frozenset[str], root: Mapping[str, str]) -> None:
        """Append this element's markup to `out`."""
        if self.data_id in removed:  # left out with its tail, as ElementTree's remove() does
            return
        text, attributes = self.text, None
        parts = painting.get(self.data_id, {}) if self.data_id else {}
        if parts or root:
            attributes = dict(self.attributes)
            for name, value in parts.items():
                written = f"{value:.4f}" if isinstance(value, float) else str(value)
                if name == "text":
                    text = written
                else:
                    attributes[name] = escape_attribute(written)
            attributes.update(_escaped(root))
        start = len(out)
        out.append(self.open_tag if attributes is None else _open_tag(self.tag, attributes, False))
        out.append(escape_text(text) if text else "")
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            else:
                child.write(out, painting, removed, {})
        if not text and len(out) == start + 2:  # nothing inside, or all of it left out
            del out[start:]
            out.append(self.empty_tag if attributes is None else _open_tag(self.tag, attributes, True))
        else:
            out.append(f"</{self.tag}>")
        out.append(self.tail)


def _static_markup(element: ET.Element) -> str:
    """The markup of a part with no data-id in it, as ElementTree writes it."""
    tag = _local(element.tag)
    empty = not element.text and not len(element)
    inner = "" if empty else escape_text(element.text or "") + "".join(map(_static_markup, element)) + f"</{tag}>"
    return _open_tag(tag, _escaped(element.attrib), empty) + inner + escape_text(element.tail or "")


def _compile(element: ET.Element, attributes: dict[str, str] | None = None) -> str | _Node:
    if not any(part.get("data-id") for part in element.iter()):
        return _static_markup(element)
    tag, attributes = _local(element.tag), _escaped(attributes or element.attrib)
    return _Node(
        element.get("data-id"),
        tag,
        attributes,
        element.text,
        tuple(_compile(child) for child in element),
        escape_text(element.tail or ""),
        _open_tag(tag, attributes, False),
        _open_tag(tag, attributes, True),
    )


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
        self.name, self.ids = name, frozenset(ids)
        compiled = _compile(root, {"xmlns": SVG_NAMESPACE, **root.attrib})
        if not isinstance(compiled, _Node):
            raise ValueError(f"{name}: no data-id to fill")
        self._root = compiled

    def render(self, painting: Painting, removed: Iterable[str] = (), root: Mapping[str, str] | None = None) -> str:
        """The drawing with `painting` written into its data-ids ("text" sets the element's text),
        the parts named in `removed` left out and `root`'s attributes on the <svg> element."""
        removed = frozenset(removed)
        unknown = (set(painting) | removed) - self.ids
        if unknown:
            raise ValueError(f"{self.name}: no data-id {sorted(unknown)}")
        out: list[str] = []
        self._root.write(out, painting, removed, root or {})
        return "".join(out)
