"""A cell diagram on a page: the SVG drawing in a keyed container, and a button that downloads
it as an .svg file, for a teacher's slides (what Plotly's camera button gave the diagram when it
was a chart)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import streamlit as st

from ui import svg_template  # noqa: F401 (registers the SVG namespace, so the file keeps plain tags)
from ui.i18n import Translator

STANDALONE_WIDTH = "900"  # px: a file has no column to fill


def standalone(svg: str) -> str:
    """The page's drawing (100% of its column wide) as a file that opens at a fixed size."""
    drawing = ET.fromstring(svg)  # our own markup (ui/svg_template.py), not an upload
    drawing.set("width", STANDALONE_WIDTH)
    return ET.tostring(drawing, encoding="unicode")


def show_diagram(svg: str, key: str, t: Translator) -> None:
    """Draw `svg` (ui/svg_template.py) in the container `key`, with its download button under it.

    The file is made only when the button is pressed (a callable): a slider move, which re-sends
    the picture, does not store a copy of it on the server."""
    with st.container(key=key):
        st.markdown(svg, unsafe_allow_html=True)
    st.download_button(
        t("download_diagram"),
        data=lambda: standalone(svg),
        file_name=f"lstm_gate_lab_{key}.svg",
        mime="image/svg+xml",
        key=f"{key}_download",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )
