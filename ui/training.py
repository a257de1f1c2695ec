"""The Train page's work, without Streamlit: build the task and model, train, keep snapshots.

A run records its losses as it goes (the page stores the run object in session state before
training starts, so a Stop click, which interrupts the script, keeps everything learned up to
the last step) and keeps copies of the model at up to MAX_SNAPSHOTS epochs, so students can
scrub back and watch the gates organise themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import lstm_core
from lstm_core import LinearHead, Model, SoftmaxHead, Stack, TrainingEvent, tasks
from lstm_core.tasks import Dataset, bracket_depth, long_memory, next_character, sine_continuation
from ui.input_refusal import InputRefused

TASKS = ("next_character", "sine", "long_memory", "brackets")
KINDS = ("lstm", "gru", "rnn")
MAX_TRAIN_TEXT = 2000
LEARNING_RATES = (0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.3, 1.0, 3.0, 10.0)  # the Train page's menus
BATCH_SIZES = (1, 4, 8, 16, 32, 64, 128)
CLIP_NORMS = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0)  # 0: no clipping
MAX_SNAPSHOTS = 30
NEXT_CHARACTER_WINDOW = 32  # characters per training window (shorter texts: the whole text)


@dataclass(frozen=True)
class TrainConfig:
    task: str = "next_character"
    text: str = lstm_core.CLASSIC_SENTENCE
    distance: int = 10
    kind: str = "lstm"
    hidden_size: int = 16
    layers: int = 1
    optimizer: str = "adam"
    lr: float = 0.02
    epochs: int = 60
    batch_size: int = 32
    clip: float = 5.0  # global-norm threshold; 0 turns clipping off
    seed: int = 0


def next_character_windows(text: str) -> tuple[int, int]:
    """(window length, number of windows) the next-character task makes of `text`."""
    return tasks.next_character_windows(len(lstm_core.text.normalize(text)), NEXT_CHARACTER_WINDOW)


def make_dataset(config: TrainConfig) -> Dataset:
    """The task's data; InputRefused for text that is too short or too long."""
    if config.task == "next_character":
        text = lstm_core.text.normalize(config.text)
        if len(text.strip()) < 2:
            raise InputRefused("train_text_too_short")
        if len(text) > MAX_TRAIN_TEXT:
            raise InputRefused("train_text_too_long")
        vocabulary = lstm_core.Vocabulary.from_text(text)
        return next_character(text, vocabulary, window=NEXT_CHARACTER_WINDOW)
    if config.task == "sine":
        return sine_continuation(sequences=64, length=40, seed=config.seed)
    if config.task == "long_memory":
        return long_memory(config.distance, sequences=256, seed=config.seed)
    if config.task == "brackets":
        return bracket_depth(sequences=128, length=20, seed=config.seed)
    raise ValueError(f"Unknown task {config.task!r}.")


def make_model(config: TrainConfig, dataset: Dataset, kind: str | None = None) -> Model:
    kind = kind or config.kind
    input_size = dataset.inputs.shape[-1]
    if config.layers == 1:
        recurrent = lstm_core.layer_class(kind).init(input_size, config.hidden_size, seed=config.seed)
    else:
        recurrent = Stack.init(kind, input_size, config.hidden_size, config.layers, seed=config.seed)
    if dataset.is_classification:
        head = SoftmaxHead.init(config.hidden_size, len(dataset.classes), seed=config.seed + 1)
    else:
        head = LinearHead.init(config.hidden_size, 1, seed=config.seed + 1)
    return Model(recurrent, head)


def snapshot_epochs(epochs: int) -> set[int]:
    """Which epochs keep a copy of the model: 0 (untrained), the last, and evenly between."""
    return {int(e) for e in np.linspace(0, epochs, min(epochs + 1, MAX_SNAPSHOTS))}


@dataclass
class TrainingRun:
    config: TrainConfig
    kind: str
    model: Model
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    snapshots: dict[int, Model] = field(default_factory=dict)
    status: str = "running"  # running, finished, stopped, diverged
    epochs_done: int = 0


def run_training(
    config: TrainConfig,
    dataset: Dataset,
    kind: str,
    on_event: Callable[[TrainingRun, TrainingEvent], None] | None = None,
    run: TrainingRun | None = None,
) -> TrainingRun:
    """Train a fresh model of `kind`; `on_event` sees every step and epoch end (the page draws
    progress there). The run is updated in place, so an interrupted run keeps its history."""
    run = run or TrainingRun(config, kind, make_model(config, dataset, kind))
    keep = snapshot_epochs(config.epochs)
    run.snapshots[0] = run.model.copy()

    def callback(event: TrainingEvent) -> None:
        if event.phase == "step":
            run.grad_norms.append(event.grad_norm)
        else:
            run.losses.append(event.loss)
            if event.accuracy is not None:
                run.accuracies.append(event.accuracy)
            run.epochs_done = event.epoch
            if event.epoch in keep:
                run.snapshots[event.epoch] = run.model.copy()
        if on_event is not None:
            on_event(run, event)

    result = lstm_core.train(
        run.model,
        dataset.inputs,
        dataset.targets,
        optimizer=config.optimizer,
        lr=config.lr,
        epochs=config.epochs,
        batch_size=config.batch_size,
        clip_norm=config.clip if config.clip > 0 else None,
        seed=config.seed,
        callback=callback,
    )
    run.status = "diverged" if result.stopped == "diverged" else "finished"
    if run.status == "diverged":
        run.snapshots[run.epochs_done] = run.model.copy()
    return run


def seconds_left(elapsed: float, done: float) -> int | None:
    """The time a run still needs, in whole seconds, from how long it took to get `done` (0 … 1)
    of the way: the steps of one run cost alike, so the rate so far holds. None while the first
    second or the first 2 % are too little to go on (the worker's start-up is in `elapsed`)."""
    if not (np.isfinite(elapsed) and np.isfinite(done)) or elapsed < 1.0 or not 0.02 <= done < 1.0:
        return None
    return max(1, round(elapsed * (1.0 - done) / done))


def gate_quantities(model: Model, inputs: np.ndarray) -> dict[str, np.ndarray]:
    """The first layer's per-step values for one sequence (T, I), by the kind's own names."""
    layer = model.recurrent.layers[0] if isinstance(model.recurrent, Stack) else model.recurrent
    trace = layer.forward(inputs)
    names = {"lstm": ("f", "i", "c_tilde", "o", "c", "h"), "gru": ("r", "z", "n", "h"), "rnn": ("h",)}[layer.KIND]
    return {name: getattr(trace, name) for name in names}


def share_refusal(run: TrainingRun) -> str | None:
    """Why the stepper and cell pages cannot show this run's model (an i18n key's ending), or
    None: they draw a single-layer LSTM's gates over a text or a series."""
    if run.kind != "lstm":
        return "not_lstm"
    if run.config.layers != 1:
        return "layers"
    if run.config.task not in ("next_character", "sine"):
        return "task"
    if run.status == "diverged":
        return "diverged"
    return None
