"""Writing a model (an LSTM layer and its head) into the files people load elsewhere.

Every writer's output reads back with `files.load_weights` to the same numbers:

- `.npz` and JSON in one of the three layouts (`pytorch`, `keras`, `tutorial`), with the head
  as the tutorials name it (`Wy` (V, H), `by` (V,)) and the activations and head kind as text
  entries, so a hard_sigmoid model or a series model comes back as it left;
- a PyTorch state dict (`.pt`) of a module with `lstm = nn.LSTM(...)` and `fc = nn.Linear(...)`,
  which `torch.load(..., weights_only=True)` accepts (torch is optional at run time);
- a Keras 3 `.weights.h5` of `Sequential([Input((None, I)), LSTM(H, return_sequences=True),
  Dense(V)])`, which `model.load_weights` accepts (h5py is optional at run time).
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from .heads import DenseHead, LinearHead
from .lstm import LSTM
from .training import Model

LAYOUTS = ("pytorch", "keras", "tutorial")
TEXT_ENTRIES = ("activation", "recurrent_activation", "head")  # strings, not matrices


def lstm_layer(model: Model) -> LSTM:
    if not isinstance(model.recurrent, LSTM):
        raise ValueError("Only a single LSTM layer can be written to a file here.")
    return model.recurrent


def runs_in_nn_lstm(layer: LSTM) -> bool:
    """PyTorch's nn.LSTM has sigmoid gates and a tanh candidate, and no way to choose others."""
    return layer.config() == {"activation": "tanh", "recurrent_activation": "sigmoid"}


def head_kind(head: DenseHead) -> str:
    return "linear" if isinstance(head, LinearHead) else "softmax"


def weight_arrays(model: Model, layout: str) -> dict[str, np.ndarray]:
    """The model's matrices named as `layout` names them, plus the head's `Wy`, `by`."""
    layer = lstm_layer(model)
    if layout == "pytorch":
        arrays = layer.to_torch()
    elif layout == "keras":
        arrays = dict(zip(("kernel", "recurrent_kernel", "bias"), layer.to_keras()))
    elif layout == "tutorial":
        arrays = layer.to_gates(column_biases=True)
    else:
        raise ValueError(f"Unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}.")
    arrays["Wy"] = model.head.Wy.copy()
    arrays["by"] = model.head.by.copy()
    return arrays


def _text_entries(model: Model) -> dict[str, str]:
    layer = lstm_layer(model)
    return {**layer.config(), "head": head_kind(model.head)}


def to_npz(model: Model, layout: str) -> bytes:
    """An `.npz` that `np.load(..., allow_pickle=False)` reads: numbers and three short texts."""
    buffer = io.BytesIO()
    entries: dict[str, Any] = dict(weight_arrays(model, layout))
    entries.update({name: np.array(value) for name, value in _text_entries(model).items()})
    np.savez(buffer, **entries)
    return buffer.getvalue()


def to_json(model: Model, layout: str) -> bytes:
    """The same as a JSON object of nested lists; floats keep all 17 significant digits."""
    content: dict[str, Any] = {name: array.tolist() for name, array in weight_arrays(model, layout).items()}
    content.update(_text_entries(model))
    return json.dumps(content, indent=1).encode("utf-8")


def to_torch_file(model: Model) -> bytes:
    """A state dict for `nn.Module` with `lstm` (nn.LSTM, batch_first=False) and `fc` (nn.Linear)."""
    try:
        import torch
    except ImportError:
        raise ValueError("Writing a PyTorch .pt file needs torch: pip install torch.") from None
    layer = lstm_layer(model)
    if not runs_in_nn_lstm(layer):
        raise ValueError(
            "nn.LSTM only has sigmoid gates and a tanh candidate; this model uses "
            f"{layer.recurrent_activation.name}/{layer.activation.name}. Use the .npz or JSON file."
        )
    state = {f"lstm.{name}": torch.from_numpy(array) for name, array in layer.to_torch().items()}
    state["fc.weight"] = torch.from_numpy(model.head.Wy.copy())
    state["fc.bias"] = torch.from_numpy(model.head.by.copy())
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def to_safetensors(model: Model) -> bytes:
    """The .pt file's state dict (`lstm.weight_ih_l0`, …, `fc.weight`, `fc.bias`) as safetensors:
    no pickle, no code, readable by `safetensors.torch.load_file` and Hugging Face tools; the
    activations ride in the header's metadata, since a state dict does not name them."""
    from safetensors.numpy import save

    layer = lstm_layer(model)
    state = {f"lstm.{name}": np.ascontiguousarray(array) for name, array in layer.to_torch().items()}
    state["fc.weight"] = np.ascontiguousarray(model.head.Wy)
    state["fc.bias"] = np.ascontiguousarray(model.head.by)
    metadata = {"format": "pt", **_text_entries(model)}
    return save(state, metadata=metadata)


def to_keras_h5(model: Model) -> bytes:
    """A Keras 3 weights file: layers/lstm/cell/vars/{0,1,2} and layers/dense/vars/{0,1}."""
    try:
        import h5py
    except ImportError:
        raise ValueError("Writing a Keras .weights.h5 file needs h5py: pip install h5py.") from None
    kernel, recurrent_kernel, bias = lstm_layer(model).to_keras()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        handle.create_group("vars").attrs["name"] = "sequential"
        layers = handle.create_group("layers")
        lstm = layers.create_group("lstm")
        lstm.create_group("vars").attrs["name"] = "lstm"
        cell = lstm.create_group("cell").create_group("vars")
        cell.attrs["name"] = "lstm_cell"
        for k, array in enumerate((kernel, recurrent_kernel, bias)):
            cell.create_dataset(str(k), data=array)
        dense = layers.create_group("dense").create_group("vars")
        dense.attrs["name"] = "dense"
        dense.create_dataset("0", data=model.head.Wy.T)
        dense.create_dataset("1", data=model.head.by)
    return buffer.getvalue()
