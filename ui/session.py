"""What a session works on: the demo (input, base model, edits) the sidebar built, the model the
Train or Models page shared, and the cached forward pass of either.

The base model is a pure function of (input, spec) and cached for every session
(ui.shared_models); the weights lab's edits live in `st.session_state["edits"]` and apply on top;
every forward pass is cached on the model's fingerprint and the input, so moving a timestep
never recomputes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import lstm_core
from ui import inputs
from ui import model as demo
from ui.i18n import Translator
from ui.shared_cache import INPUTS, RUNS, is_heavy


@dataclass(frozen=True)
class Demo:
    """What every page works on: the input, the base model, and the model with edits."""

    prepared: inputs.PreparedInput
    spec: demo.ModelSpec
    input_key: str
    base: lstm_core.Model
    current: lstm_core.Model
    edits: demo.Edits
    layout: str

    @property
    def is_edited(self) -> bool:
        return not self.edits.is_empty


def cached_text_input(text: str, vocabulary: str, strict: bool = False) -> inputs.PreparedInput:
    return INPUTS.get(("text", text, vocabulary, strict), lambda: inputs.prepare_text(text, vocabulary, strict))


@dataclass(frozen=True)
class SharedModel:
    """A model the Train or Models page offers every page: the model (layer and head), the
    characters it reads (None: it reads numbers), the task it learned ("import" for an uploaded
    file) and, for a model trained here, its epochs and its text."""

    model: lstm_core.Model
    vocabulary: tuple[str, ...] | None
    task: str
    epochs: int = 0
    text: str | None = None


def trained_model() -> SharedModel | None:
    """The model the Train or Models page shared with the other pages, if any."""
    return st.session_state.get("trained_model")


def cached_series_input(values: np.ndarray) -> inputs.PreparedInput:
    return INPUTS.get(("series", inputs.fingerprint_array(values)), lambda: inputs.prepare_series(values))


def cached_run(model_key: str, model: lstm_core.Model, input_key: str, prepared: inputs.PreparedInput) -> demo.Run:
    return RUNS.get(
        (model_key, input_key),
        lambda: demo.run_model(model, prepared),
        heavy=is_heavy(prepared.length, model.recurrent.hidden_size),
    )


def run(model: lstm_core.Model, current: Demo) -> demo.Run:
    """The forward pass of `model` on the demo's input, computed once per (weights, input)."""
    return cached_run(demo.fingerprint(model), model, current.input_key, current.prepared)


def use_trained_model(shared: SharedModel, open_stepper: bool = True) -> None:
    """A button's callback (Train, Stepper, Models): make the session's trained or imported model
    the model of every page, with an input it reads: the text it was trained on, else the
    sidebar's text if the model knows its characters, else its vocabulary spelled out; numbers
    (a sine wave for the sine task) for a model that reads numbers. `open_stepper` asks the
    Train page to open the stepper next."""
    state = st.session_state
    state["trained_model"] = shared
    state["preset"] = "session"
    vocabulary = shared.vocabulary
    if vocabulary is None:
        state["input"] = "series"
        if shared.task == "sine":
            state["series"] = "sine"
    else:
        state["input"] = "text"
        text = shared.text
        if text is None:
            text = state.get("text", "")
            text = text if set(text) <= set(vocabulary) else "".join(vocabulary)
        state["text"] = text[: inputs.MAX_TEXT_CHARACTERS]
    state["open_in_stepper"] = open_stepper


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
