"""Plotly's config for every chart: the camera button's format and file name, and which charts
get zoom and pan."""

from __future__ import annotations

import streamlit as st

IMAGE_FORMATS = ("png", "svg")


def image_format() -> str:
    """The format of every chart's camera button, chosen on the Export page (PNG by default)."""
    chosen = st.session_state.get("image_format", "png")
    return chosen if chosen in IMAGE_FORMATS else "png"


def chart_config(name: str, tools: bool = False) -> dict:
    """Plotly's config for one chart: its own image export (the camera button, PNG or SVG,
    named after the chart) always; zoom and pan too where `tools` (large heatmaps)."""
    chosen = image_format()
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": chosen,
            "filename": f"lstm_gate_lab_{name}",
            "scale": 2 if chosen == "png" else 1,
        },
    }
    if not tools:
        config["modeBarButtons"] = [["toImage"]]
    return config
