"""At which distance N does a vanilla RNN stop remembering the first symbol, when an LSTM still does?

    python -m bench.long_memory                      # N = 20, 40, 60, 80; Keras's initializers; ~15 min
    python -m bench.long_memory --init pytorch 20 40 # PyTorch's default initialization instead

Task (lstm_core.tasks.long_memory): a cue A or B at step 0, then N random distractors; at the
last step name the cue (6 distractor symbols). Chance is 50 %. Each model (H = 16, Adam, lr 0.01, clip 5, 80 epochs of
256 sequences) is scored on 256 fresh sequences; three seeds, the median is printed.
"""

from __future__ import annotations

import argparse

import numpy as np

from lstm_core import GRU, LSTM, RNN, Model, SoftmaxHead, train
from lstm_core.tasks import long_memory

INITIALIZERS = {
    "keras": {},  # glorot_uniform kernel, orthogonal recurrent kernel, zero bias (+1 forget bias)
    "pytorch": dict(
        kernel_initializer="pytorch_uniform",
        recurrent_initializer="pytorch_uniform",
        bias_initializer="pytorch_uniform",
    ),
}


def held_out_accuracy(kind, distance: int, seed: int, init: str) -> float:
    data = long_memory(distance, sequences=256, seed=seed)
    test = long_memory(distance, sequences=256, seed=seed + 1000)
    options = dict(INITIALIZERS[init])
    if kind is LSTM and init == "pytorch":
        options["unit_forget_bias"] = False
    layer = kind.init(data.inputs.shape[-1], 16, seed=seed, **options)
    model = Model(layer, SoftmaxHead.init(16, 2, seed=seed))
    train(
        model, data.inputs, data.targets, optimizer="adam", lr=0.01, epochs=80, batch_size=32, clip_norm=5.0, seed=seed
    )
    _, probabilities = model.forward(test.inputs)
    return float((probabilities[-1].argmax(-1) == test.targets[-1]).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("distances", type=int, nargs="*", default=[20, 40, 60, 80], help="the distances N")
    parser.add_argument("--init", choices=["keras", "pytorch"], default="keras", help="the initializers")
    args = parser.parse_args()
    init, distances = args.init, args.distances
    print(f"initialization: {init}")
    print("| N | LSTM | GRU | RNN |")
    print("|---|---|---|---|")
    for distance in distances:
        cells = [
            np.median([held_out_accuracy(kind, distance, seed, init) for seed in (0, 1, 2)])
            for kind in (LSTM, GRU, RNN)
        ]
        print(f"| {distance} | " + " | ".join(f"{c:.0%}" for c in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
