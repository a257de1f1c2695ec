"""One epoch of next-character training: lstm_core against the same model in PyTorch, CPU.

    python -m bench.bench_training

Model: LSTM (H = 64) + dense softmax head, Adam (lr 0.01), batch 32, windows of 32 characters
of a 2,000-character text (so 1,968 windows, 62 optimizer steps an epoch). Both sides are timed in
float32 (torch's default; lstm_core computes in float32 when its inputs are float32, keeping
float64 master weights) and in float64 (what the app uses). Median of 5 epochs each,
after warm-up epochs, 2 threads; lstm_core also with one BLAS thread, as the Train page's
worker runs it (ui/training_worker.py: a class's server keeps its other core for the other
students), and PyTorch also on one thread, to compare the two with the same resources. The
epochs are taken in turns (lstm_core, PyTorch, and back: bench_lstm's `interleaved_medians`),
so a slower moment of this shared machine falls on both sides of a ratio alike: timed one side
after the other, the float32 ratio read anything from 1.1 to 2.1 on the same code.

The process's allocator is set as the app's training worker sets it (ui/allocator.py), for
both sides; `--glibc-defaults` leaves glibc's defaults, to see what that setting is worth. The
page faults per optimizer step of lstm_core's epochs are printed too (the median over epochs).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
from collections.abc import Callable
from dataclasses import replace

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from bench.bench_lstm import interleaved_medians  # noqa: E402
from lstm_core import LSTM, Adam, Model, SoftmaxHead, Vocabulary, train  # noqa: E402
from lstm_core.tasks import next_character  # noqa: E402
from ui.allocator import reuse_freed_memory  # noqa: E402

torch.set_num_threads(2)
TEXT = ("公主很漂亮，王子真帅气。" * 80 + "The quick brown fox jumps over the lazy dog. " * 40)[:2000]
H, BATCH, WINDOW, EPOCHS = 64, 32, 32, 5


FAULTS: dict[str, list[float]] = {}  # page faults per optimizer step of each epoch, by dtype


def ours_epochs(data, dtype=np.float64, blas_threads: int | None = None) -> Callable[[], None]:
    """One epoch of lstm_core's training per call, each shuffled by a new seed, on `blas_threads`
    BLAS threads (None: the process's 2); its page faults go into FAULTS."""
    data = replace(data, inputs=data.inputs.astype(dtype))
    model = Model(LSTM.init(data.inputs.shape[-1], H, seed=0), SoftmaxHead.init(H, len(data.classes), seed=1))
    optimizer = Adam(lr=0.01)
    steps = -(-data.inputs.shape[1] // BATCH)
    faults = FAULTS.setdefault(np.dtype(dtype).name, [])
    seeds = itertools.count()

    def epoch() -> None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        with threadpool_limits(limits=blas_threads, user_api="blas"):
            train(model, data.inputs, data.targets, optimizer=optimizer, epochs=1, batch_size=BATCH, seed=next(seeds))
        faults.append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / steps)

    return epoch


def torch_epochs(data, dtype, threads: int = 2) -> Callable[[], None]:
    """One epoch of the same model in PyTorch per call, each shuffled by a new seed, on
    `threads` threads (the process's own count is restored after it)."""
    torch.manual_seed(0)
    vocabulary = data.inputs.shape[-1]
    lstm = torch.nn.LSTM(vocabulary, H, dtype=dtype)
    head = torch.nn.Linear(H, vocabulary, dtype=dtype)
    optimizer = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=0.01)
    x = torch.tensor(data.inputs, dtype=dtype)
    y = torch.tensor(data.targets)
    seeds = itertools.count()

    def epoch() -> None:
        order = torch.tensor(np.random.default_rng(next(seeds)).permutation(x.shape[1]))
        process_threads = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            for start in range(0, x.shape[1], BATCH):
                batch = order[start : start + BATCH]
                optimizer.zero_grad()
                out, _ = lstm(x[:, batch])
                loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, vocabulary), y[:, batch].reshape(-1))
                loss.backward()
                optimizer.step()
        finally:
            torch.set_num_threads(process_threads)

    return epoch


def median_epoch_seconds(epochs: dict[str, Callable[[], None]]) -> dict[str, float]:
    """EPOCHS rounds of one epoch of each, in turns (after interleaved_medians' warm-up)."""
    return interleaved_medians(epochs, budget=0.0, min_rounds=EPOCHS, max_rounds=EPOCHS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--glibc-defaults", action="store_true", help="leave malloc as glibc sets it")
    args = parser.parse_args()
    tuned = not args.glibc_defaults and reuse_freed_memory()
    print(f"allocator: {'as the app sets it (ui/allocator.py)' if tuned else 'glibc defaults'}")
    data = next_character(TEXT, Vocabulary.from_text(TEXT), window=WINDOW)
    T, N, V = data.inputs.shape
    print(f"text {len(TEXT)} characters, vocabulary {V}, {N} windows of {T}, batch {BATCH}, H = {H}")
    rows = []
    for name, ours_dtype, torch_dtype in (
        ("float32", np.float32, torch.float32),
        ("float64", np.float64, torch.float64),
    ):
        timed = median_epoch_seconds(
            {
                "ours": ours_epochs(data, ours_dtype),
                "ours, 1 thread": ours_epochs(data, ours_dtype, blas_threads=1),
                "torch": torch_epochs(data, torch_dtype),
                "torch, 1 thread": torch_epochs(data, torch_dtype, threads=1),
            }
        )
        ours, one, reference = timed["ours"], timed["ours, 1 thread"], timed["torch"]
        torch_one = timed["torch, 1 thread"]
        rows.append(
            f"| {name} | {reference * 1e3:.0f} | {ours * 1e3:.0f} | {ours / reference:.2f}× "
            f"| {one * 1e3:.0f} | {one / reference:.2f}× | {torch_one * 1e3:.0f} | {one / torch_one:.2f}× |"
        )
    print(
        "| dtype | PyTorch, 2 threads (ms / epoch) | lstm_core, 2 threads | ratio | lstm_core, 1 BLAS thread (the Train page) | ratio "
        "| PyTorch, 1 thread | lstm_core / PyTorch, 1 thread each |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    faults = {name: np.median(per_epoch) for name, per_epoch in FAULTS.items()}
    print(f"lstm_core page faults per optimizer step: float64 {faults['float64']:.0f}, float32 {faults['float32']:.0f}")


if __name__ == "__main__":
    main()
