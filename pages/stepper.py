"""Sequence stepper: heatmaps of the gates, the candidate, C and h over a whole sequence, and one timestep in detail.

The forward pass is cached on (weights, input). Stepping happens in the browser: the controls
(ui/step_sync.py, ui/static/stepper.js) frame a column of the heatmaps and animate the panels
figure to it (ui/stepper_figure.py); only a small fragment hears where the student is, for the
caption and the shareable URL. Below them, the unrolled chain (ui/chain.py) follows the same step.
"""

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from ui import charts, colors, labels, url_state
from ui.chain import CELLS, chain_data, unrolled_chain
from ui.chart_config import chart_config
from ui.display_grid import Grid, display_grid
from ui.figure_base import PrebuiltFigure
from ui.inputs import PreparedInput
from ui.language import tr
from ui.lazy_section import lazy_section
from ui.model import QUANTITIES, Run, fingerprint, saturation
from ui.session import required_demo, run, trained_model, use_trained_model
from ui.shared_cache import FIGURES, is_heavy
from ui.shell import ensure_shell
from ui.step_sync import controls_data, step_controls
from ui.stepper_figure import StepperTexts, column_labels, framed, heatmaps_figure, prepared_panels


def cached_heatmaps(key: tuple, result: Run, prepared: PreparedInput, grid: Grid, texts: StepperTexts) -> dict:
    """Built once per (weights, input, language) for every session; never changed after it is built."""
    return FIGURES.get(
        ("heatmaps", key, grid),
        lambda: heatmaps_figure(result, prepared.tokens, texts, grid),
        heavy=is_heavy(prepared.length, result.trace.h.shape[-1]),
    )


def cached_panels(
    key: tuple, result: Run, prepared: PreparedInput, column: int, grid: Grid, texts: StepperTexts
) -> dict:
    """The bars and the prediction with a frame per column, first showing `column`."""
    return FIGURES.get(
        ("panels", key, column, grid),
        lambda: prepared_panels(result, prepared, texts, grid.column_start(column), grid),
        heavy=is_heavy(prepared.length, result.trace.h.shape[-1]),
    )


def cached_chart(name: str, key: tuple, build: Callable[[], go.Figure]) -> PrebuiltFigure:
    """A chart every session with the same model, input, language and choices draws alike: built
    once as a spec (building one through plotly's figure classes costs tens of ms, which thirty
    students opening the page at once would pay thirty times)."""
    return PrebuiltFigure(FIGURES.get((name, key), lambda: build().to_dict()))


ensure_shell()

t = tr()
st.title(t("page_stepper"))
demo = required_demo(t)

prepared = demo.prepared
result = run(demo.current, demo)
T, H = prepared.length, demo.current.recurrent.hidden_size
axes = labels.axis_labels(t)
titles = labels.quantity_titles(t)
st.caption(t("stepper_intro", T=T, H=H, I=prepared.x.shape[1]), help=t("stepper_in_browser"))
if demo.is_edited:
    st.info(t("using_edited_weights"))

random_weights = prepared.kind == "text" and demo.spec.preset == "random" and not demo.is_edited
grid = display_grid(T, H)
if st.session_state.get("t", 0) > T - 1:
    st.session_state["t"] = T - 1
column = grid.column_of(st.session_state.get("t", 0))
figure_key = (fingerprint(demo.current), demo.input_key, t.language)
texts = labels.stepper_texts(t, grid, prepared.kind)


def inspect(step: int, unit: int) -> None:
    """A unit and step on the Cell anatomy page (its "current model" view), and the stepper kept
    on that step for the way back."""
    st.session_state.update(cell_source="model", cell_unit=unit, cell_step=step, t=step)
    st.switch_page("pages/cell.py")  # from inside the fragment too: the switch is a full run of the other page


@st.fragment
def step_details() -> None:
    """Reruns alone when the browser reports a new step: a caption and the URL, nothing heavy."""
    data = controls_data(
        repr(figure_key),
        column,
        column_labels(grid, prepared.tokens),
        labels.stepper_control_texts(t),
        frame_ms=url_state.current("speed"),
        rows=grid.rows,
    )
    reported, st.session_state["speed"], clicked = step_controls(data, on_change=lambda: None)  # speed: for the link
    if clicked is not None:  # a heatmap cell: open it on the Cell anatomy page, this model's own numbers
        clicked_column, row = clicked  # a block of a reduced grid opens its first unit and step
        inspect(grid.column_start(clicked_column), min(row * grid.units, H - 1))
    if reported != st.session_state.get("reported_column") and 0 <= reported < grid.columns:
        st.session_state["reported_column"] = reported
        st.session_state["t"] = grid.column_start(reported)
    shown = st.session_state.get("t", 0)
    text = t("current_step", t=shown, token=prepared.tokens[shown])
    if prepared.kind == "series" and result.predictions.shape[1] > 1:  # a classifier head on the series
        probabilities, last = result.predictions[shown], prepared.length - 1
        text += " · " + t(
            "classifier_caption",
            k=int(probabilities.argmax()),
            p=float(probabilities.max()),
            last=last,
            k_last=int(result.predictions[last].argmax()),
            p_last=float(result.predictions[last].max()),
        )
    elif prepared.kind == "text":
        probabilities = result.predictions[shown]
        guess = prepared.vocabulary.tokens[int(probabilities.argmax())]
        text = t.sentences(
            text + " · " + t("prediction_caption", guess=guess, p=float(probabilities.max())),
            t("prediction_chance", chance=1 / prepared.vocabulary.size) if random_weights else "",
            "" if prepared.has_target[shown] else t("no_next_character"),
        )
    st.caption(text, help=t("current_step_help"))
    url_state.write("stepper")  # a fragment rerun does not pass through app.py


