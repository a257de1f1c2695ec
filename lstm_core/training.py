"""Training a recurrent layer with an output head: mini-batches, clipping, SGD/Adam, callbacks.

Data is time-major like everything here: inputs (T, N, I) for N sequences (or (T, I) for one),
targets (T, N) class ids for a softmax head or (T, N, O) values for a linear head. Training is
deterministic under `seed` (it only shuffles which sequences form a batch). A loss that turns NaN
or infinite stops training and puts back the last weights that gave a finite loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .heads import HeadLoss, LinearHead, SoftmaxHead, top_class_hits
from .optimizers import SGD, Adam, make_optimizer
from .recurrent import RecurrentLayer
from .stack import Stack
from .validation import as_float_array, check_positive_int, check_seed


@dataclass
class Model:
    """A recurrent layer (or stack) with a head on every h_t."""

    recurrent: RecurrentLayer | Stack
    head: SoftmaxHead | LinearHead

    def __post_init__(self) -> None:
        if self.head.hidden_size != self.recurrent.hidden_size:
            raise ValueError(
                f"The head reads hidden states of size {self.head.hidden_size} but the recurrent "
                f"layer produces {self.recurrent.hidden_size}."
            )

    def parameters(self) -> dict[str, np.ndarray]:
        params = {f"rnn.{k}": v for k, v in self.recurrent.parameters().items()}
        params.update({f"head.{k}": v for k, v in self.head.parameters().items()})
        return params

    def copy(self) -> Model:
        return Model(self.recurrent.copy(), self.head.copy())

    def forward(self, x: Any) -> tuple[Any, np.ndarray]:
        """The recurrent trace and the head's per-step predictions."""
        trace = self.recurrent.forward(x)
        return trace, self.head.predict(trace.h)

    def loss_and_gradients(self, x: Any, targets: Any) -> tuple[HeadLoss, dict[str, np.ndarray]]:
        """The loss and its gradient for every parameter; no gradients ({}) when the loss is
        not finite, since then there is nothing sensible to step along."""
        with np.errstate(over="ignore", invalid="ignore"):
            trace = self.recurrent.forward(x)
            head_loss = self.head.loss(trace.h, targets)
        if not (np.isfinite(head_loss.loss) and np.isfinite(head_loss.dh).all()):
            return head_loss, {}
        grads = self.recurrent.backward(trace, head_loss.dh)
        named = {f"rnn.{k}": v for k, v in grads.params.parameters().items()}
        named.update({f"head.{k}": v for k, v in head_loss.params.parameters().items()})
        return head_loss, named


@dataclass(frozen=True)
class TrainingEvent:
    """What a callback sees after every optimizer step (`phase="step"`) and epoch (`"epoch"`)."""

    phase: str
    epoch: int  # 1-based
    epochs: int
    step: int  # 1-based within the epoch
    steps_per_epoch: int
    loss: float
    accuracy: float | None
    grad_norm: float


@dataclass
class TrainingResult:
    losses: list[float] = field(default_factory=list)  # per epoch, mean over its batches
    accuracies: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)  # per step, before clipping
    stopped: str | None = None  # None, "callback" or "diverged"
    message: str = ""


def _as_dataset(model: Model, inputs: Any, targets: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array("inputs", inputs)
    if x.ndim == 2:
        x = x[:, None, :]
    if x.ndim != 3 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"inputs must have shape (T, N, I) with T, N ≥ 1; got {x.shape}.")
    y = np.asarray(targets)
    if isinstance(model.head, SoftmaxHead):
        y = y[:, None] if y.ndim == 1 else y
        expected = x.shape[:2]
    else:
        y = as_float_array("targets", y)
        y = y[:, None, :] if y.ndim == 2 else y
        expected = x.shape[:2] + (model.head.output_size,)
    if y.shape != expected:
        raise ValueError(f"targets have shape {y.shape} but the inputs need {expected}.")
    return x, y


def train(
    model: Model,
    inputs: Any,
    targets: Any,
    optimizer: str | SGD | Adam = "adam",
    lr: float = 0.01,
    epochs: int = 10,
    batch_size: int | None = None,
    clip_norm: float | None = None,
    clip_value: float | None = None,
    seed: int | None = 0,
    callback: Callable[[TrainingEvent], bool | None] | None = None,
) -> TrainingResult:
    """Train `model` in place. `callback` returning False stops after the current step."""
    epochs = check_positive_int("epochs", epochs)
    x, y = _as_dataset(model, inputs, targets)
    sequences = x.shape[1]
    batch_size = sequences if batch_size is None else check_positive_int("batch_size", batch_size)
    opt = make_optimizer(optimizer, lr) if isinstance(optimizer, str) else optimizer
    rng = np.random.default_rng(check_seed(seed))
    steps = -(-sequences // batch_size)
    params = model.parameters()
    last_good = {name: array.copy() for name, array in params.items()}
    result = TrainingResult()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(sequences)
        losses, correct, counted = [], 0, 0
        for step in range(1, steps + 1):
            batch = order[(step - 1) * batch_size : step * batch_size]
            head_loss, grads = model.loss_and_gradients(x[:, batch], y[:, batch])
            norm = global_norm(grads) if grads else float("nan")
            if not np.isfinite(norm):
                _restore(params, last_good)
                result.stopped = "diverged"
                result.message = (
                    f"Training diverged at epoch {epoch}, step {step} (the loss or gradient became "
                    "NaN or infinite). The last good weights were kept; lower the learning rate "
                    "or turn on gradient clipping."
                )
                return result
            last_good = {name: array.copy() for name, array in params.items()}
            if clip_norm is not None:
                grads, _ = clip_by_global_norm(grads, clip_norm)
            if clip_value is not None:
                grads = clip_by_value(grads, clip_value)
            with np.errstate(over="ignore", invalid="ignore"):
                opt.step(params, grads)
            losses.append(head_loss.loss)
            result.grad_norms.append(norm)
            accuracy = None
            if isinstance(model.head, SoftmaxHead):
                scored = y[:, batch] >= 0
                hits = top_class_hits(head_loss.predictions, y[:, batch])[scored]
                correct, counted = correct + int(hits.sum()), counted + hits.size
                accuracy = float(hits.mean())
            event = TrainingEvent("step", epoch, epochs, step, steps, head_loss.loss, accuracy, norm)
            if callback is not None and callback(event) is False:
                result.stopped = "callback"
                result.message = f"Stopped at epoch {epoch}, step {step}."
                _close_epoch(result, losses, correct, counted)
                return result
        _close_epoch(result, losses, correct, counted)
        if callback is not None:
            event = TrainingEvent(
                "epoch",
                epoch,
                epochs,
                steps,
                steps,
                result.losses[-1],
                result.accuracies[-1] if result.accuracies else None,
                result.grad_norms[-1],
            )
            if callback(event) is False:
                result.stopped = "callback"
                result.message = f"Stopped after epoch {epoch}."
                return result
    return result


def _restore(params: dict[str, np.ndarray], saved: dict[str, np.ndarray]) -> None:
    for name, array in params.items():
        array[...] = saved[name]


def _close_epoch(result: TrainingResult, losses: list[float], correct: int, counted: int) -> None:
    if losses:
        result.losses.append(float(np.mean(losses)))
    if counted:
        result.accuracies.append(correct / counted)
