"""LSTM forward + backward with NumPy's huge pages on and off, in turns.

    python -m bench.hugepages                      # bench_lstm's sizes with T ≥ 500
    python -m bench.hugepages --size 32 500 256    # one size

On Linux NumPy asks the kernel for huge pages (madvise) for every array of 4 MB or more; the
first write to such an array then faults in 2 MB at a time instead of 4 KB. Which is quicker
depends on the machine: on this project's virtual machine it made the largest size's forward +
backward switch between two speeds from one run to the next (bench_lstm's 32, 500, 256), and
the smaller ones quicker. This times both settings in turns in one process (NumPy's own switch,
`_set_madvise_hugepage`, the one its NUMPY_MADVISE_HUGEPAGE environment variable sets at import),
float32, one BLAS thread, so that a reading of bench_lstm can be told from the machine's state.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from numpy._core import multiarray  # noqa: E402

from bench.bench_lstm import SIZES  # noqa: E402
from lstm_core import LSTM  # noqa: E402


def timed_in_turns(B: int, T: int, H: int, I: int, rounds: int) -> dict[bool, list[float]]:
    """Seconds of forward + backward (dx read) per call, `rounds` calls with each setting, alternating."""
    layer = LSTM.init(I, H, seed=0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, I)).astype(np.float32)
    g = rng.standard_normal((T, B, H)).astype(np.float32)
    seconds: dict[bool, list[float]] = {True: [], False: []}
    before = multiarray._set_madvise_hugepage(True)  # returns the setting it replaces
    for round_ in range(rounds):
        for huge in (True, False) if round_ % 2 else (False, True):
            multiarray._set_madvise_hugepage(huge)
            start = time.perf_counter()
            _ = layer.backward(layer.forward(x), g).dx
            seconds[huge].append(time.perf_counter() - start)
    multiarray._set_madvise_hugepage(before)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", nargs=3, type=int, action="append", metavar=("B", "T", "H"), help="only this size")
    parser.add_argument("--rounds", type=int, default=10, help="calls with each setting")
    args = parser.parse_args()
    sizes = [
        size for size in SIZES if (args.size is None and size[1] >= 500) or (args.size and list(size[:3]) in args.size)
    ]
    print("| B, T, H | huge pages on: median (min–max) ms | off | on / off |\n|---|---|---|---|")
    for B, T, H, I in sizes:
        seconds = timed_in_turns(B, T, H, I, args.rounds)
        on, off = (np.array(seconds[huge]) * 1e3 for huge in (True, False))
        print(
            f"| {B}, {T}, {H} | {np.median(on):.0f} ({on.min():.0f}–{on.max():.0f}) "
            f"| {np.median(off):.0f} ({off.min():.0f}–{off.max():.0f}) | {np.median(on) / np.median(off):.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
