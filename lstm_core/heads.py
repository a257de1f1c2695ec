"""Output layers on the hidden state, with their losses.

Softmax head (next-character prediction), as in the tutorial:
    y_t = W_y h_t + b_y,   p_t = softmax(y_t),   L = mean_t −log p_t[target_t]
Linear head (series regression):
    ŷ_t = W_y h_t + b_y,   L = mean (ŷ_t − y_t)²
Both work on h of shape (T, H) or (T, B, H) and return gradients on h for the layer below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np

from .validation import as_float_array, check_allocation, check_positive_int, check_seed, check_shape


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the max so large logits cannot overflow."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


@dataclass
class HeadLoss:
    loss: float
    dh: np.ndarray  # dL/dh_t, shaped like h
    params: DenseHead  # dL/dW_y, dL/db_y
    predictions: np.ndarray  # probabilities (softmax) or values (linear)


class DenseHead:
    """A dense layer W_y (O, H), b_y (O,) applied to every h_t."""

    PARAMETER_NAMES = ("Wy", "by")
    KIND = "dense"

    def __init__(self, Wy: Any, by: Any = None) -> None:
        Wy = as_float_array("Wy", Wy)
        if Wy.ndim != 2 or 0 in Wy.shape:
            raise ValueError(f"Wy must have shape (outputs, H), but it has shape {Wy.shape}.")
        self.Wy = np.array(Wy, dtype=np.float64)
        if by is None:
            self.by = np.zeros(Wy.shape[0])
        else:
            by = as_float_array("by", by)
            check_shape("by", by, (Wy.shape[0],))
            self.by = np.array(by, dtype=np.float64)

    @property
    def output_size(self) -> int:
        return self.Wy.shape[0]

    @property
    def hidden_size(self) -> int:
        return self.Wy.shape[1]

    @classmethod
    def init(cls, hidden_size: int, output_size: int, seed: int | None = 0) -> Self:
        """Glorot-uniform W_y, zero b_y (Keras's Dense defaults)."""
        hidden_size = check_positive_int("hidden_size", hidden_size)
        output_size = check_positive_int("output_size", output_size)
        check_allocation("the head's W_y", output_size, hidden_size)
        limit = np.sqrt(6.0 / (hidden_size + output_size))
        rng = np.random.default_rng(check_seed(seed))
        return cls(rng.uniform(-limit, limit, (output_size, hidden_size)))

    def parameters(self) -> dict[str, np.ndarray]:
        return {"Wy": self.Wy, "by": self.by}

    def parameter_count(self) -> int:
        return self.Wy.size + self.by.size

    def copy(self) -> Self:
        return type(self)(self.Wy, self.by)

    def logits(self, h: np.ndarray) -> np.ndarray:
        if h.shape[-1] != self.hidden_size:
            raise ValueError(f"The head expects hidden states of size {self.hidden_size}, got {h.shape[-1]}.")
        # One GEMM over every step's rows. A batched LSTM trace's h is a transposed view of the
        # loop's (T, H, B) columns, so the reshape copies it once; a 3-D matmul would per step.
        rows = h.reshape(-1, self.hidden_size)
        logits = rows @ self.Wy.T.astype(h.dtype, copy=False) + self.by.astype(h.dtype, copy=False)
        return logits.reshape(*h.shape[:-1], self.output_size)

    def _gradients(self, h: np.ndarray, d_logits: np.ndarray) -> tuple[np.ndarray, Self]:
        flat_h = h.reshape(-1, self.hidden_size)
        flat_d = d_logits.reshape(-1, self.output_size)
        params = type(self)(flat_d.T @ flat_h, flat_d.sum(axis=0))
        return (flat_d @ self.Wy.astype(h.dtype, copy=False)).reshape(h.shape), params


class SoftmaxHead(DenseHead):
    """Class probabilities per step (the tutorial's W_y, b_y); loss: mean cross-entropy."""

    KIND = "softmax"

    def predict(self, h: np.ndarray) -> np.ndarray:
        return softmax(self.logits(h))

    def loss(self, h: np.ndarray, targets: Any) -> HeadLoss:
        """`targets`: integer class ids shaped like h without its last axis ((T,) or (T, B)).

        A negative id means "no target at this step" (PyTorch's ignore_index): the step is left
        out of the loss and its gradient, e.g. every step but the last of a long-memory task.
        """
        targets = np.asarray(targets)
        if targets.shape != h.shape[:-1]:
            raise ValueError(f"targets have shape {targets.shape} but the hidden states need {h.shape[:-1]}.")
        if not np.issubdtype(targets.dtype, np.integer):
            raise ValueError("Softmax targets must be integer class ids.")
        if targets.size and targets.max() >= self.output_size:
            raise ValueError(f"Target ids must lie in 0…{self.output_size - 1}; got {targets.min()}…{targets.max()}.")
        scored = targets >= 0
        count = int(scored.sum())
        if count == 0:
            raise ValueError("No step has a target: at least one target id must be ≥ 0.")
        # Worked with the steps as columns, (V, N): the softmax's max and sum then run across
        # contiguous rows of N numbers, where over a last axis of V they are N short reductions
        # (several times slower at the Train page's sizes). `predict` gives the same to round-off.
        columns = np.moveaxis(h, -1, 0).reshape(self.hidden_size, -1)  # h_t as columns, (H, N)
        Wy = self.Wy.astype(h.dtype, copy=False)
        probabilities = Wy @ columns
        probabilities += self.by.astype(h.dtype, copy=False)[:, None]
        probabilities -= probabilities.max(axis=0)
        np.exp(probabilities, out=probabilities)
        probabilities /= probabilities.sum(axis=0)
        steps = np.flatnonzero(scored)
        picked_rows = targets.reshape(-1)[steps]
        picked = probabilities[picked_rows, steps]
        log_likelihood = np.log(np.maximum(picked, np.finfo(probabilities.dtype).tiny))
        loss = float(-log_likelihood.sum() / count)
        d_logits = probabilities.copy()  # dL/dy = p − onehot(target), averaged over scored steps
        d_logits[picked_rows, steps] = picked - 1.0
        d_logits *= scored.reshape(-1) / count
        params = type(self)(d_logits @ columns.T, d_logits.sum(axis=1))
        dh = np.moveaxis((Wy.T @ d_logits).reshape(h.shape[-1:] + h.shape[:-1]), 0, -1)
        predictions = np.moveaxis(probabilities.reshape(probabilities.shape[:1] + h.shape[:-1]), 0, -1)
        return HeadLoss(loss, dh, params, predictions)


def top_class_hits(probabilities: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """probabilities.argmax(-1) == targets (the first class on a tie, as argmax), for targets ≥ 0.

    An argmax over a last axis of V classes is one short search per step; compared across the
    classes instead, the work runs over contiguous rows when the classes are the first axis of
    the array in memory, as SoftmaxHead.loss leaves them.
    """
    classes = np.moveaxis(probabilities, -1, 0).reshape(probabilities.shape[-1], -1)
    wanted = np.asarray(targets).reshape(-1)
    steps = np.arange(wanted.size)
    top = classes.max(axis=0)
    hits = classes[wanted, steps] == top
    also_top = classes == top
    also_top[wanted, steps] = False
    tied = np.flatnonzero(hits & np.logical_or.reduce(also_top, axis=0))  # another class as high: the first wins
    hits[tied] = classes[:, tied].argmax(axis=0) == wanted[tied]
    return hits.reshape(np.shape(targets))


class LinearHead(DenseHead):
    """Real-valued outputs per step; loss: mean squared error."""

    KIND = "linear"

    def predict(self, h: np.ndarray) -> np.ndarray:
        return self.logits(h)

    def loss(self, h: np.ndarray, targets: Any) -> HeadLoss:
        """`targets`: values shaped like the predictions ((T, O) or (T, B, O))."""
        targets = as_float_array("targets", targets, h.dtype)
        predictions = self.predict(h)
        check_shape("targets", targets, predictions.shape)
        error = predictions - targets
        loss = float(np.mean(error**2))
        dh, params = self._gradients(h, 2.0 * error / error.size)
        return HeadLoss(loss, dh, params, predictions)
