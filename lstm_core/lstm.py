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
from itertools import repeat
from typing import Any

import numpy as np

from . import columns, reference
from .columns import steps_gemm, sum_over_steps
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
# Weight entries up to which one sequence's x_t rides in each step's recurrent GEMM; above, one
# GEMM computes every step's W x_t + b before the loop. A batch's x_t always ride: computed before
# the loop, W x_t + b would come as rows and need a copy into the loop's columns, which at
# B = 32, H = 256 cost more than the per-step GEMMs' extra columns.
ONE_GEMM_LIMIT = 2**16


@functools.lru_cache(maxsize=64)
def _block_order(H: int, source: tuple[str, ...], target: tuple[str, ...]) -> np.ndarray:
    """The index of `target`'s blocks in `source`'s order, element by element (read-only): for
    picking rows, where one fancy index is one copy (along the last axis reorder_blocks is quicker)."""
    index = np.concatenate([np.arange(H * 4)[block] for block in _block_slices(H, source, target)])
    index.setflags(write=False)
    return index


def reorder_blocks(array: np.ndarray, H: int, source: tuple[str, ...], target: tuple[str, ...]) -> np.ndarray:
    """The last axis's gate blocks (H columns each) from the `source` order to `target`, in one copy."""
    return np.concatenate([array[..., block] for block in _block_slices(H, source, target)], axis=-1)


@functools.lru_cache(maxsize=64)
def _block_slices(H: int, source: tuple[str, ...], target: tuple[str, ...]) -> tuple[slice, ...]:
    """Where each of `target`'s blocks sits in `source`: worked out once per size, not per call."""
    return tuple(slice(source.index(gate) * H, (source.index(gate) + 1) * H) for gate in target)


@functools.lru_cache(maxsize=64)
def _block_runs(H: int, source: tuple[str, ...], target: tuple[str, ...]) -> tuple[tuple[slice, slice], ...]:
    """`target`'s blocks as runs of columns that lie side by side in `source` too, (target, source)
    column slices: LOOP_ORDER is STORAGE_ORDER turned by one block, so two runs, two copies."""
    runs: list[tuple[slice, slice]] = []
    for k, block in enumerate(_block_slices(H, source, target)):
        columns = slice(k * H, (k + 1) * H)
        if runs and runs[-1][1].stop == block.start:  # the last run goes on, in both
            last_columns, last_block = runs[-1]
            runs[-1] = (slice(last_columns.start, columns.stop), slice(last_block.start, block.stop))
        else:
            runs.append((columns, block))
    return tuple(runs)


def _one_gemm(affine: np.ndarray, batch: int) -> bool:
    """Whether each step's x_t rides in its GEMM (see ONE_GEMM_LIMIT), for the loop's weights."""
    return affine.size <= ONE_GEMM_LIMIT or batch > 1


def _input_part(affine: np.ndarray, x_rows: np.ndarray, out: np.ndarray) -> None:
    """W x_t + b for every step of one sequence, (T, I) rows, into out's (T, 4H, 1) columns: one
    GEMM before the loop where the weights are large (ONE_GEMM_LIMIT), here for the forward pass
    and for LSTMTrace.loop_pre alike, so the two give the same bits."""
    I = x_rows.shape[1]
    H = affine.shape[0] - I - 1
    np.matmul(x_rows, affine[H : H + I], out=out[:, :, 0])
    out += affine[-1][:, None]


