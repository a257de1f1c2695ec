"""lstm_core.LSTM against real Keras 3 `layers.LSTM` (torch backend), sigmoid and hard_sigmoid."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from lstm_core import LSTM  # noqa: E402


@pytest.mark.parametrize("recurrent_activation", ["sigmoid", "hard_sigmoid"])
@pytest.mark.parametrize("unit_forget_bias", [True, False])
def test_forward_matches_keras_lstm(recurrent_activation, unit_forget_bias):
    layer_keras = keras.layers.LSTM(
        6,
        return_sequences=True,
        return_state=True,
        dtype="float64",
        recurrent_activation=recurrent_activation,
        unit_forget_bias=unit_forget_bias,
    )
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 9, 4)) * 2.0  # Keras is batch-major: (B, T, I)
    layer_keras.build(x.shape)
    weights = [w + rng.normal(size=w.shape) * 0.3 for w in layer_keras.get_weights()]
    layer_keras.set_weights(weights)
    out, h_last, c_last = (np.asarray(v.detach().cpu()) for v in layer_keras(x))

    layer = LSTM.from_keras(weights, recurrent_activation=recurrent_activation)
    trace = layer.forward(x.transpose(1, 0, 2))  # time-major
    np.testing.assert_allclose(trace.h.transpose(1, 0, 2), out, atol=1e-12)
    np.testing.assert_allclose(trace.c[-1], c_last, atol=1e-12)
    for ours, theirs in zip(layer.to_keras(), weights):
        np.testing.assert_array_equal(ours, theirs)


def test_unit_forget_bias_sets_the_forget_block_to_one_as_keras_does():
    layer_keras = keras.layers.LSTM(5, unit_forget_bias=True, dtype="float64")
    layer_keras.build((1, 2, 3))
    keras_bias = layer_keras.get_weights()[2]
    ours = LSTM.init(3, 5, seed=0, unit_forget_bias=True).to_keras()[2]
    np.testing.assert_array_equal(ours, keras_bias)
    assert np.all(LSTM.init(3, 5, unit_forget_bias=False).b == 0)


class NumpyRandom:
    """Keras's random.normal / random.uniform answered from one numpy Generator, so a Keras layer
    and LSTM.init draw the very same numbers in the same order."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        return keras.ops.convert_to_tensor(self.rng.normal(mean, stddev, size=tuple(shape)), dtype="float64")

    def uniform(self, shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
        return keras.ops.convert_to_tensor(self.rng.uniform(minval, maxval, size=tuple(shape)), dtype="float64")


@pytest.mark.parametrize("kind, hidden, inputs", [("LSTM", 6, 3), ("LSTM", 16, 4), ("GRU", 5, 2), ("SimpleRNN", 7, 3)])
def test_default_initializers_are_keras_s_given_the_same_random_numbers(monkeypatch, kind, hidden, inputs):
    """glorot_uniform kernel, one (H, n·H) orthogonal recurrent kernel, zero bias (forget block 1),
    bit for bit up to the QR's round-off when Keras draws from our random source."""
    from keras.src.initializers import random_initializers

    from lstm_core import GRU, RNN

    seed = 11
    source = NumpyRandom(seed)
    monkeypatch.setattr(random_initializers.random, "normal", source.normal)
    monkeypatch.setattr(random_initializers.random, "uniform", source.uniform)
    layer_keras = getattr(keras.layers, kind)(hidden, dtype="float64")
    layer_keras.build((1, 2, inputs))
    kernel, recurrent_kernel = (np.asarray(w) for w in layer_keras.get_weights()[:2])
    ours = {"LSTM": LSTM, "GRU": GRU, "SimpleRNN": RNN}[kind].init(inputs, hidden, seed=seed)
    np.testing.assert_array_equal(ours.W, kernel)
    np.testing.assert_allclose(ours.U, recurrent_kernel, atol=1e-14)
    np.testing.assert_allclose(ours.U @ ours.U.T, np.eye(hidden), atol=1e-12)  # rows orthonormal
    if kind == "LSTM":
        np.testing.assert_array_equal(ours.to_keras()[2], layer_keras.get_weights()[2])
