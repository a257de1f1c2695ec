"""Long computations that outlive a rerun: the trained preset's training.

A trained preset trains in a worker for up to half a minute on a busy server. Run in the
session's own script thread, every widget a student touched meanwhile would wait for it (no
Streamlit call inside the training) or, once the wait makes Streamlit calls, end it and start it
again. Here a job runs in a thread of its own, keyed like the cache its result goes to: every
session that asks for the same key attaches to the same job and polls its state for its progress
bar, a rerun attaches again where it left off, and a job that no session has looked at for
ABANDONED_AFTER seconds (the student cancelled, chose other settings or closed the tab) stops,
and its worker process with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

ABANDONED_AFTER = 10.0  # seconds without a session polling (they poll 4 times a second): nobody waits


class Abandoned(Exception):
    """Raised inside a job's callbacks when nobody waits for it: ends the job and its worker."""


@dataclass
class Job:
    phase: str = "starting"  # then queued (for a trainer), training, done, failed or abandoned
    fraction: float = 0.0  # of the work done, while training
    waiting: int = 0  # jobs waiting for a trainer, while queued
    started: float = field(default_factory=time.monotonic)
    polled: float = field(default_factory=time.monotonic)
    result: Any = None
    error: BaseException | None = None

    @property
    def finished(self) -> bool:
        return self.phase in ("done", "failed", "abandoned")

    def _check(self) -> None:
        if time.monotonic() - self.polled > ABANDONED_AFTER:
            raise Abandoned

    def training(self, fraction: float | None) -> None:
        """run_in_worker's on_progress: the worker runs (and sent `fraction`, or nothing yet)."""
        self._check()
        self.phase = "training"
        if fraction is not None:
            self.fraction = min(1.0, max(0.0, fraction))

    def queued(self, waiting: int) -> None:
        """run_in_worker's on_wait: every trainer is busy, `waiting` jobs wait for one."""
        self._check()
        self.phase, self.waiting = "queued", waiting


_jobs: dict[Hashable, Job] = {}
_lock = threading.Lock()


def attach(key: Hashable, work: Callable[[Job], Any]) -> Job:
    """The job for `key`, started with `work(job)` in a thread if none runs; marks it as polled."""
    with _lock:
        job = _jobs.get(key)
        if job is None:
            job = _jobs[key] = Job()
            threading.Thread(target=_run, args=(key, job, work), daemon=True, name=f"job {key!r}"[:60]).start()
        job.polled = time.monotonic()
    return job


def _run(key: Hashable, job: Job, work: Callable[[Job], Any]) -> None:
    try:
        job.result = work(job)
        job.phase = "done"
    except Abandoned:
        job.phase = "abandoned"
    except Exception as error:  # noqa: BLE001 - handed to every session that waits for the job
        job.error, job.phase = error, "failed"
    finally:
        with _lock:
            if _jobs.get(key) is job:
                del _jobs[key]


def running() -> int:
    """Jobs started and not finished, for the tests and the serving guide's numbers."""
    with _lock:
        return len(_jobs)
