"""Reading the bytes of an untrusted weights file into plain, bounded NumPy arrays.

This is the only code that touches a file's bytes, and it runs in a worker process
(`lstm_core.isolation`) so that a crash or a bomb inside a library cannot take the server down.
Every reader checks the sizes a file *declares* (zip members, .npy headers, HDF5 dataset shapes,
tensor metadata) before it reads or allocates, and never follows anything out of the file
(HDF5 external storage, virtual datasets, soft and external links). What it returns is only
`RawFile`: numbers by name, and a few text entries. Interpreting them (which layout, which
layer) is `lstm_core.files`' job, outside the worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..refusals import FileRefused
from ..validation import value_count

MAX_BYTES = 20 * 1024 * 1024  # the upload widget's limit
MAX_VALUES = 4_000_000  # numbers in one file: a 2-layer LSTM with H = 256 holds about 1.1 million
EXTENSIONS = (".safetensors", ".pt", ".pth", ".weights.h5", ".h5", ".keras", ".npz", ".json")


@dataclass
class RawFile:
    """What a file held, before anyone decides what it means."""

    file_format: str  # "safetensors", "pytorch", "keras", "npz" or "json"
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


class ValueBudget:
    """Counts the numbers a file declares, and refuses before the one that would pass the limit."""

    def __init__(self, limit: int = MAX_VALUES) -> None:
        self.limit, self.used = limit, 0

    def take(self, shape: tuple[int, ...]) -> int:
        count = value_count(shape)
        self.used += count
        if self.used > self.limit:
            raise FileRefused("too_many_values", count=self.used, limit=self.limit)
        return count


def read_untrusted(data: bytes, filename: str) -> RawFile:
    """Dispatch on the file name; every failure is a FileRefused."""
    if not data:
        raise FileRefused("empty")
    if len(data) > MAX_BYTES:
        raise FileRefused("too_large", size=len(data) / 2**20, limit=MAX_BYTES // 2**20)
    name = filename.lower()
    if name.endswith(".safetensors"):
        from .safetensors_file import read_safetensors

        return read_safetensors(data)
    if name.endswith((".pt", ".pth")):
        from .torch_file import read_torch

        return read_torch(data)
    if name.endswith(".keras"):
        from .keras_file import read_keras_archive

        return read_keras_archive(data)
    if name.endswith(".h5"):
        from .keras_file import read_keras_h5

        return read_keras_h5(data)
    if name.endswith(".npz"):
        from .npz_file import read_npz

        return read_npz(data)
    if name.endswith(".json"):
        from .json_file import read_json

        return read_json(data)
    raise FileRefused("unknown_type", name=filename[:80], extensions=", ".join(EXTENSIONS))
