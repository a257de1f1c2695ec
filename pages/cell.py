"""Cell anatomy: one step of a 1-input, 1-unit LSTM cell, every weight on a slider (or of its
lighter cousin, the GRU: ui/gru_cell.py).

While a slider moves, ui/cell_live.py redraws the diagram in the browser at once; the server's
answer follows with the same numbers from lstm_core, and the values and equations with it.

The picture (diagram, values, equations) is a keyed fragment, `cell_picture`. A weight or input
slider's callback asks for a rerun of that fragment alone (`st.rerun("cell_picture")` replaces
the interaction's default rerun), so a move recomputes one cell step and re-sends the picture,
not the two dozen controls, the sidebar or the shared model. The preset, Reset and the clamp
checkboxes change which controls are shown or what they hold, so they rerun the whole page.
"""

from collections.abc import Mapping
from typing import Any

import streamlit as st

from lstm_core.reference import TUTORIAL_ORDER
from ui import cell_values, labels, url_state
from ui.cell_diagram import cell_diagram
from ui.cell_live import DIAGRAM_KEY, EQUATIONS_KEY, SHOWN, VALUES_KEY, answer_delay, cell_live
from ui.cell_presets import DEFAULTS, PEEPHOLE_KEYS, PRESETS, SLIDER_RANGES
from ui.diagram_view import show_diagram
from ui.equations import equations, one_block, unit_equations
from ui.gru_cell import gru_cell
from ui.language import tr
from ui.session import current_demo, run
from ui.shell import ensure_shell
from ui.static_files import STATIC
from ui.value_grid import value_grid

ensure_shell()

st.html(STATIC / "cell.css")  # smaller diagram labels on a 1024 px projector

t = tr()
st.title(t("page_cell"))
demo = current_demo()
intro = st.empty()  # filled once the source is chosen: sliders, or a unit and step of the model
recurrent_activation = demo.current.recurrent.recurrent_activation.name if demo else "sigmoid"
activation = demo.current.recurrent.activation.name if demo else "tanh"

with st.container(horizontal=True, gap="large"):
    source = st.segmented_control(
        t("cell_source"),
        ("sliders", "model"),
        format_func=lambda k: t(f"cell_source_{k}"),
        default=url_state.current("cell_source"),
        key="cell_source",
        required=True,
        persist_state="session",
        disabled=demo is None,
        help=t("cell_source_help"),
    )
    kind = st.segmented_control(
        t("cell_kind"),
        ("lstm", "gru"),
        format_func=lambda k: t(f"cell_kind_{k}"),
        default=url_state.current("cell_kind"),
        key="cell_kind",
        required=True,
        persist_state="session",
        disabled=source == "model" and demo is not None,  # the model is an LSTM
        help=t("cell_kind_help"),
    )


@st.fragment
def model_cell() -> None:
    """One unit at one timestep of the demo's own model, its terms spelled out."""
    layer, prepared = demo.current.recurrent, demo.prepared
    result = run(demo.current, demo)
    trace = result.trace
    pick_unit, pick_step = st.columns([1, 3])
    # a link's (or an earlier model's) unit and step, kept inside this model and this input
    for key, largest in (("cell_unit", layer.hidden_size - 1), ("cell_step", prepared.length - 1)):
        if url_state.current(key) > largest:
            st.session_state[key] = largest
    unit = pick_unit.selectbox(
        t("unit"),
        list(range(layer.hidden_size)),
        url_state.current("cell_unit"),
        key="cell_unit",
        persist_state="session",
    )
    step = (
        pick_step.slider(
            t("timestep"),
            0,
            prepared.length - 1,
            url_state.current("cell_step"),
            key="cell_step",
            persist_state="session",
        )
        if prepared.length > 1
        else 0
    )
    values = cell_values.cell_values_from_run(result, step, unit, prepared.tokens[step])
    st.session_state["t"] = step  # the stepper opens on the step shown here: the way back is to the same place
    st.page_link("pages/stepper.py", label=t("back_to_stepper", t=step), icon=":material/arrow_back:")
    terms = {}
    for gate in TUTORIAL_ORDER:
        weights = layer.gate(gate)
        terms[gate] = (
            float(weights.W[unit] @ trace.x[step]),
            float(weights.U[unit] @ trace.h_prev[step]),
            float(weights.b[unit]),
        )
    picture, numbers = st.container(key="cell_model_layout").columns([3, 2])
    with picture:
        title = t("cell_model_caption", unit=unit, H=layer.hidden_size, t=step, token=prepared.tokens[step])
        activations = (recurrent_activation, activation)
        show_diagram(
            cell_diagram(values, labels.diagram_labels(t), activations=activations, title=title),
            "cell_model_diagram",
            t,
        )
    with numbers:
        st.caption(title)
        st.latex(one_block(unit_equations(values, terms, recurrent_activation, activation)))


def apply_preset() -> None:
    """Set every slider to the chosen preset (runs before the sliders are drawn)."""
    preset = st.session_state.get("cell_preset", "default")
    for key, value in {**DEFAULTS, **PRESETS[preset]}.items():
        st.session_state[f"cell_{key}"] = value
    for gate in "fio":
        st.session_state[f"clamp_{gate}"] = False


def reset() -> None:
    st.session_state["cell_preset"] = "default"
    apply_preset()


PICTURE = "cell_picture"  # the key of the fragment a slider move reruns


def redraw_picture() -> None:
    """A slider's callback: rerun only the picture; the slider already shows its new value."""
    st.rerun(PICTURE)


def slider(key: str, label: str) -> None:
    low, high = SLIDER_RANGES[key]
    st.slider(
        label,
        low,
        high,
        url_state.current(f"cell_{key}"),
        step=0.05,
        key=f"cell_{key}",
        persist_state="session",
        on_change=redraw_picture,
    )


