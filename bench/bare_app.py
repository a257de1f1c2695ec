"""The floor for bench/latency.py: a bare Streamlit page with one small Plotly heatmap.

What any Streamlit + Plotly page costs to open on this machine (the Streamlit and Plotly
bundles, the websocket, one script run), measured in the same run as the app's own pages.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Bare baseline")
st.plotly_chart(go.Figure(go.Heatmap(z=np.random.default_rng(0).random((8, 5)))), key="baseline")
