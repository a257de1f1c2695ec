"""Keras 3 `.weights.h5` and `.keras` (a zip of config.json and model.weights.h5).

An HDF5 file can point outside itself: a dataset may keep its raw data in an external file or
map other files in as a virtual dataset, and a link may name another file or path. Reading such
a dataset from an upload would read the server's own files (or, for a virtual dataset, crash
h5py), so every link is resolved by hand and every dataset's storage is checked before a single
value is read. Only the groups Keras writes are walked: `layers/<name>/vars/<k>` and
`layers/<name>/cell/vars/<k>`, with k = 0, 1, 2, …
"""

from __future__ import annotations

import io
import json

from ..refusals import FileRefused
from . import RawFile, ValueBudget
from .json_file import MAX_DEPTH, nesting_depth
from .zip_members import open_vetted_zip, read_member, short

MAX_UNPACKED = 100 * 1024 * 1024  # a .keras archive may not expand beyond this
MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_LAYERS = 256


def _h5py():
    try:
        import h5py
    except ImportError:
        raise FileRefused("no_h5py") from None
    return h5py


def read_keras_archive(data: bytes) -> RawFile:
    archive = open_vetted_zip(data, ".keras", MAX_UNPACKED)
    members = {info.filename: info for info in archive.infolist()}
    if "model.weights.h5" not in members:
        raise FileRefused("keras_no_weights")
    texts = {}
    if "config.json" in members:
        if members["config.json"].file_size > MAX_CONFIG_BYTES:
            raise FileRefused("keras_config", detail="it is larger than 2 MB")
        texts = _lstm_config(read_member(archive, "config.json", ".keras"))
    raw = read_keras_h5(read_member(archive, "model.weights.h5", ".keras"))
    raw.texts.update(texts)
    return raw


def _lstm_config(config_bytes: bytes) -> dict[str, str]:
    """The first LSTM layer's activations, as its config names them."""
    if nesting_depth(config_bytes) > MAX_DEPTH * 4:
        raise FileRefused("keras_config", detail="it is nested too deeply")
    try:
        config = json.loads(config_bytes.decode("utf-8-sig"))
        layers = config.get("config", {}).get("layers", [])
        for layer in layers:
            if layer.get("class_name") == "LSTM":
                options = layer.get("config", {})
                return {
                    name: str(options[name])[:64]
                    for name in ("activation", "recurrent_activation")
                    if isinstance(options.get(name), str)
                }
    except (ValueError, AttributeError, TypeError, RecursionError) as error:
        raise FileRefused("keras_config", detail=short(error)) from None
    return {}


def read_keras_h5(data: bytes) -> RawFile:
    h5py = _h5py()
    try:
        handle = h5py.File(io.BytesIO(data), "r")
    except Exception:  # h5py raises OSError, but a mangled superblock can raise others
        raise FileRefused("h5_unreadable") from None
    try:
        with handle:
            return _read_layers(h5py, handle)
    except FileRefused:
        raise
    except MemoryError:
        raise
    except Exception as error:  # KeyError, RuntimeError, TypeError … from a damaged file
        raise FileRefused("h5_damaged", detail=short(error)) from None


def _read_layers(h5py, handle) -> RawFile:
    layers = _child(h5py, handle, "layers", "layers")
    if not isinstance(layers, h5py.Group):
        raise FileRefused("h5_no_layers")
    names = list(layers.keys())
    if len(names) > MAX_LAYERS:
        raise FileRefused("h5_layout", detail=f"{len(names)} layers (at most {MAX_LAYERS} are read)")
    budget, raw = ValueBudget(), RawFile("keras")
    for name in names:
        group = _child(h5py, layers, name, f"layers/{name}")
        if not isinstance(group, h5py.Group):
            continue  # a dataset where a layer group should be holds no weights we read
        path = f"layers/{name}"
        cell = _child(h5py, group, "cell", f"{path}/cell")
        if isinstance(cell, h5py.Group):
            group, path = cell, f"{path}/cell"
        variables = _child(h5py, group, "vars", f"{path}/vars")
        if variables is None:
            continue
        if not isinstance(variables, h5py.Group):
            raise FileRefused("h5_layout", detail=f"{path}/vars is not a group")
        keys = sorted(variables.keys())
        if keys != sorted(str(k) for k in range(len(keys))):
            raise FileRefused("h5_layout", detail=f"{path}/vars holds {keys[:5]}, not 0, 1, 2, …")
        for k in range(len(keys)):
            dataset = _child(h5py, variables, str(k), f"{path}/vars/{k}")
            raw.arrays[f"{path}/vars/{k}"] = _read_dataset(h5py, dataset, f"{path}/vars/{k}", budget)
    return raw


def _child(h5py, group, name: str, path: str):
    """group[name], refusing any link that leaves the file's own objects."""
    link = group.get(name, getlink=True)
    if link is None:
        return None
    if isinstance(link, h5py.ExternalLink):
        raise FileRefused("h5_outside", name=path, how="an external link")
    if isinstance(link, h5py.SoftLink):
        raise FileRefused("h5_outside", name=path, how="a soft link")
    return group[name]


def _read_dataset(h5py, dataset, path: str, budget: ValueBudget):
    if not isinstance(dataset, h5py.Dataset):
        raise FileRefused("h5_layout", detail=f"{path} is not a dataset")
    if dataset.is_virtual:
        raise FileRefused("h5_outside", name=path, how="a virtual dataset")
    if dataset.id.get_create_plist().get_external_count() > 0:
        raise FileRefused("h5_outside", name=path, how="external storage")
    if dataset.dtype.kind not in "biuf":
        raise FileRefused("not_numbers", name=path, what=f"{dataset.dtype} values")
    if dataset.shape is None:
        raise FileRefused("h5_layout", detail=f"{path} is an empty dataset")
    budget.take(dataset.shape)
    if dataset.chunks is not None:
        ValueBudget().take(dataset.chunks)  # a chunk is decompressed whole
    return dataset[()]
