"""Reading PyTorch state dicts: which layers a dict holds, of what kind, under which prefix.

PyTorch names a recurrent layer's tensors `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`,
`bias_hh_l{k}`, possibly behind a module prefix (`encoder.lstm.weight_ih_l0`). The rows of
`weight_hh_l{k}` are (gates × H) and its columns H, so the ratio names the kind: 4 for an LSTM
(gates i, f, g, o), 3 for a GRU (r, z, n), 1 for a vanilla RNN.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .validation import as_float_array

_KEY = re.compile(r"^(?P<prefix>.*?)(?P<name>weight_ih|weight_hh|bias_ih|bias_hh)_l(?P<layer>\d+)$")
KIND_BY_GATES = {4: "lstm", 3: "gru", 1: "rnn"}


@dataclass(frozen=True)
class TorchLayer:
    """One layer's arrays from a state dict, in PyTorch's own shapes."""

    kind: str
    index: int
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias_ih: np.ndarray | None
    bias_hh: np.ndarray | None


def _as_numpy(value: Any) -> Any:
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value


def torch_layers(state_dict: Mapping[str, Any]) -> list[TorchLayer]:
    """Every recurrent layer in a PyTorch state dict, in order, with its kind detected.

    Raises ValueError for what this app cannot show faithfully: bidirectional layers
    (`_reverse` keys), LSTMs with a projection (`weight_hr`), several modules in one dict, or a
    dict with no recurrent layer at all.
    """
    if not isinstance(state_dict, Mapping):
        raise ValueError("A PyTorch state dict must be a mapping of names to arrays.")
    keys = [str(key) for key in state_dict]
    if any(key.endswith("_reverse") for key in keys):
        raise ValueError("Bidirectional layers (keys ending in '_reverse') are not supported.")
    if any(re.search(r"weight_hr_l\d+$", key) for key in keys):
        raise ValueError("LSTMs with a projection (proj_size, 'weight_hr' keys) are not supported.")
    found: dict[int, dict[str, Any]] = {}
    prefixes = set()
    for key in state_dict:
        match = _KEY.match(str(key))
        if match:
            prefixes.add(match["prefix"])
            found.setdefault(int(match["layer"]), {})[match["name"]] = _as_numpy(state_dict[key])
    if not found:
        raise ValueError(
            "No recurrent layer found: a PyTorch LSTM/GRU/RNN state dict has keys like "
            "'weight_ih_l0' and 'weight_hh_l0'."
        )
    if len(prefixes) > 1:
        raise ValueError(
            f"The state dict holds several recurrent modules ({sorted(prefixes)}); pass the entries of one of them."
        )
    if sorted(found) != list(range(len(found))):
        raise ValueError(f"Layer numbers must run 0, 1, 2, …; found {sorted(found)}.")
    return [_torch_layer(index, found[index]) for index in range(len(found))]


def _torch_layer(index: int, arrays: dict[str, Any]) -> TorchLayer:
    for name in ("weight_ih", "weight_hh"):
        if name not in arrays:
            raise ValueError(f"Layer {index} has no '{name}_l{index}' entry.")
    weight_ih = as_float_array(f"weight_ih_l{index}", arrays["weight_ih"])
    weight_hh = as_float_array(f"weight_hh_l{index}", arrays["weight_hh"])
    if weight_hh.ndim != 2 or weight_hh.shape[1] == 0 or weight_hh.shape[0] % weight_hh.shape[1]:
        raise ValueError(f"weight_hh_l{index} has shape {weight_hh.shape}; expected (gates × H, H).")
    gates = weight_hh.shape[0] // weight_hh.shape[1]
    if gates not in KIND_BY_GATES:
        raise ValueError(f"weight_hh_l{index} has {gates}×H rows: that is not an LSTM (4), GRU (3) or RNN (1).")
    biases = {
        name: as_float_array(f"{name}_l{index}", arrays[name]) if name in arrays else None
        for name in ("bias_ih", "bias_hh")
    }
    return TorchLayer(KIND_BY_GATES[gates], index, weight_ih, weight_hh, **biases)