step_details()
# The heatmaps come with a frame on the column they first open at in this session (stepper.js
# takes over the frame once it runs): the same spec on every later run, so they are never redrawn.
first_framed = st.session_state.get("heatmaps_first_column")
if first_framed is None or first_framed[0] != figure_key:
    first_framed = st.session_state["heatmaps_first_column"] = (figure_key, column)
st.plotly_chart(
    PrebuiltFigure(framed(cached_heatmaps(figure_key, result, prepared, grid, texts), first_framed[1])),
    key="heatmaps",
    config=chart_config("heatmaps"),
)
st.plotly_chart(
    PrebuiltFigure(cached_panels(figure_key, result, prepared, column, grid, texts)),
    key="panels",
    config=chart_config("panels"),
)
st.caption(t("stepper_click_hint"))

st.subheader(t("chain_title"))
st.caption(t("chain_caption"))
if st.session_state.get("chain_unit", 0) >= H:  # a smaller model than the one the unit was picked in
    st.session_state["chain_unit"] = 0
pick_unit, pick_cells = st.columns(2)
chain_unit = pick_unit.selectbox(t("chain_unit"), range(H), key="chain_unit", persist_state="session")
chain_cells = pick_cells.segmented_control(
    t("chain_cells"),
    CELLS,
    default=5,
    key="chain_cells",
    persist_state="session",
    required=True,
    help=t("chain_cells_help"),
)
chain_clicked = unrolled_chain(
    chain_data(
        repr(figure_key),
        result,
        chain_unit,
        chain_cells,
        grid.steps,
        column,
        prepared.tokens,
        {"title": t("chain_title"), "open": t("chain_open", t="{t}")},
    )
)
if chain_clicked is not None:
    inspect(*chain_clicked)

if random_weights:  # the tutorials' example predicts 公→主→很→漂→亮 only once trained
    st.info(t("random_guesses", V=prepared.vocabulary.size, chance=1 / prepared.vocabulary.size))
    with st.container(horizontal=True):  # buttons at their natural width: whole words in both languages
        st.button(
            t("train_on_input"),
            key="train_on_input",
            type="primary",
            icon=":material/school:",
            on_click=lambda: st.session_state.update(preset="trained"),
        )
        if (shared := trained_model()) is not None:
            st.button(t("use_session_model"), key="use_session_model", on_click=use_trained_model, args=(shared, False))


def one_hot_chart() -> None:
    st.plotly_chart(
        cached_chart(
            "one_hot",
            figure_key,
            lambda: charts.one_hot_heatmap(
                prepared.x,
                prepared.tokens,
                prepared.vocabulary.tokens,
                {**axes, "character": t("character"), "title": t("one_hot_caption")},
            ),
        ),
        key="one_hot",
        config=chart_config("one_hot"),
    )


def unit_lines() -> None:
    pick_units, pick_quantity = st.columns([2, 1])
    units = pick_units.multiselect(
        t("units"), list(range(H)), default=list(range(min(H, 3))), key="units", persist_state="session"
    )
    quantity = pick_quantity.selectbox(
        t("quantity"), QUANTITIES, format_func=titles.get, key="line_quantity", persist_state="session"
    )
    if not units:
        st.info(t("pick_units"))
        return
    values = result.quantity(quantity)
    st.plotly_chart(
        cached_chart(
            "unit_lines",
            (figure_key, quantity, tuple(units)),
            lambda: charts.unit_lines(
                values, units, prepared.tokens, titles[quantity], axes, colors.value_range(quantity, values)
            ),
        ),
        key="unit_lines",
        config=chart_config("unit_lines"),
    )


def saturation_chart() -> None:
    st.caption(t("saturation_caption"))
    st.plotly_chart(
        cached_chart(
            "saturation",
            figure_key,
            lambda: charts.saturation_scatter(
                {gate: saturation(result.quantity(gate)) for gate in ("f", "i", "o")},
                {"open": t("saturation_open"), "closed": t("saturation_closed"), "units": t("saturation_units")},
            ),
        ),
        key="saturation",
        config=chart_config("saturation"),
    )


# Below the fold: built and drawn only when opened (ui/lazy_section.py)
if prepared.kind == "text":
    lazy_section(t("one_hot_title", T=T, V=prepared.vocabulary.size), "open_one_hot", one_hot_chart)
lazy_section(t("unit_lines_title"), "open_unit_lines", unit_lines)
lazy_section(t("saturation_title"), "open_saturation", saturation_chart)
