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
class GRUTrace(TraceShape):
    """Per-step values, (T, H) or (T, B, H); `pre` and `gates` hold 3·H (blocks r, z, n).

    `hn` is U_n h_{t-1} + b_hn, the recurrent part of the candidate before the reset gate.
    """

    x: np.ndarray
    pre: np.ndarray
    gates: np.ndarray
    hn: np.ndarray
    h: np.ndarray
    h0: np.ndarray

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

        W x_t + b_i for every step is one GEMM before the loop; each step runs one GEMM for
        U h_{t-1} into `recurrent` (whose n block is `hn`, kept as a view) and writes every other
        value in place, with no temporary array."""
        self._no_cell_state(c0)
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, _ = xb.shape
        H = self.hidden_size
        h_init = initial_state("h0", h0, B, H, is_batched, dtype)
        W, U, b, b_hh = self._cast(dtype)
        pre = (xb.reshape(T * B, -1) @ W).reshape(T, B, 3 * H)
        pre += b
        gates = np.empty_like(pre)
        recurrent = np.empty_like(pre)  # U h_{t-1} + b_hh, blocks r, z, n
        h = np.empty((T, B, H), dtype=dtype)
        reset_product = np.empty((B, H), dtype=dtype)
        sigma, act = self.recurrent_activation.forward, self.activation.forward
        steps = zip(
            pre[:, :, : 2 * H],
            pre[:, :, 2 * H :],
            recurrent,
            recurrent[:, :, : 2 * H],
            recurrent[:, :, 2 * H :],
            gates[:, :, : 2 * H],
            gates[:, :, :H],
            gates[:, :, H : 2 * H],
            gates[:, :, 2 * H :],
            h,
        )
        h_prev = h_init
        for z_rz, z_n, rec, rec_rz, hn, a_rz, r, update, candidate, h_t in steps:
            np.matmul(h_prev, U, rec)
            np.add(rec, b_hh, rec)  # U h_{t-1} + b_hh
            np.add(z_rz, rec_rz, z_rz)
            sigma(z_rz, a_rz)  # r, z
            np.multiply(r, hn, reset_product)
            np.add(z_n, reset_product, z_n)
            act(z_n, candidate)  # n
            # h = (1 - z)·n + z·h_prev = n + z·(h_prev - n)
            np.subtract(h_prev, candidate, h_t)
            np.multiply(h_t, update, h_t)
            np.add(h_t, candidate, h_t)
            h_prev = h_t

        def shaped(array: np.ndarray) -> np.ndarray:
            return unbatched_like(array, is_batched)

        hn_all = recurrent[:, :, 2 * H :]
        return GRUTrace(shaped(xb), shaped(pre), shaped(gates), shaped(hn_all), shaped(h), shaped(h_init))

    def __call__(self, x: Any, h0: Any = None) -> GRUTrace:
        return self.forward(x, h0)

    def backward(self, trace: GRUTrace, dh: Any) -> GRUGradients:
        """BPTT from the loss gradient on each h_t (shaped like `trace.h`)."""
        check_trace(self, trace, GRUTrace)
        dtype = trace.h.dtype
        H = self.hidden_size
        dh_out = sequence_gradient("dh", dh, trace.h.shape, dtype)
        x, pre, a, hn = batched(trace.x), batched(trace.pre), batched(trace.gates), batched(trace.hn)
        h_prev = previous_states(batched_state(trace.h0), batched(trace.h))
        T, B, _ = hn.shape
        _, U, _, _ = self._cast(dtype)
        U_T = np.ascontiguousarray(U.T)
        r, z, n = a[..., :H], a[..., H : 2 * H], a[..., 2 * H :]
        sigma_slope = self.recurrent_activation.derivative(pre[..., : 2 * H], a[..., : 2 * H])
        n_slope = self.activation.derivative(pre[..., 2 * H :], n)

        # What depends only on the forward pass, for every step at once:
        #   dL/d(pre_n) = dh·(1 − z)·tanh'     dL/dr = dL/d(pre_n)·hn·σ'(r)     dL/dz = dh·(h_prev − n)·σ'(z)
        candidate_factor = np.subtract(1.0, z)
        candidate_factor *= n_slope
        reset_factor = hn * sigma_slope[..., :H]
        update_factor = np.subtract(h_prev, n)
        update_factor *= sigma_slope[..., H:]

        dh_total = np.empty((T, B, H), dtype=dtype)
        d_input = np.empty((T, B, 3 * H), dtype=dtype)  # dL/d(x W + b_ih)
        d_recurrent = np.empty_like(d_input)  # dL/d(h_prev U + b_hh)
        dh_next = np.zeros((B, H), dtype=dtype)
        through_update = np.empty((B, H), dtype=dtype)
        backwards = slice(None, None, -1)
        steps = zip(
            dh_out[backwards],
            dh_total[backwards],
            d_input[backwards],
            d_recurrent[backwards],
            candidate_factor[backwards],
            reset_factor[backwards],
            update_factor[backwards],
            r[backwards],
            z[backwards],
        )
        for dh_ext, dh_t, d_in, d_rec, n_factor, r_factor, z_factor, r_t, z_t in steps:
            np.add(dh_ext, dh_next, dh_t)
            dn_pre = d_in[:, 2 * H :]
            np.multiply(dh_t, n_factor, dn_pre)  # dL/d(pre_n)
            np.multiply(dn_pre, r_factor, d_in[:, :H])  # dL/d(pre_r)
            np.multiply(dh_t, z_factor, d_in[:, H : 2 * H])  # dL/d(pre_z)
            np.copyto(d_rec[:, : 2 * H], d_in[:, : 2 * H])
            np.multiply(dn_pre, r_t, d_rec[:, 2 * H :])  # through r·(U_n h + b_hn)
            np.multiply(dh_t, z_t, through_update)  # h_t = … + z·h_{t-1}
            np.matmul(d_rec, U_T, dh_next)
            np.add(dh_next, through_update, dh_next)

        is_batched = trace.is_batched
        params, dx = self._parameter_gradients(x, h_prev, d_input, d_recurrent, is_batched)
        return GRUGradients(
            compute_dx=dx,
            params=params,
            dh=unbatched_like(dh_total, is_batched),
            dh0=unbatched_like(dh_next, is_batched),
        )
