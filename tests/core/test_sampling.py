"""Sampling with a temperature and the unit scores (lstm_core/sampling.py)."""

import numpy as np
import pytest

from lstm_core import LSTM, Model, SoftmaxHead, Vocabulary
from lstm_core.sampling import MAX_SAMPLE, sample_text, unit_scores, with_temperature

VOCABULARY = Vocabulary.from_text("公主很漂亮王子真帅气")


def model(seed=0):
    return Model(LSTM.init(10, 8, seed=seed), SoftmaxHead.init(8, 10, seed=seed))


def test_temperature_one_is_the_model_s_distribution_and_low_or_high_sharpen_or_flatten_it():
    p = np.array([0.6, 0.3, 0.1])
    np.testing.assert_allclose(with_temperature(p, 1.0), p, rtol=1e-12)
    np.testing.assert_allclose(with_temperature(p, 0.5), p**2 / (p**2).sum(), rtol=1e-12)
    assert with_temperature(p, 0.01)[0] == pytest.approx(1.0)  # no 0/0 underflow at small τ
    assert np.ptp(with_temperature(p, 10.0)) < 0.07  # towards uniform


def test_the_lowest_temperature_writes_what_argmax_writes():
    """When the model is sure (a sharp softmax), τ = 0.01 is greedy decoding."""
    m = model()
    m.head.Wy *= 40
    written = sample_text(m, VOCABULARY, "公主", 30, temperature=0.01, seed=3)
    ids = list(VOCABULARY.encode("公主"))
    for _ in range(30):  # greedy decoding, by hand
        _, p = m.forward(np.eye(10)[ids[-32:]])
        ids.append(int(p[-1].argmax()))
    assert written == "".join(VOCABULARY.tokens[k] for k in ids[2:])


def test_sampling_draws_from_the_softmax_at_the_last_step():
    """Many one-character draws at τ = 1 follow the model's own probabilities."""
    m = model(1)
    _, p = m.forward(VOCABULARY.one_hot("很"))
    draws = [sample_text(m, VOCABULARY, "很", 1, 1.0, seed) for seed in range(3000)]
    counts = np.array([draws.count(token) for token in VOCABULARY.tokens]) / len(draws)
    np.testing.assert_allclose(counts, p[-1], atol=0.03)


def test_the_same_seed_writes_the_same_text_and_only_known_characters():
    a = sample_text(model(), VOCABULARY, "公", 50, 1.0, seed=7)
    assert a == sample_text(model(), VOCABULARY, "公", 50, 1.0, seed=7) and len(a) == 50
    assert set(a) <= set(VOCABULARY.tokens)


@pytest.mark.parametrize(
    "start,length,temperature,match",
    [
        ("", 5, 1.0, "empty"),
        ("X", 5, 1.0, "X"),
        ("公", 0, 1.0, "length"),
        ("公", MAX_SAMPLE + 1, 1.0, "at most"),
        ("公", 5, 0.0, "temperature"),
        ("公", 5, float("nan"), "temperature"),
    ],
)
def test_bad_sampling_requests_are_value_errors_naming_the_problem(start, length, temperature, match):
    with pytest.raises(ValueError, match=match):
        sample_text(model(), VOCABULARY, start, length, temperature)


def test_a_model_of_another_vocabulary_is_refused():
    other = Model(LSTM.init(4, 8), SoftmaxHead.init(8, 4))
    with pytest.raises(ValueError, match="vocabulary"):
        sample_text(other, VOCABULARY, "公", 5)


def test_unit_scores_find_a_counter_a_detector_and_a_switch():
    text = "公主很漂亮" * 8
    T = len(text)
    ids = VOCABULARY.encode(text)
    counter = np.linspace(-1, 1, T)
    detector = (ids == VOCABULARY.tokens.index("很")).astype(float)
    switch = np.where(np.arange(T) % 2, 0.95, -0.95)
    scores = unit_scores(np.stack([counter, detector, switch], axis=1), text, VOCABULARY)
    assert scores["position"][0] == pytest.approx(1.0) and scores["character"][1] == pytest.approx(1.0)
    assert list(scores["saturation"]) == [pytest.approx((np.abs(counter) > 0.9).mean()), 0.2, 1.0]  # 很 is 1 in 5
    with pytest.raises(ValueError, match="T = 40"):
        unit_scores(np.zeros((3, 2)), text, VOCABULARY)
