"""Numeric sequences for regression demos: generated signals and checked user series."""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import as_float_array, check_positive_int, check_seed


def sine(length: int, period: float = 20.0, amplitude: float = 1.0, phase: float = 0.0) -> np.ndarray:
    """amplitude·sin(2πt/period + phase) for t = 0…length-1."""
    length = check_positive_int("length", length)
    if not np.isfinite(period) or period <= 0:
        raise ValueError(f"The period must be a positive number, got {period!r}.")
    t = np.arange(length)
    return amplitude * np.sin(2 * np.pi * t / period + phase)


def step(length: int, at: int | None = None, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """`low` before step `at` (default: the middle), `high` from it on."""
    length = check_positive_int("length", length)
    at = length // 2 if at is None else int(at)
    return np.where(np.arange(length) < at, low, high).astype(np.float64)


def noise(length: int, scale: float = 1.0, seed: int | None = 0) -> np.ndarray:
    """Gaussian white noise with standard deviation `scale`, reproducible from `seed`."""
    length = check_positive_int("length", length)
    return np.random.default_rng(check_seed(seed)).normal(0.0, scale, length)


def series_input(values: Any, max_length: int | None = None) -> np.ndarray:
    """A 1-D series as a (T, 1) input: finite, non-empty, at most `max_length` steps."""
    series = as_float_array("The series", values, np.float64)
    if series.ndim == 2 and 1 in series.shape:
        series = series.reshape(-1)
    if series.ndim != 1:
        raise ValueError(f"A series is one column of numbers; got shape {series.shape}.")
    if series.size == 0:
        raise ValueError("The series is empty: it needs at least one number.")
    if max_length is not None and series.size > max_length:
        raise ValueError(f"The series has {series.size} values; the limit is {max_length}.")
    return series[:, None]


def continuation_pairs(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (T-1, 1) and targets (T-1, 1): each value predicts the next."""
    series = series_input(values)
    if series.shape[0] < 2:
        raise ValueError("Predicting the next value needs a series of at least two values.")
    return series[:-1], series[1:]
