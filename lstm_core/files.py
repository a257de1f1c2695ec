"""Loading recurrent weights from the files people have, without ever running code from them.

- PyTorch `.pt`/`.pth` (a state dict, or a checkpoint around one), read with
  `torch.load(..., weights_only=True)`; torch is optional.
- Keras 3 `.weights.h5` and `.keras` archives (h5py is optional).
- NumPy `.npz` and JSON: an object of named matrices.

Reading the bytes is `lstm_core.readers`' job, run in a worker process by `lstm_core.isolation`
(no file of the server can be read, no crash or bomb reaches it); this module decides what the
numbers mean. npz and JSON may name the arrays as PyTorch does (`weight_ih_l0`, …), as Keras does
(`kernel`, `recurrent_kernel`, `bias`) or as the tutorials do (`Wf`, `bf`, …), with an optional
softmax head `Wy` (V, H), `by` (V,) or (V, 1). Every failure is a `FileRefused` (a ValueError) that
says what was wrong; nothing is kept from a file that fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .heads import LinearHead, SoftmaxHead
from .isolation import read_isolated
from .lstm import LSTM
from .readers import EXTENSIONS, MAX_BYTES, RawFile, read_untrusted
from .recurrent import RecurrentLayer
from .reference import TUTORIAL_ORDER
from .refusals import FileRefused
from .stack import Stack, from_torch
from .validation import BadArray

MAX_HIDDEN = 256  # the largest layer the pages draw (the sidebar's own limit)
MAX_WEIGHT = 1e6  # trained weights are far smaller; larger ones overflow the products in a step

__all__ = ["EXTENSIONS", "MAX_BYTES", "MAX_HIDDEN", "FileRefused", "LoadedWeights", "load_weights"]


@dataclass(frozen=True)
class LoadedWeights:
    """What a file held: the recurrent part, an output head if there was one, and a summary."""

    file_format: str  # "pytorch", "keras", "npz", "json"
    recurrent: RecurrentLayer | Stack
    head: SoftmaxHead | LinearHead | None
    layout: str  # "pytorch", "keras" or "tutorial": how the file named its arrays
    embedding: tuple[str, int, int] | None = None  # (name, V, D) of an embedding folded into layer 0

    @property
    def layers(self) -> list[RecurrentLayer]:
        return list(self.recurrent.layers) if isinstance(self.recurrent, Stack) else [self.recurrent]

    def summary(self) -> list[dict[str, Any]]:
        return [
            {
                "layer": k,
                "kind": layer.KIND.upper(),
                "input_size": layer.input_size,
                "hidden_size": layer.hidden_size,
                "parameters": layer.parameter_count(),
                "recurrent_activation": layer.recurrent_activation.name,
            }
            for k, layer in enumerate(self.layers)
        ]


def load_weights(data: bytes, filename: str, isolated: bool = True) -> LoadedWeights:
    """Read `data`, the bytes of an uploaded file called `filename`.

    `isolated` (the default, and what the Models page uses) parses the bytes in a worker process
    with memory and time limits; `isolated=False` parses them here, for files you trust.
    """
    raw = read_isolated(data, filename) if isolated else read_untrusted(data, filename)
    for name, array in raw.arrays.items():
        if (
            array.dtype.kind == "f"
            and array.size
            and np.isfinite(array).all()
            and (largest := float(np.abs(array).max())) > MAX_WEIGHT
        ):
            raise FileRefused("weight_too_large", name=name, value=largest, limit=MAX_WEIGHT)
    try:
        if raw.file_format in ("pytorch", "safetensors"):  # a state dict either way
            loaded = _from_torch_state(raw.arrays, raw.file_format, raw.texts)
        elif raw.file_format == "keras":
            loaded = _from_keras_vars(raw)
        else:
            loaded = _from_arrays(raw)
    except FileRefused:
        raise
    except BadArray as error:  # the core's checks of one array: said in the page's language
        raise FileRefused(f"array_{error.kind}", name=error.name, **error.values) from None
    except ValueError as error:  # the core's other checks (unknown activations, …)
        raise FileRefused("weights_wrong", detail=str(error)) from None
    _check_showable(loaded)
    return loaded


def _check_showable(loaded: LoadedWeights) -> None:
    """Refuse what would load but then break every page: layers wider than the pages draw, a head
    that does not read h."""
    for layer in loaded.layers:
        if layer.hidden_size > MAX_HIDDEN:
            raise FileRefused("hidden_too_large", hidden=layer.hidden_size, limit=MAX_HIDDEN)
    if loaded.head is not None and loaded.head.hidden_size != loaded.recurrent.hidden_size:
        raise FileRefused("head_mismatch", width=loaded.head.hidden_size, hidden=loaded.recurrent.hidden_size)


# ---- PyTorch ----------------------------------------------------------------------------------

_RECURRENT_KEY = re.compile(r"(weight|bias)_(ih|hh)_l\d+$")


def _from_torch_state(
    state: Mapping[str, np.ndarray], file_format: str = "pytorch", texts: Mapping[str, str] | None = None
) -> LoadedWeights:
    recurrent = from_torch(state)
    embedding = _torch_embedding(state, recurrent)
    if embedding is not None:
        recurrent = _fold_embedding(recurrent, state[embedding])
    config = _known_activations({k: v for k, v in (texts or {}).items() if k in ("activation", "recurrent_activation")})
    if config:  # nn.LSTM has sigmoid and tanh; this app's safetensors may name others
        recurrent = _with_config(recurrent, config)
    head = _torch_head({k: v for k, v in state.items() if k != embedding}, recurrent.hidden_size)
    if head is not None and (texts or {}).get("head") == "linear":  # this app's series model
        head = LinearHead(head.Wy, head.by)
    folded = None if embedding is None else (embedding, *state[embedding].shape)
    return LoadedWeights(file_format, recurrent, head, "pytorch", folded)


def _torch_embedding(state: Mapping[str, np.ndarray], recurrent: RecurrentLayer | Stack) -> str | None:
    """The key of an `nn.Embedding` in front of the first layer (the common char-RNN: embedding,
    lstm, fc): a 2-D `*.weight` named embed… or encoder… (PyTorch's word_language_model), with
    no bias, whose rows have the first layer's input size."""
    first = recurrent.layers[0] if isinstance(recurrent, Stack) else recurrent
    for key, value in state.items():
        name = key.lower()
        if (
            ("embed" in name or name.startswith("encoder."))
            and key.endswith(".weight")
            and not _RECURRENT_KEY.search(key)
            and key[: -len("weight")] + "bias" not in state
            and value.ndim == 2
            and value.shape[1] == first.input_size
        ):
            return key
    return None


def _fold_embedding(recurrent: RecurrentLayer | Stack, table: np.ndarray) -> RecurrentLayer | Stack:
    """Token k's embedding is row k of E (V, D), and it enters the first layer only through
    E[k] · W. So a one-hot x (V,) gives the same gates with W' = E · W (V, nH): the layer reads
    one-hot characters directly, and every page works as for a model without an embedding."""
    if isinstance(recurrent, Stack):
        first = recurrent.layers[0]
        return Stack([first.with_parameters(W=np.asarray(table, np.float64) @ first.W), *recurrent.layers[1:]])
    return recurrent.with_parameters(W=np.asarray(table, np.float64) @ recurrent.W)


def _torch_head(state: Mapping[str, np.ndarray], hidden_size: int) -> SoftmaxHead | LinearHead | None:
    """The last Linear layer that reads the LSTM's h (`fc.weight` (V, H) and `fc.bias`)."""
    heads = [
        key
        for key, value in state.items()
        if key.endswith(".weight")
        and not _RECURRENT_KEY.search(key)
        and value.ndim == 2
        and value.shape[1] == hidden_size
    ]
    if not heads:
        return None
    key = heads[-1]
    return SoftmaxHead(state[key], state.get(key[: -len("weight")] + "bias"))


# ---- Keras ------------------------------------------------------------------------------------


def _from_keras_vars(raw: RawFile) -> LoadedWeights:
    """Layers in file order: an LSTM has `cell/vars` [kernel (I, 4H), recurrent (H, 4H), bias];
    the first plain `vars` pair [kernel (H, V), bias] is a Dense head."""
    groups: dict[str, list[np.ndarray]] = {}
    for path, array in raw.arrays.items():
        groups.setdefault(path.rsplit("/", 1)[0], []).append(array)
    lstms, dense = [], None
    for path, arrays in groups.items():
        if (
            path.endswith("/cell/vars")
            and len(arrays) in (2, 3)
            and arrays[1].ndim == 2
            and arrays[1].shape[1] == 4 * arrays[1].shape[0]
        ):
            lstms.append(arrays)
        elif not path.endswith("/cell/vars") and len(arrays) == 2 and arrays[0].ndim == 2 and dense is None:
            dense = arrays
    if not lstms:
        raise FileRefused("no_keras_lstm")
    config = _known_activations(
        {
            "recurrent_activation": raw.texts.get("recurrent_activation", "sigmoid"),
            "activation": raw.texts.get("activation", "tanh"),
        }
    )
    layer_list = [LSTM.from_keras(arrays, **config) for arrays in lstms]
    recurrent = layer_list[0] if len(layer_list) == 1 else Stack(layer_list)
    head = (
        SoftmaxHead(dense[0].T, dense[1]) if dense is not None and dense[0].shape[0] == recurrent.hidden_size else None
    )
    return LoadedWeights("keras", recurrent, head, "keras")


# ---- npz and JSON -----------------------------------------------------------------------------


def _known_activations(config: dict[str, str]) -> dict[str, str]:
    """`config` when every activation it names is one this app computes, else a refusal naming it."""
    for role, name in config.items():
        if str(name).strip().lower() not in ACTIVATIONS:
            raise FileRefused(
                "unknown_activation", role=role, name=str(name)[:40], known=", ".join(sorted(ACTIVATIONS))
            )
    return config


def _with_config(recurrent: RecurrentLayer | Stack, config: dict[str, str]) -> RecurrentLayer | Stack:
    if isinstance(recurrent, Stack):
        return Stack([layer.with_parameters(**config) for layer in recurrent.layers])
    return recurrent.with_parameters(**config)


def _from_arrays(raw: RawFile) -> LoadedWeights:
    arrays, texts = dict(raw.arrays), raw.texts
    config = _known_activations({name: texts[name] for name in ("activation", "recurrent_activation") if name in texts})
    names = set(arrays)
    gates = {f"{kind}{gate}" for kind in "Wb" for gate in TUTORIAL_ORDER}
    if any(name.startswith("weight_ih_l") or ".weight_ih_l" in name for name in names):
        recurrent, layout = from_torch(arrays), "pytorch"
    elif {"kernel", "recurrent_kernel"} <= names:
        parts = [arrays["kernel"], arrays["recurrent_kernel"]] + ([arrays["bias"]] if "bias" in names else [])
        recurrent, layout = LSTM.from_keras(parts), "keras"
    elif gates <= names:
        tutorial: dict[str, Any] = {k: arrays[k] for k in gates}
        recurrent, layout = LSTM.from_gates(**tutorial), "tutorial"
    else:
        raise FileRefused("no_weights", found=", ".join(sorted(names)[:12]) or "nothing")
    if config:
        recurrent = _with_config(recurrent, config)
    head = None
    if "Wy" in names:
        kind = LinearHead if texts.get("head") == "linear" else SoftmaxHead
        by = arrays.get("by")
        if by is not None and by.ndim == 2 and by.shape[1] == 1:  # the tutorials' (n_y, 1) column
            by = by[:, 0]
        head = kind(arrays["Wy"], by)
    return LoadedWeights(raw.file_format, recurrent, head, layout)
