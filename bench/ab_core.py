"""This checkout's lstm_core against another checkout's, in one process, taking turns.

    git worktree add /tmp/before HEAD~1
    python -m bench.ab_core --against /tmp/before            # bench_lstm's sizes, then training
    python -m bench.ab_core --against /tmp/before --training # one epoch of bench_training's task only
    python -m bench.ab_core --against /tmp/before --size 1 5 8 --layers-only  # one size, no training
    python -m bench.ab_core --against /tmp/before --layer GRU --layers-only   # the GRU at every size
    python -m bench.ab_core --against /tmp/before --layer GRU --training      # a GRU's training epochs

Prints time after / before (this checkout / the other) for LSTM.forward (or the --layer's) and
forward + backward (dx read) at bench_lstm's sizes in float32, and for one epoch of bench_training's task in float32
and float64. Both copies of lstm_core are imported side by side and their calls alternate
(bench_lstm's `interleaved_medians`), so a slower minute of a shared machine falls on both: two
runs of the same code timed one after the other differ by more than most changes do. One BLAS
thread (OPENBLAS_NUM_THREADS, set before numpy loads), as the Train page's worker runs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import itertools
import os
import sys
from pathlib import Path
from types import ModuleType

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from bench.bench_lstm import SIZES, interleaved_medians  # noqa: E402
from bench.bench_training import BATCH, TEXT, WINDOW, H  # noqa: E402
from ui.allocator import reuse_freed_memory  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def load_core(root: Path, name: str) -> tuple[ModuleType, ModuleType]:
    """lstm_core and lstm_core.tasks as the checkout at `root` has them, imported as the package
    `name` (lstm_core imports its own modules relatively, so a second copy loads beside the first)."""
    package = root / "lstm_core"
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec is not None and spec.loader is not None, package
    core = importlib.util.module_from_spec(spec)
    sys.modules[name] = core
    spec.loader.exec_module(core)
    return core, importlib.import_module(f"{name}.tasks")


def layer_rows(cores: dict[str, ModuleType], sizes: list[tuple[int, int, int, int]], kind: str = "LSTM") -> None:
    print(f"| {kind}: B, T, H | fwd, after / before | fwd+bwd, after / before |\n|---|---|---|")
    for B, T, hidden, inputs in sizes:
        rng = np.random.default_rng(0)
        x = rng.standard_normal((T, B, inputs)).astype(np.float32)
        g = rng.standard_normal((T, B, hidden)).astype(np.float32)
        calls = {}
        for label, core in cores.items():
            layer = getattr(core, kind).init(inputs, hidden, seed=0)
            calls[f"{label} fwd"] = lambda layer=layer, x=x: layer.forward(x)
            calls[f"{label} fb"] = lambda layer=layer, x=x, g=g: layer.backward(layer.forward(x), g).dx
        times = interleaved_medians(calls, budget=1.0 if T * B * hidden < 2e6 else 3.0)
        ratio = {kind: times[f"after {kind}"] / times[f"before {kind}"] for kind in ("fwd", "fb")}
        print(f"| {B}, {T}, {hidden} | {ratio['fwd']:.2f} | {ratio['fb']:.2f} |", flush=True)


def training_rows(cores: dict[str, ModuleType], tasks: dict[str, ModuleType], rounds: int, kind: str = "LSTM") -> None:
    reuse_freed_memory()  # as the Train page's worker (ui/allocator.py), for both sides
    epochs = {}
    for label, core in cores.items():
        data = tasks[label].next_character(TEXT, core.Vocabulary.from_text(TEXT), window=WINDOW)
        for dtype in (np.float32, np.float64):
            inputs = data.inputs.astype(dtype)
            model = core.Model(
                getattr(core, kind).init(inputs.shape[-1], H, seed=0),
                core.SoftmaxHead.init(H, len(data.classes), seed=1),
            )
            optimizer, seeds = core.Adam(lr=0.01), itertools.count()

            def epoch(core=core, model=model, optimizer=optimizer, inputs=inputs, seeds=seeds, targets=data.targets):
                core.train(model, inputs, targets, optimizer=optimizer, epochs=1, batch_size=BATCH, seed=next(seeds))

            epochs[f"{label} {np.dtype(dtype).name}"] = epoch
    times = interleaved_medians(epochs, budget=0.0, min_rounds=rounds, max_rounds=rounds)
    print(f"| one {kind} training epoch | after (ms) | before (ms) | after / before |\n|---|---|---|---|")
    for dtype in ("float32", "float64"):
        after, before = times[f"after {dtype}"], times[f"before {dtype}"]
        print(f"| {dtype} | {after * 1e3:.0f} | {before * 1e3:.0f} | {after / before:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, required=True, help="the other checkout (a git worktree)")
    parser.add_argument("--training", action="store_true", help="only the training epochs")
    parser.add_argument("--rounds", type=int, default=9, help="training epochs per side and dtype")
    parser.add_argument(
        "--size", nargs=3, type=int, action="append", metavar=("B", "T", "H"), help="only this of bench_lstm's sizes"
    )
    parser.add_argument("--layers-only", action="store_true", help="no training epochs")
    parser.add_argument(
        "--layer", choices=("LSTM", "GRU", "RNN"), default="LSTM", help="the layer timed at each size and trained"
    )
    args = parser.parse_args()
    sizes = [size for size in SIZES if args.size is None or list(size[:3]) in args.size]
    cores, tasks = {}, {}
    for label, root in (("after", ROOT), ("before", args.against.resolve())):
        cores[label], tasks[label] = load_core(root, f"lstm_core_{label}")
    if not args.training:
        layer_rows(cores, sizes, args.layer)
    if not args.layers_only:
        training_rows(cores, tasks, args.rounds, args.layer)


if __name__ == "__main__":
    main()
