"""The expensive results every session shares, in caches bounded in bytes and outside Streamlit's.

Streamlit's caches count entries, not bytes: a forward pass at T = 2000, H = 256 was 43 MB (29 MB
since its trace keeps no pre-activations), so `max_entries=128` allowed 5.5 GB for one cache,
and a class picking seeds at that size pushed the server into the out-of-memory killer. `cache_data` also pickles every entry and hands each
session its own unpickled copy, so a trace lived once per session on top. And any browser can
send Streamlit's `clear_cache` message, which empties its caches for everyone, so that one
anonymous script made every student wait for the trained preset again.

A `SharedCache` keeps live objects (one copy, shared read-only: their arrays are made
unwritable, so a page that tried to change one would fail at once instead of changing another
student's view), evicts the least recently used entries past its byte budget, computes each key
once while other sessions asking for it wait, and is not touched by `clear_cache`. The budgets
add up to CACHE_MEGABYTES, the number the README's serving guide sizes a server with.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
CACHE_MEGABYTES = 640  # all shared caches together: base models, forward passes, figures
HEAVY_AT_ONCE = 2  # large computations (a long trace's forward pass, its figures) at once per server
_heavy_slots = threading.BoundedSemaphore(HEAVY_AT_ONCE)
# Scalars that hold no array: a container of only these is sized and frozen without visiting each
# item in Python (walking a large figure's lists item by item took a third of the server's
# interpreter during a storm of large links: bench/server_load.py --links, py-spy --gil).
NUMBERS = {float, int, bool, type(None), np.float64, np.float32, np.int64}


def size_in_bytes(value: Any, _depth: int = 0) -> int:
    """Bytes held by arrays, strings and containers inside `value` (what dominates our entries)."""
    if _depth > 8:
        return 0
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        return sum(size_in_bytes(k, _depth + 1) + size_in_bytes(v, _depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        kinds = set(map(type, value))  # a figure's lists hold thousands of numbers or labels
        if kinds <= NUMBERS:
            return 8 * len(value)
        if kinds <= {str}:
            return sum(map(len, value))
        return sum(size_in_bytes(item, _depth + 1) for item in value)
    if dataclasses.is_dataclass(value):
        return sum(size_in_bytes(getattr(value, f.name), _depth + 1) for f in dataclasses.fields(value))
    if hasattr(value, "__dict__"):
        return sum(size_in_bytes(item, _depth + 1) for item in vars(value).values())
    return 64


def freeze(value: Any, _depth: int = 0) -> Any:
    """Make every array inside `value` read-only, in place; returns `value`."""
    if _depth > 8:
        return value
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item, _depth + 1)
    elif isinstance(value, (list, tuple)):
        if set(map(type, value)) <= NUMBERS | {str}:
            return value  # nothing inside to make read-only
        for item in value:
            freeze(item, _depth + 1)
    elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
        for item in vars(value).values():
            freeze(item, _depth + 1)
    return value


class SharedCache:
    """A least-recently-used cache bounded in bytes, shared by every session of the server."""

    def __init__(self, name: str, max_megabytes: float) -> None:
        self.name = name
        self.max_bytes = int(max_megabytes * 2**20)
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T], heavy: bool = False) -> T:
        """The value for `key`, computed by `compute()` once even when sessions ask together.

        A `heavy` computation waits for one of HEAVY_AT_ONCE slots: ten students opening a
        T = 2000 link at once then hold the interpreter two at a time, and everyone else's slider
        still gets its turn (waiting on a lock does not hold the interpreter)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
            key_lock = self._computing.setdefault(key, threading.Lock())
        try:
            with key_lock:
                with self._lock:
                    if key in self._entries:  # another session computed it while we waited
                        self._entries.move_to_end(key)
                        return self._entries[key][0]
                if heavy:
                    with _heavy_slots:
                        value = freeze(compute())
                else:
                    value = freeze(compute())
                self._store(key, value)
        finally:  # also when compute() refused its input: no lock is left behind per bad key
            with self._lock:
                self._computing.pop(key, None)
        return value

    def peek(self, key: Hashable) -> Any | None:
        """The value for `key` if it is computed already, else None (nothing is computed)."""
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key][0]

    def _store(self, key: Hashable, value: Any) -> None:
        size = size_in_bytes(value)
        with self._lock:
            if size > self.max_bytes:  # larger than the whole budget: used once, never kept
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def is_heavy(steps: int, hidden_size: int) -> bool:
    """A forward pass or figure that takes the server's interpreter for a noticeable time."""
    return steps * hidden_size >= 50_000  # T = 2000, H = 256 is 512,000; the classic example 40


BASE_MODELS = SharedCache("base models", 64)  # a trained preset is computed once per server
RUNS = SharedCache("forward passes", 320)  # 29 MB at T = 2000, H = 256
FIGURES = SharedCache("stepper figures", 160)
FILES = SharedCache("export files and code", 64)  # a long CSV at T = 2000, H = 256 (≈ 90 MB) is never kept
INPUTS = SharedCache("prepared inputs", 16)  # one-hot sentences and series
FLOWS = SharedCache("gradient flows", 16)  # the Gradient flow page's three models, per slider setting
CACHES = (BASE_MODELS, RUNS, FIGURES, FILES, INPUTS, FLOWS)
assert sum(cache.max_bytes for cache in CACHES) == CACHE_MEGABYTES * 2**20
