"""The LSTM layer: forward pass with a full per-step trace, and backpropagation through time.

Equations, as in the tutorials (σ is `recurrent_activation`, tanh is `activation`):

    f_t  = σ(W_f x_t + U_f h_{t-1} + b_f)          forget gate
    i_t  = σ(W_i x_t + U_i h_{t-1} + b_i)          input gate
    C̃_t  = tanh(W_c x_t + U_c h_{t-1} + b_c)       candidate (`c_tilde`)
    o_t  = σ(W_o x_t + U_o h_{t-1} + b_o)          output gate
    C_t  = f_t * C_{t-1} + i_t * C̃_t              cell state: the "highway"
    h_t  = o_t * tanh(C_t)                          hidden state

Speed: the input projection of every timestep is one GEMM before the loop; inside the loop
one GEMM computes all four gates, and every elementwise step writes in place into preallocated
trace arrays. With the default activations, σ(z) = ½·tanh(z/2) + ½ lets one tanh call activate
all four gate blocks at once (the ½ is folded into the weights; multiplying by ½ is exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .recurrent import (
    RecurrentLayer,
    batched,
    previous_states,
    sequence_gradient,
    unbatched_like,
)
from .validation import as_float_array, check_shape, initial_state, sequence_input


@dataclass(frozen=True)
class LSTMTrace:
    """Everything the forward pass computed, one row per timestep.

    Arrays are (T, H) for one sequence and (T, B, H) for a batch (`pre` and `gates` have 4·H
    in the last axis, blocks i, f, c, o). `h0`, `c0` are the initial states, (H,) or (B, H).
    """

    x: np.ndarray
    pre: np.ndarray  # pre-activations z = W x + U h + b, blocks i, f, c, o
    gates: np.ndarray  # activated blocks: i, f, C̃, o
    c: np.ndarray
    h: np.ndarray
    tanh_c: np.ndarray  # activation(C_t), kept for the backward pass
    h0: np.ndarray
    c0: np.ndarray

    @property
    def hidden_size(self) -> int:
        return self.c.shape[-1]

    @property
    def is_batched(self) -> bool:
        return self.c.ndim == 3

    @property
    def length(self) -> int:
        return self.c.shape[0]

    def _block(self, array: np.ndarray, k: int) -> np.ndarray:
        H = self.hidden_size
        return array[..., k * H : (k + 1) * H]

    @property
    def i(self) -> np.ndarray:
        return self._block(self.gates, 0)

    @property
    def f(self) -> np.ndarray:
        return self._block(self.gates, 1)

    @property
    def c_tilde(self) -> np.ndarray:
        return self._block(self.gates, 2)

    @property
    def o(self) -> np.ndarray:
        return self._block(self.gates, 3)

    @property
    def z_i(self) -> np.ndarray:
        return self._block(self.pre, 0)

    @property
    def z_f(self) -> np.ndarray:
        return self._block(self.pre, 1)

    @property
    def z_c(self) -> np.ndarray:
        return self._block(self.pre, 2)

    @property
    def z_o(self) -> np.ndarray:
        return self._block(self.pre, 3)

    @property
    def c_prev(self) -> np.ndarray:
        """C_{t-1} for every t (the first row is c0)."""
        return unbatched_like(previous_states(self._initial(self.c0), batched(self.c)), self.is_batched)

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every t (the first row is h0)."""
        return unbatched_like(previous_states(self._initial(self.h0), batched(self.h)), self.is_batched)

    def _initial(self, state: np.ndarray) -> np.ndarray:
        return state if state.ndim == 2 else state[None]


@dataclass(frozen=True)
class LSTMGradients:
    """What backward returns. `params` is an LSTM holding dL/dW, dL/dU, dL/db, dL/db_hh.

    `dh` is the total dL/dh_t and `dc` the total dL/dC_t (through h_t and through C_{t+1}),
    per step, shaped like the trace: the quantities the gradient-flow page plots.
    """

    params: "LSTM"
    dx: np.ndarray
    dh: np.ndarray
    dc: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray


