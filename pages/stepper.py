"""Sequence stepper: the six gate heatmaps of a whole sequence, and one timestep in detail.

The forward pass is cached on (weights, input). Stepping happens in the browser: the figure
carries an animation frame per column (ui/stepper_figure.py), and only a small fragment hears
where the student is, for the caption and the shareable URL (ui/step_sync.py).
"""

import pandas as pd
import streamlit as st

from ui import figures, views
from ui.display_grid import Grid, display_grid
from ui.model import QUANTITIES, PreparedInput, Run, fingerprint, saturation
from ui import url_state
from ui.session import chart_config, required_demo, run, tr
from ui.shell import ensure_shell
from ui.step_sync import step_controls
from ui.figures import PrebuiltFigure
from ui.stepper_figure import StepperTexts, stepper_spec


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_spec(key: tuple, _result: Run, _prepared: PreparedInput, column: int, frame_ms: int, grid: Grid,
                _texts: StepperTexts) -> dict:
    """Built once per (weights, input, language, start column, speed) for every session.

    A resource, not data: the spec is never changed after it is built, and copying a
    T = 2000 spec out of a data cache on every rerun would cost more than it saves.
    """
    return stepper_spec(_result, _prepared, _texts, active_step=grid.column_start(column), frame_ms=frame_ms,
                        grid=grid)


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

grid = display_grid(T, H)
if st.session_state.get("t", 0) > T - 1:
    st.session_state["t"] = T - 1
step = st.session_state.get("t", 0)
column = grid.column_of(step)

speed = st.select_slider(t("speed"), [0.4, 0.7, 1.0, 1.5, 2.5], value=1.0, key="speed",
                         format_func=lambda s: t("seconds_per_step", s=s))
st.caption(t("stepper_in_browser"))
spec = cached_spec((fingerprint(demo.current), demo.input_key, t.language), result, prepared, column,
                   int(speed * 1000), grid, views.stepper_texts(t, grid, prepared.kind))
st.plotly_chart(PrebuiltFigure(spec), key="heatmaps", config=chart_config("heatmaps", tools=True))


@st.fragment
def step_details() -> None:
    """Reruns alone when the browser reports a new step: a caption and the URL, nothing heavy."""
    reported = step_controls(column, {"previous": t("previous"), "next": t("next"), "hint": t("step_hint")},
                             on_change=lambda: None)
    if reported != st.session_state.get("reported_column") and 0 <= reported < grid.columns:
        st.session_state["reported_column"] = reported
        st.session_state["t"] = grid.column_start(reported)
    shown = st.session_state.get("t", 0)
    st.markdown(t("current_step", t=shown, token=prepared.tokens[shown]), help=t("current_step_help"))
    if prepared.kind == "text":
        probabilities = result.predictions[shown]
        guess = prepared.vocabulary.tokens[int(probabilities.argmax())]
        st.caption(t("prediction_caption", guess=guess, p=float(probabilities.max()))
                   + ("" if prepared.has_target[shown] else " " + t("no_next_character")))
    url_state.write("stepper")  # a fragment rerun does not pass through app.py


step_details()

st.subheader(t("unit_lines_title"))
pick_units, pick_quantity = st.columns([2, 1])
units = pick_units.multiselect(t("units"), list(range(H)), default=list(range(min(H, 3))), key="units",
                               persist_state="session")
quantity = pick_quantity.selectbox(t("quantity"), QUANTITIES, format_func=titles.get, key="line_quantity",
                                   persist_state="session")
if units:
    values = result.quantity(quantity)
    st.plotly_chart(figures.unit_lines(values, units, prepared.tokens, titles[quantity], labels,
                                       figures.value_range(quantity, values)),
                    key="unit_lines", config=chart_config("unit_lines"))
else:
    st.info(t("pick_units"))

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
