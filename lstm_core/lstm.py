"""The LSTM layer: forward pass with a full per-step trace, and backpropagation through time.

Equations, as in the tutorials (σ is `recurrent_activation`, tanh is `activation`):

    f_t  = σ(W_f x_t + U_f h_{t-1} + b_f)          forget gate
    i_t  = σ(W_i x_t + U_i h_{t-1} + b_i)          input gate
    C̃_t  = tanh(W_c x_t + U_c h_{t-1} + b_c)       candidate (`c_tilde`)
    o_t  = σ(W_o x_t + U_o h_{t-1} + b_o)          output gate
    C_t  = f_t * C_{t-1} + i_t * C̃_t              cell state: the "highway"
    h_t  = o_t * tanh(C_t)                          hidden state

Read lstm_core/reference.py first: one step forward and one step back, line by line as the
tutorials write them. This file computes the same numbers for whole sequences and batches,
rearranged for speed (see `LSTM.forward`'s docstring: one GEMM per step for all four gates, the
four gates activated by one exp with the default activations, the trace kept as views into what
the loop wrote, and the backward pass's dU, dW and db as one GEMM afterwards);
tests/core/test_reference.py holds it equal to the reference for every pair of activations.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import reference
from .recurrent import (
    InputGradient,
    RecurrentLayer,
    TraceShape,
    input_gradient,
    sequence_gradient,
    unbatched_like,
)
from .validation import as_float_array, check_shape, check_trace, initial_state, sequence_input

LOOP_ORDER = ("o", "i", "f", "c")  # the fast loop's gate blocks: [i f] next to [C̃ C_{t-1}] in its record
ONE_GEMM_LIMIT = 2**16  # weight entries up to which each step's x_t rides in the recurrent GEMM


def reorder_blocks(array: np.ndarray, H: int, source: tuple[str, ...], target: tuple[str, ...]) -> np.ndarray:
    """The last axis's gate blocks (H columns each) from the `source` order to `target`, in one copy."""
    return np.concatenate([array[..., block] for block in _block_slices(H, source, target)], axis=-1)


@functools.lru_cache(maxsize=64)
def _block_slices(H: int, source: tuple[str, ...], target: tuple[str, ...]) -> tuple[slice, ...]:
    """Where each of `target`'s blocks sits in `source`: worked out once per size, not per call."""
    return tuple(slice(source.index(gate) * H, (source.index(gate) + 1) * H) for gate in target)


