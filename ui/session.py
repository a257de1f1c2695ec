"""The state that makes a demo, in one place: the sidebar's settings, the shared model, the input.

Settings that make a demo are widgets whose keys are registered in `ui.url_state`, so a link
opens the same view; their defaults come from there too. The base model is a pure function of (input, spec) and cached; the weights
lab's edits live in `st.session_state["edits"]` and apply on top; every forward pass is cached
on the model's fingerprint and the input, so moving a timestep never recomputes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import lstm_core
from ui import background_jobs, series_file
from ui import model as demo
from ui.i18n import LANGUAGES, Translator
from ui.shared_cache import BASE_MODELS, RUNS, is_heavy
from ui.training_worker import MAX_JOBS, run_in_worker
from ui.url_state import ACTIVATIONS, INITIALIZERS, LAYOUTS, RECURRENT_ACTIVATIONS, SERIES_KINDS

IMAGE_FORMATS = ("png", "svg")


def image_format() -> str:
    """The format of every chart's camera button, chosen on the Export page (PNG by default)."""
    chosen = st.session_state.get("image_format", "png")
    return chosen if chosen in IMAGE_FORMATS else "png"


def chart_config(name: str, tools: bool = False) -> dict:
    """Plotly's config for one chart: its own image export (the camera button, PNG or SVG,
    named after the chart) always; zoom and pan too where `tools` (large heatmaps)."""
    chosen = image_format()
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": chosen,
            "filename": f"lstm_gate_lab_{name}",
            "scale": 2 if chosen == "png" else 1,
        },
    }
    if not tools:
        config["modeBarButtons"] = [["toImage"]]
    return config


def tr() -> Translator:
    """The translator for the language chosen in the sidebar."""
    language = st.session_state.get("lang", "en")
    return Translator(language if language in LANGUAGES else "en")


@dataclass(frozen=True)
class Demo:
    """What every page works on: the input, the base model, and the model with edits."""

    prepared: demo.PreparedInput
    spec: demo.ModelSpec
    input_key: str
    base: lstm_core.Model
    current: lstm_core.Model
    edits: demo.Edits
    layout: str

    @property
    def is_edited(self) -> bool:
        return not self.edits.is_empty


@st.cache_data(max_entries=64, show_spinner=False)
def cached_text_input(text: str, vocabulary: str, strict: bool = False) -> demo.PreparedInput:
    return demo.prepare_text(text, vocabulary, strict)


def trained_model() -> dict | None:
    """The model the Train page shared with the other pages, if any."""
    return st.session_state.get("trained_model")


@st.cache_data(max_entries=64, show_spinner=False)
def cached_series_input(values: np.ndarray) -> demo.PreparedInput:
    return demo.prepare_series(values)


def cached_base_model(
    spec: demo.ModelSpec, input_key: str, prepared: demo.PreparedInput, progress: PresetProgress | None = None
) -> lstm_core.Model:
    """Shared by every session: a preset's model is computed once per server. A trained preset
    trains within its budget (ui.model.preset_training_plan) in a training worker, as a job
    that outlives reruns (ui.background_jobs), while `progress` shows how far it is."""
    key = (spec, input_key)
    if spec.preset != "trained":
        return BASE_MODELS.get(key, lambda: demo.build_model(spec, prepared))
    model = BASE_MODELS.peek(key)
    if model is not None:
        return model

    def train(job: background_jobs.Job) -> lstm_core.Model:
        return BASE_MODELS.get(
            key, lambda: run_in_worker(demo.build_model, spec, prepared, on_progress=job.training, on_wait=job.queued)
        )

    job = background_jobs.attach(key, train)
    while not job.finished:
        if progress is not None:
            progress.show(job)  # a Streamlit call: a Stop or a rerun ends the wait here, not the job
        time.sleep(0.25)
        job = background_jobs.attach(key, train)  # still waited for (or, if it was abandoned, again)
    if job.error is not None:
        raise job.error
    return job.result


class PresetProgress:
    """What a student sees while the trained preset is computed: a progress bar that says whether
    it trains (share of its epochs, seconds so far) or waits for one of the server's trainers,
    and a button that cancels it (the random preset instead; the job, no longer waited for,
    stops). Nothing is drawn for a model computed already."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.box = st.empty()
        self.bar = None

    def show(self, job: background_jobs.Job) -> None:
        if self.bar is None:
            with self.box.container():
                self.bar = st.empty()
                st.button(
                    self.t("preset_cancel"),
                    key="preset_cancel",
                    on_click=_cancel_trained_preset,
                    help=self.t("preset_cancel_help"),
                )
        seconds = round(time.monotonic() - job.started)
        if job.phase == "queued":
            self.bar.progress(
                0.0, text=self.t("preset_queued", waiting=job.waiting, trainers=MAX_JOBS, seconds=seconds)
            )
        else:
            self.bar.progress(
                job.fraction, text=self.t("preset_training", percent=round(100 * job.fraction), seconds=seconds)
            )

    def done(self) -> None:
        self.box.empty()


def _cancel_trained_preset() -> None:
    st.session_state["preset"] = "random"


def cached_run(model_key: str, model: lstm_core.Model, input_key: str, prepared: demo.PreparedInput) -> demo.Run:
    return RUNS.get(
        (model_key, input_key),
        lambda: demo.run_model(model, prepared),
        heavy=is_heavy(prepared.length, model.recurrent.hidden_size),
    )


def run(model: lstm_core.Model, current: Demo) -> demo.Run:
    """The forward pass of `model` on the demo's input, computed once per (weights, input)."""
    return cached_run(demo.fingerprint(model), model, current.input_key, current.prepared)


