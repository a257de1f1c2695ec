"""lstm_core.LSTM against real torch.nn.LSTM: forward to float64 round-off, backward against
autograd, including the per-step dL/dC_t that nn.LSTM does not expose."""

import numpy as np
import pytest
import torch

from lstm_core import LSTM

from .torch_reference import autograd_lstm, torch_module


def _layer(input_size=3, hidden_size=5, seed=1, **kw):
    layer = LSTM.init(
        input_size,
        hidden_size,
        seed=seed,
        kernel_initializer="pytorch_uniform",
        recurrent_initializer="pytorch_uniform",
        bias_initializer="pytorch_uniform",
        **kw,
    )
    layer.b_hh[:] = np.random.default_rng(seed + 100).uniform(-0.3, 0.3, layer.b_hh.shape)
    return layer


@pytest.mark.parametrize("batch", [None, 1, 4])
def test_forward_matches_torch_float64(batch):
    layer = _layer()
    rng = np.random.default_rng(0)
    shape = (7, 3) if batch is None else (7, batch, 3)
    x = rng.normal(size=shape)
    hidden_shape = (5,) if batch is None else (batch, 5)
    h0, c0 = rng.normal(size=hidden_shape), rng.normal(size=hidden_shape)
    trace = layer.forward(x, h0, c0)
    module = torch_module(layer)
    with torch.no_grad():
        out, (h_n, c_n) = module(torch.tensor(x), (torch.tensor(h0)[None], torch.tensor(c0)[None]))
    np.testing.assert_allclose(trace.h, out.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.c[-1], c_n[0].numpy(), rtol=0, atol=1e-12)
    assert trace.h.shape == out.shape and trace.f.shape == out.shape


def test_forward_matches_torch_float32_and_stays_float32():
    layer = _layer(hidden_size=16, input_size=10)
    x = np.random.default_rng(2).normal(size=(50, 2, 10)).astype(np.float32)
    trace = layer.forward(x)
    assert trace.h.dtype == np.float32 and trace.f.dtype == np.float32
    module = torch_module(layer, dtype=torch.float32)
    with torch.no_grad():
        out, _ = module(torch.tensor(x))
    np.testing.assert_allclose(trace.h, out.numpy(), rtol=0, atol=1e-5)


@pytest.mark.parametrize("batched", [False, True])
def test_backward_matches_autograd_per_step(batched):
    layer = _layer(hidden_size=4)
    rng = np.random.default_rng(3)
    T, B = 6, 3
    x = rng.normal(size=(T, B, 3) if batched else (T, 3))
    state_shape = (B, 4) if batched else (4,)
    h0, c0 = rng.normal(size=state_shape), rng.normal(size=state_shape)
    loss_weights = rng.normal(size=x.shape[:-1] + (4,))
    reference = autograd_lstm(layer, x, h0, c0, loss_weights)
    trace = layer.forward(x, h0, c0)
    np.testing.assert_allclose(trace.h, reference["h"], atol=1e-12)
    grads = layer.backward(trace, loss_weights)
    for name in ("dh", "dc", "dx", "dh0", "dc0"):
        np.testing.assert_allclose(getattr(grads, name), reference[name], atol=1e-12, err_msg=name)
    for name in ("W", "U", "b", "b_hh"):
        np.testing.assert_allclose(getattr(grads.params, name), reference[name], atol=1e-12, err_msg=name)


def test_parameter_gradients_match_nn_lstm_autograd_in_torch_names():
    layer = _layer(hidden_size=6, input_size=4)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(9, 2, 4))
    target_grad = rng.normal(size=(9, 2, 6))
    module = torch_module(layer)
    out, _ = module(torch.tensor(x))
    (out * torch.tensor(target_grad)).sum().backward()
    grads = layer.backward(layer.forward(x), target_grad).params.to_torch()
    for name, parameter in module.named_parameters():
        np.testing.assert_allclose(grads[name], parameter.grad.numpy(), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_pytorch_uniform_is_pytorch_s_default_weights_and_both_biases(kind):
    """Every parameter of ours and of a fresh torch module is uniform in ±1/√H (compared in
    distribution: bound, mean and standard deviation), and the summed bias is not zero."""
    import lstm_core

    inputs, hidden = 8, 64
    options = {"unit_forget_bias": False} if kind == "LSTM" else {}  # PyTorch has no forget bias of 1
    ours = getattr(lstm_core, kind).init(
        inputs,
        hidden,
        seed=3,
        kernel_initializer="pytorch_uniform",
        recurrent_initializer="pytorch_uniform",
        bias_initializer="pytorch_uniform",
        **options,
    )
    torch.manual_seed(3)
    module = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "RNN": torch.nn.RNN}[kind](inputs, hidden)
    theirs = {name: p.detach().numpy().astype(np.float64) for name, p in module.named_parameters()}
    mine = ours.to_torch()
    bound = 1 / np.sqrt(hidden)
    sigma = bound / np.sqrt(3)  # the standard deviation of U(−bound, bound)
    assert set(mine) == set(theirs)
    for name, values in theirs.items():
        for sample in (values, mine[name]):
            n = sample.size  # six standard errors: a sample this far off is not uniform in ±bound
            assert sample.shape == values.shape
            assert np.abs(sample).max() <= bound
            assert abs(sample.mean()) < 6 * sigma / np.sqrt(n), name
            assert abs(sample.std() - sigma) < 6 * sigma / np.sqrt(2 * n) + 0.2 * sigma / np.sqrt(n), name


def test_unit_forget_bias_with_two_biases_makes_the_forget_bias_exactly_one():
    layer = LSTM.init(
        3,
        5,
        seed=0,
        kernel_initializer="pytorch_uniform",
        recurrent_initializer="pytorch_uniform",
        bias_initializer="pytorch_uniform",
    )
    np.testing.assert_array_equal(layer.gate("f").b, np.ones(5))
    assert np.all(layer.gate("i").b != 0)
