"""The sidebar every page shares: language, input, model settings and the weight layout, and the
demo they define (the base model, with the weights lab's edits applied on top).

Settings that make a demo are widgets whose keys are registered in `ui.url_state`, so a link
opens the same view; their defaults come from there too."""

from __future__ import annotations

import streamlit as st

import lstm_core
from ui import inputs, url_state
from ui import model as demo
from ui.i18n import Translator
from ui.input_widgets import input_settings
from ui.language import language_switch, tr
from ui.session import Demo, trained_model
from ui.shared_models import PresetProgress, cached_base_model
from ui.url_state import ACTIVATIONS, INITIALIZERS, LAYOUTS, RECURRENT_ACTIVATIONS

PAGES_WITH_THEIR_OWN_MODELS = ("train", "gradients")


def _model_settings(t: Translator, page: str) -> demo.ModelSpec:
    """The random or trained-preset model's settings; greyed out, with the model's own sizes
    said, while the session's trained or imported model is the one in use."""
    if page in PAGES_WITH_THEIR_OWN_MODELS:
        st.caption(t("model_settings_elsewhere"))
    trained = trained_model()
    presets = ("random", "trained", "session") if trained else ("random", "trained")
    preset = st.selectbox(
        t("preset"),
        presets,
        url_state.index_of("preset", presets),
        format_func=lambda k: t(f"preset_{k}"),
        key="preset",
        help=t("preset_help", epochs=demo.TRAINED_PRESET_EPOCHS),
    )
    in_session = preset == "session"
    if in_session:
        layer = trained.model.recurrent
        st.caption(
            t(
                "session_model_sizes",
                kind=layer.KIND.upper(),
                I=layer.input_size,
                H=layer.hidden_size,
                gate=layer.recurrent_activation.name,
                cell=layer.activation.name,
            )
        )
        st.caption(t("link_cannot_carry"))
    hidden = st.slider(
        t("hidden_size"),
        1,
        demo.MAX_HIDDEN_SIZE,
        url_state.current("hidden"),
        key="hidden",
        help=t("hidden_size_help"),
        disabled=in_session,
    )
    seed = st.number_input(t("seed"), 0, 2**31 - 1, url_state.current("seed"), 1, key="seed", disabled=in_session)
    initializer = st.selectbox(
        t("initializer"),
        INITIALIZERS,
        url_state.index_of("init", INITIALIZERS),
        key="init",
        help=t("initializer_help"),
        disabled=in_session,
    )
    recurrent_activation = st.selectbox(
        t("recurrent_activation"),
        RECURRENT_ACTIVATIONS,
        url_state.index_of("ract", RECURRENT_ACTIVATIONS),
        key="ract",
        help=t("recurrent_activation_help"),
        disabled=in_session,
    )
    activation = st.selectbox(
        t("activation"),
        ACTIVATIONS,
        url_state.index_of("act", ACTIVATIONS),
        key="act",
        help=t("activation_help"),
        disabled=in_session,
    )
    unit_forget_bias = st.checkbox(
        t("unit_forget_bias"),
        url_state.current("ufb"),
        key="ufb",
        help=t("unit_forget_bias_help"),
        disabled=in_session,
    )
    return demo.ModelSpec(
        int(hidden), int(seed), initializer, recurrent_activation, activation, bool(unit_forget_bias), preset
    )


def sidebar(page: str = "") -> Demo | None:
    """Draw the shared settings and return the demo they define (None while the input is bad:
    the page then shows the error from the sidebar and keeps nothing half-built)."""
    t = tr()
    if st.session_state.get("preset") == "session" and trained_model() is None:
        st.session_state["preset"] = "random"  # a shared link cannot carry a trained model
        st.info(t("no_trained_model"))
    with st.sidebar:
        language_switch()
        with st.expander(t("section_input"), expanded=True):
            prepared, input_key = input_settings(t)
        with st.expander(t("section_model"), expanded=False):
            spec = _model_settings(t, page)
        layout = st.radio(
            t("layout"),
            LAYOUTS,
            url_state.index_of("layout", LAYOUTS),
            format_func=lambda k: t(f"layout_{k}"),
            key="layout",
            horizontal=True,
            help=t("layout_help"),
        )
    if prepared is None:
        return None
    for notice in prepared.notices:
        st.info(t(f"notice_{notice}", text_limit=inputs.MAX_TEXT_CHARACTERS, series_limit=inputs.MAX_SERIES_LENGTH))
    base = _shared_trained_model(t, spec, prepared)
    if base is None and spec.preset == "trained":
        progress = PresetProgress(t)
        base = cached_base_model(spec, input_key, prepared, progress)
        progress.done()
    elif base is None:
        with st.spinner(t("building_model")):
            base = cached_base_model(spec, input_key, prepared)
        if spec.preset == "trained" and prepared.length >= 2:
            steps, epochs = demo.preset_training_plan(spec.hidden_size, prepared)
            if steps < prepared.length - 1 or epochs < demo.TRAINED_PRESET_EPOCHS:
                st.info(t("preset_budget", steps=steps, epochs=epochs, T=prepared.length))
    base_key = f"{input_key}|{spec}"
    if st.session_state.get("edits_for") != base_key:
        if st.session_state.get("edits_for") is None:  # a session's first model: the link's edits
            st.session_state["edits"] = demo.edits_from_link(st.session_state)
        else:
            if not st.session_state.get("edits", demo.Edits()).is_empty:
                st.toast(t("edits_reset"))
            demo.forget_edits(st.session_state)  # the model changed under them, or they did not fit it
        st.session_state["edits_for"] = base_key
    edits = st.session_state["edits"]
    try:
        current = demo.apply_edits(base, edits)
    except ValueError as error:
        st.error(t.error(error))
        demo.forget_edits(st.session_state)
        edits = st.session_state["edits"]
        current = base
    st.session_state["cells"] = dict(edits.cells)  # what a link carries of them (ui/url_state.py)
    return Demo(prepared, spec, input_key, base, current, edits, layout)


def _shared_trained_model(
    t: Translator, spec: demo.ModelSpec, prepared: inputs.PreparedInput
) -> lstm_core.Model | None:
    """The Train page's LSTM when the preset asks for it and it fits this input, else None."""
    trained = trained_model()
    if spec.preset != "session" or trained is None:
        return None
    model = trained.model
    reads_text = trained.vocabulary is not None
    if model.recurrent.input_size != prepared.x.shape[1] or reads_text != (prepared.kind == "text"):
        kind = lambda text: t("input_text") if text else t("input_series")  # noqa: E731
        st.warning(
            t(
                "trained_model_mismatch",
                wanted=kind(reads_text),
                given=kind(prepared.kind == "text"),
                model=t("reads_characters", size=model.recurrent.input_size)
                if reads_text
                else t("reads_numbers", size=model.recurrent.input_size),
            )
        )
        return None
    return model
