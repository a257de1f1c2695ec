"""The Cell anatomy page's GRU, the LSTM's lighter cousin: a 1-input, 1-unit GRU on sliders, its
diagram (ui/gru_diagram.py), its four values and its equations with the numbers filled in.

As with the LSTM cell, a slider's callback reruns only the picture fragment. There is no browser
twin here: the diagram follows a slider when it is let go (or after a key press)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ui import labels, url_state
from ui.cell_presets import GRU_DEFAULTS, GRU_GATES, GRU_RANGES
from ui.diagram_view import show_diagram
from ui.equations import gru_equations, one_block
from ui.gru_diagram import gru_diagram, gru_step
from ui.i18n import Translator
from ui.value_grid import value_grid

GRU_PICTURE = "gru_picture"  # the key of the fragment a GRU slider move reruns
SHOWN = ("r", "z", "n", "h")  # the values under the diagram, in one row


def gru_settings(state: Mapping[str, Any]) -> dict[str, float]:
    """The GRU sliders' values (keyed as GRU_DEFAULTS), from a copy of session state (one lookup
    at a time costs more, ui/url_state.write) or the link's."""
    return {key: url_state.current(f"gru_{key}", state) for key in GRU_DEFAULTS}


@st.fragment(key=GRU_PICTURE)
def gru_picture(t: Translator, recurrent_activation: str, activation: str) -> None:
    state = st.session_state.to_dict()  # read once: the picture changes nothing in it
    settings = gru_settings(state)
    values = gru_step(settings, recurrent_activation, activation)
    activations = (recurrent_activation, activation)
    show_diagram(gru_diagram(values, labels.diagram_labels(t), activations, title=t("cell_kind_gru")), "gru_diagram", t)
    st.markdown(value_grid(values, SHOWN, 4, "gru_values"), unsafe_allow_html=True)
    st.subheader(t("equations"))
    st.latex(one_block(gru_equations(values, settings, recurrent_activation, activation)))
    st.caption(t("gru_cell_note"))
    url_state.write("cell", state)  # a fragment rerun does not pass through app.py


def reset_gru() -> None:
    for key, value in GRU_DEFAULTS.items():
        st.session_state[f"gru_{key}"] = value


def gru_slider(key: str, label: str) -> None:
    low, high = GRU_RANGES[key]
    st.slider(
        label,
        low,
        high,
        url_state.current(f"gru_{key}"),
        step=0.05,
        key=f"gru_{key}",
        persist_state="session",
        on_change=lambda: st.rerun(GRU_PICTURE),
    )


def gru_controls(t: Translator) -> None:
    st.button(t("reset"), on_click=reset_gru, key="gru_reset", width="stretch", icon=":material/restart_alt:")
    st.markdown(f"**{t('cell_inputs')}**")
    gru_slider("x", "$x_t$")
    gru_slider("h", "$h_{t-1}$")
    for gate in GRU_GATES:
        with st.expander(t(f"gru_gate_{gate}"), expanded=gate == "z"):
            for part in ("W", "U", "b"):
                gru_slider(f"{part}{gate}", f"${part}_{gate}$")


def gru_cell(t: Translator, recurrent_activation: str, activation: str) -> None:
    """The GRU on sliders: the picture first (it reads the sliders' values), then the controls."""
    controls, picture = st.columns([1, 2.3], gap="medium")
    with picture:
        gru_picture(t, recurrent_activation, activation)
    with controls:
        gru_controls(t)
