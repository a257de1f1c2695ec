"""Every mistake a student makes gets a ValueError that says what went wrong."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_core import GRU, LSTM, RNN, LinearHead, Model, SoftmaxHead, Stack, Vocabulary, train
from lstm_core.initializers import get_initializer
from lstm_core.series import series_input


@pytest.fixture
def layer():
    return LSTM.init(10, 8, seed=0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_input(layer, bad):
    x = np.zeros((5, 10))
    x[2, 3] = bad
    with pytest.raises(ValueError, match=r"x contains 1 NaN or infinite value\(s\) \(the first at index \(2, 3\)\)"):
        layer.forward(x)


def test_wrong_input_width_names_both_sizes(layer):
    with pytest.raises(ValueError, match="x has 7 input feature.*input_size = 10"):
        layer.forward(np.zeros((5, 7)))


@pytest.mark.parametrize("shape", [(0, 10), (10,), (2, 3, 4, 10)])
def test_empty_or_misshapen_sequences(layer, shape):
    with pytest.raises(ValueError, match="empty sequence|dimension"):
        layer.forward(np.zeros(shape))


def test_text_and_objects_are_not_numbers(layer):
    with pytest.raises(ValueError, match="must contain numbers"):
        layer.forward([["a"] * 10])


def test_wrong_initial_state_shape(layer):
    with pytest.raises(ValueError, match=r"h0 has shape \(3,\) but shape \(8,\) was expected"):
        layer.forward(np.zeros((5, 10)), h0=np.zeros(3))


def test_wrong_weight_shapes_name_expected_and_given():
    with pytest.raises(ValueError, match=r"U \(recurrent kernel\) must have shape \(H, 4·H\).*\(3, 3\)"):
        LSTM(np.zeros((2, 12)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"W \(input kernel\) must have shape \(I, 12\).*\(2, 8\)"):
        LSTM(np.zeros((2, 8)), np.zeros((3, 12)))
    with pytest.raises(ValueError, match=r"b \(input bias\) has shape \(5,\) but shape \(12,\)"):
        LSTM(np.zeros((2, 12)), np.zeros((3, 12)), np.zeros(5))
    with pytest.raises(ValueError, match=r"Wi has shape \(3, 4\) but shape \(3, 5\)"):
        gates = LSTM.init(2, 3).to_gates()
        gates["Wi"] = np.zeros((3, 4))
        LSTM.from_gates(**gates)


def test_nan_weights_are_refused():
    W = np.zeros((2, 12))
    W[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LSTM(W, np.zeros((3, 12)))


def test_unknown_names():
    with pytest.raises(ValueError, match="Unknown activation"):
        LSTM.init(2, 3, recurrent_activation="sigmoidd")
    with pytest.raises(ValueError, match="Unknown initializer"):
        get_initializer("he_magic", 3)
    with pytest.raises(ValueError, match="Unknown option"):
        GRU.init(2, 3, unit_forget_bias=True)
    with pytest.raises(ValueError, match="whole number of at least 1"):
        LSTM.init(0, 3)


def test_bad_torch_dicts():
    with pytest.raises(ValueError, match="No recurrent layer found"):
        LSTM.from_torch({"weight": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="Bidirectional"):
        LSTM.from_torch({**LSTM.init(2, 3).to_torch(), "weight_ih_l0_reverse": np.zeros((12, 2))})
    with pytest.raises(ValueError, match="layer=3 asked for"):
        LSTM.from_torch(LSTM.init(2, 3).to_torch(), layer=3)
    with pytest.raises(ValueError, match="not an LSTM \\(4\\), GRU \\(3\\) or RNN \\(1\\)"):
        LSTM.from_torch({"weight_ih_l0": np.zeros((6, 2)), "weight_hh_l0": np.zeros((6, 3))})


def test_backward_checks_the_gradient_shape(layer):
    trace = layer.forward(np.zeros((5, 10)))
    with pytest.raises(ValueError, match=r"dh has shape \(4, 8\) but shape \(5, 8\)"):
        layer.backward(trace, np.zeros((4, 8)))


def test_stack_sizes_must_chain():
    with pytest.raises(ValueError, match="Layer 1 expects input_size 5 but layer 0 outputs hidden_size 4"):
        Stack([LSTM.init(3, 4), LSTM.init(5, 4)])
    with pytest.raises(ValueError, match="one kind"):
        Stack([LSTM.init(3, 4), GRU.init(4, 4)])


def test_text_errors():
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.from_text("")
    with pytest.raises(ValueError, match="not in the vocabulary: '猫'"):
        Vocabulary.from_text("公主").encode("公猫")


def test_training_errors():
    model = Model(RNN.init(2, 3), SoftmaxHead.init(3, 2))
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        train(model, np.zeros((4, 2)), np.zeros(4, dtype=int), lr=-1)
    with pytest.raises(ValueError, match="Target ids must lie in 0…1"):
        train(model, np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    with pytest.raises(ValueError, match="head reads hidden states of size 5"):
        Model(RNN.init(2, 3), LinearHead.init(5, 1))


def test_series_errors():
    with pytest.raises(ValueError, match="empty"):
        series_input([])
    with pytest.raises(ValueError, match="limit is 3"):
        series_input([1, 2, 3, 4], max_length=3)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none()),
        min_size=0,
        max_size=12,
    )
)
def test_any_junk_input_is_either_computed_finite_or_refused_with_value_error(values):
    layer = RNN.init(1, 2)
    try:
        x = np.array(values, dtype=object).reshape(-1, 1) if values else np.zeros((0, 1))
        trace = layer.forward(x)
    except ValueError as error:
        assert str(error)
    else:
        assert np.all(np.isfinite(trace.h))


def tiny_model():
    return Model(LSTM.init(2, 3), SoftmaxHead.init(3, 2))


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: LSTM.init(3, 4, seed="abc"), "seed must be a whole number"),
        (lambda: RNN.init(3, 4, seed=[1]), "seed must be a whole number"),
        (lambda: LSTM.init(10, 10**6), "would hold 4,000,040,000,000 numbers"),
        (lambda: GRU.init(10**7, 10), "would hold"),
        (lambda: SoftmaxHead.init(10**6, 10**6), "would hold"),
        (lambda: Vocabulary(tuple("ab")).decode([5]), r"must lie in 0…1"),
        (lambda: Vocabulary(tuple("ab")).decode([-1]), r"must lie in 0…1"),
        (lambda: Vocabulary(tuple("ab")).decode("x"), "whole-number token ids"),
        (lambda: Vocabulary(5), "sequence of characters"),
        (
            lambda: LSTM.init(3, 4).backward(GRU.init(3, 4).forward(np.zeros((2, 3))), np.ones((2, 4))),
            "needs a LSTMTrace",
        ),
        (
            lambda: GRU.init(3, 4).backward(LSTM.init(3, 4).forward(np.zeros((2, 3))), np.ones((2, 4))),
            "needs a GRUTrace",
        ),
        (
            lambda: RNN.init(3, 4).backward(GRU.init(3, 4).forward(np.zeros((2, 3))), np.ones((2, 4))),
            "needs a RNNTrace",
        ),
        (lambda: GRU.init(3, 4).backward(GRU.init(3, 5).forward(np.zeros((2, 3))), np.ones((2, 5))), "another size"),
        (lambda: RNN.init(3, 4).backward(RNN.init(3, 5).forward(np.zeros((2, 3))), np.ones((2, 5))), "another size"),
        (
            lambda: train(tiny_model(), np.eye(2)[[0, 1, 0]], np.array([1, 0, 1]), lr=None),
            "learning rate must be a finite",
        ),
        (lambda: train(tiny_model(), np.eye(2)[[0, 1, 0]], np.array([1, 0, 1]), seed=1.5), "seed"),
        (
            lambda: train(tiny_model(), np.eye(2)[[0, 1, 0]], np.array([1, 0, 1]), clip_norm="x"),
            "max_norm must be a finite",
        ),
    ],
    ids=[
        "seed-text",
        "seed-list",
        "init-7-TiB",
        "init-wide-input",
        "head-8-TiB",
        "decode-5",
        "decode-negative",
        "decode-text",
        "vocabulary-int",
        "lstm-backward-gru-trace",
        "gru-backward-lstm-trace",
        "rnn-backward-gru-trace",
        "gru-backward-other-size",
        "rnn-backward-other-size",
        "train-lr-none",
        "train-seed-float",
        "train-clip-text",
    ],
)
def test_wrong_types_and_absurd_sizes_are_value_errors_before_any_large_allocation(call, message):
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=message):
            call()
        assert tracemalloc.get_traced_memory()[1] < 50 * 2**20
    finally:
        tracemalloc.stop()
