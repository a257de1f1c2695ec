"""The floors for bench/latency.py: bare Streamlit pages, measured in the same run as the app's own.

- With no query, one small Plotly heatmap: what any Streamlit + Plotly page costs to open on this
  machine (the Streamlit and Plotly bundles, the websocket, one script run).
- With the stepper's query and `figures=stepper` (`?figures=stepper&input=series&series=sine&
  length=2000&hidden=256`), the stepper's own two figures for that input, as the page sends them
  (the heatmaps framed on the first column, the panels), on a wide page as the app's, and
  nothing else: what Streamlit and Plotly need to show those figures, whatever page is around
  them. They are built once, at the first visit, and sent as built after that, as the app's
  shared cache does.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY
from ui import inputs, labels
from ui import model as demo
from ui.chart_config import chart_config
from ui.display_grid import display_grid
from ui.figure_base import PrebuiltFigure
from ui.i18n import Translator
from ui.stepper_figure import framed, stepper_specs


@st.cache_resource
def stepper_figures(text: str, series: str | None, length: int, hidden: int) -> tuple[dict, dict]:
    """The stepper's heatmaps (framed on column 0) and panels for the app's default model."""
    if series is None:
        prepared = inputs.prepare_text(text, CLASSIC_VOCABULARY)
    else:
        prepared = inputs.prepare_series(inputs.generate_series(series, length))
    run = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=hidden), prepared), prepared)
    grid = display_grid(prepared.length, hidden)
    texts = labels.stepper_texts(Translator("en"), grid, prepared.kind)
    heatmaps, panels = stepper_specs(run, prepared, texts, grid=grid)
    return framed(heatmaps, 0), panels


query = st.query_params
stepper = query.get("figures") == "stepper"
st.set_page_config(layout="wide" if stepper else "centered")  # the stepper's figures as wide as the app draws them
st.title("Bare baseline")
if stepper:
    heatmaps, panels = stepper_figures(
        query.get("text", CLASSIC_SENTENCE),
        query.get("series", "sine") if query.get("input") == "series" else None,
        int(query.get("length", 40)),
        int(query.get("hidden", 8)),
    )
    st.plotly_chart(PrebuiltFigure(heatmaps), key="heatmaps", config=chart_config("heatmaps"))
    st.plotly_chart(PrebuiltFigure(panels), key="panels", config=chart_config("panels"))
else:
    st.plotly_chart(go.Figure(go.Heatmap(z=np.random.default_rng(0).random((8, 5)))), key="baseline")
