"""Weights files made by real PyTorch and Keras round-trip; hostile and broken files are refused
with a message, and a malicious pickle never runs."""

import io
import json
import pathlib
import pickle
import zipfile

import numpy as np
import pytest
import torch

from lstm_core import GRU, LSTM, Stack
from lstm_core.files import MAX_BYTES, load_weights

keras = pytest.importorskip("keras")


def torch_bytes(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def test_pytorch_state_dicts_of_lstm_gru_and_stacks_round_trip():
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 5, num_layers=2)
    loaded = load_weights(torch_bytes(lstm.state_dict()), "model.pt")
    assert isinstance(loaded.recurrent, Stack) and [s["kind"] for s in loaded.summary()] == ["LSTM", "LSTM"]
    x = torch.randn(7, 1, 3)
    with torch.no_grad():
        expected = lstm(x)[0].numpy()
    np.testing.assert_allclose(loaded.recurrent.forward(x.numpy().astype(np.float64)).h, expected, atol=1e-6)
    gru = load_weights(torch_bytes(torch.nn.GRU(2, 4).state_dict()), "gru.pth")
    assert isinstance(gru.recurrent, GRU)


def test_pytorch_checkpoint_with_a_linear_head():
    class CharModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.fc = torch.nn.LSTM(10, 8), torch.nn.Linear(8, 10)

    model = CharModel()
    loaded = load_weights(torch_bytes({"state_dict": model.state_dict(), "epoch": 3}), "ckpt.pt")
    np.testing.assert_array_equal(loaded.head.Wy, model.fc.weight.detach().numpy())
    assert isinstance(loaded.recurrent, LSTM) and loaded.recurrent.hidden_size == 8


@pytest.mark.parametrize("recurrent_activation", ["sigmoid", "hard_sigmoid"])
def test_keras_weights_h5_and_keras_archive(tmp_path, recurrent_activation):
    model = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.LSTM(4, return_sequences=True, recurrent_activation=recurrent_activation),
            keras.layers.Dense(6),
        ]
    )
    model.save_weights(tmp_path / "m.weights.h5")
    model.save(tmp_path / "m.keras")
    kernel, recurrent_kernel, bias = model.layers[0].get_weights()
    from_archive = load_weights((tmp_path / "m.keras").read_bytes(), "m.keras")
    assert from_archive.recurrent.recurrent_activation.name == recurrent_activation
    np.testing.assert_array_equal(from_archive.recurrent.W, kernel)
    np.testing.assert_array_equal(from_archive.head.Wy, model.layers[1].get_weights()[0].T)
    x = np.random.default_rng(0).normal(size=(1, 5, 3))
    expected = np.asarray(model.layers[0](x).detach().cpu())[0]
    np.testing.assert_allclose(from_archive.recurrent.forward(x[0]).h, expected, atol=1e-5)
    weights_only = load_weights((tmp_path / "m.weights.h5").read_bytes(), "m.weights.h5")
    np.testing.assert_array_equal(weights_only.recurrent.U, recurrent_kernel)


def test_npz_and_json_in_all_three_layouts():
    layer = LSTM.init(3, 4, seed=1, bias_initializer="random_normal")
    for arrays in (
        layer.to_torch(),
        dict(zip(("kernel", "recurrent_kernel", "bias"), layer.to_keras())),
        layer.to_gates(),
    ):
        buffer = io.BytesIO()
        np.savez(buffer, **arrays, Wy=np.ones((5, 4)))
        from_npz = load_weights(buffer.getvalue(), "w.npz")
        text = json.dumps({k: np.asarray(v).tolist() for k, v in arrays.items()}).encode()
        from_json = load_weights(text, "w.json")
        for loaded in (from_npz, from_json):
            x = np.random.default_rng(2).normal(size=(6, 3))
            np.testing.assert_allclose(loaded.recurrent.forward(x).h, layer.forward(x).h, atol=1e-12)
        assert from_npz.head.Wy.shape == (5, 4)


