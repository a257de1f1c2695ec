"""NumPy `.npz`: each member's .npy header is read and checked (numeric dtype, declared size
within budget) before its data is; pickled object arrays are refused without being unpickled."""

from __future__ import annotations

import numpy as np

from ..refusals import FileRefused
from ..saving import TEXT_ENTRIES  # this app's own files carry activations as text
from . import RawFile, ValueBudget
from .zip_members import READ_ERRORS, open_vetted_zip, short

MAX_UNPACKED = 64 * 1024 * 1024  # MAX_VALUES float64 numbers and their headers fit with room
HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def read_npz(data: bytes) -> RawFile:
    archive = open_vetted_zip(data, ".npz", MAX_UNPACKED)
    budget, raw = ValueBudget(), RawFile("npz")
    for info in archive.infolist():
        name = info.filename.removesuffix(".npy")
        try:
            with archive.open(info) as stream:
                shape, fortran, dtype = _header(stream, name)
                count = budget.take(shape)
                if name in TEXT_ENTRIES:
                    if dtype.kind != "U" or shape != () or dtype.itemsize > 256:
                        raise FileRefused("text_entry", name=name)
                    raw.texts[name] = str(_data(stream, dtype, shape, fortran, count, name))
                    continue
                if dtype.kind not in "biuf":
                    raise FileRefused("not_numbers", name=name, what=f"{dtype} values")
                raw.arrays[name] = _data(stream, dtype, shape, fortran, count, name)
        except FileRefused:
            raise
        except READ_ERRORS as error:
            raise FileRefused("npz_damaged", detail=short(error)) from None
    return raw


def _header(stream, name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(stream)
    if version not in HEADER_READERS:
        raise FileRefused("npz_damaged", detail=f"{name}: .npy format version {version} is not read")
    shape, fortran, dtype = HEADER_READERS[version](stream, max_header_size=10_000)
    if dtype.hasobject:
        raise FileRefused("npz_objects")
    return tuple(shape), fortran, dtype


def _data(stream, dtype: np.dtype, shape, fortran: bool, count: int, name: str) -> np.ndarray:
    expected = count * dtype.itemsize
    data = stream.read(expected)
    if len(data) != expected:
        raise FileRefused("npz_damaged", detail=f"{name}: the data is shorter than its header says")
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy() if dtype.kind != "U" else array[()]
