"""JSON: an object of named matrices (nested lists of numbers), UTF-8 with or without the BOM
that Windows editors write. Nesting is measured before parsing, so a 100,000-deep file is a
refusal and not a RecursionError."""

from __future__ import annotations

import json
import re

import numpy as np

from ..refusals import FileRefused
from ..saving import TEXT_ENTRIES
from . import RawFile, ValueBudget

MAX_DEPTH = 32
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def nesting_depth(data: bytes) -> int:
    """How deep brackets nest outside strings (one linear pass)."""
    codes = np.frombuffer(_STRINGS.sub(b'""', data), dtype=np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def read_json(data: bytes) -> RawFile:
    if nesting_depth(data) > MAX_DEPTH:
        raise FileRefused("json_too_deep", limit=MAX_DEPTH)
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRefused("json_invalid", detail="it is not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        raise FileRefused("json_invalid", detail=str(error).splitlines()[0][:120]) from None
    if not isinstance(content, dict) or not content:
        raise FileRefused("json_shape")
    budget, raw = ValueBudget(), RawFile("json")
    for name, value in content.items():
        if name in TEXT_ENTRIES:
            if not isinstance(value, str):
                raise FileRefused("text_entry", name=name)
            raw.texts[name] = value[:64]
            continue
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            raise FileRefused("not_numbers", name=name, what="lists of different lengths") from None
        budget.take(array.shape)
        if array.dtype.kind not in "biuf":
            raise FileRefused("not_numbers", name=name, what=f"{array.dtype} values")
        raw.arrays[name] = array
    return raw
