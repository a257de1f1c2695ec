"""safetensors in and out: files written by safetensors.torch from real PyTorch models load with
the same numbers, the app's own export reads back exactly, and a hostile header is refused
before any tensor is read."""

import json
import struct

import numpy as np
import pytest
import torch
from safetensors.numpy import load as load_numpy
from safetensors.torch import load_file, save_file

from lstm_core import LSTM, LinearHead, Model, SoftmaxHead, Stack
from lstm_core.files import load_weights
from lstm_core.refusals import FileRefused
from lstm_core.saving import to_safetensors


class CharModel(torch.nn.Module):  # the most common char-RNN: nn.LSTM + nn.Linear on h
    def __init__(self, layers=1):
        super().__init__()
        self.lstm, self.fc = torch.nn.LSTM(10, 8, num_layers=layers), torch.nn.Linear(8, 10)


@pytest.mark.parametrize("layers", [1, 2])
def test_a_file_written_by_safetensors_torch_from_a_real_model_gives_torch_s_numbers(tmp_path, layers):
    torch.manual_seed(layers)
    model = CharModel(layers).double()
    path = tmp_path / "model.safetensors"
    save_file(model.state_dict(), str(path))
    loaded = load_weights(path.read_bytes(), "model.safetensors")
    assert loaded.file_format == "safetensors" and isinstance(loaded.head, SoftmaxHead)
    assert isinstance(loaded.recurrent, Stack if layers == 2 else LSTM)
    x = torch.randn(6, 1, 10, dtype=torch.float64)
    with torch.no_grad():
        h = model.lstm(x)[0]
        logits = model.fc(h)[:, 0].numpy()
    ours = loaded.recurrent.forward(x.numpy()[:, 0]).h
    np.testing.assert_allclose(ours, h[:, 0].numpy(), rtol=0, atol=1e-14)
    np.testing.assert_allclose(loaded.head.logits(ours), logits, rtol=0, atol=1e-14)


def test_float32_and_bfloat16_tensors_are_read_as_their_values(tmp_path):
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(2, 3)
    for dtype in (torch.float32, torch.bfloat16):
        state = {k: v.to(dtype) for k, v in lstm.state_dict().items()}
        path = tmp_path / f"{dtype}.safetensors"
        save_file(state, str(path))
        loaded = load_weights(path.read_bytes(), "m.safetensors")
        np.testing.assert_array_equal(loaded.recurrent.W, state["weight_ih_l0"].float().numpy().T)


def test_the_app_s_export_reads_back_exactly_and_in_torch(tmp_path):
    layer = LSTM.init(3, 4, seed=2, recurrent_activation="hard_sigmoid")
    for head in (SoftmaxHead.init(4, 5, seed=3), LinearHead.init(4, 1, seed=3)):
        data = to_safetensors(Model(layer, head))
        back = load_weights(data, "lstm_gate_lab.safetensors")
        np.testing.assert_array_equal(back.recurrent.W, layer.W)
        np.testing.assert_array_equal(back.recurrent.U, layer.U)
        assert back.recurrent.recurrent_activation.name == "hard_sigmoid"  # from the header's metadata
        assert type(back.head) is type(head)
        np.testing.assert_array_equal(back.head.Wy, head.Wy)
    path = tmp_path / "export.safetensors"
    path.write_bytes(to_safetensors(Model(LSTM.init(3, 4, seed=2), SoftmaxHead.init(4, 5, seed=3))))
    state = load_file(str(path))
    module = CharModel()
    module.lstm, module.fc = torch.nn.LSTM(3, 4), torch.nn.Linear(4, 5)
    module.load_state_dict({k: v.float() for k, v in state.items()})  # the names nn.Module expects


def _file(header: dict, body: bytes = b"", length: int | None = None) -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + body


GOOD = {"w": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]}}


@pytest.mark.parametrize(
    "data, says",
    [
        (b"\x01\x02", "8 bytes"),
        (_file(GOOD, bytes(32), length=2**40), "declares a header"),
        (struct.pack("<Q", 5) + b"{nope", "not JSON"),
        (_file([1, 2]), "not a table"),
        (_file({"w": {"dtype": "F64", "shape": [100000, 100000], "data_offsets": [0, 8]}}), "numbers"),
        (_file({"w": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]}}, bytes(8)), "do not match"),
        (_file({"w": {"dtype": "F64", "shape": [2], "data_offsets": [0, 24]}}, bytes(24)), "do not match"),
        (_file({"w": {"dtype": "F64", "shape": [-1], "data_offsets": [0, 8]}}, bytes(8)), "shape"),
        (_file({"w": {"dtype": "F64", "shape": [1], "data_offsets": [8, 0]}}, bytes(8)), "do not match"),
        (_file({"w": {"dtype": "STR", "shape": [1], "data_offsets": [0, 8]}}, bytes(8)), "STR values"),
        (
            _file(
                {
                    "a": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]},
                    "b": {"dtype": "F64", "shape": [2], "data_offsets": [8, 24]},
                },
                bytes(24),
            ),
            "share bytes",
        ),
    ],
)
def test_a_hostile_header_is_refused_before_any_tensor_is_read(data, says):
    with pytest.raises(FileRefused) as refusal:
        load_weights(data, "evil.safetensors", isolated=False)
    assert says in str(refusal.value)


def test_our_reader_agrees_with_the_safetensors_library_on_every_dtype():
    from safetensors.numpy import save

    arrays = {
        f"{dt}": np.arange(6, dtype=dt).reshape(2, 3) for dt in ("float64", "float32", "float16", "int32", "int8")
    }
    from lstm_core.readers.safetensors_file import read_safetensors

    data = save(arrays)
    ours, library = read_safetensors(data).arrays, load_numpy(data)
    for name in arrays:
        np.testing.assert_array_equal(ours[name], library[name])
        assert ours[name].dtype == library[name].dtype
