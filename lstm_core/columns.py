"""The recurrent loops' layout, shared by the LSTM and the GRU: each step's values as columns,
(n, B) with the batch last, so that every block a step reads or writes is one contiguous piece
of memory (lstm_core/lstm.py, `LSTM.forward`, says why), and the GEMMs that layout needs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from itertools import repeat
from typing import Any

import numpy as np

CHUNK_ELEMENTS = 2**17  # a backward pass fills its factors a chunk of steps at a time: about this many per chunk
SUM_COLUMNS = 256  # columns (steps × B) per GEMM of sum_over_steps: its copies stay in cache


def sum_over_steps(columns: np.ndarray, dz: np.ndarray) -> np.ndarray:
    """Σ_t columns_t·dz_tᵀ, (n, m), for the loop's (T, n, B) and (T, m, B): e.g. the LSTM's dA
    from the steps' inputs [h_{t-1}; x_t; 1] and dz.

    A GEMM wants all T·B columns side by side. For one sequence they are already; a batch's
    are copied, SUM_COLUMNS at a time into the same two buffers, one GEMM each, added up: copied
    whole, both arrays would be fresh memory as large as the trace, which costs more than the
    GEMM at T = 500, B = 32.
    """
    T, n, B = columns.shape
    if B == 1:
        return columns[:, :, 0].T @ dz[:, :, 0]
    steps = max(1, SUM_COLUMNS // B)
    left = np.empty((n, steps, B), dtype=dz.dtype)
    right = np.empty((dz.shape[1], steps, B), dtype=dz.dtype)
    total = np.zeros((n, dz.shape[1]), dtype=dz.dtype)
    for start in range(0, T, steps):
        k = min(steps, T - start)
        np.copyto(left[:, :k], columns[start : start + k].transpose(1, 0, 2))
        np.copyto(right[:, :k], dz[start : start + k].transpose(1, 0, 2))
        total += left[:, :k].reshape(n, k * B) @ right[:, :k].reshape(-1, k * B).T
    return total


def steps_gemm(weights: np.ndarray, columns: np.ndarray, products: np.ndarray, batch: int) -> Any:
    """Per step, the arguments of np.dot(left, right, out) that compute products_t = weightsᵀ·columns_t.

    `weights` is (n, m) in C order, `columns` (T, n, B) and `products` (T, m, B), or one (m, B)
    array that every step writes. For one sequence a column is also a row, and BLAS is quicker
    with the row times the weights than with the transposed weights times the column: the same
    products, as a (1, n)·(n, m) GEMM. A batch takes weightsᵀ in C order.
    """
    steps = len(columns)
    if batch == 1:
        rows = products.swapaxes(1, 2) if products.ndim == 3 else repeat(products.T, steps)
        return zip(columns.swapaxes(1, 2), repeat(weights, steps), rows)
    every_step = products if products.ndim == 3 else repeat(products, steps)
    return zip(repeat(np.ascontiguousarray(weights.T), steps), columns, every_step)


def chunk_tops(T: int, per_step: int) -> Mapping[int, slice]:
    """A backward pass's chunks of steps (about CHUNK_ELEMENTS of `per_step` each), by the step
    where the loop, running backwards, reaches each: it fills a chunk's factors just before, for
    all its steps at once (few calls), while they are still in cache when the loop reads them."""
    return _chunk_tops(T, max(1, CHUNK_ELEMENTS // per_step))


@functools.lru_cache(maxsize=64)
def _chunk_tops(T: int, per_chunk: int) -> Mapping[int, slice]:
    return {min(t + per_chunk, T) - 1: slice(t, min(t + per_chunk, T)) for t in range(0, T, per_chunk)}
