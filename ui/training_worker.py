"""Training in a worker process, so that one student's training cannot slow the class down.

Training inside the server would share its interpreter lock with every other session: at small
sizes most of a step is Python, and the sliders of thirty students wait behind it
(bench/server_load.py --heavy train measured the cell slider's p95 at almost 3× its idle value
with one session training). In a worker process at a lower CPU priority (nice 10) the operating
system serves the interactive sessions first. At most MAX_JOBS workers run per server; a further
request waits its turn, and the page says so.

The worker sends the run back as it goes: a throttled progress event per step, and per epoch the
loss, accuracy, gradient norms and a copy of the model. So the page draws the same progress as
before, and a Stop (which ends the worker) keeps everything learned up to the last epoch.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from lstm_core import TrainingEvent
from lstm_core.tasks import Dataset

from .allocator import reuse_freed_memory
from .training import TrainConfig, TrainingRun, make_model, run_training, snapshot_epochs

MAX_JOBS = 2  # training workers per server: one per core of a small classroom server
# A worker computes on one thread: BLAS threads would spin on the cores the class needs, and they
# start when NumPy is imported, before the worker could lower their priority. Spawned workers
# inherit the environment; the server's own NumPy is loaded already and keeps its threads.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
STEP_EVENTS_PER_SECOND = 8  # enough for a smooth progress bar
R = TypeVar("R")
_jobs = threading.BoundedSemaphore(MAX_JOBS)
_waiting = [0]  # sessions waiting for a free trainer, for the "waiting" message
_waiting_lock = threading.Lock()


def train_in_worker(
    config: TrainConfig,
    dataset: Dataset,
    kind: str,
    on_event: Callable[[TrainingRun, TrainingEvent], None] | None = None,
    on_wait: Callable[[int], None] | None = None,
    run: TrainingRun | None = None,
) -> TrainingRun:
    """`run_training`, in a worker process; `on_wait(ahead)` is called while all trainers are busy."""
    run = run or TrainingRun(config, kind, make_model(config, dataset, kind))
    run.snapshots.setdefault(0, run.model.copy())
    with _worker(_work, config, dataset, kind, run.model, on_wait=on_wait) as (receiver, worker):
        _follow(receiver, worker, run, on_event)
    return run


def run_in_worker(
    function: Callable[..., R],
    *args,
    on_progress: Callable[[float | None], None] | None = None,
    on_wait: Callable[[int], None] | None = None,
) -> R:
    """`function(*args)` in a training worker (one thread, nice 10), waiting for a free one.

    With `on_progress`, `function` is also given `progress=`, which sends a fraction (0 … 1) from
    the worker, and `on_progress(fraction)` is called with it, or with None at least every 0.25 s
    while nothing comes: a Streamlit call there lets a Stop or a rerun end the wait, and the
    worker with it (the context manager kills it). `on_wait(waiting)` as in train_in_worker."""
    with _worker(_call, function, args, on_progress is not None, on_wait=on_wait) as (receiver, _):
        while True:
            if on_progress is not None and not receiver.poll(0.25):
                on_progress(None)
                continue
            try:
                kind, value = receiver.recv()
            except EOFError:
                raise RuntimeError("The training process ended without an answer.") from None
            if kind != "progress":
                break
            on_progress(value)
    if kind == "error":
        raise value
    return value


@contextlib.contextmanager
def _worker(target: Callable, *args, on_wait: Callable[[int], None] | None = None):
    """A free trainer slot, then a spawned process running `target(sender, *args)`; yields the
    receiving end of its pipe and the process, and ends both (a Stop kills the worker)."""
    _wait_for_a_trainer(on_wait)
    try:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(target=target, args=(sender, *args), daemon=True)
        worker.start()
        sender.close()
        try:
            yield receiver, worker
        finally:
            if worker.is_alive():  # Stop, or the session ended: the worker's work ends too
                worker.kill()
            worker.join()
            receiver.close()
    finally:
        _jobs.release()


def _call(sender, function, args, reports_progress: bool) -> None:
    os.nice(10)
    reuse_freed_memory()  # a spawned process starts with glibc's defaults
    try:
        progress = {"progress": lambda fraction: sender.send(("progress", float(fraction)))} if reports_progress else {}
        sender.send(("value", function(*args, **progress)))
    except Exception as error:  # noqa: BLE001 - the caller re-raises it in the server
        sender.send(("error", error))
    sender.close()


def _wait_for_a_trainer(on_wait: Callable[[int], None] | None) -> None:
    if _jobs.acquire(blocking=False):
        return
    with _waiting_lock:
        _waiting[0] += 1
    try:
        while not _jobs.acquire(timeout=0.5):
            if on_wait is not None:
                on_wait(_waiting[0])  # a Streamlit call: a Stop click ends the wait here
    finally:
        with _waiting_lock:
            _waiting[0] -= 1


def _follow(receiver, worker, run: TrainingRun, on_event) -> None:
    keep = snapshot_epochs(run.config.epochs)
    while True:
        if not receiver.poll(0.25):
            if not worker.is_alive() and not receiver.poll():
                raise RuntimeError("The training process ended without an answer.")
            continue
        try:
            message = receiver.recv()
        except EOFError:
            raise RuntimeError("The training process ended without an answer.") from None
        kind = message[0]
        if kind == "done":
            run.status = message[1]
            if run.status == "diverged":
                run.snapshots[run.epochs_done] = run.model
            return
        event: TrainingEvent = message[1]
        if kind == "epoch":
            grad_norms, model = message[2], message[3]
            run.grad_norms.extend(grad_norms)
            run.losses.append(event.loss)
            if event.accuracy is not None:
                run.accuracies.append(event.accuracy)
            run.epochs_done = event.epoch
            run.model = model
            if event.epoch in keep:
                run.snapshots[event.epoch] = model
        if on_event is not None:
            on_event(run, event)


def _work(sender, config: TrainConfig, dataset: Dataset, kind: str, model) -> None:
    """The worker: train, sending progress; every message is plain data and our own models."""
    os.nice(10)
    last_step, grad_norms = [0.0], []

    def on_event(run: TrainingRun, event: TrainingEvent) -> None:
        if event.phase == "step":
            grad_norms.append(event.grad_norm)
            now = time.monotonic()
            if now - last_step[0] >= 1 / STEP_EVENTS_PER_SECOND:
                sender.send(("step", event))
                last_step[0] = now
        else:
            sender.send(("epoch", event, list(grad_norms), run.model.copy()))
            grad_norms.clear()

    run = run_training(config, dataset, kind, on_event=on_event, run=TrainingRun(config, kind, model))
    sender.send(("done", run.status))
    sender.close()
