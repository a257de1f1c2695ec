"""Time lstm_core's LSTM against torch.nn.LSTM on the CPU, in one process, and print ratios.

    python -m bench.bench_lstm            # every size; about a minute
    python -m bench.bench_lstm --quick    # fewer repeats

Both sides: float32, 2 threads, the same weights and input. torch's forward runs under no_grad;
"forward+backward" times torch's forward with autograd plus .backward() of sum(h·g) against our
forward plus backward with dh = g. Each timing is the median of several repeats, so the ratio
compares like with like on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lstm_core import LSTM  # noqa: E402

torch.set_num_threads(2)

# (B, T, H, I): the sizes; the first is the classroom example, one-hot I = 10.
SIZES = [(1, 5, 8, 10), (1, 50, 16, 16), (1, 500, 64, 64), (32, 500, 64, 64), (32, 500, 256, 256), (1, 2000, 256, 256)]


def median_seconds(fn, budget: float, min_repeats: int = 5, max_repeats: int = 200) -> float:
    fn()  # warm up
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or (time.perf_counter() - start < budget and len(times) < max_repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    budget = 0.3 if args.quick else 1.5
    print(f"torch {torch.__version__}, numpy {np.__version__}, threads {torch.get_num_threads()}")
    print(
        "| B | T | H | I | torch fwd ms | ours fwd ms | fwd ratio | torch fwd+bwd ms | ours fwd+bwd ms | fwd+bwd ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
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

        def torch_forward():
            with torch.no_grad():
                module(x_t)

        def torch_forward_backward():
            module.zero_grad(set_to_none=True)
            out, _ = module(x_t)
            (out * g_t).sum().backward()

        def ours_forward():
            layer.forward(x)

        def ours_forward_backward():
            layer.backward(layer.forward(x), g)

        scale = 1 if T * B * H < 1e6 else 2
        tf = median_seconds(torch_forward, budget * scale)
        of = median_seconds(ours_forward, budget * scale)
        tfb = median_seconds(torch_forward_backward, budget * scale)
        ofb = median_seconds(ours_forward_backward, budget * scale)
        print(
            f"| {B} | {T} | {H} | {I} | {tf * 1e3:.2f} | {of * 1e3:.2f} | {of / tf:.2f}× | {tfb * 1e3:.2f} | {ofb * 1e3:.2f} | {ofb / tfb:.2f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
