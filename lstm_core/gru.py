"""The GRU, the LSTM's lighter cousin, in PyTorch's convention (gate blocks r, z, n):

    r_t = σ(W_r x_t + b_ir + U_r h_{t-1} + b_hr)              reset gate
    z_t = σ(W_z x_t + b_iz + U_z h_{t-1} + b_hz)              update gate
    n_t = tanh(W_n x_t + b_in + r_t * (U_n h_{t-1} + b_hn))   candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

No separate cell state: h itself is the highway, kept where z ≈ 1. The recurrent bias b_hn sits
inside the reset gate's product, which is why PyTorch keeps two biases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import columns
from .columns import steps_gemm, sum_over_steps
from .recurrent import InputGradient, RecurrentLayer, TraceShape, input_gradient, sequence_gradient, unbatched_like
from .validation import check_trace, initial_state, sequence_input


@dataclass(frozen=True, eq=False)
class GRUTrace(TraceShape):
    """Per-step values; the public arrays are (T, H) or (T, B, H), `pre` and `gates` with 3·H
    (blocks r, z, n), and `hn` is U_n h_{t-1} + b_hn, the recurrent part of the candidate before
    the reset gate.

    They are views into what the loop wrote, which keeps each step's values as columns with the
    batch last, as the LSTM's loop does (lstm_core/columns.py): `inputs` (T, I + 1, B) rows
    [x_t; 1], `states` (T + 1, H + 1, B) rows [h_t; 1] with h0 first, and (T, 3H, B) each of
    `pre_rows`, `gate_rows` and `recurrent` (U h_{t-1} + b_hh).
    """

    inputs: np.ndarray
    states: np.ndarray
    pre_rows: np.ndarray
    gate_rows: np.ndarray
    recurrent: np.ndarray
    is_batched_input: bool

    @property
    def x(self) -> np.ndarray:  # type: ignore[override]  # a field in the RNN's trace, a view here
        return self._shaped(self.inputs[:, :-1])

    @property
    def h(self) -> np.ndarray:  # type: ignore[override]  # a field in the RNN's trace, a view here
        return self._shaped(self.states[1:, :-1])

    @property
    def h0(self) -> np.ndarray:
        return unbatched_like(self.states[0, :-1].T, self.is_batched_input)

    @property
    def pre(self) -> np.ndarray:
        return self._shaped(self.pre_rows)

    @property
    def gates(self) -> np.ndarray:
        return self._shaped(self.gate_rows)

    @property
    def hn(self) -> np.ndarray:
        H = self.states.shape[1] - 1
        return self._shaped(self.recurrent[:, 2 * H :])

    @property
    def r(self) -> np.ndarray:
        return self._block(self.gates, 0)

    @property
    def z(self) -> np.ndarray:
        return self._block(self.gates, 1)

    @property
    def n(self) -> np.ndarray:
        return self._block(self.gates, 2)


@dataclass(frozen=True)
class GRUGradients(InputGradient):
    params: GRU
    dh: np.ndarray  # total dL/dh_t per step
    dh0: np.ndarray


class GRU(RecurrentLayer):
    GATES = ("r", "z", "n")
    KIND = "gru"

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> GRUTrace:
        """Run x, (T, I) or (T, B, I); return every step's gates and state.

        W x_t + b_i for every step is computed before the loop; each step runs one GEMM,
        [U; b_hh]ᵀ·[h_{t-1}; 1], into `recurrent` (whose n rows are `hn`) and writes every other
        value in place, with no temporary array, on contiguous blocks of rows (the batch last)."""
        self._no_cell_state(c0)
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, I = xb.shape
        H = self.hidden_size
        W, U, b, b_hh = self._cast(dtype)

        inputs = np.empty((T, I + 1, B), dtype=dtype)  # step t: rows [x_t; 1]
        inputs[:, :I] = xb.transpose(0, 2, 1)
        inputs[:, I] = 1.0
        states = np.empty((T + 1, H + 1, B), dtype=dtype)  # step t: rows [h_t; 1], h0 first
        states[0, :H] = initial_state("h0", h0, B, H, is_batched, dtype).T
        states[:, H] = 1.0
        pre = np.empty((T, 3 * H, B), dtype=dtype)  # W x_t + b, then the loop adds the recurrent parts
        input_weights = np.concatenate([W, b[None]])  # (I + 1, 3H)
        if B == 1:  # one sequence: its columns are rows, and one GEMM covers every step
            np.matmul(inputs[:, :, 0], input_weights, out=pre[:, :, 0])
        else:
            np.matmul(input_weights.T, inputs, out=pre)
        gates = np.empty_like(pre)
        recurrent = np.empty_like(pre)  # U h_{t-1} + b_hh, rows r, z, n
        reset_product = np.empty((H, B), dtype=dtype)
        sigma, act = self.recurrent_activation.forward, self.activation.forward
        steps = zip(
            steps_gemm(np.concatenate([U, b_hh[None]]), states[:-1], recurrent, B),
            pre[:, : 2 * H],
            pre[:, 2 * H :],
            recurrent[:, : 2 * H],
            recurrent[:, 2 * H :],
            gates[:, : 2 * H],
            gates[:, :H],
            gates[:, H : 2 * H],
            gates[:, 2 * H :],
            states[:-1, :H],
            states[1:, :H],
        )
        for (left, right, product), z_rz, z_n, rec_rz, hn, a_rz, r, update, candidate, h_prev, h_t in steps:
            np.dot(left, right, product)  # U h_{t-1} + b_hh
            np.add(z_rz, rec_rz, z_rz)
            sigma(z_rz, a_rz)  # r, z
            np.multiply(r, hn, reset_product)
            np.add(z_n, reset_product, z_n)
            act(z_n, candidate)  # n
            # h = (1 - z)·n + z·h_prev = n + z·(h_prev - n)
            np.subtract(h_prev, candidate, h_t)
            np.multiply(h_t, update, h_t)
            np.add(h_t, candidate, h_t)
        return GRUTrace(inputs, states, pre, gates, recurrent, is_batched)

    def __call__(self, x: Any, h0: Any = None) -> GRUTrace:
        return self.forward(x, h0)

    def backward(self, trace: GRUTrace, dh: Any) -> GRUGradients:
        """BPTT from the loss gradient on each h_t (shaped like `trace.h`), in the forward loop's
        layout: the per-step factors that depend only on the forward pass are written first, for
        every step at once, into the arrays the loop then multiplies in place."""
        check_trace(self, trace, GRUTrace)
        dtype = trace.states.dtype
        H = self.hidden_size
        dh_given = sequence_gradient("dh", dh, trace.h_shape, dtype)
        pre, a, hn = trace.pre_rows, trace.gate_rows, trace.recurrent[:, 2 * H :]
        T, _, B = pre.shape
        h_prev = trace.states[:-1, :H]
        r, z = a[:, :H], a[:, H : 2 * H]

        # d_input = dL/d(W x + b_ih), rows r, z, n. Each chunk of steps first holds what depends
        # only on the forward pass, and the loop multiplies each block by dh_t or dL/d(pre_n):
        #   dL/d(pre_n) = dh·[(1 − z)·tanh']   dL/d(pre_r) = dL/d(pre_n)·[hn·σ'(r)]   dL/d(pre_z) = dh·[(h_prev − n)·σ'(z)]
        d_input = np.empty((T, 3 * H, B), dtype=dtype)
        d_recurrent = np.empty_like(d_input)  # dL/d(U h_{t-1} + b_hh): rows r, z as d_input's, n through r
        d_r, d_z, d_n = d_input[:, :H], d_input[:, H : 2 * H], d_input[:, 2 * H :]
        sigma_slope, slope = self.recurrent_activation.derivative, self.activation.derivative

        def fill_factors(steps: slice) -> None:
            d_s, a_s, scratch = d_input[steps], a[steps], d_recurrent[steps, 2 * H :]  # the loop writes it later
            sigma_slope(pre[steps, : 2 * H], a_s[:, : 2 * H], d_s[:, : 2 * H])
            np.multiply(d_s[:, :H], hn[steps], d_s[:, :H])
            np.subtract(h_prev[steps], a_s[:, 2 * H :], scratch)
            np.multiply(d_s[:, H : 2 * H], scratch, d_s[:, H : 2 * H])
            slope(pre[steps, 2 * H :], a_s[:, 2 * H :], d_s[:, 2 * H :])
            np.subtract(1.0, a_s[:, H : 2 * H], scratch)
            np.multiply(d_s[:, 2 * H :], scratch, d_s[:, 2 * H :])

        chunk_tops = columns.chunk_tops(T, 3 * H * B)
        dh_total = np.empty((T, H, B), dtype=dtype)
        np.copyto(dh_total, dh_given.transpose(0, 2, 1))
        dh_next = np.zeros((H, B), dtype=dtype)
        through_update = np.empty((H, B), dtype=dtype)
        backwards = slice(None, None, -1)
        steps = zip(
            range(T - 1, -1, -1),
            steps_gemm(np.ascontiguousarray(self.U.T, dtype=dtype), d_recurrent[backwards], dh_next, B),
            dh_total[backwards],
            d_input[backwards, : 2 * H],
            d_r[backwards],
            d_z[backwards],
            d_n[backwards],
            d_recurrent[backwards, : 2 * H],
            d_recurrent[backwards, 2 * H :],
            r[backwards],
            z[backwards],
        )
        for t, (left, right, product), dh_t, d_rz, d_r_t, d_z_t, d_n_t, d_rec_rz, d_rec_n, r_t, z_t in steps:
            if t in chunk_tops:
                fill_factors(chunk_tops[t])
            np.add(dh_t, dh_next, dh_t)  # dL/dh_t: from outside and from step t+1
            np.multiply(d_n_t, dh_t, d_n_t)
            np.multiply(d_r_t, d_n_t, d_r_t)
            np.multiply(d_z_t, dh_t, d_z_t)
            np.copyto(d_rec_rz, d_rz)
            np.multiply(d_n_t, r_t, d_rec_n)  # through r·(U_n h + b_hn)
            np.multiply(dh_t, z_t, through_update)  # h_t = … + z·h_{t-1}
            np.dot(left, right, product)  # U·d_recurrent
            np.add(dh_next, through_update, dh_next)

        input_grad = sum_over_steps(trace.inputs, d_input)  # rows [dW; db]
        recurrent_grad = sum_over_steps(trace.states[:-1], d_recurrent)  # rows [dU; db_hh]
        params = self.holding_gradients(
            W=input_grad[:-1], U=recurrent_grad[:-1], b=input_grad[-1], b_hh=recurrent_grad[-1]
        )
        is_batched = trace.is_batched
        return GRUGradients(
            # a copy: an optimizer updates self.W in place, maybe before dx is read
            compute_dx=input_gradient(d_input, self.W.copy(), is_batched, columns=True),
            params=params,
            dh=unbatched_like(dh_total.transpose(0, 2, 1), is_batched),
            dh0=unbatched_like(dh_next.T, is_batched),
        )
