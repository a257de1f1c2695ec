import numpy as np
import pytest
import torch

from lstm_core import (
    CLASSIC_SENTENCE,
    CLASSIC_VOCABULARY,
    GRU,
    LSTM,
    RNN,
    Adam,
    LinearHead,
    Model,
    SoftmaxHead,
    Vocabulary,
    clip_by_global_norm,
    clip_by_value,
    next_character_pairs,
    train,
)
from lstm_core.heads import top_class_hits
from lstm_core.series import continuation_pairs, sine


def _classic():
    vocabulary = Vocabulary.from_tokens(CLASSIC_VOCABULARY)
    return next_character_pairs(CLASSIC_SENTENCE, vocabulary)


@pytest.mark.parametrize("cls", [LSTM, GRU, RNN])
def test_learns_the_classic_sentence(cls):
    x, y = _classic()
    model = Model(cls.init(10, 8, seed=0), SoftmaxHead.init(8, 10, seed=1))
    result = train(model, x, y, lr=0.05, epochs=60)
    assert result.losses[-1] < 0.05 * result.losses[0]
    assert result.accuracies[-1] == 1.0
    _, probabilities = model.forward(x)
    assert Vocabulary.from_tokens(CLASSIC_VOCABULARY).decode(probabilities.argmax(-1)) == "主很漂亮"


def test_regression_on_a_sine_with_mini_batches_and_sgd():
    values = sine(41, period=20)
    inputs, targets = continuation_pairs(values)
    x = np.stack([inputs[k : k + 10] for k in range(0, 30)], axis=1)  # (10, 30, 1)
    y = np.stack([targets[k : k + 10] for k in range(0, 30)], axis=1)
    model = Model(LSTM.init(1, 8, seed=0), LinearHead.init(8, 1))
    result = train(model, x, y, optimizer="sgd", lr=0.3, epochs=40, batch_size=8, clip_norm=1.0)
    assert result.losses[-1] < 0.2 * result.losses[0]


def test_training_is_deterministic_under_a_seed():
    x, y = _classic()
    runs = []
    for _ in range(2):
        model = Model(LSTM.init(10, 4, seed=3), SoftmaxHead.init(4, 10, seed=3))
        runs.append(
            train(
                model, np.repeat(x[:, None], 6, 1), np.repeat(y[:, None], 6, 1), epochs=3, batch_size=4, seed=9
            ).losses
        )
    assert runs[0] == runs[1]


def test_adam_matches_torch_optim_adam():
    rng = np.random.default_rng(0)
    param = rng.normal(size=(3, 4))
    reference = torch.tensor(param.copy(), requires_grad=True)
    torch_adam = torch.optim.Adam([reference], lr=0.01)
    ours = Adam(lr=0.01)
    for _ in range(5):
        grad = rng.normal(size=(3, 4))
        ours.step({"p": param}, {"p": grad})
        reference.grad = torch.tensor(grad)
        torch_adam.step()
    np.testing.assert_allclose(param, reference.detach().numpy(), atol=1e-12)


def test_adam_keeps_each_parameters_state_when_the_set_of_parameters_changes():
    rng = np.random.default_rng(1)
    alone, joined = rng.normal(size=(3, 4)), None
    ours_alone, ours_joined = Adam(lr=0.01), Adam(lr=0.01)
    joined = {"p": alone.copy()}
    grads = [rng.normal(size=(3, 4)) for _ in range(6)]
    for k, grad in enumerate(grads):
        ours_alone.step({"p": alone}, {"p": grad})
        if k == 3:  # a parameter joins: it starts from zero m and v, "p" keeps its own
            joined["q"] = np.ones(5)
        ours_joined.step(joined, {"p": grad, "q": np.full(5, 0.5)})
    np.testing.assert_array_equal(joined["p"], alone)
    np.testing.assert_array_equal(ours_joined.m["p"], ours_alone.m["p"])
    assert joined["q"][0] != 1.0 and ours_joined.v["q"].shape == (5,)
    with pytest.raises(ValueError, match="gradient of p has shape"):
        ours_joined.step(joined, {"p": np.ones((4, 3)), "q": np.ones(5)})


