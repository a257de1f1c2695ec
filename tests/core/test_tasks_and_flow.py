import numpy as np
import pytest
import torch

from lstm_core import GRU, LSTM, RNN, SoftmaxHead
from lstm_core.flow import last_step_gradient_flow
from lstm_core.tasks import bracket_depth, long_memory, next_character, sine_continuation


def test_long_memory_scores_only_the_last_step_with_the_cue():
    data = long_memory(5, sequences=8, seed=1)
    assert data.inputs.shape == (6, 8, 8) and data.classes == ("A", "B")
    assert (data.targets[:-1] == -1).all()
    np.testing.assert_array_equal(data.targets[-1], data.inputs[0].argmax(-1))


def test_brackets_targets_are_the_nesting_depth():
    data = bracket_depth(sequences=5, length=12, max_depth=3, seed=2)
    steps = np.where(data.inputs.argmax(-1) == 0, 1, -1)
    np.testing.assert_array_equal(data.targets, np.cumsum(steps, axis=0))
    assert data.targets.min() >= 0 and data.targets.max() <= 3


def test_next_character_windows_and_sine_targets():
    data = next_character("abcabcabd", window=4)
    assert data.inputs.shape == (4, 5, 4)
    np.testing.assert_array_equal(data.targets[:, 0], [1, 2, 0, 1])
    sine = sine_continuation(sequences=3, length=10)
    np.testing.assert_allclose(sine.inputs[1:], sine.targets[:-1])


def test_ignored_targets_match_torch_ignore_index():
    rng = np.random.default_rng(0)
    head = SoftmaxHead.init(4, 3, seed=0)
    h = rng.normal(size=(5, 2, 4))
    targets = np.array([[-1, 2], [0, -1], [-1, -1], [1, 1], [2, -1]])
    result = head.loss(h, targets)
    h_t = torch.tensor(h, requires_grad=True)
    logits = h_t @ torch.tensor(head.Wy).T + torch.tensor(head.by)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 3), torch.tensor(targets).reshape(-1), ignore_index=-1)
    loss.backward()
    assert result.loss == pytest.approx(loss.item(), abs=1e-12)
    np.testing.assert_allclose(result.dh, h_t.grad.numpy(), atol=1e-12)
    with pytest.raises(ValueError, match="No step has a target"):
        head.loss(h, np.full((5, 2), -1))


def test_gradient_flow_lstm_keeps_what_the_rnn_loses():
    x = np.random.default_rng(0).normal(size=(50, 4))
    lstm = LSTM.init(4, 16, seed=0)  # unit_forget_bias: f ≈ 0.73 at the start
    rnn = RNN.init(4, 16, seed=0)
    lstm_flow, rnn_flow = last_step_gradient_flow(lstm, x), last_step_gradient_flow(rnn, x)
    assert lstm_flow.dh_norms[-1] == pytest.approx(1.0)  # ‖w‖ = 1 at the last step
    assert lstm_flow.dh_norms[0] > 10 * rnn_flow.dh_norms[0]
    lstm.b[16:32] = 3.0  # f ≈ 0.95: the highway opens
    assert last_step_gradient_flow(lstm, x).dh_norms[0] > 1e4 * rnn_flow.dh_norms[0]
    assert last_step_gradient_flow(GRU.init(4, 16), x).dc_norms is None
    rnn.U *= 2.5  # a large recurrent matrix: the gradient explodes instead
    assert last_step_gradient_flow(rnn, x).dh_norms[0] > 1.0


def test_direct_cell_path_is_the_forget_gate_product_and_the_whole_gradient_without_u():
    x = np.random.default_rng(1).normal(size=(12, 3))
    lstm = LSTM.init(3, 5, seed=1)
    flow = last_step_gradient_flow(lstm, x)
    trace = lstm.forward(x)
    dh = np.zeros((12, 5))
    dh[-1] = np.random.default_rng(0).normal(size=5)  # last_step_gradient_flow's w, seed 0
    dc_last = lstm.backward(trace, dh / np.linalg.norm(dh[-1])).dc[-1]
    direct, expected = dc_last.copy(), [None] * 12
    for t in range(11, -1, -1):  # dC_t = dC_{t+1}·f_{t+1}, step by step
        expected[t] = np.linalg.norm(direct)
        direct = direct * trace.f[t]
    np.testing.assert_allclose(flow.dc_direct_norms, expected, rtol=1e-12)
    lstm.U[:] = 0.0  # no path back through h: the cell state is the only way
    flow = last_step_gradient_flow(lstm, x)
    np.testing.assert_allclose(flow.dc_direct_norms, flow.dc_norms, rtol=1e-12)
