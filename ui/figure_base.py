"""What every figure shares: the font (one that has the Chinese glyphs), the marker colour, and a
figure that Streamlit takes without validating it again."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = dict(family="Noto Sans CJK SC, Noto Sans, Arial, sans-serif", size=15, color="#1a202c")


MARKER_COLOR = "#ff2d55"


class PrebuiltFigure(go.Figure):
    """A finished Plotly spec that st.plotly_chart takes without validating it again.

    Given a dict, st.plotly_chart rebuilds a go.Figure to validate it (most of a rerun's time
    for the stepper's hundreds of frames); given a go.Figure it
    only calls to_dict(). This figure's to_dict() is the spec we built; tests validate it with go.Figure.
    """

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec
