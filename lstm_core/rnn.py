"""The vanilla (Elman) RNN, PyTorch's `nn.RNN`: the baseline whose gradients vanish.

    h_t = tanh(W x_t + b_ih + U h_{t-1} + b_hh)

Backward multiplies by U·diag(tanh'(·)) once per step; with |tanh'| ≤ 1 and a modest U that
product shrinks geometrically, which the gradient-flow page shows against the LSTM's highway.
`recurrent_activation` is accepted for a uniform API and unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .recurrent import (
    InputGradient,
    RecurrentLayer,
    TraceShape,
    batched,
    batched_state,
    previous_states,
    sequence_gradient,
    unbatched_like,
)
from .validation import check_trace, initial_state, sequence_input


@dataclass(frozen=True)
class RNNTrace(TraceShape):
    """Per-step pre-activations and states, (T, H) or (T, B, H)."""

    x: np.ndarray
    pre: np.ndarray
    h: np.ndarray
    h0: np.ndarray


@dataclass(frozen=True)
class RNNGradients(InputGradient):
    params: RNN
    dh: np.ndarray  # total dL/dh_t per step
    dh0: np.ndarray


class RNN(RecurrentLayer):
    GATES = ("h",)
    KIND = "rnn"

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> RNNTrace:
        self._no_cell_state(c0)
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, _ = xb.shape
        H = self.hidden_size
        h_prev = initial_state("h0", h0, B, H, is_batched, dtype)
        h_init = h_prev.copy()
        W, U, b, b_hh = self._cast(dtype)
        pre = (xb.reshape(T * B, -1) @ W).reshape(T, B, H)
        pre += b + b_hh
        h = np.empty_like(pre)
        recurrent_part = np.empty((B, H), dtype=dtype)
        for t in range(T):
            pre[t] += np.matmul(h_prev, U, recurrent_part)
            self.activation(pre[t], out=h[t])
            h_prev = h[t]

        def shaped(array: np.ndarray) -> np.ndarray:
            return unbatched_like(array, is_batched)

        return RNNTrace(shaped(xb), shaped(pre), shaped(h), shaped(h_init))

    def __call__(self, x: Any, h0: Any = None) -> RNNTrace:
        return self.forward(x, h0)

    def backward(self, trace: RNNTrace, dh: Any) -> RNNGradients:
        check_trace(self, trace, RNNTrace)
        dtype = trace.h.dtype
        dh_out = sequence_gradient("dh", dh, trace.h.shape, dtype)
        x, pre, h = batched(trace.x), batched(trace.pre), batched(trace.h)
        h_prev = previous_states(batched_state(trace.h0), h)
        T, B, H = h.shape
        _, U, _, _ = self._cast(dtype)
        U_T = np.ascontiguousarray(U.T)
        slope = self.activation.derivative(pre, h)
        dh_total = np.empty_like(h)
        d_pre = np.empty_like(h)
        dh_next = np.zeros((B, H), dtype=dtype)
        for t in range(T - 1, -1, -1):
            np.add(dh_out[t], dh_next, dh_total[t])
            np.multiply(dh_total[t], slope[t], d_pre[t])
            np.matmul(d_pre[t], U_T, dh_next)

        is_batched = trace.is_batched
        params, dx = self._parameter_gradients(x, h_prev, d_pre, d_pre, is_batched)
        return RNNGradients(
            compute_dx=dx,
            params=params,
            dh=unbatched_like(dh_total, is_batched),
            dh0=unbatched_like(dh_next, is_batched),
        )