@functools.lru_cache(maxsize=16)
def _loop_constants(H: int, B: int, dtype: np.dtype, fused: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The forward loop's constant arrays for one size, made once (read-only; a trace keeps the scale):
    the scale z' = scale·z in LOOP_ORDER (−1 on the σ blocks, −2 on C̃ when the loop is fused),
    the numerators n (1 on the σ blocks, 2 on C̃; whole (4H, B), so one loop, not one per row)
    and the 1 the loop adds (an array: numpy converts a Python 1.0 anew on every call)."""
    scale = np.ones(4 * H, dtype=dtype)
    if fused:
        scale[: 3 * H], scale[3 * H :] = -1.0, -2.0
    numerators = np.ones((4 * H, B), dtype=dtype)
    numerators[3 * H :] = 2.0
    one = np.array(1.0, dtype=dtype)
    for constant in (scale, numerators, one):
        constant.setflags(write=False)
    return scale, numerators, one


@dataclass(frozen=True, eq=False)
class LSTMTrace(TraceShape):
    """Everything the forward pass computed, one row per timestep.

    The public arrays are (T, H) for one sequence and (T, B, H) for a batch; `pre` and `gates`
    have 4·H in the last axis, blocks i, f, c, o (PyTorch's and Keras's order). They are views
    into the arrays the loop wrote, which are all a trace stores (and pickles) besides the loop's
    weights and scale. Those keep each step's values as rows with the batch last, so that a step's
    block is one contiguous piece of memory (see `LSTM.forward`):
    - `step_inputs` (T + 1, H + I + 1, B): step t's rows are [h_{t-1}; x_t; 1], the input of
      step t's affine map, so the backward pass gets dU, dW and db from one GEMM;
    - `record` (T + 1, 5H, B): step t's rows are [o; i; f; C̃ | C_{t-1}] (LOOP_ORDER, then the cell);
    - `tanh_c_all` (T, H, B);
    - `stored_pre` (T, 4H, B): z' = loop_scale · z in LOOP_ORDER (see `LSTM.forward`), or None
      where the loop did not keep it: `loop_pre` makes it again from `affine`, the loop's weights.
    """

    step_inputs: np.ndarray
    record: np.ndarray
    tanh_c_all: np.ndarray
    stored_pre: np.ndarray | None
    affine: np.ndarray
    loop_scale: np.ndarray
    input_size: int
    is_batched_input: bool

    @property
    def _H(self) -> int:
        return self.record.shape[1] // 5

    # TraceShape's sizes, read off the stored arrays' shapes instead of a view of h
    @property
    def hidden_size(self) -> int:
        return self._H

    @property
    def is_batched(self) -> bool:
        return self.is_batched_input

    @property
    def input_width(self) -> int:
        return self.input_size

    @property
    def h_shape(self) -> tuple[int, ...]:
        T, H, B = self.tanh_c_all.shape
        return (T, B, H) if self.is_batched_input else (T, H)

    def _loop_block(self, array: np.ndarray, gate: str) -> np.ndarray:
        k = LOOP_ORDER.index(gate)
        return array[:, k * self._H : (k + 1) * self._H]

    def _public(self, rows: np.ndarray) -> np.ndarray:
        """LOOP_ORDER row blocks → a new (T, B, 4H) array in the public i, f, c, o order."""
        return reorder_blocks(rows.swapaxes(-1, -2), self._H, LOOP_ORDER, reference.STORAGE_ORDER)

    @property
    def length(self) -> int:
        return self.tanh_c_all.shape[0]

    @functools.cached_property
    def loop_pre(self) -> np.ndarray:
        """z' for every step, (T, 4H, B) in LOOP_ORDER. The default activations' loop keeps only
        the step it works on (the backward pass reads σ' and tanh' off the gates): the trace is a
        third smaller, and the forward pass writes a third less fresh memory, which the operating
        system must hand over page by page. Asked for (the pages' equations), it is made again
        here with the loop's own GEMMs, so the numbers are the same bits."""
        if self.stored_pre is not None:
            return self.stored_pre
        T, _, B = self.tanh_c_all.shape
        H, I, affine = self._H, self.input_size, self.affine
        pre = np.empty((T, 4 * H, B), dtype=affine.dtype)
        if _one_gemm(affine, B):
            for left, right, product in steps_gemm(affine, self.step_inputs[:-1], pre, B):
                np.dot(left, right, product)
            return pre
        # one sequence with large weights: W x_t + b for every step first, then U·h_{t-1} added, as the loop did
        _input_part(affine, self.step_inputs[:-1, H : H + I, 0], pre)
        recurrent_part = np.empty((4 * H, 1), dtype=affine.dtype)
        for (left, right, product), z in zip(steps_gemm(affine[:H], self.step_inputs[:-1, :H], recurrent_part, 1), pre):
            np.dot(left, right, product)
            np.add(z, recurrent_part, z)
        return pre

    @property
    def x(self) -> np.ndarray:  # type: ignore[override]  # a field in the RNN's trace, a view here
        return self._shaped(self.step_inputs[:-1, self._H : self._H + self.input_size])

    @property
    def h(self) -> np.ndarray:  # type: ignore[override]  # TraceShape.h is a field in the RNN's trace, a view here
        return self._shaped(self.step_inputs[1:, : self._H])

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every t (the first row is h0)."""
        return self._shaped(self.step_inputs[:-1, : self._H])

    @property
    def h0(self) -> np.ndarray:
        return self._shaped(self.step_inputs[:1, : self._H])[0]

    @property
    def c(self) -> np.ndarray:
        return self._shaped(self.record[1:, 4 * self._H :])

    @property
    def c_prev(self) -> np.ndarray:
        """C_{t-1} for every t (the first row is c0)."""
        return self._shaped(self.record[:-1, 4 * self._H :])

    @property
    def c0(self) -> np.ndarray:
        return self._shaped(self.record[:1, 4 * self._H :])[0]

    @property
    def tanh_c(self) -> np.ndarray:
        """activation(C_t), kept for the backward pass."""
        return self._shaped(self.tanh_c_all)

    @property
    def gates(self) -> np.ndarray:
        """The activated blocks i, f, C̃, o (a new array)."""
        return unbatched_like(self._public(self.record[:-1, : 4 * self._H]), self.is_batched_input)

    @property
    def pre(self) -> np.ndarray:
        """The pre-activations z = W x + U h + b, blocks i, f, c, o (a new array)."""
        return unbatched_like(self._public(self.loop_pre / self.loop_scale[:, None]), self.is_batched_input)

    def _gate(self, gate: str) -> np.ndarray:
        return self._shaped(self._loop_block(self.record[:-1], gate))

    def _z(self, gate: str) -> np.ndarray:
        return self._shaped(
            self._loop_block(self.loop_pre, gate) / self._loop_block(self.loop_scale[None, :, None], gate)
        )

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
        - a step's values are kept as rows with the batch last ((4H, B), not (B, 4H)), so every
          block the loop reads or writes (the gates, [i; f], C_t, h_t) is one contiguous piece
          of memory, which numpy runs through in one SIMD loop; a block of columns of (B, 4H)
          would be B short pieces, about three times slower per call at B = 32;
        - each step's affine map is one GEMM, z = A·[h_{t-1}; x_t; 1] (A = [U; W; b]ᵀ), on the
          rows of `step_inputs` where the step before wrote h_{t-1}; for one sequence with large
          weights (ONE_GEMM_LIMIT) one GEMM computes every step's W x_t + b before the loop instead;
        - gates are kept in LOOP_ORDER [o; i; f; C̃] followed by C_{t-1} in one per-step record,
          so i·C̃ and f·C_{t-1} are a single multiply of [i; f]·[C̃; C_{t-1}];
        - with the default activations every block is activated by one exp: the weights are
          scaled so the loop's pre-activations are z' = −z on the σ blocks and −2z on C̃, then
          s = n / (1 + e^z') with n = 1 gives σ(z) and n = 2 gives 2σ(2z) = tanh(z) + 1;
        - with those activations z' is not kept: each step writes it into the same (4H, B) array,
          which stays in cache, and the trace is a third smaller (`LSTMTrace.loop_pre` makes it
          again when asked). Fresh memory is handed over by the operating system page by page, and
          at B = 32 that cost as much as the loop's elementwise arithmetic;
        - per-step views come from zip over views of whole arrays, outputs are written in
          place, and nothing is copied afterwards: the trace is views into what the loop wrote.
        """
        xb, is_batched = sequence_input(x, self.input_size)
        dtype = xb.dtype
        T, B, I = xb.shape
        H = self.hidden_size
        fused = self.recurrent_activation.name == "sigmoid" and self.activation.name == "tanh"
        scale, numerators, one = _loop_constants(H, B, dtype, fused)  # z' = scale · z, in LOOP_ORDER
        affine = self._loop_affine(scale, dtype)

        step_inputs = np.empty((T + 1, H + I + 1, B), dtype=dtype)  # step t: rows [h_{t-1}; x_t; 1]
        step_inputs[0, :H] = 0.0 if h0 is None else initial_state("h0", h0, B, H, is_batched, dtype).T
        step_inputs[:-1, H : H + I] = xb.transpose(0, 2, 1)
        step_inputs[-1, H : H + I] = 0.0  # after the last step: no input, never read
        step_inputs[:, -1] = 1.0
        record = np.empty((T + 1, 5 * H, B), dtype=dtype)  # step t: rows o, i, f, C̃ | C_{t-1}
        record[0, 4 * H :] = 0.0 if c0 is None else initial_state("c0", c0, B, H, is_batched, dtype).T
        record[-1, : 4 * H] = 0.0  # after the last step: no gates, never read
        gate_rows = record[:-1, : 4 * H]

        # Where each step's z' goes. The trace keeps it (`pre`) only where the backward pass reads
        # z, for the slopes of activations other than the default ones (see LSTMTrace.loop_pre).
        pre = None if fused else np.empty((T, 4 * H, B), dtype=dtype)
        one_gemm = _one_gemm(affine, B)
        if one_gemm:  # each step: z' = Aᵀ·[h_{t-1}; x_t; 1]
            z_now = np.empty((4 * H, B), dtype=dtype)  # written and read by each step in turn
            weights, columns = affine, step_inputs[:-1]
            products_out, step_z = (z_now, repeat(z_now, T)) if pre is None else (pre, pre)
        else:  # one sequence: z' = (W x_t + b, every step's before the loop) + U·h_{t-1}, added in the loop
            step_z = gate_rows if pre is None else pre  # the default loop activates z' where it lies
            _input_part(affine, xb.reshape(T, I), step_z)
            recurrent_part = np.empty((4 * H, 1), dtype=dtype)
            weights, columns, products_out = affine[:H], step_inputs[:-1, :H], recurrent_part
        gemm = steps_gemm(weights, columns, products_out, B)

        tanh_c = np.empty((T, H, B), dtype=dtype)
        products = np.empty((2 * H, B), dtype=dtype)
        input_product, forget_product = products[:H], products[H:]
        sigma, act = self.recurrent_activation.forward, self.activation.forward
        now, after = record[:-1], record[1:]
        steps = zip(
            gemm,
            step_z,
            step_inputs[1:, :H],
            gate_rows,
            now[:, : 3 * H],
            now[:, 3 * H : 4 * H],
            now[:, H : 3 * H],
            now[:, 3 * H :],
            now[:, :H],
            after[:, 4 * H :],
            tanh_c,
        )
        with np.errstate(over="ignore"):  # e^z' = inf is exact here: n / inf = 0
            for (left, right, product), z, h_t, a, a_sigma, candidate, a_if, candidate_c, o, c_t, tanh_c_t in steps:
                np.dot(left, right, product)  # z' = scale·(U h_{t-1} + W x_t + b), or its U h_{t-1} part
                if not one_gemm:
                    np.add(z, recurrent_part, z)
                if fused:
                    np.exp(z, a)
                    np.add(a, one, a)
                    np.divide(numerators, a, a)
                    np.subtract(candidate, one, candidate)
                else:
                    sigma(z[: 3 * H], a_sigma)
                    act(z[3 * H :], candidate)
                np.multiply(a_if, candidate_c, products)  # [i·C̃; f·C_{t-1}]
                np.add(input_product, forget_product, c_t)  # C_t
                act(c_t, tanh_c_t)
                np.multiply(o, tanh_c_t, h_t)  # h_t = o·tanh(C_t)

        return LSTMTrace(step_inputs, record, tanh_c, pre, affine, scale, I, is_batched)

    def _loop_affine(self, scale: np.ndarray, dtype: np.dtype) -> np.ndarray:
        """The affine map's weights A for the loop: rows [U; W; b] as step_inputs' rows, columns in
        LOOP_ORDER, scaled, in `dtype`. Written run by run into one new array in C order whatever
        the layout the weights came in (a loaded file's are often transposed views): BLAS sums in
        another order for a Fortran-ordered matrix, and the same weights must give the same numbers
        to the last bit. Stacked, then reordered and scaled in one pass (two runs of columns): a
        copy fewer than stacking, reordering and scaling, fresh memory the operating system
        hands over page by page."""
        stacked = np.concatenate((self.U, self.W, (self.b + self.b_hh)[None]))
        affine = np.empty(stacked.shape, dtype=dtype)
        for target, source in _block_runs(self.hidden_size, reference.STORAGE_ORDER, LOOP_ORDER):
            np.multiply(stacked[:, source], scale[target], out=affine[:, target], dtype=dtype)
        return affine

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
        (for chaining sequences). It works in the forward loop's LOOP_ORDER and row layout (the
        batch last) on the arrays the trace holds: inside the loop only the recurrent GEMM and
        elementwise products run; dU, dW and db are one GEMM afterwards (step_inputs' rows are
        [h_{t-1}; x_t; 1]), dx another once it is read (InputGradient).
        """
        check_trace(self, trace, LSTMTrace)
        dtype = trace.record.dtype
        H, I = self.hidden_size, self.input_size
        dh_given = sequence_gradient("dh", dh, trace.h_shape, dtype)
        record, tanh_c = trace.record, trace.tanh_c_all
        T, _, B = tanh_c.shape
        a = record[:-1, : 4 * H]  # o, i, f, C̃
        c = record[1:, 4 * H :]
        # With the default activations, σ' and tanh' are read off the outputs (a(1−a), 1−a²), and
        # the loop kept no z; with others its scale is 1 and stored_pre is z itself.
        z = trace.stored_pre

        # Few arrays, filled in place: every fresh array the size of the trace is memory the
        # operating system hands over page by page, which costs about as much as the arithmetic.
        # dz (o, i, f, C̃) first holds what depends only on the forward pass:
        #   dL/dz_o = dh·[tanh(C)·σ'(z_o)]   dL/dz_i = dC·[C̃·σ'(z_i)]   dL/dz_f = dC·[C_{t-1}·σ'(z_f)]
        #   dL/dz_c = dC·[i·tanh'(z_c)]
        # and the loop multiplies each block by dh_t or dC_t where it lies. dC_t gets dh_t·[o·tanh'(C_t)]
        # from h_t: dc_total holds that factor first, dh_total the dh from outside.
        dz = np.empty((T, 4 * H, B), dtype=dtype)
        dc_total = np.empty((T, H, B), dtype=dtype)
        dh_total = np.empty((T, H, B), dtype=dtype)
        sigma_slope, slope = self.recurrent_activation.derivative, self.activation.derivative

        def fill_factors(steps: slice) -> None:
            """The factors of a chunk of steps, for all of them at once, just before the loop
            reaches them: few calls, and the chunk's rows are still in cache when the loop reads them."""
            dz_s, a_s, tanh_c_s, dc_s = dz[steps], a[steps], tanh_c[steps], dc_total[steps]
            sigma_slope(None if z is None else z[steps, : 3 * H], a_s[:, : 3 * H], dz_s[:, : 3 * H])  # o, i, f
            np.multiply(dz_s[:, :H], tanh_c_s, dz_s[:, :H])
            np.multiply(dz_s[:, H : 3 * H], record[steps, 3 * H :], dz_s[:, H : 3 * H])  # [C̃; C_{t-1}]
            slope(None if z is None else z[steps, 3 * H :], a_s[:, 3 * H :], dz_s[:, 3 * H :])
            np.multiply(dz_s[:, 3 * H :], a_s[:, H : 2 * H], dz_s[:, 3 * H :])
            slope(c[steps], tanh_c_s, dc_s)
            np.multiply(dc_s, a_s[:, :H], dc_s)  # o·tanh'(C_t)
            np.copyto(dh_total[steps], dh_given[steps].transpose(0, 2, 1))  # as the loop's rows

        chunk_tops = columns.chunk_tops(T, 4 * H * B)

        # (4H, H), rows in LOOP_ORDER: dh_{t-1} = U·dz (rows of Uᵀ picked in one copy)
        U_T = self.U.T[_block_order(H, reference.STORAGE_ORDER, LOOP_ORDER)].astype(dtype, copy=False)
        dh_next = self._final_gradient("dh_last", dh_last, B, trace, dtype)
        dc_next = self._final_gradient("dc_last", dc_last, B, trace, dtype)
        backwards = slice(None, None, -1)
        steps = zip(
            range(T - 1, -1, -1),
            steps_gemm(U_T, dz[backwards], dh_next, B),
            dh_total[backwards],
            dc_total[backwards],
            dc_total[backwards, None],
            dz[backwards, H:].reshape(T, 3, H, B),
            dz[backwards, :H],
            a[backwards, 2 * H : 3 * H],
        )
        for t, (left, right, product), dh_t, dc_t, dc_t_blocks, dz_ifc, dz_o, f_t in steps:
            if t in chunk_tops:
                fill_factors(chunk_tops[t])
            np.add(dh_t, dh_next, dh_t)  # dL/dh_t: from outside and from step t+1
            np.multiply(dh_t, dc_t, dc_t)
            np.add(dc_t, dc_next, dc_t)  # the highway: + dC_{t+1}·f_{t+1}
            np.multiply(dc_t_blocks, dz_ifc, dz_ifc)
            np.multiply(dh_t, dz_o, dz_o)
            np.dot(left, right, product)  # dh_next = U·dz_t
            np.multiply(dc_t, f_t, dc_next)

        affine_grad = self._public_order(sum_over_steps(trace.step_inputs[:-1], dz))
        params = self.holding_gradients(
            U=affine_grad[:H], W=affine_grad[H : H + I], b=affine_grad[-1], b_hh=affine_grad[-1].copy()
        )
        is_batched = trace.is_batched
        return LSTMGradients(
            compute_dx=input_gradient(dz, self._loop_order(self.W), is_batched, columns=True),
            params=params,
            dh=unbatched_like(dh_total.transpose(0, 2, 1), is_batched),
            dc=unbatched_like(dc_total.transpose(0, 2, 1), is_batched),
            dh0=unbatched_like(dh_next.T, is_batched),
            dc0=unbatched_like(dc_next.T, is_batched),
        )

    def _final_gradient(self, name: str, value: Any, batch: int, trace: LSTMTrace, dtype: np.dtype) -> np.ndarray:
        """dh_last or dc_last as (H, B) rows, as the backward loop keeps them."""
        if value is None:
            return np.zeros((self.hidden_size, batch), dtype=dtype)
        return np.ascontiguousarray(initial_state(name, value, batch, self.hidden_size, trace.is_batched, dtype).T)