@pytest.mark.parametrize("layout", ["steps, batch, units", "a trace's transposed view", "one sequence"])
def test_softmax_loss_matches_torch_in_every_layout_of_h(layout):
    rng = np.random.default_rng(2)
    head = SoftmaxHead.init(6, 5, seed=4)
    head.by[:] = rng.normal(size=5)
    if layout == "one sequence":
        h, targets = rng.normal(size=(7, 6)), np.array([1, -1, 4, 0, 0, 3, 2])
    else:
        h, targets = rng.normal(size=(7, 3, 6)), rng.integers(-1, 5, size=(7, 3))
        if layout == "a trace's transposed view":
            h = np.ascontiguousarray(h.transpose(0, 2, 1)).transpose(0, 2, 1)
    result = head.loss(h, targets)
    h_t, Wy, by = (torch.tensor(a, requires_grad=True) for a in (np.array(h), head.Wy, head.by))
    logits = h_t @ Wy.T + by
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 5), torch.tensor(targets).reshape(-1), ignore_index=-1)
    loss.backward()
    assert result.loss == pytest.approx(loss.item(), abs=1e-13)
    np.testing.assert_allclose(result.dh, h_t.grad.numpy(), atol=1e-14)
    np.testing.assert_allclose(result.params.Wy, Wy.grad.numpy(), atol=1e-14)
    np.testing.assert_allclose(result.params.by, by.grad.numpy(), atol=1e-14)
    np.testing.assert_allclose(result.predictions, torch.softmax(logits, -1).detach().numpy(), atol=1e-15)
    np.testing.assert_allclose(result.predictions, head.predict(h), atol=1e-15)


def test_top_class_hits_is_argmax_with_its_first_class_on_ties():
    rng = np.random.default_rng(3)
    probabilities = rng.integers(0, 3, size=(40, 6, 4)).astype(float)  # many ties among 4 classes
    probabilities[0, 0] = 1.0  # all four tied: argmax says class 0
    targets = rng.integers(0, 4, size=(40, 6))
    targets[0, 0] = 2
    expected = probabilities.argmax(-1) == targets
    assert 0 < expected.sum() < expected.size and not expected[0, 0]
    for layout in (probabilities, np.moveaxis(np.ascontiguousarray(np.moveaxis(probabilities, -1, 0)), 0, -1)):
        np.testing.assert_array_equal(top_class_hits(layout, targets), expected)
    np.testing.assert_array_equal(top_class_hits(probabilities[:, 0], targets[:, 0]), expected[:, 0])


def test_clipping_by_norm_keeps_direction_and_by_value_clamps():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(clipped["b"], [[0.8]], rtol=1e-6)
    np.testing.assert_array_equal(clip_by_value(grads, 2.0)["b"], [[2.0]])
    reference = [torch.tensor([3.0, 0.0], dtype=torch.float64), torch.tensor([[4.0]], dtype=torch.float64)]
    for tensor in reference:
        tensor.grad = tensor.clone()
    torch.nn.utils.clip_grad_norm_(reference, 1.0)
    np.testing.assert_allclose(clipped["a"], reference[0].grad.numpy(), atol=1e-12)


def test_divergence_stops_and_keeps_the_last_good_weights():
    inputs, targets = continuation_pairs(sine(21))
    model = Model(RNN.init(1, 4, seed=0), LinearHead.init(4, 1))
    result = train(model, inputs, targets, optimizer="sgd", lr=1e30, epochs=50)
    assert result.stopped == "diverged" and "last good weights" in result.message
    assert len(result.losses) < 50
    assert all(np.isfinite(v).all() for v in model.parameters().values())
    loss, grads = model.loss_and_gradients(inputs, targets)
    assert np.isfinite(loss.loss) and grads


def test_callback_sees_every_step_and_can_stop():
    x, y = _classic()
    model = Model(LSTM.init(10, 4), SoftmaxHead.init(4, 10))
    events = []

    def callback(event):
        events.append(event)
        return event.epoch < 3

    result = train(model, x, y, epochs=10, callback=callback)
    assert result.stopped == "callback"
    assert [e.phase for e in events] == ["step", "epoch", "step", "epoch", "step"]
    assert events[0].steps_per_epoch == 1 and events[0].accuracy is not None
