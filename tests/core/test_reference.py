"""The fast LSTM (lstm.py: fused, batched, in its own column order) computes exactly what the
tutorial's step (lstm_core/reference.py) computes, forward and backward, for every pair of
activations; and LSTM.step, which the cell page draws, is the reference step."""

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_core import LSTM, columns
from lstm_core import lstm as lstm_module
from lstm_core import reference as ref
from lstm_core.activations import get_activation

weights = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
inputs = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
RECURRENT = ["sigmoid", "hard_sigmoid", "hard_sigmoid_keras2"]
ACTIVATION = ["tanh", "relu", "linear"]


@st.composite
def lstm_and_sequences(draw):
    I, H, T, B = (draw(st.integers(1, n)) for n in (4, 5, 6, 3))
    layer = LSTM(
        draw(arrays(np.float64, (I, 4 * H), elements=weights)),
        draw(arrays(np.float64, (H, 4 * H), elements=weights)),
        draw(arrays(np.float64, (4 * H,), elements=weights)),
        b_hh=draw(arrays(np.float64, (4 * H,), elements=weights)),
        recurrent_activation=draw(st.sampled_from(RECURRENT)),
        activation=draw(st.sampled_from(ACTIVATION)),
    )
    x = draw(arrays(np.float64, (T, B, I), elements=inputs))
    h0, c0 = (draw(arrays(np.float64, (B, H), elements=inputs)) for _ in range(2))
    dh = draw(arrays(np.float64, (T, B, H), elements=inputs))
    return layer, x, h0, c0, dh


def close(fast, reference, name):
    scale = max(1.0, float(np.max(np.abs(reference), initial=0.0)))
    np.testing.assert_allclose(fast, reference, rtol=0, atol=1e-12 * scale, err_msg=name)


# The forward loop has two ways to its affine map (x_t inside the step's GEMM for small weights,
# or one GEMM for every step's W x_t + b before the loop), and the backward pass works through
# chunks of steps (one chunk at these sizes, unless CHUNK_ELEMENTS is made small): all are the reference.
@pytest.mark.parametrize(
    "one_gemm_limit, chunk_elements",
    [(lstm_module.ONE_GEMM_LIMIT, columns.CHUNK_ELEMENTS), (0, columns.CHUNK_ELEMENTS), (0, 50)],
    ids=["x-in-step-gemm", "x-gemm-first", "chunks-of-1-to-12-steps"],
)
@settings(max_examples=60, deadline=None)
@given(case=lstm_and_sequences())
def test_the_fast_forward_and_backward_are_the_reference_step_by_step(one_gemm_limit, chunk_elements, case):
    layer, x, h0, c0, dh = case
    sigma, tanh = layer.recurrent_activation, layer.activation
    p = {g: layer.gate(g) for g in ref.TUTORIAL_ORDER}
    with (
        mock.patch.object(lstm_module, "ONE_GEMM_LIMIT", one_gemm_limit),
        mock.patch.object(columns, "CHUNK_ELEMENTS", chunk_elements),
    ):
        trace = layer.forward(x, h0, c0)
        grads = layer.backward(trace, dh)
    for b in range(x.shape[1]):  # the reference runs one sequence at a time
        steps = ref.sequence_forward(x[:, b], h0[b], c0[b], p, sigma, tanh)
        for name in ("z_f", "z_i", "z_c", "z_o", "f", "i", "c_tilde", "o", "c", "h", "tanh_c", "h_prev", "c_prev"):
            close(getattr(trace, name)[:, b], np.array([getattr(s, name) for s in steps]), name)
        close(trace.x[:, b], x[:, b], "x")
        blocks = {name: np.array([getattr(s, name) for s in steps]) for name in ("i", "f", "c_tilde", "o")}
        close(trace.gates[:, b], np.concatenate(list(blocks.values()), axis=-1), "gates (i, f, C̃, o)")
        pre = np.concatenate([np.array([getattr(s, f"z_{g}") for s in steps]) for g in "ifco"], axis=-1)
        close(trace.pre[:, b], pre, "pre (i, f, C̃, o)")
        totals, per_step = ref.sequence_backward(steps, dh[:, b], p, sigma, tanh)
        close(grads.dx[:, b], np.array([g.dx for g in per_step]), "dx")
        close(grads.dc[:, b], np.array([g.dc for g in per_step]), "dC")
        close(grads.dh0[b], per_step[0].dh_prev, "dh0")
        close(grads.dc0[b], per_step[0].dc_prev, "dc0")
    for gate in ref.TUTORIAL_ORDER:  # the batch's gradients are the sums of the sequences'
        expected = {
            part: sum(
                ref.sequence_backward(
                    ref.sequence_forward(x[:, b], h0[b], c0[b], p, sigma, tanh), dh[:, b], p, sigma, tanh
                )[0][f"{part}_{gate}"]
                for b in range(x.shape[1])
            )
            for part in "WUb"
        }
        block = layer._block(gate)
        close(grads.params.W[:, block].T, expected["W"], f"dW_{gate}")
        close(grads.params.U[:, block].T, expected["U"], f"dU_{gate}")
        close(grads.params.b[block], expected["b"], f"db_{gate}")


