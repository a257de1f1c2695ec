"""Run `readers.read_untrusted` in a short-lived worker process with hard limits.

An uploaded file is parsed by h5py, torch and zipfile, libraries with a C core: a crafted file can
crash them (a virtual HDF5 dataset segfaults h5py's in-memory read) or make them allocate
gigabytes. In a worker process a crash ends only the worker, and the kernel enforces the limits
(address space, CPU seconds) that no check in Python could guarantee. The worker starts in an
empty temporary directory with a minimal environment, reads the file from stdin and writes back
only numbers: a JSON header line, then an `.npz` of the arrays, which the server reads with
`allow_pickle=False`. At most MAX_WORKERS run at once per server; others wait their turn.

`python -m lstm_core.isolation NAME < FILE` is the worker's entry point.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from .readers import MAX_BYTES, RawFile, read_untrusted
from .readers.zip_members import short
from .refusals import MESSAGES, FileRefused

MEMORY_LIMIT_MB = 1024  # address space of the worker: torch alone maps about 600 MB of it
CPU_SECONDS = 20
WALL_SECONDS = 60  # importing torch on a busy server takes seconds
MAX_WORKERS = 2
_slots = threading.BoundedSemaphore(MAX_WORKERS)
_ROOT = Path(__file__).resolve().parent.parent


def read_isolated(data: bytes, filename: str) -> RawFile:
    """`read_untrusted(data, filename)`, run in a worker; FileRefused for every failure."""
    if len(data) > MAX_BYTES or not data:  # refuse before starting a process
        return read_untrusted(data, filename)
    if not _slots.acquire(timeout=WALL_SECONDS):
        raise FileRefused("busy")
    try:
        with tempfile.TemporaryDirectory(prefix="lstm-upload-") as workdir:
            try:
                done = subprocess.run(
                    worker_command(filename),
                    input=data,
                    capture_output=True,
                    cwd=workdir,
                    env=_worker_environment(workdir),
                    timeout=WALL_SECONDS,
                )
            except subprocess.TimeoutExpired:
                raise FileRefused("timed_out", limit=WALL_SECONDS) from None
    finally:
        _slots.release()
    return _answer(done)


def worker_command(filename: str) -> list[str]:
    return [sys.executable, "-m", "lstm_core.isolation", filename[-200:]]


def _worker_environment(workdir: str) -> dict[str, str]:
    """Nothing of the server's environment (its secrets) reaches the worker."""
    return {
        "PATH": os.defpath,
        "HOME": workdir,
        "PYTHONPATH": str(_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "HDF5_USE_FILE_LOCKING": "FALSE",
    }


def _answer(done: subprocess.CompletedProcess) -> RawFile:
    if done.returncode < 0:
        number = -done.returncode
        if number in (signal.SIGXCPU, signal.SIGKILL):
            raise FileRefused("timed_out", limit=CPU_SECONDS)
        raise FileRefused("crashed", detail=signal.Signals(number).name if number in signal.valid_signals() else number)
    header, _, body = done.stdout.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError:
        raise FileRefused("crashed", detail=f"exit status {done.returncode}") from None
    if "refused" in answer:
        if answer["refused"] not in MESSAGES:
            raise FileRefused("crashed", detail="unknown answer")
        raise FileRefused(answer["refused"], **answer.get("values", {}))
    try:
        with np.load(io.BytesIO(body), allow_pickle=False) as arrays:
            return RawFile(
                answer["format"], {name: arrays[f"a{k}"] for k, name in enumerate(answer["names"])}, answer["texts"]
            )
    except (ValueError, OSError, KeyError):
        raise FileRefused("crashed", detail="the worker's answer was cut short") from None


# ---- the worker ---------------------------------------------------------------------------


def limit_worker(cpu_seconds: int = CPU_SECONDS) -> None:
    import resource

    memory = MEMORY_LIMIT_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(10)  # the server's interactive sessions come first


def main() -> None:
    limit_worker()
    out = sys.stdout.buffer
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        raw = read_untrusted(data, sys.argv[1])
        header = {"format": raw.file_format, "texts": raw.texts, "names": list(raw.arrays)}
        body = io.BytesIO()
        numbered: dict[str, Any] = {f"a{k}": array for k, array in enumerate(raw.arrays.values())}
        np.savez(body, **numbered)
        out.write(json.dumps(header).encode() + b"\n" + body.getvalue())
    except FileRefused as refusal:
        out.write(json.dumps({"refused": refusal.key, "values": refusal.values}).encode() + b"\n")
    except MemoryError:
        out.write(json.dumps({"refused": "out_of_memory", "values": {"limit": MEMORY_LIMIT_MB}}).encode() + b"\n")
    except Exception as error:  # a reader's bug, or a library error no reader foresaw
        out.write(json.dumps({"refused": "crashed", "values": {"detail": short(error)}}).encode() + b"\n")
    out.flush()


if __name__ == "__main__":
    main()
