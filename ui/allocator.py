"""glibc's allocator in a training worker: keep freed arrays' memory for the next step instead
of handing it back to the kernel.

glibc's malloc serves a large request (above M_MMAP_THRESHOLD, 128 KB at start, raised as the
process frees such blocks) with fresh pages from the kernel, and may hand freed heap at the top
back (above M_TRIM_THRESHOLD). Either way the next array of that size gets fresh pages, and each
4 KB page costs a page fault the first time numpy writes it, which a virtual machine makes dear.
A training step allocates the same few megabytes of arrays every time (the trace, its
gradients, the head's probabilities): bench/bench_training.py counts the faults and the time they
cost. Served from the heap up to MMAP_THRESHOLD, and with up to TRIM_THRESHOLD of free heap kept,
a step reuses the previous step's memory.

Process-wide, so it is called by each training worker (ui/training_worker.py), not by lstm_core,
a library that has no business tuning its host's allocator. Not by the server: there the large
links' array work, no longer slowed by faults, holds the interpreter longer, and in
bench/server_load.py --links the other students' slider p95 came out higher with it than without
(the README has the runs). The training workers are processes of their own.

Elsewhere than glibc (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h>
MMAP_THRESHOLD = 4 * 2**20  # bytes: a training step's largest array is below it
TRIM_THRESHOLD = 32 * 2**20  # bytes of free heap each arena keeps


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - glibc only: musl has a mallopt that does nothing
    except (OSError, AttributeError):
        return None
    return libc


def reuse_freed_memory() -> bool:
    """Set glibc's two thresholds for this process; False where there is no glibc malloc."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
