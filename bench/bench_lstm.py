"""Time lstm_core's LSTM against the NumPy LSTMs people would otherwise write, against
torch.nn.LSTM, and against the floor (the GEMMs alone), in one process per thread count.

    python -m bench.bench_lstm              # 1 thread and 2 threads, every size; a few minutes
    python -m bench.bench_lstm --quick      # fewer repeats
    python -m bench.bench_lstm --threads 1  # one thread count only

Every implementation gets the same float32 weights and input. The NumPy peers (bench/peers.py)
are the tutorials' per-step loop (one sequence at a time, so it is timed at B = 1 only) and the
well-known batched NumPy LSTM. "fwd+bwd" is a forward pass plus backpropagation of dL/dh = g
through every step; torch's is its forward with autograd plus .backward() of sum(h·g). The floor
runs only the matrix products the LSTM cannot avoid (the input GEMM and T recurrent GEMMs
forward; T recurrent GEMMs and the three parameter/input GEMMs backward), so `ours / floor`
says how much of our time is everything else. Each timing is the median of several repeats,
and every ratio compares timings of the same run, taken in turns (`interleaved_medians`).

Goals (issue #23): ours / best NumPy peer ≤ 0.5 at every size with T ≥ 50, forward and
fwd+bwd, and ≤ 1.0 at the 5-step classroom size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable

TURN_SECONDS = 0.02  # one function's turn in a round of interleaved_medians
# (B, T, H, I): the first is the classroom example, one-hot I = 10.
SIZES = [(1, 5, 8, 10), (1, 50, 16, 16), (1, 500, 64, 64), (32, 500, 64, 64), (32, 500, 256, 256), (1, 2000, 256, 256)]


def interleaved_medians(
    fns: dict[str, Callable[[], object]], budget: float, min_rounds: int = 5, max_rounds: int = 300
) -> dict[str, float]:
    """The median seconds of one call of each function, timed in rounds, for about `budget`
    seconds per function. In a round each function takes a turn of TURN_SECONDS (as many calls
    back to back as fill it, so a short call is timed warm, as a loop calls it), in an order that
    turns round by round. A slower moment of this shared machine then falls on every
    implementation alike, and their ratio holds: timed one after the other, the classroom size's
    ours / best peer read anything from 0.89 to 1.24 on the same code."""
    import numpy as np

    calls = {}
    for name, fn in fns.items():  # warm up: as many calls as fill a turn, counted
        fn()
        t0, calls[name] = time.perf_counter(), 0
        while time.perf_counter() - t0 < TURN_SECONDS:
            fn()
            calls[name] += 1
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    start = time.perf_counter()
    rounds = 0
    while rounds < min_rounds or (time.perf_counter() - start < budget * len(names) and rounds < max_rounds):
        turn = rounds % len(names)
        for name in names[turn:] + names[:turn]:
            fn, n = fns[name], calls[name]
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            times[name].append((time.perf_counter() - t0) / n)
        rounds += 1
    return {name: float(np.median(seconds)) for name, seconds in times.items()}


def run(threads: int, quick: bool) -> None:
    """Time every size with `threads` BLAS/torch threads (set before numpy loads)."""
    import numpy as np
    import torch

    from bench.peers import BatchedLSTM, TutorialLSTM
    from lstm_core import LSTM

    torch.set_num_threads(threads)
    budget = 0.3 if quick else 1.5
    print(f"\n{threads} thread{'s' * (threads > 1)}: torch {torch.__version__}, numpy {np.__version__}\n")
    header = "| B | T | H | ours ms | tutorial loop | batched NumPy | torch | floor | ours / best peer | ours / torch | ours / floor |"
    rows: dict[str, list[str]] = {"forward": [], "forward + backward": []}
    for B, T, H, I in SIZES:
        layer = LSTM.init(I, H, seed=0)
        module = torch.nn.LSTM(I, H)
        module.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in layer.to_torch().items()})
        rng = np.random.default_rng(0)
        x = rng.normal(size=(T, B, I)).astype(np.float32)
        if I == 10:
            x = np.eye(10, dtype=np.float32)[rng.integers(0, 10, size=(T, B))]
        g = rng.normal(size=(T, B, H)).astype(np.float32)
        x_t, g_t = torch.tensor(x), torch.tensor(g)
        tutorial = TutorialLSTM(layer).astype(np.float32) if B == 1 else None
        batched = BatchedLSTM(layer).astype(np.float32)
        W, U = layer.W.astype(np.float32), layer.U.astype(np.float32)
        U_T, W_T = np.ascontiguousarray(U.T), np.ascontiguousarray(W.T)
        h_rows = rng.normal(size=(T, B, H)).astype(np.float32)
        dz = rng.normal(size=(T, B, 4 * H)).astype(np.float32)
        step_out = np.empty((B, 4 * H), dtype=np.float32)
        back_out = np.empty((B, H), dtype=np.float32)

        def torch_forward():
            with torch.no_grad():
                module(x_t)

        def torch_forward_backward():
            module.zero_grad(set_to_none=True)
            out, _ = module(x_t)
            (out * g_t).sum().backward()

        def floor_forward():
            x.reshape(T * B, I) @ W
            for h_t in h_rows:
                np.dot(h_t, U, step_out)

        def floor_backward():
            for dz_t in dz:
                np.dot(dz_t, U_T, back_out)
            flat = dz.reshape(T * B, 4 * H)
            x.reshape(T * B, I).T @ flat, h_rows.reshape(T * B, H).T @ flat, flat @ W_T

        candidates = {
            "forward": {
                "ours": lambda: layer.forward(x),
                "tutorial": (lambda: tutorial.forward(x)) if tutorial else None,
                "batched": lambda: batched.forward(x),
                "torch": torch_forward,
                "floor": floor_forward,
            },
            "forward + backward": {
                "ours": lambda: layer.backward(layer.forward(x), g).dx,  # dx read: the peers compute theirs
                "tutorial": (lambda: tutorial.backward(g, tutorial.forward(x)[1])) if tutorial else None,
                "batched": lambda: batched.backward(g, batched.forward(x)[1]),
                "torch": torch_forward_backward,
                "floor": lambda: (floor_forward(), floor_backward()),
            },
        }
        scale = 1 if T * B * H < 1e6 else 2
        for kind, fns in candidates.items():
            timed = interleaved_medians({name: fn for name, fn in fns.items() if fn}, budget * scale)
            ms = {name: timed[name] * 1e3 if name in timed else None for name in fns}
            best_peer = min(v for k, v in ms.items() if k in ("tutorial", "batched") and v is not None)
            cells = [
                f"{ms[k]:.3g}" if ms[k] is not None else "–" for k in ("ours", "tutorial", "batched", "torch", "floor")
            ]
            ratios = [ms["ours"] / best_peer, ms["ours"] / ms["torch"], ms["ours"] / ms["floor"]]
            rows[kind].append(
                f"| {B} | {T} | {H} | " + " | ".join(cells) + " | " + " | ".join(f"{r:.2f}" for r in ratios) + " |"
            )
            print(f"  {kind}, B={B} T={T} H={H}: ours/best peer {ratios[0]:.2f}", file=sys.stderr, flush=True)
    for kind, lines in rows.items():
        print(f"{kind}, float32, milliseconds (median):\n")
        print(header)
        print("|" + "---|" * 11)
        print("\n".join(lines) + "\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--threads", type=int, choices=(1, 2), help="one thread count (default: 1, then 2)")
    args = parser.parse_args()
    if args.threads is None:
        for threads in (1, 2):
            command = [sys.executable, "-m", "bench.bench_lstm", "--threads", str(threads)] + ["--quick"] * args.quick
            subprocess.run(command, check=True)
        return
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)
    run(args.threads, args.quick)


if __name__ == "__main__":
    main()
