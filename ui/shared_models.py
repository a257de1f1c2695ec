"""The base model every session shares: computed once per server for a (settings, input) pair;
the trained preset trains in a background job with a progress bar a student can cancel."""

from __future__ import annotations

import time

import streamlit as st

import lstm_core
from ui import background_jobs, inputs
from ui import model as demo
from ui.i18n import Translator
from ui.shared_cache import BASE_MODELS
from ui.training_worker import MAX_JOBS, run_in_worker


def cached_base_model(
    spec: demo.ModelSpec, input_key: str, prepared: inputs.PreparedInput, progress: PresetProgress | None = None
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
