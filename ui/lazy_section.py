"""A collapsed section whose contents are built only once a student opens it.

Plotly lays out every chart Streamlit sends, visible or not, on the page's main thread, and a
first visit's heatmaps wait for all of them. So the charts far below the stepper's heatmaps sit
in sections like these: Streamlit's lazy expander (`on_change="rerun"`, `.open`) in a fragment
of its own, so that opening one reruns that section alone.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


@st.fragment
def lazy_section(label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander labelled `label`, closed at first; `draw()` fills it while it is open."""
    section = st.expander(label, key=key, on_change="rerun")
    if section.open:
        with section:
            draw()