@dataclass(frozen=True, eq=False)
class LSTMTrace(TraceShape):
    """Everything the forward pass computed, one row per timestep.

    The public arrays are (T, H) for one sequence and (T, B, H) for a batch; `pre` and `gates`
    have 4·H in the last axis, blocks i, f, c, o (PyTorch's and Keras's order). They are views
    into the three arrays the loop wrote, which are all a trace stores (and pickles):
    - `step_inputs` (T + 1, B, H + I + 1): row t is [h_{t-1}, x_t, 1], the input of step t's
      affine map, so the backward pass gets dU, dW and db from one GEMM;
    - `record` (T + 1, B, 5H): row t is [o, i, f, C̃ | C_{t-1}] (LOOP_ORDER, then the cell);
    - `loop_pre` (T, B, 4H): z' = loop_scale · z in LOOP_ORDER (see `LSTM.forward`);
    and `tanh_c` (T, B, H).
    """

    step_inputs: np.ndarray
    record: np.ndarray
    loop_pre: np.ndarray
    loop_scale: np.ndarray
    tanh_c_all: np.ndarray
    input_size: int
    is_batched_input: bool

    @property
    def _H(self) -> int:
        return self.record.shape[-1] // 5

    def _shaped(self, array: np.ndarray) -> np.ndarray:
        return unbatched_like(array, self.is_batched_input)

    def _loop_block(self, array: np.ndarray, gate: str) -> np.ndarray:
        k = LOOP_ORDER.index(gate)
        return array[..., k * self._H : (k + 1) * self._H]

    def _public(self, array: np.ndarray) -> np.ndarray:
        """LOOP_ORDER blocks → a new array in the public i, f, c, o order."""
        return reorder_blocks(array, self._H, LOOP_ORDER, reference.STORAGE_ORDER)

    @property
    def length(self) -> int:
        return self.loop_pre.shape[0]

    @property
    def x(self) -> np.ndarray:
        return self._shaped(self.step_inputs[:-1, :, self._H : self._H + self.input_size])

    @property
    def h(self) -> np.ndarray:  # type: ignore[override]  # TraceShape.h is a field in GRU and RNN traces, a view here
        return self._shaped(self.step_inputs[1:, :, : self._H])

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every t (the first row is h0)."""
        return self._shaped(self.step_inputs[:-1, :, : self._H])

    @property
    def h0(self) -> np.ndarray:
        return self._shaped(self.step_inputs[0, :, : self._H])

    @property
    def c(self) -> np.ndarray:
        return self._shaped(self.record[1:, :, 4 * self._H :])

    @property
    def c_prev(self) -> np.ndarray:
        """C_{t-1} for every t (the first row is c0)."""
        return self._shaped(self.record[:-1, :, 4 * self._H :])

    @property
    def c0(self) -> np.ndarray:
        return self._shaped(self.record[0, :, 4 * self._H :])

    @property
    def tanh_c(self) -> np.ndarray:
        """activation(C_t), kept for the backward pass."""
        return self._shaped(self.tanh_c_all)

    @property
    def gates(self) -> np.ndarray:
        """The activated blocks i, f, C̃, o (a new array)."""
        return self._shaped(self._public(self.record[:-1, :, : 4 * self._H]))

    @property
    def pre(self) -> np.ndarray:
        """The pre-activations z = W x + U h + b, blocks i, f, c, o (a new array)."""
        return self._shaped(self._public(self.loop_pre / self.loop_scale))

    def _gate(self, gate: str) -> np.ndarray:
        return self._shaped(self._loop_block(self.record[:-1], gate))

    def _z(self, gate: str) -> np.ndarray:
        return self._shaped(self._loop_block(self.loop_pre, gate) / self._loop_block(self.loop_scale, gate))

    @property
    def i(self) -> np.ndarray:
        return self._gate("i")

    @property
    def f(self) -> np.ndarray:
        return self._gate("f")

    @property
    def c_tilde(self) -> np.ndarray:
        return self._gate("c")

    @property
    def o(self) -> np.ndarray:
        return self._gate("o")

    @property
    def z_i(self) -> np.ndarray:
        return self._z("i")

    @property
    def z_f(self) -> np.ndarray:
        return self._z("f")

    @property
    def z_c(self) -> np.ndarray:
        return self._z("c")

    @property
    def z_o(self) -> np.ndarray:
        return self._z("o")


LSTMStep = reference.Step  # one step of one cell, every value named as in the equations


@dataclass(frozen=True)
class LSTMGradients(InputGradient):
    """What backward returns. `params` is an LSTM holding dL/dW, dL/dU, dL/db, dL/db_hh;
    `dx` (InputGradient) the loss gradient on every x_t.

    `dh` is the total dL/dh_t and `dc` the total dL/dC_t (through h_t and through C_{t+1}),
    per step, shaped like the trace: the quantities the gradient-flow page plots.
    """

    params: LSTM
    dh: np.ndarray
    dc: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray


class LSTM(RecurrentLayer):
    """A single-layer LSTM (gate blocks i, f, c, o, as PyTorch and Keras stack them)."""

    GATES = reference.STORAGE_ORDER
    KIND = "lstm"

    def _apply_init_options(self, unit_forget_bias: bool = True, **options: Any) -> None:
        """Keras's `unit_forget_bias`: start the forget gate's bias at 1, so f = σ(1) ≈ 0.73 where
        W x + U h ≈ 0 (with sigmoid gates): remember by default. With two biases (PyTorch's
        initializer) the second is zeroed there, so the bias that enters the gate is exactly 1."""
        super()._apply_init_options(**options)  # refuses any other option
        if unit_forget_bias:
            H = self.hidden_size
            self.b[H : 2 * H] = 1.0
            self.b_hh[H : 2 * H] = 0.0

    # ---- other layouts --------------------------------------------------------------------
    @classmethod
    def from_keras(
        cls,
        weights: Sequence[Any],
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
    ) -> LSTM:
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
    ) -> LSTM:
        """From the classic tutorial's per-gate matrices.

        `Wf, Wi, Wc, Wo` have shape (H, H + I) and act on the concatenation [h_{t-1}; x_t] (h
        first); `bf, bi, bc, bo` have shape (H, 1) or (H,).
        """
        expected = {f"{kind}{gate}" for kind in "Wb" for gate in reference.TUTORIAL_ORDER}
        missing, unknown = expected - set(gates), set(gates) - expected
        if missing or unknown:
            raise ValueError(
                f"from_gates needs Wf, Wi, Wc, Wo, bf, bi, bc, bo; missing {sorted(missing)}, "
                f"unknown {sorted(unknown)}."
            )
        matrices = {name: as_float_array(name, gates[name]) for name in expected}
        hidden = matrices["Wf"].shape[0] if matrices["Wf"].ndim == 2 else 0
        if hidden == 0 or matrices["Wf"].shape[1] <= hidden:
            raise ValueError(f"Wf must have shape (H, H + I) with I ≥ 1, but it has shape {matrices['Wf'].shape}.")
        width = matrices["Wf"].shape[1]
        W_blocks, U_blocks, b_blocks = [], [], []
        for gate in reference.STORAGE_ORDER:
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
        for gate in reference.TUTORIAL_ORDER:
            weights = self.gate(gate)
            result[f"W{gate}"] = np.concatenate([weights.U, weights.W], axis=1)
            result[f"b{gate}"] = weights.b[:, None] if column_biases else weights.b
        return result

    # ---- forward --------------------------------------------------------------------------
    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> LSTMTrace:
        """Run the sequence x, (T, I) or (T, B, I), time first; return every step's values.

        The numbers are reference.step_forward's, step after step. How the loop stays cheap
        (each numpy call costs about a microsecond whatever its size, and every pass over a
        whole (T, B, 4H) array costs as much as the loop's arithmetic):
        - each step's affine map reads one row [h_{t-1}, x_t, 1] of `step_inputs`, where the
          step before wrote h_{t-1}; with small weights x_t rides in the recurrent GEMM
          (ONE_GEMM_LIMIT), otherwise one GEMM computes every step's W x_t + b before the loop;
        - gates are kept in LOOP_ORDER [o, i, f, C̃] followed by C_{t-1} in one per-step record,
          so i·C̃ and f·C_{t-1} are a single multiply of [i f]·[C̃ C_{t-1}];
        - with the default activations every block is activated by one exp: the weights are
          scaled so the loop's pre-activations are z' = −z on the σ blocks and −2z on C̃, then
          s = n / (1 + e^z') with n = 1 gives σ(z) and n = 2 gives 2σ(2z) = tanh(z) + 1;
        - per-step views come from zip over strided views of whole arrays, outputs are written
          in place, and nothing is copied afterwards: the trace is views into what the loop wrote.
        """
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, I = xb.shape
        H = self.hidden_size
        h_init = initial_state("h0", h0, B, H, is_batched, dtype)
        c_init = initial_state("c0", c0, B, H, is_batched, dtype)
        fused = self.recurrent_activation.name == "sigmoid" and self.activation.name == "tanh"
        scale = np.ones(4 * H, dtype=dtype)  # z' = scale · z, in LOOP_ORDER
        if fused:
            scale[: 3 * H], scale[3 * H :] = -1.0, -2.0
        # The affine map's weights, rows [U; W; b] as step_inputs' columns, in LOOP_ORDER, scaled.
        affine = np.concatenate((self.U, self.W, (self.b + self.b_hh)[None]))
        # C order whatever the layout the weights came in (a loaded file's are often transposed
        # views): BLAS sums in another order for a Fortran-ordered matrix, and the same weights
        # must give the same numbers to the last bit.
        affine = np.multiply(self._loop_order(affine), scale, dtype=dtype, order="C")

        step_inputs = np.empty((T + 1, B, H + I + 1), dtype=dtype)  # row t: [h_{t-1}, x_t, 1]
        step_inputs[0, :, :H] = h_init
        step_inputs[:-1, :, H : H + I] = xb
        step_inputs[-1, :, H : H + I] = 0.0  # after the last step: no input, never read
        step_inputs[:, :, -1] = 1.0
        one_gemm = affine.size <= ONE_GEMM_LIMIT
        if one_gemm:
            pre = np.empty((T, B, 4 * H), dtype=dtype)
        else:
            pre = (xb.reshape(T * B, I) @ affine[H : H + I]).reshape(T, B, 4 * H)
            pre += affine[-1]
        U_loop = affine[:H]

        record = np.empty((T + 1, B, 5 * H), dtype=dtype)  # per step: o, i, f, C̃ | C_{t-1}
        record[0, :, 4 * H :] = c_init
        record[-1, :, : 4 * H] = 0.0  # after the last step: no gates, never read
        tanh_c = np.empty((T, B, H), dtype=dtype)
        recurrent_part = np.empty((B, 4 * H), dtype=dtype)
        products = np.empty((B, 2 * H), dtype=dtype)
        input_product, forget_product = products[:, :H], products[:, H:]
        ones = np.ones((B, 4 * H), dtype=dtype)
        numerators = ones.copy()
        numerators[:, 3 * H :] = 2.0
        ones_h = ones[:, :H].copy()
        sigma, act = self.recurrent_activation.forward, self.activation.forward
        now, after = record[:-1], record[1:]
        steps = zip(
            pre,
            step_inputs[:-1],
            step_inputs[:-1, :, :H],
            step_inputs[1:, :, :H],
            now[..., : 4 * H],
            now[..., : 3 * H],
            now[..., 3 * H : 4 * H],
            now[..., H : 3 * H],
            now[..., 3 * H :],
            now[..., :H],
            after[..., 4 * H :],
            tanh_c,
        )
        with np.errstate(over="ignore"):  # e^z' = inf is exact here: n / inf = 0
            for z, inputs, h_prev, h_t, a, a_sigma, candidate, a_if, candidate_c, o, c_t, tanh_c_t in steps:
                if one_gemm:
                    np.dot(inputs, affine, z)  # z' = scale·(U h_{t-1} + W x_t + b)
                else:
                    np.dot(h_prev, U_loop, recurrent_part)
                    np.add(z, recurrent_part, z)
                if fused:
                    np.exp(z, a)
                    np.add(a, ones, a)
                    np.divide(numerators, a, a)
                    np.subtract(candidate, ones_h, candidate)
                else:
                    sigma(z[:, : 3 * H], a_sigma)
                    act(z[:, 3 * H :], candidate)
                np.multiply(a_if, candidate_c, products)  # [i·C̃, f·C_{t-1}]
                np.add(input_product, forget_product, c_t)  # C_t
                act(c_t, tanh_c_t)
                np.multiply(o, tanh_c_t, h_t)  # h_t = o·tanh(C_t)

        return LSTMTrace(step_inputs, record, pre, scale, tanh_c, I, is_batched)

    def _loop_order(self, array: np.ndarray) -> np.ndarray:
        """Last-axis blocks in STORAGE_ORDER [i, f, C̃, o] → LOOP_ORDER [o, i, f, C̃], in one copy."""
        return reorder_blocks(array, self.hidden_size, reference.STORAGE_ORDER, LOOP_ORDER)

    def _public_order(self, array: np.ndarray) -> np.ndarray:
        """Last-axis blocks in LOOP_ORDER → STORAGE_ORDER, in one copy."""
        return reorder_blocks(array, self.hidden_size, LOOP_ORDER, reference.STORAGE_ORDER)

    def __call__(self, x: Any, h0: Any = None, c0: Any = None) -> LSTMTrace:
        return self.forward(x, h0, c0)

    def step(self, x: Any, h_prev: Any, c_prev: Any, clamp: dict[str, float] | None = None) -> LSTMStep:
        """One step for one sequence, for the cell page: reference.step_forward, checked inputs.

        `clamp` sets gates by hand, e.g. {"f": 1.0}: the gate takes that value whatever its
        pre-activation, so a student can see what each gate does on its own.
        """
        H = self.hidden_size
        x = as_float_array("x", x, np.float64).reshape(-1)
        check_shape("x", x, (self.input_size,))
        h_prev = initial_state("h_prev", h_prev, 1, H, False, np.float64)[0]
        c_prev = initial_state("c_prev", c_prev, 1, H, False, np.float64)[0]
        clamp = dict(clamp or {})
        unknown = set(clamp) - {"f", "i", "o"}
        if unknown:
            raise ValueError(f"Only the gates f, i and o can be clamped, not {sorted(unknown)}.")
        for name, value in clamp.items():
            if not np.isfinite(value) or not 0.0 <= value <= 1.0:
                raise ValueError(f"A clamped gate value must lie in [0, 1]; {name} = {value!r}.")
        gates = {name: self.gate(name) for name in reference.TUTORIAL_ORDER}
        return reference.step_forward(x, h_prev, c_prev, gates, self.recurrent_activation, self.activation, clamp)

    # ---- backward -------------------------------------------------------------------------
    def backward(self, trace: LSTMTrace, dh: Any, dh_last: Any = None, dc_last: Any = None) -> LSTMGradients:
        """Backpropagation through time: reference.step_backward, step after step.

        `dh` is the loss gradient on each h_t from outside the layer (a head, a layer above),
        shaped like `trace.h`. `dh_last`/`dc_last` optionally add gradient on the final state
        (for chaining sequences). It works in the forward loop's LOOP_ORDER on the arrays the
        trace holds: inside the loop only the recurrent GEMM and elementwise products run;
        dU, dW and db are one GEMM afterwards (step_inputs' rows are [h_{t-1}, x_t, 1]), dx another
        once it is read (InputGradient).
        """
        check_trace(self, trace, LSTMTrace)
        dtype = trace.record.dtype
        H, I = self.hidden_size, self.input_size
        dh_out = sequence_gradient("dh", dh, trace.h.shape, dtype)
        record, tanh_c = trace.record, trace.tanh_c_all
        T, B, _ = tanh_c.shape
        a = record[:-1, :, : 4 * H]  # o, i, f, C̃
        c = record[1:, :, 4 * H :]
        # With the default activations, σ' and tanh' are read off the outputs (a(1−a), 1−a²) and
        # never look at z; otherwise the loop's scale is 1 and loop_pre is z itself.
        z = trace.loop_pre

        # Everything that depends only on the forward pass, for all steps at once:
        #   dL/dz_o = dh·tanh(C)·σ'(z_o)   dL/dz_i = dC·C̃·σ'(z_i)   dL/dz_f = dC·C_{t-1}·σ'(z_f)
        #   dL/dz_c = dC·i·tanh'(z_c)      and dC gets dh·o·tanh'(C) from h_t
        sigma_slope = self.recurrent_activation.derivative(z[..., : 3 * H], a[..., : 3 * H])  # o, i, f
        cell_factors = np.empty((T, B, 3, H), dtype=dtype)  # the factors of dC in dz_i, dz_f, dz_c
        np.multiply(  # [C̃, C_{t-1}] · [σ'(z_i), σ'(z_f)]: the record keeps the pair side by side
            record[:-1, :, 3 * H :].reshape(T, B, 2, H),
            sigma_slope[..., H:].reshape(T, B, 2, H),
            out=cell_factors[:, :, :2],
        )
        np.multiply(
            a[..., H : 2 * H], self.activation.derivative(z[..., 3 * H :], a[..., 3 * H :]), out=cell_factors[:, :, 2]
        )
        output_factor = tanh_c * sigma_slope[..., :H]
        highway_entry = a[..., :H] * self.activation.derivative(c, tanh_c)  # o·tanh'(C_t)

        U_T = np.ascontiguousarray(self._loop_order(self.U).T, dtype=dtype)
        dh_total = np.empty((T, B, H), dtype=dtype)
        dc_total = np.empty_like(dh_total)
        dz4 = np.empty((T, B, 4, H), dtype=dtype)  # o, i, f, C̃
        dz = dz4.reshape(T, B, 4 * H)
        dh_next = self._final_gradient("dh_last", dh_last, B, trace, dtype)
        dc_next = self._final_gradient("dc_last", dc_last, B, trace, dtype)
        backwards = slice(None, None, -1)
        steps = zip(
            dh_out[backwards],
            dh_total[backwards],
            dc_total[backwards],
            dc_total[backwards, :, None, :],
            dz[backwards],
            dz4[backwards, :, 1:],
            dz4[backwards, :, 0],
            highway_entry[backwards],
            cell_factors[backwards],
            output_factor[backwards],
            a[backwards, :, 2 * H : 3 * H],
        )
        for dh_ext, dh_t, dc_t, dc_t_blocks, dz_t, dz_ifc, dz_o, entry, factors, o_factor, f_t in steps:
            np.add(dh_ext, dh_next, dh_t)  # dL/dh_t: from outside and from step t+1
            np.multiply(dh_t, entry, dc_t)
            np.add(dc_t, dc_next, dc_t)  # the highway: + dC_{t+1}·f_{t+1}
            np.multiply(dc_t_blocks, factors, dz_ifc)
            np.multiply(dh_t, o_factor, dz_o)
            np.dot(dz_t, U_T, dh_next)
            np.multiply(dc_t, f_t, dc_next)

        flat_dz = dz.reshape(T * B, 4 * H)
        affine_grad = self._public_order(trace.step_inputs[:-1].reshape(T * B, H + I + 1).T @ flat_dz)
        params = self.holding_gradients(
            U=affine_grad[:H], W=affine_grad[H : H + I], b=affine_grad[-1], b_hh=affine_grad[-1].copy()
        )
        is_batched = trace.is_batched
        return LSTMGradients(
            compute_dx=input_gradient(dz, self._loop_order(self.W), is_batched),
            params=params,
            dh=unbatched_like(dh_total, is_batched),
            dc=unbatched_like(dc_total, is_batched),
            dh0=unbatched_like(dh_next, is_batched),
            dc0=unbatched_like(dc_next, is_batched),
        )

    def _final_gradient(self, name: str, value: Any, batch: int, trace: LSTMTrace, dtype: np.dtype) -> np.ndarray:
        if value is None:
            return np.zeros((batch, self.hidden_size), dtype=dtype)
        return initial_state(name, value, batch, self.hidden_size, trace.is_batched, dtype)
