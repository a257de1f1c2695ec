"""Reading recurrent weights from the files people have, without ever running code from them.

- PyTorch `.pt`/`.pth` (a state dict): `torch.load(..., weights_only=True)`, which refuses any
  pickle that would import or call something; torch is optional, and without it the error says
  how to enable it.
- Keras 3 `.weights.h5` and `.keras` archives: the HDF5 file is read with h5py (optional), and the
  archive's members are size-checked before anything is unpacked.
- NumPy `.npz`: `np.load(..., allow_pickle=False)`.
- JSON: an object of named matrices (nested lists of numbers).

npz and JSON may name the arrays as PyTorch does (`weight_ih_l0`, …), as Keras does (`kernel`,
`recurrent_kernel`, `bias`) or as the tutorials do (`Wf`, `bf`, …), with an optional softmax head
`Wy` (V, H), `by` (V,). Every failure is a ValueError that says what was wrong; nothing is kept
from a file that fails.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .heads import LinearHead, SoftmaxHead
from .lstm import LSTM
from .recurrent import RecurrentLayer
from .stack import Stack, from_torch
from .saving import TEXT_ENTRIES
from .validation import as_float_array

MAX_BYTES = 20 * 1024 * 1024  # the same limit as the upload widget's
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .keras archive may not expand beyond this
EXTENSIONS = (".pt", ".pth", ".weights.h5", ".h5", ".keras", ".npz", ".json")


@dataclass(frozen=True)
class LoadedWeights:
    """What a file held: the recurrent part, an output head if there was one, and a summary."""

    file_format: str  # "pytorch", "keras", "npz", "json"
    recurrent: RecurrentLayer | Stack
    head: SoftmaxHead | LinearHead | None
    layout: str  # "pytorch", "keras" or "tutorial": how the file named its arrays

    @property
    def layers(self) -> list[RecurrentLayer]:
        return list(self.recurrent.layers) if isinstance(self.recurrent, Stack) else [self.recurrent]

    def summary(self) -> list[dict[str, Any]]:
        return [
            {"layer": k, "kind": layer.KIND.upper(), "input_size": layer.input_size,
             "hidden_size": layer.hidden_size, "parameters": layer.parameter_count(),
             "recurrent_activation": layer.recurrent_activation.name}
            for k, layer in enumerate(self.layers)
        ]


def load_weights(data: bytes, filename: str) -> LoadedWeights:
    """Read `data` (the bytes of an uploaded file called `filename`)."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"The file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    if not data:
        raise ValueError("The file is empty.")
    name = filename.lower()
    if name.endswith((".pt", ".pth")):
        return _from_torch_file(data)
    if name.endswith(".keras"):
        return _from_keras_archive(data)
    if name.endswith(".h5"):
        return _from_keras_h5(data, recurrent_activation="sigmoid")
    if name.endswith(".npz"):
        return _from_arrays(_read_npz(data), "npz")
    if name.endswith(".json"):
        return _from_arrays(_read_json(data), "json")
    raise ValueError(f"Unknown file type {filename!r}: use one of {', '.join(EXTENSIONS)}.")


# ---- PyTorch ----------------------------------------------------------------------------------

def _from_torch_file(data: bytes) -> LoadedWeights:
    try:
        import torch
    except ImportError:
        raise ValueError(
            "Reading .pt/.pth files needs PyTorch, which is not installed here: "
            "pip install torch (or save the weights as .npz)."
        ) from None
    try:
        loaded = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds; none may reach the page
        text = str(error).splitlines()[0][:200]
        if "Weights only load failed" in str(error) or "Unsupported global" in str(error):
            raise ValueError(
                "This file contains Python objects, not just weights, and is refused: loading it "
                "could run code. Save `model.state_dict()` instead."
            ) from None
        raise ValueError(f"This is not a readable PyTorch file ({text}).") from None
    if not isinstance(loaded, Mapping):
        raise ValueError("The PyTorch file does not hold a state dict (a mapping of names to tensors).")
    if isinstance(loaded.get("state_dict"), Mapping):  # a training checkpoint around the weights
        loaded = loaded["state_dict"]
    return LoadedWeights("pytorch", from_torch(loaded), _torch_head(loaded), "pytorch")


def _torch_head(state: Mapping[str, Any]) -> SoftmaxHead | None:
    """A Linear layer after the LSTM (`fc.weight`/`fc.bias`, …) whose input width is H."""
    weights = {k: v for k, v in state.items() if str(k).endswith(".weight") and "_l" not in str(k)}
    for key, weight in weights.items():
        weight = np.asarray(weight.detach().cpu() if hasattr(weight, "detach") else weight)
        bias = state.get(key[: -len("weight")] + "bias")
        if weight.ndim == 2:
            return SoftmaxHead(weight, None if bias is None else np.asarray(bias.detach().cpu() if hasattr(bias, "detach") else bias))
    return None


# ---- Keras ------------------------------------------------------------------------------------

def _h5py():
    try:
        import h5py
    except ImportError:
        raise ValueError("Reading Keras .h5/.keras files needs h5py: pip install h5py.") from None
    return h5py


def _from_keras_archive(data: bytes) -> LoadedWeights:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist()}
    except zipfile.BadZipFile:
        raise ValueError("This is not a .keras archive (it is not a zip file).") from None
    if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
        raise ValueError("The .keras archive would unpack to more than 100 MB and is refused.")
    if "model.weights.h5" not in members:
        raise ValueError("The .keras archive has no model.weights.h5 inside.")
    recurrent_activation = "sigmoid"
    if "config.json" in members:
        try:
            config = json.loads(archive.read("config.json"))
            for layer in config.get("config", {}).get("layers", []):
                if layer.get("class_name") == "LSTM":
                    recurrent_activation = layer["config"].get("recurrent_activation", "sigmoid")
                    break
        except (ValueError, AttributeError, KeyError, TypeError):
            raise ValueError("The .keras archive's config.json is not valid.") from None
    return _from_keras_h5(archive.read("model.weights.h5"), recurrent_activation)


