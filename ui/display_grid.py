"""How much of a (T, H) trace a screen can show, and the block means that fit it.

A heatmap column narrower than a couple of pixels, or a row thinner than a few, shows nothing a
student can read; it only makes the browser slow. Long sequences are therefore drawn as columns
of `steps` consecutive timesteps and wide layers as rows of `units` neighbouring units, each
cell the mean of its block. The chart says so whenever it happens (see `Grid.is_reduced`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_COLUMNS = 400  # ≈ 2.5 px per column on a 1000 px wide plot
MAX_ROWS = 64  # ≈ 3 px per row in the tallest heatmap row


@dataclass(frozen=True)
class Grid:
    length: int  # T
    hidden: int  # H
    steps: int  # timesteps per column
    units: int  # units per row

    @property
    def columns(self) -> int:
        return -(-self.length // self.steps)

    @property
    def rows(self) -> int:
        return -(-self.hidden // self.units)

    @property
    def is_reduced(self) -> bool:
        return self.steps > 1 or self.units > 1

    def column_start(self, column: int) -> int:
        return column * self.steps

    def column_steps(self, column: int) -> tuple[int, int]:
        """First and last timestep (inclusive) of a column."""
        start = column * self.steps
        return start, min(self.length, start + self.steps) - 1

    def column_of(self, timestep: int) -> int:
        return int(np.clip(timestep, 0, self.length - 1)) // self.steps

    def shrink(self, values: np.ndarray) -> np.ndarray:
        """(T, H) → (columns, rows): the mean of each block (the last block may be smaller)."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (self.length, self.hidden):
            raise ValueError(f"expected a ({self.length}, {self.hidden}) array, got {values.shape}")
        return _block_mean(_block_mean(values, self.steps, axis=0), self.units, axis=1)


def _block_mean(values: np.ndarray, size: int, axis: int) -> np.ndarray:
    if size == 1:
        return values
    n = values.shape[axis]
    starts = np.arange(0, n, size)
    sums = np.add.reduceat(values, starts, axis=axis)
    counts = np.minimum(starts + size, n) - starts
    shape = [1, 1]
    shape[axis] = len(starts)
    return sums / counts.reshape(shape)


def display_grid(length: int, hidden: int, max_columns: int = MAX_COLUMNS, max_rows: int = MAX_ROWS) -> Grid:
    """The smallest whole block sizes that bring T and H within the screen's budget."""
    if length < 1 or hidden < 1:
        raise ValueError(f"a trace needs at least one timestep and one unit, got T={length}, H={hidden}")
    return Grid(length, hidden, steps=-(-length // max_columns), units=-(-hidden // max_rows))