def _language_switch() -> None:
    st.segmented_control(
        "Language / 语言", options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang", required=True
    )


def _input_settings(t: Translator) -> tuple[demo.PreparedInput | None, str]:
    kind = st.radio(
        t("input_kind"), ("text", "series"), format_func=lambda k: t(f"input_{k}"), key="input", horizontal=True
    )
    if kind == "text":
        text = st.text_input(
            t("text"), key="text", help=t("text_help", limit=demo.MAX_TEXT_CHARACTERS), max_chars=20000
        )
        vocabulary = st.text_input(
            t("vocabulary"), key="vocab", help=t("vocabulary_help"), max_chars=demo.MAX_VOCABULARY
        )
        trained = trained_model()
        if st.session_state.get("preset") == "session" and trained and trained["vocabulary"]:
            vocabulary = "".join(trained["vocabulary"])
            st.caption(t("trained_vocabulary", vocabulary=vocabulary[:60]))
            strict = True
        else:
            strict = False
        try:
            return cached_text_input(text, vocabulary, strict), f"text|{text}|{vocabulary}|{strict}"
        except ValueError as error:
            st.error(t.error(error))
            return None, ""
    source = st.selectbox(t("series_source"), SERIES_KINDS, format_func=lambda k: t(f"series_{k}"), key="series")
    try:
        values = _series_values(t, source)
        if values is None:
            return None, ""
        prepared = cached_series_input(values)
    except ValueError as error:
        st.error(t.error(error))
        previous = st.session_state.get("_last_csv_series") if source == "csv" else None
        if previous is None:
            return None, ""
        st.caption(t("csv_previous_kept"))  # a bad file never costs the series already in use
        return previous
    key = "series|" + demo.fingerprint_array(values)
    if source == "csv":
        st.session_state["_last_csv_series"] = (prepared, key)
    return prepared, key


def _series_values(t: Translator, source: str) -> np.ndarray | None:
    if source in ("sine", "step", "noise"):
        length = st.slider(t("series_length"), 2, demo.MAX_SERIES_LENGTH, key="length")
        return demo.generate_series(source, length, seed=int(st.session_state.get("seed", 0)))
    if source == "typed":
        typed = st.text_area(
            t("series_typed"), value="0, 0.5, 1, 0.5, 0, -0.5, -1, -0.5, 0", key="typed", max_chars=200000
        )
        return demo.parse_numbers(typed)
    upload = st.file_uploader(t("series_csv"), type=["csv", "txt"], key="csv", help=t("series_csv_help"))
    if upload is None:
        st.info(t("series_csv_waiting"))
        return None
    return _csv_column(t, upload)


def _csv_column(t: Translator, upload) -> np.ndarray:
    """The chosen column of an uploaded file, parsed once per file, with what was read shown
    (rows, separator, decimal mark, header, the first values) and what was left out said."""
    parsed = st.session_state.get("_csv_table")
    if parsed is None or parsed[0] != upload.file_id:
        st.session_state.pop("csv_column", None)  # the new file's columns
        try:
            parsed = (upload.file_id, series_file.read_series_file(upload.getvalue()))
        except ValueError as error:
            parsed = (upload.file_id, error)
        st.session_state["_csv_table"] = parsed
    table = parsed[1]
    if isinstance(table, ValueError):
        raise table
    names = [name or t("csv_column_number", number=k + 1) for k, name in enumerate(table.columns)]
    column = (
        st.selectbox(t("series_column"), range(len(names)), format_func=names.__getitem__, key="csv_column")
        if len(names) > 1
        else 0
    )
    values, dropped = series_file.column_values(table, column)
    st.caption(
        t(
            "csv_read",
            rows=table.total_rows,
            columns=len(names),
            separator=t(f"csv_separator_{SEPARATOR_NAMES[table.separator]}"),
            decimal=table.decimal,
            header=t("csv_header_yes" if table.header else "csv_header_no"),
        )
    )
    read = ((line, series_file.to_number(cell, table.decimal)) for line, cell in zip(table.lines, table.cells[column]))
    shown = [(line, number) for line, number in read if number is not None and np.isfinite(number)][:5]
    st.dataframe(
        pd.DataFrame({t("csv_line"): [line for line, _ in shown], names[column]: [v for _, v in shown]}),
        hide_index=True,
        key="csv_preview",
        height=35 * (len(shown) + 1) + 3,
    )
    for reason in ("empty", "not_numbers", "not_finite"):
        lines_left_out = getattr(dropped, reason)
        if lines_left_out:
            st.warning(
                t(
                    f"csv_dropped_{reason}",
                    count=len(lines_left_out),
                    lines=", ".join(map(str, lines_left_out[:8])) + (" …" if len(lines_left_out) > 8 else ""),
                )
            )
    return values


SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar", " ": "space", "": "none"}


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
        format_func=lambda k: t(f"preset_{k}"),
        key="preset",
        help=t("preset_help", epochs=demo.TRAINED_PRESET_EPOCHS),
    )
    in_session = preset == "session"
    if in_session:
        layer = trained["model"].recurrent
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
    hidden = st.slider(
        t("hidden_size"), 1, demo.MAX_HIDDEN_SIZE, key="hidden", help=t("hidden_size_help"), disabled=in_session
    )
    seed = st.number_input(t("seed"), 0, 2**31 - 1, step=1, key="seed", disabled=in_session)
    initializer = st.selectbox(
        t("initializer"), INITIALIZERS, key="init", help=t("initializer_help"), disabled=in_session
    )
    recurrent_activation = st.selectbox(
        t("recurrent_activation"),
        RECURRENT_ACTIVATIONS,
        key="ract",
        help=t("recurrent_activation_help"),
        disabled=in_session,
    )
    activation = st.selectbox(t("activation"), ACTIVATIONS, key="act", help=t("activation_help"), disabled=in_session)
    unit_forget_bias = st.checkbox(
        t("unit_forget_bias"), key="ufb", help=t("unit_forget_bias_help"), disabled=in_session
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
        _language_switch()
        with st.expander(t("section_input"), expanded=True):
            prepared, input_key = _input_settings(t)
        with st.expander(t("section_model"), expanded=False):
            spec = _model_settings(t, page)
        layout = st.radio(
            t("layout"),
            LAYOUTS,
            format_func=lambda k: t(f"layout_{k}"),
            key="layout",
            horizontal=True,
            help=t("layout_help"),
        )
    if prepared is None:
        return None
    for notice in prepared.notices:
        st.info(t(f"notice_{notice}", text_limit=demo.MAX_TEXT_CHARACTERS, series_limit=demo.MAX_SERIES_LENGTH))
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
        if st.session_state.get("edits_for") is not None and not st.session_state.get("edits", demo.Edits()).is_empty:
            st.toast(t("edits_reset"))
        st.session_state["edits_for"] = base_key
        st.session_state["edits"] = demo.Edits()
    edits = st.session_state["edits"]
    try:
        current = demo.apply_edits(base, edits)
    except ValueError as error:
        st.error(t.error(error))
        st.session_state["edits"] = edits = demo.Edits()
        current = base
    return Demo(prepared, spec, input_key, base, current, edits, layout)


def use_trained_model(shared: dict, open_stepper: bool = True) -> None:
    """A button's callback (Train, Stepper, Models): make the session's trained or imported model
    the model of every page, with an input it reads: the text it was trained on, else the
    sidebar's text if the model knows its characters, else its vocabulary spelled out; numbers
    (a sine wave for the sine task) for a model that reads numbers. `open_stepper` asks the
    Train page to open the stepper next."""
    state = st.session_state
    state["trained_model"] = shared
    state["preset"] = "session"
    vocabulary = shared.get("vocabulary")
    if vocabulary is None:
        state["input"] = "series"
        if shared.get("task") == "sine":
            state["series"] = "sine"
    else:
        state["input"] = "text"
        text = shared.get("text")
        if text is None:
            text = state.get("text", "")
            text = text if set(text) <= set(vocabulary) else "".join(vocabulary)
        state["text"] = text[: demo.MAX_TEXT_CHARACTERS]
    state["open_in_stepper"] = open_stepper


def _shared_trained_model(t: Translator, spec: demo.ModelSpec, prepared: demo.PreparedInput) -> lstm_core.Model | None:
    """The Train page's LSTM when the preset asks for it and it fits this input, else None."""
    trained = trained_model()
    if spec.preset != "session" or trained is None:
        return None
    model = trained["model"]
    reads_text = trained["vocabulary"] is not None
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


def current_demo() -> Demo | None:
    """The demo app.py built for this run (pages call this, never the sidebar itself)."""
    return st.session_state.get("_demo")


def required_demo(t: Translator) -> Demo:
    """The current demo, or, when the sidebar's input is unusable, a pointer to it and the end
    of this page's run (the sidebar already shows what is wrong)."""
    demo = current_demo()
    if demo is None:
        st.warning(t("fix_input"))
        st.stop()
    return demo