@settings(max_examples=40, deadline=None)
@given(lstm_and_sequences(), st.dictionaries(st.sampled_from("fio"), st.floats(0, 1)))
def test_lstm_step_is_the_reference_step(case, clamp):
    layer, x, h0, c0, _ = case
    step = layer.step(x[0, 0], h0[0], c0[0], clamp=clamp)
    expected = ref.step_forward(
        x[0, 0],
        h0[0],
        c0[0],
        {g: layer.gate(g) for g in ref.TUTORIAL_ORDER},
        layer.recurrent_activation,
        layer.activation,
        clamp,
    )
    for name in ("z_f", "z_i", "z_c", "z_o", "f", "i", "c_tilde", "o", "c", "tanh_c", "h"):
        np.testing.assert_array_equal(getattr(step, name), getattr(expected, name), err_msg=name)


def test_a_clamped_gate_passes_no_gradient_to_its_weights():
    layer = LSTM.init(2, 3, seed=4)
    p = {g: layer.gate(g) for g in ref.TUTORIAL_ORDER}
    s = ref.step_forward(np.ones(2), np.zeros(3), np.ones(3), p, clamp={"f": 1.0})
    g = ref.step_backward(np.ones(3), np.zeros(3), s, p, get_activation("sigmoid"), get_activation("tanh"))
    assert not g.dW["f"].any() and not g.db["f"].any() and g.db["i"].any()
    np.testing.assert_array_equal(g.dc_prev, g.dc)  # f = 1: the highway passes dC unchanged


def test_the_same_weights_give_the_same_numbers_to_the_last_bit_whatever_their_memory_layout():
    """A loaded file's weights are often transposed views; BLAS would sum a Fortran-ordered matrix
    in another order, and an exported model must reproduce the app's numbers exactly."""
    layer = LSTM.init(10, 8, seed=3)
    transposed = LSTM(
        np.asfortranarray(layer.W), np.asfortranarray(layer.U), layer.b + layer.b_hh, np.zeros_like(layer.b_hh)
    )
    x = np.random.default_rng(0).normal(size=(7, 10))
    first, second = layer.forward(x), transposed.forward(x)
    assert not transposed.W.flags.c_contiguous
    np.testing.assert_array_equal(first.h, second.h)
    np.testing.assert_array_equal(first.c, second.c)


@pytest.mark.parametrize(
    "B, T, H, I", [(1, 7, 8, 10), (3, 7, 8, 5), (1, 9, 150, 130)], ids=["x-in-step-gemm", "batch", "x-gemm-first"]
)
def test_a_trace_makes_z_again_to_the_bit_the_loop_activated(B, T, H, I):
    """With the default activations the loop keeps no z (LSTMTrace.loop_pre makes it again): the
    z' it makes, activated as the loop activates it (n / (1 + e^z'), then C̃ = that − 1), is every
    gate the loop wrote, bit for bit."""
    layer = LSTM.init(I, H, seed=1)
    trace = layer.forward(np.random.default_rng(0).normal(size=(T, B, I)))
    assert trace.stored_pre is None
    assert B > 1 or lstm_module._one_gemm(trace.affine, B) == (H < 100)
    numerators = np.ones((4 * H, 1))
    numerators[3 * H :] = 2.0
    gates = numerators / (np.exp(trace.loop_pre) + 1.0)
    gates[:, 3 * H :] -= 1.0
    np.testing.assert_array_equal(gates, trace.record[:-1, : 4 * H])