class LSTM(RecurrentLayer):
    """A single-layer LSTM (gate blocks i, f, c, o, as PyTorch and Keras stack them)."""

    GATES = ("i", "f", "c", "o")
    KIND = "lstm"

    def _apply_init_options(self, unit_forget_bias: bool = True) -> None:
        """Keras's `unit_forget_bias`: start the forget gate's bias at 1 (f ≈ 0.73: remember)."""
        if unit_forget_bias:
            H = self.hidden_size
            self.b[H : 2 * H] = 1.0

    # ---- other layouts --------------------------------------------------------------------
    @classmethod
    def from_keras(
        cls,
        weights: Sequence[Any],
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
    ) -> "LSTM":
        """From `keras.layers.LSTM(...).get_weights()`: [kernel (I, 4H), recurrent_kernel (H, 4H),
        bias (4H,)], or the first two when the layer has `use_bias=False`.

        Keras 3's default recurrent_activation is "sigmoid"; older Keras used "hard_sigmoid".
        """
        if not isinstance(weights, (list, tuple)) or len(weights) not in (2, 3):
            raise ValueError(
                "Keras LSTM weights are a list [kernel, recurrent_kernel, bias] "
                "(or [kernel, recurrent_kernel] without bias)."
            )
        kernel, recurrent_kernel = weights[0], weights[1]
        bias = weights[2] if len(weights) == 3 else None
        return cls(
            kernel,
            recurrent_kernel,
            bias,
            None,
            activation=activation,
            recurrent_activation=recurrent_activation,
        )

    def to_keras(self) -> list[np.ndarray]:
        """[kernel, recurrent_kernel, bias] for `keras.layers.LSTM(...).set_weights`."""
        return [self.W.copy(), self.U.copy(), self.b + self.b_hh]

    @classmethod
    def from_gates(
        cls,
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
        **gates: Any,
    ) -> "LSTM":
        """From the classic tutorial's per-gate matrices.

        `Wf, Wi, Wc, Wo` have shape (H, H + I) and act on the concatenation [h_{t-1}; x_t] (h
        first); `bf, bi, bc, bo` have shape (H, 1) or (H,).
        """
        expected = {f"{kind}{gate}" for kind in "Wb" for gate in "fico"}
        missing, unknown = expected - set(gates), set(gates) - expected
        if missing or unknown:
            raise ValueError(
                f"from_gates needs Wf, Wi, Wc, Wo, bf, bi, bc, bo; missing {sorted(missing)}, "
                f"unknown {sorted(unknown)}."
            )
        matrices = {name: as_float_array(name, gates[name]) for name in expected}
        hidden = matrices["Wf"].shape[0] if matrices["Wf"].ndim == 2 else 0
        if hidden == 0 or matrices["Wf"].shape[1] <= hidden:
            raise ValueError(
                f"Wf must have shape (H, H + I) with I ≥ 1, but it has shape {matrices['Wf'].shape}."
            )
        width = matrices["Wf"].shape[1]
        W_blocks, U_blocks, b_blocks = [], [], []
        for gate in "ifco":  # the stacking order of PyTorch and Keras
            weight, bias = matrices[f"W{gate}"], matrices[f"b{gate}"]
            check_shape(f"W{gate}", weight, (hidden, width))
            if bias.shape == (hidden, 1):
                bias = bias[:, 0]
            check_shape(f"b{gate}", bias, (hidden,))
            U_blocks.append(weight[:, :hidden].T)
            W_blocks.append(weight[:, hidden:].T)
            b_blocks.append(bias)
        return cls(
            np.concatenate(W_blocks, axis=1),
            np.concatenate(U_blocks, axis=1),
            np.concatenate(b_blocks),
            None,
            activation=activation,
            recurrent_activation=recurrent_activation,
        )

    def to_gates(self, column_biases: bool = True) -> dict[str, np.ndarray]:
        """The tutorial layout: `Wf…Wo` (H, H + I) on [h_{t-1}; x_t], `bf…bo` (H, 1) or (H,)."""
        result = {}
        for gate in "fico":
            weights = self.gate(gate)
            result[f"W{gate}"] = np.concatenate([weights.U, weights.W], axis=1)
            result[f"b{gate}"] = weights.b[:, None] if column_biases else weights.b
        return result

    # ---- forward --------------------------------------------------------------------------
    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> LSTMTrace:
        """Run the sequence x, (T, I) or (T, B, I), time first; return every step's values."""
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, _ = xb.shape
        H = self.hidden_size
        h_prev = initial_state("h0", h0, B, H, is_batched, dtype)
        c_prev = initial_state("c0", c0, B, H, is_batched, dtype)
        h_init, c_init = h_prev.copy(), c_prev.copy()
        W, U, b, b_hh = self._cast(dtype)
        fused = self.recurrent_activation.name == "sigmoid" and self.activation.name == "tanh"
        if fused:
            half = self._sigmoid_blocks(dtype, inside=0.5, outside=1.0)
            W, U, bias = W * half, U * half, (b + b_hh) * half
        else:
            bias = b + b_hh

        pre = (xb.reshape(T * B, -1) @ W).reshape(T, B, 4 * H)
        pre += bias
        gates = np.empty_like(pre)
        c = np.empty((T, B, H), dtype=dtype)
        h = np.empty_like(c)
        tanh_c = np.empty_like(c)
        recurrent_part = np.empty((B, 4 * H), dtype=dtype)
        input_times_candidate = np.empty((B, H), dtype=dtype)
        if fused:
            scale = self._sigmoid_blocks(dtype, inside=0.5, outside=1.0)
            shift = self._sigmoid_blocks(dtype, inside=0.5, outside=0.0)
        activation = self.activation
        recurrent_activation = self.recurrent_activation
        i_, f_, c_, o_ = (slice(k * H, (k + 1) * H) for k in range(4))
        if_ = slice(0, 2 * H)

        for t in range(T):
            z = pre[t]
            z += np.matmul(h_prev, U, out=recurrent_part)
            a = gates[t]
            if fused:
                np.tanh(z, out=a)
                a *= scale
                a += shift
            else:
                recurrent_activation(z[:, if_], out=a[:, if_])
                activation(z[:, c_], out=a[:, c_])
                recurrent_activation(z[:, o_], out=a[:, o_])
            c_t = c[t]
            np.multiply(a[:, f_], c_prev, out=c_t)
            c_t += np.multiply(a[:, i_], a[:, c_], out=input_times_candidate)
            activation(c_t, out=tanh_c[t])
            np.multiply(a[:, o_], tanh_c[t], out=h[t])
            h_prev, c_prev = h[t], c_t

        if fused:  # the loop computed z/2 for the sigmoid blocks; doubling is exact
            pre /= self._sigmoid_blocks(dtype, inside=0.5, outside=1.0)

        def shaped(array: np.ndarray) -> np.ndarray:
            return unbatched_like(array, is_batched)

        return LSTMTrace(
            x=shaped(xb),
            pre=shaped(pre),
            gates=shaped(gates),
            c=shaped(c),
            h=shaped(h),
            tanh_c=shaped(tanh_c),
            h0=shaped(h_init),
            c0=shaped(c_init),
        )

    def _sigmoid_blocks(self, dtype: np.dtype, inside: float, outside: float) -> np.ndarray:
        """A (4H,) vector: `inside` on the σ blocks (i, f, o), `outside` on the candidate."""
        H = self.hidden_size
        vector = np.full(4 * H, inside, dtype=dtype)
        vector[2 * H : 3 * H] = outside
        return vector

    def __call__(self, x: Any, h0: Any = None, c0: Any = None) -> LSTMTrace:
        return self.forward(x, h0, c0)

    # ---- backward -------------------------------------------------------------------------
    def backward(
        self, trace: LSTMTrace, dh: Any, dh_last: Any = None, dc_last: Any = None
    ) -> LSTMGradients:
        """Backpropagation through time.

        `dh` is the loss gradient on each h_t from outside the layer (a head, a layer above),
        shaped like `trace.h`. `dh_last`/`dc_last` optionally add gradient on the final state
        (for chaining sequences). Inside the loop only the recurrent GEMM and elementwise
        products run; parameter gradients and dx are single GEMMs afterwards.
        """
        dtype = trace.c.dtype
        H = self.hidden_size
        if trace.c.shape[-1] != H or trace.x.shape[-1] != self.input_size:
            raise ValueError("This trace was computed by a layer of another size.")
        dh_out = sequence_gradient("dh", dh, trace.h.shape, dtype)
        x, a, pre = batched(trace.x), batched(trace.gates), batched(trace.pre)
        c, tanh_c = batched(trace.c), batched(trace.tanh_c)
        h0 = trace.h0 if trace.h0.ndim == 2 else trace.h0[None]
        c0 = trace.c0 if trace.c0.ndim == 2 else trace.c0[None]
        T, B, _ = c.shape
        c_prev = previous_states(c0, c)
        h_prev = previous_states(h0, batched(trace.h))
        _, U, _, _ = self._cast(dtype)
        U_T = np.ascontiguousarray(U.T)

        i_, f_, c_, o_ = (slice(k * H, (k + 1) * H) for k in range(4))
        sig = (slice(0, 2 * H), o_)
        # Every derivative of an activation depends only on forward values: compute them all
        # before the loop in a few vectorized calls.
        gate_slopes = np.empty_like(pre)
        for block in sig:
            gate_slopes[..., block] = self.recurrent_activation.derivative(
                pre[..., block], a[..., block]
            )
        gate_slopes[..., c_] = self.activation.derivative(pre[..., c_], a[..., c_])
        output_slope = a[..., o_] * self.activation.derivative(c, tanh_c)  # o·tanh'(C)

        dh_total = np.empty((T, B, H), dtype=dtype)
        dc_total = np.empty_like(dh_total)
        dz = np.empty((T, B, 4 * H), dtype=dtype)
        dh_next = self._final_gradient("dh_last", dh_last, B, trace, dtype)
        dc_next = self._final_gradient("dc_last", dc_last, B, trace, dtype)
        for t in range(T - 1, -1, -1):
            dh_t, dc_t, dz_t, a_t = dh_total[t], dc_total[t], dz[t], a[t]
            np.add(dh_out[t], dh_next, out=dh_t)
            np.multiply(dh_t, output_slope[t], out=dc_t)
            dc_t += dc_next  # the highway: dC_{t+1} · f_{t+1}
            np.multiply(dc_t, a_t[:, c_], out=dz_t[:, i_])  # dL/di = dC · C̃
            np.multiply(dc_t, c_prev[t], out=dz_t[:, f_])  # dL/df = dC · C_{t-1}
            np.multiply(dc_t, a_t[:, i_], out=dz_t[:, c_])  # dL/dC̃ = dC · i
            np.multiply(dh_t, tanh_c[t], out=dz_t[:, o_])  # dL/do = dh · tanh(C)
            dz_t *= gate_slopes[t]
            np.matmul(dz_t, U_T, out=dh_next)
            np.multiply(dc_t, a_t[:, f_], out=dc_next)

        params, dx = self._parameter_gradients(x, h_prev, dz, dz)
        is_batched = trace.is_batched
        return LSTMGradients(
            params=params,
            dx=unbatched_like(dx, is_batched),
            dh=unbatched_like(dh_total, is_batched),
            dc=unbatched_like(dc_total, is_batched),
            dh0=unbatched_like(dh_next, is_batched),
            dc0=unbatched_like(dc_next, is_batched),
        )

    def _final_gradient(
        self, name: str, value: Any, batch: int, trace: LSTMTrace, dtype: np.dtype
    ) -> np.ndarray:
        if value is None:
            return np.zeros((batch, self.hidden_size), dtype=dtype)
        return initial_state(name, value, batch, self.hidden_size, trace.is_batched, dtype)
