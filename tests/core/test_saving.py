"""Files written by lstm_core.saving read back to the same numbers, here and in the real
frameworks: torch.load(weights_only=True) into nn.LSTM, and Keras's model.load_weights."""

import io
import json

import numpy as np
import pytest
import torch

from lstm_core import LSTM, LinearHead, Model, SoftmaxHead
from lstm_core.files import load_weights
from lstm_core.saving import LAYOUTS, to_json, to_keras_h5, to_npz, to_torch_file

keras = pytest.importorskip("keras")


def char_model(recurrent_activation: str = "sigmoid", head=SoftmaxHead) -> Model:
    layer = LSTM.init(10, 6, seed=3, recurrent_activation=recurrent_activation)
    layer.b_hh[:] = np.random.default_rng(1).normal(size=layer.b_hh.shape)  # two biases, as PyTorch has
    return Model(layer, head.init(6, 10 if head is SoftmaxHead else 1, seed=4))


def one_hot(T: int = 7) -> np.ndarray:
    return np.eye(10)[np.random.default_rng(2).integers(0, 10, size=T)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("writer, name", [(to_npz, "w.npz"), (to_json, "w.json")])
def test_npz_and_json_round_trip_in_every_layout(layout, writer, name):
    model = char_model("hard_sigmoid_keras2", LinearHead)
    loaded = load_weights(writer(model, layout), name)
    assert loaded.layout == layout
    assert loaded.recurrent.recurrent_activation.name == "hard_sigmoid_keras2"
    assert isinstance(loaded.head, LinearHead)
    x = one_hot()
    expected, predictions = model.forward(x)
    trace = loaded.recurrent.forward(x)
    np.testing.assert_allclose(trace.h, expected.h, rtol=0, atol=1e-15)
    np.testing.assert_allclose(loaded.head.predict(trace.h), predictions, rtol=0, atol=1e-15)


def test_json_is_plain_json_with_full_precision():
    model = char_model()
    content = json.loads(to_json(model, "tutorial"))
    assert np.array(content["Wf"]).shape == (6, 16) and content["recurrent_activation"] == "sigmoid"
    assert np.array_equal(np.array(content["Wy"]), model.head.Wy)  # bit for bit


def test_npz_opens_without_pickle():
    with np.load(io.BytesIO(to_npz(char_model(), "pytorch")), allow_pickle=False) as archive:
        assert archive["weight_ih_l0"].shape == (24, 10) and str(archive["activation"]) == "tanh"


def test_pytorch_file_loads_into_a_real_nn_lstm_with_weights_only():
    model = char_model()
    state = torch.load(io.BytesIO(to_torch_file(model)), weights_only=True)

    class CharModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(10, 6, dtype=torch.float64)
            self.fc = torch.nn.Linear(6, 10, dtype=torch.float64)

        def forward(self, x):
            h, _ = self.lstm(x)
            return h, torch.softmax(self.fc(h), dim=-1)

    module = CharModel()
    module.load_state_dict(state)
    x = one_hot()
    with torch.no_grad():
        h, probabilities = (v.numpy() for v in module(torch.from_numpy(x)))
    trace, predictions = model.forward(x)
    np.testing.assert_allclose(h, trace.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(probabilities, predictions, rtol=0, atol=1e-12)
    assert load_weights(to_torch_file(model), "m.pt").head is not None


def test_pytorch_file_refuses_activations_nn_lstm_does_not_have():
    with pytest.raises(ValueError, match="nn.LSTM only has sigmoid"):
        to_torch_file(char_model("hard_sigmoid"))


def test_keras_weights_file_loads_into_a_real_keras_model(tmp_path):
    model = char_model("hard_sigmoid")
    path = tmp_path / "lstm_gate_lab.weights.h5"
    path.write_bytes(to_keras_h5(model))
    keras_model = keras.Sequential(
        [
            keras.Input((None, 10), dtype="float64"),
            keras.layers.LSTM(6, return_sequences=True, recurrent_activation="hard_sigmoid", dtype="float64"),
            keras.layers.Dense(10, activation="softmax", dtype="float64"),
        ]
    )
    keras_model.load_weights(path)
    x = one_hot()
    trace, predictions = model.forward(x)
    h = np.asarray(keras_model.layers[0](x[None]).detach().cpu())[0]
    np.testing.assert_allclose(h, trace.h, rtol=0, atol=1e-12)
    # Keras's Dense on the torch backend does not keep float64 through its matmul (its logits
    # differ from float64 ones by ~5e-8, float32 round-off), so the head is checked to 1e-6.
    probabilities = np.asarray(keras_model(x[None]).detach().cpu())[0]
    np.testing.assert_allclose(probabilities, predictions, rtol=0, atol=1e-6)
    loaded = load_weights(path.read_bytes(), path.name)
    np.testing.assert_allclose(loaded.head.Wy, model.head.Wy)


def test_text_entries_that_are_numbers_are_refused():
    content = json.loads(to_json(char_model(), "keras"))
    content["activation"] = [1.0, 2.0]
    with pytest.raises(ValueError, match="activation"):
        load_weights(json.dumps(content).encode(), "w.json")
    content["activation"] = "swishy"
    with pytest.raises(ValueError, match="activation .swishy., which this app does not compute"):
        load_weights(json.dumps(content).encode(), "w.json")
