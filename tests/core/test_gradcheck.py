"""Finite-difference gradient checks: the backward pass of every layer kind and activation
choice agrees with (L(θ+ε) − L(θ−ε)) / 2ε, including paths no framework oracle covers
(hard_sigmoid_keras2, relu)."""

import numpy as np
import pytest

from lstm_core import GRU, LSTM, RNN, LinearHead, Model, SoftmaxHead, Stack


def _numeric_gradient(loss, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        up = loss()
        array[index] = saved - eps
        down = loss()
        array[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


CASES = [
    (LSTM, {}),
    (LSTM, {"recurrent_activation": "hard_sigmoid_keras2", "activation": "tanh"}),
    (LSTM, {"recurrent_activation": "sigmoid", "activation": "relu"}),
    (GRU, {}),
    (RNN, {}),
]


@pytest.mark.parametrize("cls,activations", CASES)
def test_backward_matches_finite_differences(cls, activations):
    rng = np.random.default_rng(7)
    layer = cls.init(3, 4, seed=3, bias_initializer="random_normal", **activations)
    x = rng.normal(size=(5, 2, 3))
    weights = rng.normal(size=(5, 2, 4))

    def loss():
        return float((layer.forward(x).h * weights).sum())

    grads = layer.backward(layer.forward(x), weights)
    for name, array in layer.parameters().items():
        np.testing.assert_allclose(
            grads.params.parameters()[name], _numeric_gradient(loss, array), atol=1e-6, err_msg=name
        )
    np.testing.assert_allclose(grads.dx, _numeric_gradient(loss, x), atol=1e-6)


@pytest.mark.parametrize("head_cls", [SoftmaxHead, LinearHead])
def test_model_loss_gradients_match_finite_differences(head_cls):
    rng = np.random.default_rng(8)
    model = Model(Stack.init("lstm", 3, 4, num_layers=2, seed=1), head_cls.init(4, 3, seed=2))
    x = rng.normal(size=(4, 2, 3))
    targets = rng.integers(0, 3, size=(4, 2)) if head_cls is SoftmaxHead else rng.normal(size=(4, 2, 3))

    def loss():
        return model.loss_and_gradients(x, targets)[0].loss

    _, grads = model.loss_and_gradients(x, targets)
    for name, array in model.parameters().items():
        np.testing.assert_allclose(grads[name], _numeric_gradient(loss, array), atol=1e-7, err_msg=name)
