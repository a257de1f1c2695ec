"""Sequence stepper: the six gate heatmaps of a whole sequence, and one timestep in detail.

The forward pass is cached on (weights, input); the timestep-dependent part is a fragment, so
moving the slider, pressing prev/next or playing reruns only that part.
"""

import pandas as pd
import streamlit as st

from ui import figures, views
from ui.model import QUANTITIES, saturation
from ui import url_state
from ui.session import chart_config, required_demo, run, tr
from ui.shell import ensure_shell

ensure_shell()

t = tr()
st.title(t("page_stepper"))
demo = required_demo(t)

prepared = demo.prepared
result = run(demo.current, demo)
T, H = prepared.length, demo.current.recurrent.hidden_size
labels = views.axis_labels(t)
titles = views.quantity_titles(t)
st.caption(t("stepper_intro", T=T, H=H, I=prepared.x.shape[1]))
if demo.is_edited:
    st.info(t("using_edited_weights"))

if prepared.kind == "text":
    with st.expander(t("one_hot_title", T=T, V=prepared.vocabulary.size)):
        st.plotly_chart(
            figures.one_hot_heatmap(prepared.x, prepared.tokens, prepared.vocabulary.tokens,
                                    {**labels, "character": t("character"), "title": t("one_hot_caption")}),
            key="one_hot", config=chart_config("one_hot"),
        )

if st.session_state.get("t", 0) > T - 1:
    st.session_state["t"] = T - 1

play_column, speed_column = st.columns([1, 2], vertical_alignment="center")
playing = play_column.toggle(t("play"), key="playing", disabled=T < 2)
speed = speed_column.select_slider(t("speed"), [0.4, 0.7, 1.0, 1.5, 2.5], value=1.0, key="speed",
                                   format_func=lambda s: t("seconds_per_step", s=s), disabled=not playing)


def shift_timestep(delta: int) -> None:
    st.session_state["t"] = (st.session_state.get("t", 0) + delta) % T


@st.fragment(run_every=speed if playing and T > 1 else None)
def timestep_view() -> None:
    if playing and T > 1:
        shift_timestep(1)
    if T > 1:
        previous, slider, following = st.columns([1, 8, 1], vertical_alignment="bottom")
        previous.button("◀", key="prev", on_click=shift_timestep, args=(-1,), help=t("previous"), width="stretch")
        following.button("▶", key="next", on_click=shift_timestep, args=(1,), help=t("next"), width="stretch")
        step = slider.slider(t("timestep"), 0, T - 1, key="t", persist_state="session")
    else:
        step = 0
    token = prepared.tokens[step]
    st.markdown(t("current_step", t=step, token=token), help=t("current_step_help"))
    quantities = {name: result.quantity(name) for name in QUANTITIES}
    st.plotly_chart(figures.gate_heatmaps(quantities, prepared.tokens, titles, labels, timestep=step),
                    key="heatmaps", config=chart_config("heatmaps", tools=True))

    bars, prediction = st.columns(2)
    with bars:
        at_step = {name: quantities[name][step] for name in QUANTITIES}
        st.plotly_chart(figures.step_bars(at_step, titles, {**labels, "title": t("step_bars_title", t=step)}),
                        key="step_bars", config=chart_config("step_bars"))
    with prediction:
        if prepared.kind == "text":
            true_next = int(prepared.targets[step]) if prepared.has_target[step] else None
            st.plotly_chart(
                figures.prediction_bars(
                    result.predictions[step], prepared.vocabulary.tokens, true_next,
                    {"probability": t("probability"), "true_next": t("true_next"),
                     "title": t("prediction_title", token=token)},
                ),
                key="prediction", config=chart_config("prediction"),
            )
            guess = prepared.vocabulary.tokens[int(result.predictions[step].argmax())]
            st.caption(t("prediction_caption", guess=guess, p=float(result.predictions[step].max()))
                       + ("" if true_next is not None else " " + t("no_next_character")))
        else:
            st.plotly_chart(
                figures.series_prediction(prepared.x[:, 0], result.predictions[:, 0], step,
                                          {"series": t("series"), "prediction": t("prediction"),
                                           "time": t("time"), "title": t("series_prediction_title")}),
                key="series_prediction", config=chart_config("series_prediction"),
            )

    st.subheader(t("unit_lines_title"))
    pick_units, pick_quantity = st.columns([2, 1])
    units = pick_units.multiselect(t("units"), list(range(H)), default=list(range(min(H, 3))), key="units",
                                   persist_state="session")
    quantity = pick_quantity.selectbox(t("quantity"), QUANTITIES, format_func=titles.get, key="line_quantity",
                                       persist_state="session")
    if units:
        values = quantities[quantity]
        st.plotly_chart(figures.unit_lines(values, units, prepared.tokens, titles[quantity], labels, step,
                                           figures.value_range(quantity, values)),
                        key="unit_lines", config=chart_config("unit_lines"))
    else:
        st.info(t("pick_units"))
    url_state.write("stepper")  # a fragment rerun does not pass through app.py


timestep_view()

st.subheader(t("saturation_title"))
st.caption(t("saturation_caption"))
table = {}
for gate in ("f", "i", "o"):
    below, above = saturation(result.quantity(gate))
    table[t("saturation_below", gate=gate)] = below
    table[t("saturation_above", gate=gate)] = above
frame = pd.DataFrame(table, index=pd.Index(range(H), name=t("unit")))
st.dataframe(
    frame, key="saturation",
    column_config={name: st.column_config.ProgressColumn(name, min_value=0.0, max_value=1.0, format="percent")
                   for name in frame.columns},
)
