"""Input checks that turn a student's mistake into a sentence instead of a stack trace.

Every public entry point of lstm_core funnels arrays through these, so the messages are the
same everywhere: they name the argument, the size that was expected and the size that came.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

FLOAT_TYPES = (np.float32, np.float64)
REAL_KINDS = "biuf"  # dtype.kind of bool, signed and unsigned integers, floats
MAX_ARRAY_VALUES = 50_000_000  # 400 MB of float64: far beyond any layer a page can draw


def check_number(name: str, value: Any) -> float:
    """`value` as a finite float, or a ValueError naming it (None, text and NaN included)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return float(value)


def check_seed(seed: Any) -> int | None:
    """None (fresh randomness) or a whole number ≥ 0, as NumPy's generators take."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0 or None, got {seed!r}.")
    return int(seed)


def value_count(shape: tuple[int, ...]) -> int:
    """How many values an array of `shape` holds, in Python ints: a declared 10¹² × 10¹² does not
    wrap around as it would in NumPy's int64."""
    count = 1
    for size in shape:
        count *= int(size)
    return count


def check_allocation(name: str, *shape: int) -> None:
    """ValueError before allocating an array of `shape` that no page could use."""
    count = value_count(shape)
    if count > MAX_ARRAY_VALUES:
        raise ValueError(
            f"{name} would hold {count:,} numbers ({count * 8 / 2**30:.1f} GiB as float64); "
            f"the limit is {MAX_ARRAY_VALUES:,}."
        )


class BadArray(ValueError):
    """A ValueError about one named array, with what went wrong as data (`kind`: "shape",
    "not_finite" or "not_numbers"; `values` fill the message), so a page can say it in its own
    language (lstm_core.files turns it into a FileRefused)."""

    def __init__(self, kind: str, name: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.kind, self.name, self.values = kind, name, values

    def __reduce__(self):  # pickled with its data (Streamlit's caches pickle refusals)
        return (_rebuild_bad_array, (self.kind, self.name, str(self), self.values))


def _rebuild_bad_array(kind: str, name: str, message: str, values: dict) -> BadArray:
    return BadArray(kind, name, message, **values)


def as_float_array(name: str, value: Any, dtype: DTypeLike | None = None) -> np.ndarray:
    """`value` as a finite float array (float32 stays float32, everything else float64)."""
    if hasattr(value, "detach"):  # a torch tensor: read it without importing torch
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise BadArray(
            "not_numbers", name, f"{name} must be an array of numbers ({error}).", what="ragged lists"
        ) from None
    kind = array.dtype.kind  # a letter, not np.issubdtype: this runs on every call of every layer
    if kind == "c":
        raise BadArray(
            "not_numbers", name, f"{name} must contain real numbers, not complex ones.", what="complex numbers"
        )
    if kind not in REAL_KINDS:
        raise BadArray(
            "not_numbers", name, f"{name} must contain numbers, not {array.dtype} values.", what=f"{array.dtype} values"
        )
    if dtype is None:
        dtype = array.dtype if array.dtype in FLOAT_TYPES else np.float64
    array = array.astype(dtype, copy=False)
    check_finite(name, array)
    return array


def check_finite(name: str, array: np.ndarray) -> None:
    """ValueError saying how many NaN/inf values `array` holds and where the first one is."""
    finite = np.isfinite(array)
    if finite.all():
        return
    bad = int(array.size - np.count_nonzero(finite))
    first = tuple(int(i) for i in np.argwhere(~finite)[0])
    raise BadArray(
        "not_finite",
        name,
        f"{name} contains {bad} NaN or infinite value(s) (the first at index {first}); "
        "every value must be a finite number.",
        bad=bad,
        first=first,
    )


def check_shape(name: str, array: np.ndarray, expected: tuple[int, ...]) -> None:
    """ValueError naming the expected and the given shape."""
    if tuple(array.shape) != tuple(expected):
        raise BadArray(
            "shape",
            name,
            f"{name} has shape {tuple(array.shape)} but shape {tuple(expected)} was expected.",
            shape=tuple(array.shape),
            expected=tuple(expected),
        )


def check_trace(layer: Any, trace: Any, trace_type: type[Any]) -> None:
    """A backward pass needs the trace of its own forward: same kind, same sizes."""
    if not isinstance(trace, trace_type):
        raise ValueError(
            f"{type(layer).__name__}.backward needs a {trace_type.__name__} (from this layer's "
            f"forward), got {type(trace).__name__}."
        )
    if trace.hidden_size != layer.hidden_size or trace.input_width != layer.input_size:
        raise ValueError("This trace was computed by a layer of another size.")


def check_positive_int(name: str, value: Any) -> int:
    """`value` as an int ≥ 1, or a ValueError that says so."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")
    return int(value)


def sequence_input(x: Any, input_size: int, dtype: np.dtype | type | None = None) -> tuple[np.ndarray, bool]:
    """Check a time-major input and return it as (T, B, I) plus whether it came batched.

    Accepts (T, I) for one sequence or (T, B, I) for a batch.
    """
    x = as_float_array("x", x, dtype)
    if x.ndim not in (2, 3):
        raise ValueError(
            f"x must have shape (T, {input_size}) for one sequence or (T, B, {input_size}) for a "
            f"batch (time first), but it has {x.ndim} dimension(s): {tuple(x.shape)}."
        )
    if x.shape[0] == 0:
        raise ValueError("x is an empty sequence: it needs at least one timestep.")
    if x.shape[-1] != input_size:
        raise ValueError(
            f"x has {x.shape[-1]} input feature(s) per timestep but this layer expects input_size = {input_size}."
        )
    batched = x.ndim == 3
    if batched and x.shape[1] == 0:
        raise ValueError("x has a batch of size 0: it needs at least one sequence.")
    return (x if batched else x[:, None, :]), batched


def initial_state(name: str, value: Any, batch: int, hidden_size: int, batched: bool, dtype: DTypeLike) -> np.ndarray:
    """An initial state as (B, H): zeros when None; (H,) is accepted for one sequence."""
    if value is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    state = as_float_array(name, value, dtype)
    expected = (batch, hidden_size) if batched else (hidden_size,)
    if state.shape == (hidden_size,) and batched:
        return np.broadcast_to(state, (batch, hidden_size)).copy()
    if not batched and state.shape == (1, hidden_size):
        return state.copy()
    check_shape(name, state, expected)
    return state.reshape(batch, hidden_size).copy()
