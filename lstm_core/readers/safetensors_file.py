"""safetensors, the format Hugging Face and most current PyTorch code save: 8 bytes giving the
header's length, a JSON header naming every tensor's dtype, shape and byte range, then the raw
bytes. Nothing in it can run code; what can hurt is what it declares. So the header's length,
every dtype, every shape (within the value budget) and every byte range (inside the file, of
exactly the size its shape needs, no two overlapping) are checked before any tensor is read, and
the arrays are then views of the file's own bytes, copied out one by one."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..refusals import FileRefused
from ..saving import TEXT_ENTRIES
from . import RawFile, ValueBudget

MAX_HEADER = 1024 * 1024  # a header names tensors: a few hundred bytes each
DTYPES = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "BF16": "<u2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
}


def read_safetensors(data: bytes) -> RawFile:
    if len(data) < 8:
        raise FileRefused("safetensors_damaged", detail="shorter than the 8 bytes that give the header's length")
    length = int.from_bytes(data[:8], "little")
    if length > MAX_HEADER or 8 + length > len(data):
        raise FileRefused("safetensors_damaged", detail=f"it declares a header of {length:,} bytes")
    try:
        header = json.loads(data[8 : 8 + length])
    except (ValueError, RecursionError) as error:
        raise FileRefused("safetensors_damaged", detail=f"its header is not JSON: {str(error)[:80]}") from None
    if not isinstance(header, dict):
        raise FileRefused("safetensors_damaged", detail="its header is not a table of tensors")
    body = memoryview(data)[8 + length :]
    raw, budget, ranges = RawFile("safetensors"), ValueBudget(), []
    metadata = header.pop("__metadata__", None) or {}
    if isinstance(metadata, dict):  # this app's own files name their activations here
        raw.texts = {k: v for k, v in metadata.items() if k in TEXT_ENTRIES and isinstance(v, str) and len(v) <= 256}
    for name, entry in header.items():
        dtype, shape, begin, end = _entry(str(name)[:80], entry)
        count = budget.take(shape)
        if end - begin != count * np.dtype(DTYPES[dtype]).itemsize or not 0 <= begin <= end <= len(body):
            raise FileRefused("safetensors_damaged", detail=f"{name[:80]}: its bytes do not match its shape")
        ranges.append((begin, end, name))
        values = np.frombuffer(body[begin:end], dtype=DTYPES[dtype])
        if dtype == "BF16":  # bfloat16 is the top half of a float32
            values = (values.astype(np.uint32) << 16).view(np.float32)
        raw.arrays[name] = values.astype(values.dtype.newbyteorder("="), copy=True).reshape(shape)
    ranges.sort()
    for (_, end, first), (begin, _, second) in zip(ranges, ranges[1:]):
        if begin < end:
            raise FileRefused("safetensors_damaged", detail=f"{first[:40]} and {second[:40]} share bytes")
    return raw


def _entry(name: str, entry: Any) -> tuple[str, tuple[int, ...], int, int]:
    if not isinstance(entry, dict):
        raise FileRefused("safetensors_damaged", detail=f"{name}: not a tensor description")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if dtype not in DTYPES:
        raise FileRefused("not_numbers", name=name, what=f"{str(dtype)[:20]} values")
    whole = lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if not isinstance(shape, list) or len(shape) > 8 or not all(whole(n) for n in shape):
        raise FileRefused("safetensors_damaged", detail=f"{name}: its shape is not a list of sizes")
    if not isinstance(offsets, list) or len(offsets) != 2 or not all(whole(n) for n in offsets):
        raise FileRefused("safetensors_damaged", detail=f"{name}: its byte range is not two offsets")
    return dtype, tuple(shape), offsets[0], offsets[1]
