import warnings

import numpy as np
import pytest
import torch

from lstm_core import LSTM
from lstm_core.activations import ACTIVATIONS, get_activation


def test_sigmoid_is_stable_at_huge_inputs_without_warnings():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = get_activation("sigmoid")(z)
    np.testing.assert_allclose(a, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-300)


def test_sigmoid_matches_torch_to_round_off():
    z = np.linspace(-40, 40, 2001)
    np.testing.assert_allclose(
        get_activation("sigmoid")(z), torch.sigmoid(torch.tensor(z)).numpy(), rtol=1e-14, atol=1e-16
    )


def test_both_hard_sigmoid_definitions():
    z = np.array([-4.0, -3.0, -2.5, 0.0, 1.0, 2.5, 3.0, 4.0])
    np.testing.assert_allclose(get_activation("hard_sigmoid")(z), np.clip(z / 6 + 0.5, 0, 1))
    np.testing.assert_allclose(get_activation("hard_sigmoid_keras2")(z), np.clip(0.2 * z + 0.5, 0, 1))
    np.testing.assert_allclose(
        get_activation("hard_sigmoid")(z), torch.nn.functional.hardsigmoid(torch.tensor(z)).numpy()
    )


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference_and_its_stated_maximum(name):
    activation = get_activation(name)
    z = np.linspace(-6.1, 6.1, 1221) + 0.0037  # off the kinks at ±2.5, ±3 and 0
    eps = 1e-6
    numeric = (activation(z + eps) - activation(z - eps)) / (2 * eps)
    analytic = activation.derivative(z, activation(z))
    np.testing.assert_allclose(analytic, numeric, atol=1e-6)
    assert analytic.max() == pytest.approx(activation.derivative_max, rel=1e-3)


def test_derivative_ranges_the_tutorials_quote():
    assert get_activation("sigmoid").derivative_max == 0.25
    assert get_activation("tanh").derivative_max == 1.0


def test_unknown_activation_names_the_known_ones():
    with pytest.raises(ValueError, match="Unknown activation 'softsign'.*sigmoid"):
        get_activation("softsign")


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_layers_with_every_activation_pickle(name):
    import pickle

    layer = LSTM.init(3, 2, seed=0, recurrent_activation=name, activation=name)
    copy = pickle.loads(pickle.dumps(layer))
    x = np.linspace(-2, 2, 12).reshape(4, 3)
    np.testing.assert_array_equal(copy.forward(x).h, layer.forward(x).h)
    assert copy.recurrent_activation is ACTIVATIONS[name]