def test_a_malicious_pickle_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (pathlib.Path.touch, (marker,))

    payload = torch_bytes({"weight_ih_l0": Exploit()})
    with pytest.raises(ValueError, match="could run code"):
        load_weights(payload, "evil.pt")
    raw_pickle = pickle.dumps(Exploit())
    with pytest.raises(ValueError):
        load_weights(raw_pickle, "evil.pth")
    with pytest.raises(ValueError, match="Python objects"):
        buffer = io.BytesIO()
        np.savez(buffer, weight_ih_l0=np.array([Exploit()], dtype=object))
        load_weights(buffer.getvalue(), "evil.npz")
    assert not marker.exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("model.pt", torch_bytes(torch.nn.LSTM(2, 3).state_dict())[:200], "archive is damaged"),
        ("model.npz", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a .npz file"),
        ("model.json", b"{not json", "not valid JSON"),
        ("model.json", b'{"Wf": [[1, "a"]]}', "numbers"),
        ("model.keras", b"PK\x03\x04 truncated", "not a .keras archive|not a zip"),
        ("model.h5", b"\x89HDF\r\n\x1a\n truncated", "not a readable HDF5"),
        ("model.txt", b"hello", "Unknown file type"),
        ("model.npz", b"", "empty"),
    ],
)
def test_broken_or_wrong_files_get_a_message(name, data, message):
    with pytest.raises(ValueError, match=message):
        load_weights(data, name)


def test_wrong_shapes_nan_weights_and_size_limit():
    state = LSTM.init(2, 3).to_torch()
    state["weight_hh_l0"] = np.zeros((12, 5))  # 12 rows are no whole number of gates of 5
    with pytest.raises(ValueError, match="weight_hh_l0 has shape"):
        load_weights(torch_bytes({k: torch.tensor(v) for k, v in state.items()}), "bad.pt")
    state = LSTM.init(2, 3).to_torch()
    state["bias_ih_l0"][0] = np.nan
    buffer = io.BytesIO()
    np.savez(buffer, **state)
    with pytest.raises(ValueError, match="NaN"):
        load_weights(buffer.getvalue(), "nan.npz")
    with pytest.raises(ValueError, match="limit is 20 MB"):
        load_weights(b"\x00" * (MAX_BYTES + 1), "big.npz")


def test_a_keras_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.weights.h5", b"\x00" * (110 * 2**20))
    assert len(buffer.getvalue()) < 2**20
    with pytest.raises(ValueError, match="more than 100 MB"):
        load_weights(buffer.getvalue(), "bomb.keras")


def test_an_embedding_in_front_is_folded_into_layer_0_and_gives_torch_s_numbers():
    """embedding → LSTM (2 layers) → fc, the common char-RNN: a one-hot character through W' = E·W
    is the embedding's row through W, so our numbers are torch's; the head is fc, not the table."""

    class CharRNN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(12, 5)
            self.lstm = torch.nn.LSTM(5, 7, num_layers=2)
            self.fc = torch.nn.Linear(7, 12)

    torch.manual_seed(3)
    model = CharRNN().double()
    loaded = load_weights(torch_bytes(model.state_dict()), "char_rnn.pt")
    assert loaded.embedding == ("embedding.weight", 12, 5)
    assert loaded.layers[0].input_size == 12 and loaded.head.output_size == 12
    ids = torch.tensor([3, 1, 4, 1, 5, 9, 2, 6])
    with torch.no_grad():
        h = model.lstm(model.embedding(ids)[:, None])[0][:, 0]
        logits = model.fc(h).numpy()
    ours = loaded.recurrent.forward(np.eye(12)[ids.numpy()]).h
    np.testing.assert_allclose(ours, h.numpy(), rtol=0, atol=1e-14)
    np.testing.assert_allclose(loaded.head.logits(ours), logits, rtol=0, atol=1e-14)
    plain = load_weights(torch_bytes(torch.nn.LSTM(5, 7).state_dict()), "plain.pt")
    assert plain.embedding is None
