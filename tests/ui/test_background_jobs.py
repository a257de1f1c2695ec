"""The trained preset trains as a job that outlives reruns: shared by the sessions that ask for
it, reporting its progress, and stopped (its worker too) once nobody waits for it."""

import time

import numpy as np

from ui import background_jobs, inputs
from ui import model as demo
from ui.training_worker import run_in_worker


def _sleeps(seconds, progress=None):
    for k in range(int(seconds * 10)):
        time.sleep(0.1)
        if progress is not None:
            progress(k / (seconds * 10))
    return "slept"


def test_sessions_asking_for_one_key_share_one_job_and_its_result():
    starts = []

    def work(job):
        starts.append(1)
        time.sleep(0.3)
        return {"model": np.ones(3)}

    first = background_jobs.attach("shared", work)
    second = background_jobs.attach("shared", work)
    assert first is second
    while not first.finished:
        background_jobs.attach("shared", work)
        time.sleep(0.05)
    assert first.phase == "done" and starts == [1] and first.result["model"].sum() == 3
    assert background_jobs.running() == 0


def test_the_trained_preset_reports_its_epochs_from_the_worker():
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮")
    spec = demo.ModelSpec(hidden_size=4, preset="trained")
    seen = []
    model = run_in_worker(demo.build_model, spec, prepared, on_progress=seen.append)
    fractions = [f for f in seen if f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == demo.TRAINED_PRESET_EPOCHS
    same = demo.build_model(spec, prepared)  # the worker trains exactly what the server would
    np.testing.assert_array_equal(model.recurrent.W, same.recurrent.W)


def test_a_job_nobody_polls_is_stopped_and_its_worker_process_with_it(monkeypatch):
    monkeypatch.setattr(background_jobs, "ABANDONED_AFTER", 1.0)
    workers = []

    def work(job):
        def on_progress(fraction):
            import multiprocessing

            workers.extend(p for p in multiprocessing.active_children() if p not in workers)
            job.training(fraction)

        return run_in_worker(_sleeps, 60, on_progress=on_progress, on_wait=job.queued)

    job = background_jobs.attach("abandoned", work)
    started = time.monotonic()
    while not job.finished and time.monotonic() - started < 30:
        time.sleep(0.1)  # nobody attaches again: the student went away
    assert job.phase == "abandoned", job.phase
    assert time.monotonic() - started < 10  # not the 60 s the work asked for
    assert workers and not any(worker.is_alive() for worker in workers)
    assert background_jobs.running() == 0


def test_an_error_in_the_work_reaches_every_session_that_waits():
    job = background_jobs.attach("fails", lambda job: (_ for _ in ()).throw(ValueError("hidden_size_out_of_range:256")))
    deadline = time.monotonic() + 10
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.phase == "failed" and isinstance(job.error, ValueError)