def _from_keras_h5(data: bytes, recurrent_activation: str) -> LoadedWeights:
    h5py = _h5py()
    try:
        handle = h5py.File(io.BytesIO(data), "r")
    except OSError:
        raise ValueError("This is not a readable HDF5 (.h5) file.") from None
    with handle:
        layers = handle.get("layers")
        if layers is None:
            raise ValueError("No Keras layers in this file (a Keras 3 .weights.h5 has a 'layers' group).")
        lstms, dense = [], None
        for name in layers:
            group = layers[name]
            cell = group.get("cell")
            variables = (cell or group).get("vars")
            if variables is None:
                continue
            arrays = [np.asarray(variables[str(k)]) for k in range(len(variables))]
            if cell is not None and len(arrays) in (2, 3) and arrays[1].ndim == 2 and arrays[1].shape[1] == 4 * arrays[1].shape[0]:
                lstms.append((name, arrays))
            elif cell is None and len(arrays) == 2 and arrays[0].ndim == 2 and dense is None:
                dense = arrays
    if not lstms:
        raise ValueError("No LSTM layer found in this Keras file.")
    layer_list = [LSTM.from_keras(arrays, recurrent_activation=recurrent_activation) for _, arrays in lstms]
    recurrent = layer_list[0] if len(layer_list) == 1 else Stack(layer_list)
    head = SoftmaxHead(dense[0].T, dense[1]) if dense is not None and dense[0].shape[0] == recurrent.hidden_size else None
    return LoadedWeights("keras", recurrent, head, "keras")


# ---- npz and JSON -----------------------------------------------------------------------------

def _with_config(recurrent: RecurrentLayer | Stack, config: dict[str, str]) -> RecurrentLayer | Stack:
    if isinstance(recurrent, Stack):
        return Stack([type(layer)(**layer.parameters(), **config) for layer in recurrent.layers])
    return type(recurrent)(**recurrent.parameters(), **config)


def _read_npz(data: bytes) -> dict[str, np.ndarray]:
    if not data.startswith(b"PK\x03\x04"):  # an .npz is a zip of .npy files
        raise ValueError("This is not a readable .npz file (it is not a NumPy archive).")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise ValueError("This .npz holds Python objects, not numbers, and is refused.") from None
        raise ValueError(f"This is not a readable .npz file ({error}).") from None
    except (OSError, zipfile.BadZipFile, EOFError, KeyError):
        raise ValueError("This is not a readable .npz file.") from None


def _read_json(data: bytes) -> dict[str, np.ndarray]:
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("This is not valid JSON text.") from None
    if not isinstance(content, dict) or not content:
        raise ValueError("The JSON must be an object of named matrices, e.g. {\"Wf\": [[…]], …}.")
    return {
        str(name): value if str(name) in TEXT_ENTRIES and isinstance(value, str) else as_float_array(str(name), value)
        for name, value in content.items()
    }


def _text_entries(arrays: dict[str, Any]) -> dict[str, str]:
    """Take out the activations and the head kind that this app's own files carry as text."""
    found = {}
    for name in TEXT_ENTRIES:
        value = arrays.pop(name, None)
        if value is None:
            continue
        value = value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value
        if not isinstance(value, str):
            raise ValueError(f"The entry {name!r} must be a text such as 'sigmoid', not numbers.")
        found[name] = value
    return found


def _from_arrays(arrays: Mapping[str, Any], file_format: str) -> LoadedWeights:
    arrays = dict(arrays)
    texts = _text_entries(arrays)
    config = {name: texts[name] for name in ("activation", "recurrent_activation") if name in texts}
    names = set(arrays)
    gates = {f"{kind}{gate}" for kind in "Wb" for gate in "fico"}
    if any(name.startswith("weight_ih_l") or ".weight_ih_l" in name for name in names):
        recurrent, layout = from_torch(arrays), "pytorch"
    elif {"kernel", "recurrent_kernel"} <= names:
        parts = [arrays["kernel"], arrays["recurrent_kernel"]] + ([arrays["bias"]] if "bias" in names else [])
        recurrent, layout = LSTM.from_keras(parts), "keras"
    elif gates <= names:
        recurrent, layout = LSTM.from_gates(**{k: arrays[k] for k in gates}), "tutorial"
    else:
        raise ValueError(
            "No LSTM weights recognised. Name the arrays as PyTorch (weight_ih_l0, weight_hh_l0, "
            "bias_ih_l0, bias_hh_l0), Keras (kernel, recurrent_kernel, bias) or the tutorials "
            f"(Wf, Wi, Wc, Wo, bf, bi, bc, bo). Found: {', '.join(sorted(names)[:12])}."
        )
    if config:  # get_activation says which names exist when one is unknown
        recurrent = _with_config(recurrent, config)
    head = None
    if "Wy" in names:
        kind = LinearHead if texts.get("head") == "linear" else SoftmaxHead
        head = kind(arrays["Wy"], arrays.get("by"))
        if head.hidden_size != recurrent.hidden_size:
            raise ValueError(
                f"Wy has {head.hidden_size} columns but the LSTM has hidden size {recurrent.hidden_size}."
            )
    return LoadedWeights(file_format, recurrent, head, layout)
