"""A Plotly spec of shapes and text (the cell diagram) drawn as one inline SVG on the server."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping


def static_svg(spec: Mapping, width: int = 900, label: str = "") -> str:
    """A figure of shapes and text only (the cell diagram), drawn as one inline SVG on the server.

    The home page shows the cell diagram as a picture, with nothing to hover or zoom; drawn with
    Plotly, a first visit waits for Plotly's script (megabytes) to load and run before the
    page shows anything. This draws the same spec (lines, rectangles,
    pixel-sized circles, annotations with <b>, <br> and <sub>) at `width` pixels, scaled to its
    column by the browser. Anything else in the spec is a ValueError, not a silent omission.
    """
    layout = spec["layout"]
    if spec.get("data"):
        raise ValueError("static_svg draws layout shapes and annotations only, not traces.")
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    margin, height = layout.get("margin", {}), layout["height"]
    left, right, top, bottom = (margin.get(side, 0) for side in ("l", "r", "t", "b"))
    font = layout.get("font", {})

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    parts = [f'<rect width="{width}" height="{height}" fill="{layout.get("paper_bgcolor", "white")}"/>']
    for shape in layout.get("shapes", []):
        line = shape.get("line", {})
        stroke = f'stroke="{line.get("color", "#444")}" stroke-width="{line.get("width", 2)}"'
        if shape["type"] == "line":
            parts.append(
                f'<line x1="{px(shape["x0"]):.1f}" y1="{py(shape["y0"]):.1f}" x2="{px(shape["x1"]):.1f}" '
                f'y2="{py(shape["y1"]):.1f}" {stroke}/>'
            )
        elif shape["type"] == "rect":
            left_x, right_x = sorted((px(shape["x0"]), px(shape["x1"])))
            top_y, bottom_y = sorted((py(shape["y0"]), py(shape["y1"])))
            parts.append(
                f'<rect x="{left_x:.1f}" y="{top_y:.1f}" width="{right_x - left_x:.1f}" '
                f'height="{bottom_y - top_y:.1f}" fill="{shape.get("fillcolor", "none")}" {stroke}/>'
            )
        elif shape["type"] == "circle" and shape.get("xsizemode") == "pixel" and shape.get("ysizemode") == "pixel":
            parts.append(
                f'<circle cx="{px(shape["xanchor"]):.1f}" cy="{py(shape["yanchor"]):.1f}" '
                f'r="{(shape["x1"] - shape["x0"]) / 2:.1f}" fill="{shape.get("fillcolor", "none")}" {stroke}/>'
            )
        else:
            raise ValueError(f"static_svg cannot draw a {shape['type']!r} shape sized like this.")
    for note in layout.get("annotations", []):
        if note.get("showarrow", True):
            raise ValueError("static_svg draws annotations without arrows only.")
        style = {**font, **note.get("font", {})}
        anchor = {"left": "start", "right": "end"}.get(note.get("xanchor", "center"), "middle")
        lines = note["text"].split("<br>")
        tspans = []
        for number, text in enumerate(lines):
            dy = f"{-0.65 * (len(lines) - 1):.2f}em" if number == 0 else "1.3em"
            tspans.append(f'<tspan x="{px(note["x"]):.1f}" dy="{dy}">{_svg_runs(text)}</tspan>')
        parts.append(
            f'<text x="{px(note["x"]):.1f}" y="{py(note["y"]):.1f}" text-anchor="{anchor}" '
            f'dominant-baseline="central" font-family="{html.escape(style.get("family", "sans-serif"))}" '
            f'font-size="{style.get("size", 12)}" fill="{style.get("color", "#444")}">{"".join(tspans)}</text>'
        )
    title = f"<title>{html.escape(label)}</title>" if label else ""
    return (
        f'<svg class="lstm-static" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{html.escape(label)}" style="max-width: {width}px">'
        f"{title}{''.join(parts)}</svg>"
    )


def _svg_runs(text: str) -> str:
    """Plotly's <b> and <sub> as SVG tspans; the rest as escaped text."""
    out, bold, sub = [], False, False
    for token in re.split(r"(</?b>|</?sub>)", text):
        if token in ("<b>", "</b>"):
            bold = token == "<b>"
        elif token in ("<sub>", "</sub>"):
            sub = token == "<sub>"
        elif token:
            attributes = (' font-weight="bold"' if bold else "") + (
                ' baseline-shift="sub" font-size="70%"' if sub else ""
            )
            out.append(f"<tspan{attributes}>{html.escape(token)}</tspan>" if attributes else html.escape(token))
    return "".join(out)
