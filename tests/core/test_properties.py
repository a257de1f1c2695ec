"""Invariants that hold for any weights and inputs (hypothesis), and lossless layout round trips."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_core import GRU, LSTM, RNN

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
activations = st.sampled_from(["sigmoid", "hard_sigmoid", "hard_sigmoid_keras2"])


@st.composite
def lstm_and_input(draw):
    I, H, T = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 6))
    layer = LSTM(
        draw(arrays(np.float64, (I, 4 * H), elements=finite)),
        draw(arrays(np.float64, (H, 4 * H), elements=finite)),
        draw(arrays(np.float64, (4 * H,), elements=finite)),
        recurrent_activation=draw(activations),
    )
    x = draw(arrays(np.float64, (T, I), elements=finite))
    return layer, x


@settings(max_examples=60, deadline=None)
@given(lstm_and_input())
def test_gates_stay_in_their_ranges(case):
    layer, x = case
    trace = layer.forward(x)
    for gate in (trace.f, trace.i, trace.o):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(trace.c_tilde) <= 1)
    assert np.all(np.abs(trace.h) <= 1)
    assert np.all(np.isfinite(trace.c))
    # the cell state can grow by at most |C̃| ≤ 1 per step
    assert np.all(np.abs(trace.c) <= np.arange(1, len(x) + 1)[:, None] + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_layout_round_trips_are_exact(I, H, seed):
    layer = LSTM.init(I, H, seed=seed, bias_initializer="random_normal")
    layer.b_hh[:] = np.random.default_rng(seed).normal(size=4 * H)
    back = LSTM.from_torch(layer.to_torch())
    for name, array in layer.parameters().items():
        np.testing.assert_array_equal(back.parameters()[name], array)
    merged = LSTM.from_keras(layer.to_keras())
    assert [np.array_equal(a, b) for a, b in zip(LSTM.from_keras(merged.to_keras()).to_keras(), merged.to_keras())] == [
        True
    ] * 3
    gates = LSTM.from_gates(**merged.to_gates())
    for name, array in merged.parameters().items():
        np.testing.assert_array_equal(gates.parameters()[name], array)


def test_tutorial_layout_acts_on_h_then_x():
    layer = LSTM.init(2, 3, seed=4)
    gates = layer.to_gates()
    x, h, c = np.array([0.3, -0.7]), np.array([0.1, 0.2, -0.4]), np.array([0.5, -0.1, 0.2])
    concat = np.concatenate([h, x])[:, None]

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    f = sigma(gates["Wf"] @ concat + gates["bf"])
    i = sigma(gates["Wi"] @ concat + gates["bi"])
    c_tilde = np.tanh(gates["Wc"] @ concat + gates["bc"])
    o = sigma(gates["Wo"] @ concat + gates["bo"])
    c_new = f * c[:, None] + i * c_tilde
    h_new = o * np.tanh(c_new)
    trace = layer.forward(x[None], h, c)
    np.testing.assert_allclose(trace.f[0], f[:, 0], atol=1e-15)
    np.testing.assert_allclose(trace.h[0], h_new[:, 0], atol=1e-15)


def test_gate_accessor_gives_W_U_b_of_each_gate():
    layer = LSTM.init(2, 3, seed=5, bias_initializer="random_uniform")
    forget = layer.gate("f")
    assert forget.W.shape == (3, 2) and forget.U.shape == (3, 3) and forget.b.shape == (3,)
    x = np.array([[0.5, -1.0]])
    np.testing.assert_allclose(layer.forward(x).z_f[0], forget.W @ x[0] + forget.b)
    assert np.array_equal(layer.gate("c_tilde").W, layer.gate("c").W)


def test_float32_in_float32_out_for_every_kind():
    x = np.ones((3, 2), dtype=np.float32)
    for cls in (LSTM, GRU, RNN):
        layer = cls.init(2, 3)
        trace = layer.forward(x)
        grads = layer.backward(trace, np.ones_like(trace.h))
        assert trace.h.dtype == np.float32 and grads.dx.dtype == np.float32


def test_seed_makes_init_reproducible():
    a, b = LSTM.init(3, 4, seed=11), LSTM.init(3, 4, seed=11)
    assert all(np.array_equal(a.parameters()[k], b.parameters()[k]) for k in a.parameters())
    assert not np.array_equal(a.W, LSTM.init(3, 4, seed=12).W)


def test_orthogonal_recurrent_kernel_is_one_matrix_and_per_gate_is_its_own_name():
    """Keras's default: U (H, 4H) has orthonormal rows, so its gate blocks share the gain
    (Σ_g U_g U_gᵀ = I); orthogonal_per_gate makes every block orthogonal on its own."""
    layer = LSTM.init(3, 6, seed=0)
    np.testing.assert_allclose(layer.U @ layer.U.T, np.eye(6), atol=1e-12)
    blocks = [layer.U[:, k * 6 : (k + 1) * 6] for k in range(4)]
    assert not np.allclose(blocks[0].T @ blocks[0], np.eye(6), atol=1e-3)
    per_gate = LSTM.init(3, 6, seed=0, recurrent_initializer="orthogonal_per_gate")
    for k in range(4):
        block = per_gate.U[:, k * 6 : (k + 1) * 6]
        np.testing.assert_allclose(block.T @ block, np.eye(6), atol=1e-12)


def test_single_step_matches_the_forward_pass_and_clamps_gates():
    layer = LSTM.init(3, 4, seed=6, bias_initializer="random_normal", recurrent_activation="hard_sigmoid")
    rng = np.random.default_rng(6)
    x, h, c = rng.normal(size=3), rng.normal(size=4), rng.normal(size=4)
    trace = layer.forward(x[None], h, c)
    step = layer.step(x, h, c)
    for name in ("f", "i", "c_tilde", "o", "c", "h", "z_f", "z_o"):
        np.testing.assert_allclose(getattr(step, name), getattr(trace, name)[0], atol=1e-14, err_msg=name)
    remember = layer.step(x, h, c, clamp={"f": 1.0, "i": 0.0})
    np.testing.assert_array_equal(remember.c, c)  # f = 1, i = 0: the cell keeps C_{t-1} exactly
    silent = layer.step(x, h, c, clamp={"o": 0.0})
    np.testing.assert_array_equal(silent.h, np.zeros(4))
    assert silent.clamped == ("o",)