def cell_controls() -> None:
    """The preset, the inputs x, h, C, the twelve weights and the clamps (their values: current_settings)."""
    st.selectbox(
        t("cell_preset"),
        list(PRESETS),
        url_state.index_of("cell_preset", PRESETS),
        format_func=lambda k: t(f"cell_preset_{k}"),
        key="cell_preset",
        on_change=apply_preset,
        persist_state="session",
    )
    st.button(t("reset"), on_click=reset, key="cell_reset", width="stretch", icon=":material/restart_alt:")
    st.markdown(f"**{t('cell_inputs')}**")
    slider("x", "$x_t$")
    slider("h", "$h_{t-1}$")
    slider("c", "$C_{t-1}$")
    peephole, coupled = current_variant()
    for gate in TUTORIAL_ORDER:
        if coupled and gate == "i":  # i = 1 − f: its weights are not used
            continue
        with st.expander(t(f"gate_{gate}"), expanded=gate == "f"):
            for part in ("W", "U", "b"):
                slider(f"{part}{gate}", f"${part}_{gate}$")
    st.markdown(f"**{t('variant_title')}**")
    st.checkbox(
        t("variant_peephole"),
        url_state.current("cell_peephole"),
        key="cell_peephole",
        persist_state="session",
        help=t("variant_peephole_help"),
    )
    if peephole:
        for key in PEEPHOLE_KEYS:
            if not (coupled and key == "pi"):
                slider(key, f"$p_{key[1]}$")
    st.checkbox(
        t("variant_coupled"),
        url_state.current("cell_coupled"),
        key="cell_coupled",
        persist_state="session",
        help=t("variant_coupled_help"),
    )
    st.markdown(f"**{t('clamp_title')}**")
    st.caption(t("clamp_help"))
    clampable = ("f", "o") if coupled else ("f", "i", "o")  # coupled: i follows f
    for gate in clampable:  # one below the other: side by side, the labels are cut at 1024 px
        if st.checkbox(
            t("clamp_gate", gate=gate),
            url_state.current(f"clamp_{gate}"),
            key=f"clamp_{gate}",
            persist_state="session",
        ):
            st.slider(
                t("clamp_value", gate=gate),
                0.0,
                1.0,
                url_state.current(f"clamp_{gate}_value"),
                0.05,
                key=f"clamp_{gate}_value",
                persist_state="session",
                label_visibility="collapsed",
                on_change=redraw_picture,
            )


def current_settings(state: Mapping[str, Any] | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """What the sliders hold now (keyed as DEFAULTS) and the clamped gates, read from session state.

    The picture is drawn before the controls on a full run, and without them on a slider's
    keyed rerun; in both cases session state already holds every slider's current value.
    Read as one copy (`state`, if the caller made one this run), as url_state.write reads it.
    """
    state = st.session_state.to_dict() if state is None else state
    settings = {key: state.get(f"cell_{key}", default) for key, default in DEFAULTS.items()}
    clamp = {gate: state.get(f"clamp_{gate}_value", 1.0) for gate in "fio" if state.get(f"clamp_{gate}", False)}
    if current_variant()[1]:
        clamp.pop("i", None)  # coupled: i follows f
    return settings, clamp


def current_variant() -> tuple[bool, bool]:
    """colah's variants switched on: (peephole connections, coupled forget and input gates)."""
    return bool(url_state.current("cell_peephole")), bool(url_state.current("cell_coupled"))


@st.fragment(key=PICTURE)
def cell_picture() -> None:
    """One step of the cell from the current settings: the diagram, the six values, the equations."""
    state = st.session_state.to_dict()  # read once: the picture changes nothing in it
    settings, clamp = current_settings(state)
    peephole, coupled = current_variant()
    step, values = cell_values.slider_cell_step(settings, clamp, recurrent_activation, activation, peephole, coupled)

    computed_for = {**settings, "clamp": clamp}  # a late answer is known by these (ui/cell_live.py)
    diagram = cell_diagram(
        values,
        labels.diagram_labels(t),
        clamped=tuple(clamp),
        activations=(recurrent_activation, activation),
        computed_for=computed_for,
        peephole=peephole,
        coupled=coupled,
        title=t("page_cell"),
    )
    show_diagram(diagram, DIAGRAM_KEY, t)  # the twin repaints it while a slider moves
    answer_delay()
    st.markdown(value_grid(values, SHOWN, 3, VALUES_KEY), unsafe_allow_html=True)  # the twin rewrites these too
    st.subheader(t("equations"))
    with st.container(key=EQUATIONS_KEY):  # the twin greys these out while they are behind the sliders
        lines = equations(values, settings, step, recurrent_activation, activation, clamp, t, peephole, coupled)
        st.latex(one_block(lines))
    if peephole or coupled:
        st.caption(
            t.sentences(t("variant_peephole_note") if peephole else "", t("variant_coupled_note") if coupled else "")
        )
    st.caption(t("cell_activation_note", recurrent=recurrent_activation, activation=activation))
    url_state.write("cell", state)  # a fragment rerun does not pass through app.py


def slider_cell() -> None:
    """The cell on sliders: the picture first (it reads the sliders' values from session state), then the controls."""
    controls, picture = st.columns([1, 2.3], gap="medium")
    with picture:
        cell_picture()
    with controls:
        cell_controls()
        cell_live(
            *current_settings(),
            recurrent_activation,
            activation,
            metrics=SHOWN,
            variant=current_variant(),
        )


if source == "model" and demo is not None:
    intro.caption(t("cell_intro_model"))
    model_cell()
elif kind == "gru":
    intro.caption(t("gru_intro"))
    gru_cell(t, recurrent_activation, activation)
else:
    intro.caption(t("cell_intro"))
    slider_cell()
