"""GRU, RNN and stacks against torch.nn.GRU / nn.RNN / multi-layer nn.LSTM, forward and autograd."""

import numpy as np
import pytest
import torch

import lstm_core
from lstm_core import GRU, LSTM, RNN, Stack


def _random_torch_state(kind, input_size, hidden_size, num_layers=1, seed=0):
    torch.manual_seed(seed)
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](
        input_size, hidden_size, num_layers=num_layers, dtype=torch.float64
    )
    return module, {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("kind,cls", [("gru", GRU), ("rnn", RNN)])
@pytest.mark.parametrize("batched", [False, True])
def test_forward_and_backward_match_torch(kind, cls, batched):
    module, state = _random_torch_state(kind, 3, 5, seed=1)
    layer = cls.from_torch(state)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 2, 3) if batched else (8, 3))
    h0 = rng.normal(size=(2, 5) if batched else (5,))
    upstream = rng.normal(size=x.shape[:-1] + (5,))

    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(h0, requires_grad=True)
    out, _ = module(x_t, h0_t[None])
    (out * torch.tensor(upstream)).sum().backward()

    trace = layer.forward(x, h0)
    np.testing.assert_allclose(trace.h, out.detach().numpy(), atol=1e-12)
    grads = layer.backward(trace, upstream)
    np.testing.assert_allclose(grads.dx, x_t.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(grads.dh0, h0_t.grad.numpy(), atol=1e-12)
    torch_grads = grads.params.to_torch()
    for name, parameter in module.named_parameters():
        np.testing.assert_allclose(torch_grads[name], parameter.grad.numpy(), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_three_layer_stack_matches_torch_num_layers(kind):
    module, state = _random_torch_state(kind, 4, 6, num_layers=3, seed=2)
    stack = lstm_core.from_torch(state)
    assert isinstance(stack, Stack) and len(stack) == 3 and stack.KIND == kind
    x = np.random.default_rng(2).normal(size=(10, 3, 4))
    upstream = np.random.default_rng(3).normal(size=(10, 3, 6))
    x_t = torch.tensor(x, requires_grad=True)
    out = module(x_t)[0]
    (out * torch.tensor(upstream)).sum().backward()
    trace = stack.forward(x)
    assert len(trace.layers) == 3
    np.testing.assert_allclose(trace.h, out.detach().numpy(), atol=1e-12)
    grads = stack.backward(trace, upstream)
    np.testing.assert_allclose(grads.dx, x_t.grad.numpy(), atol=1e-12)
    torch_grads = grads.params.to_torch()
    for name, parameter in module.named_parameters():
        np.testing.assert_allclose(torch_grads[name], parameter.grad.numpy(), atol=1e-12, err_msg=name)


def test_from_torch_reads_tensors_prefixes_and_picks_a_layer():
    module, _ = _random_torch_state("lstm", 3, 4, num_layers=2)
    wrapped = {f"encoder.lstm.{k}": v for k, v in module.state_dict().items()}
    top = LSTM.from_torch(wrapped, layer=1)
    assert (top.input_size, top.hidden_size) == (4, 4)
    np.testing.assert_array_equal(top.W.T, module.weight_ih_l1.detach().numpy())
    single = lstm_core.from_torch({k: v for k, v in module.state_dict().items() if k.endswith("l0")})
    assert isinstance(single, LSTM)


def test_from_torch_rejects_the_wrong_kind_with_a_clear_message():
    _, state = _random_torch_state("gru", 3, 4)
    with pytest.raises(ValueError, match="holds a GRU, not a LSTM"):
        LSTM.from_torch(state)
