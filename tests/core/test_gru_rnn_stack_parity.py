"""GRU, RNN and stacks against torch.nn.GRU / nn.RNN / multi-layer nn.LSTM, forward and autograd."""

import numpy as np
import pytest
import torch

import lstm_core
from lstm_core import GRU, LSTM, RNN, Stack, columns


def _random_torch_state(kind, input_size, hidden_size, num_layers=1, seed=0):
    torch.manual_seed(seed)
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](
        input_size, hidden_size, num_layers=num_layers, dtype=torch.float64
    )
    return module, {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


# The GRU's backward pass fills its factors a chunk of steps at a time (one chunk at these sizes
# unless CHUNK_ELEMENTS is made small: then chunks of 1 step for the batch, 3, 3 and 2 for one sequence).
@pytest.mark.parametrize("kind,cls", [("gru", GRU), ("rnn", RNN)])
@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("chunk_elements", [columns.CHUNK_ELEMENTS, 50], ids=["one-chunk", "small-chunks"])
def test_forward_and_backward_match_torch(kind, cls, batched, chunk_elements, monkeypatch):
    monkeypatch.setattr(columns, "CHUNK_ELEMENTS", chunk_elements)
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
    np.testing.assert_array_equal(trace.x, x)
    np.testing.assert_array_equal(trace.h0, h0)
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


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn", "stack"])
def test_dx_is_computed_when_read_once_and_training_never_reads_it(kind, monkeypatch):
    """dx waits until it is read (lstm_core.recurrent.InputGradient) and is then kept; a training
    step, with nothing below its inputs, never computes it: the GEMM is the step's to save."""
    from lstm_core import recurrent

    layer = {
        "lstm": lambda: LSTM.init(4, 6, seed=0),
        "gru": lambda: GRU.init(4, 6, seed=0),
        "rnn": lambda: RNN.init(4, 6, seed=0),
        "stack": lambda: Stack([LSTM.init(4, 6, seed=0), LSTM.init(6, 6, seed=1)]),
    }[kind]()
    computed = []
    original = recurrent._input_gradient
    monkeypatch.setattr(recurrent, "_input_gradient", lambda *args: computed.append(1) or original(*args))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3, 4))
    grads = layer.backward(layer.forward(x), rng.normal(size=(5, 3, 6)))
    below = 1 if kind == "stack" else 0  # the top layer's dx is the dh of the layer below
    assert len(computed) == below
    first = grads.dx
    assert grads.dx is first and len(computed) == below + 1 and first.shape == x.shape

    computed.clear()
    model = lstm_core.Model(layer, lstm_core.SoftmaxHead.init(6, 3, seed=2))
    lstm_core.train(model, x, rng.integers(0, 3, size=(5, 3)), epochs=2, batch_size=2)
    assert len(computed) == below * 4  # 2 epochs × 2 batches: only between a stack's layers


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_dx_read_late_is_the_gradient_of_the_weights_the_backward_pass_saw(kind):
    """An optimizer updates W in place (`parameters()` are the arrays themselves), so dx, which
    waits until it is read, must keep the W of its backward pass, not read the updated one."""
    layer = {"lstm": LSTM, "gru": GRU, "rnn": RNN}[kind].init(4, 6, seed=0)
    rng = np.random.default_rng(0)
    x, g = rng.normal(size=(5, 3, 4)), rng.normal(size=(5, 3, 6))
    expected = layer.backward(layer.forward(x), g).dx
    grads = layer.backward(layer.forward(x), g)
    layer.W *= 2.0  # as an optimizer step does, before anyone reads dx
    np.testing.assert_array_equal(grads.dx, expected)
