"""Builders of hostile weights files, one per attack the upload path must survive.

Each builder returns (bytes, file name). They are made with the real libraries (h5py, torch,
zipfile, numpy), as an attacker would make them; the tests in test_hostile_files.py upload them.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import zipfile

import h5py
import numpy as np
import torch

from lstm_core import LSTM, Model, SoftmaxHead
from lstm_core.saving import to_json, to_keras_h5, to_npz, to_torch_file

SERVER_FILES = ("/etc/passwd", "/proc/self/environ", "app.py")


def small_model() -> Model:
    return Model(LSTM.init(3, 4, seed=0), SoftmaxHead.init(4, 3, seed=1))


def valid_files() -> dict[str, bytes]:
    """One good file per format: the seeds of the mutation fuzz."""
    model = small_model()
    return {
        "m.npz": to_npz(model, "pytorch"),
        "m.json": to_json(model, "tutorial"),
        "m.pt": to_torch_file(model),
        "m.weights.h5": to_keras_h5(model),
        "m.keras": keras_archive(to_keras_h5(model)),
    }


def keras_archive(weights_h5: bytes, config: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "config.json",
            config
            if config is not None
            else json.dumps({"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {}}]}}),
        )
        archive.writestr("model.weights.h5", weights_h5)
    return buffer.getvalue()


def keras_h5_with_kernel(make_kernel) -> bytes:
    """A Keras 3 weights file whose recurrent kernel dataset is made by `make_kernel(vars_group)`."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        cell = handle.create_group("layers/lstm/cell/vars")
        cell.create_dataset("0", data=np.zeros((3, 16)))
        make_kernel(cell)
        cell.create_dataset("2", data=np.zeros(16))
    return buffer.getvalue()


def external_storage(path: str) -> bytes:
    return keras_h5_with_kernel(
        lambda cell: cell.create_dataset("1", shape=(4, 16), dtype="u1", external=[(path, 0, 64)])
    )


def virtual_dataset() -> bytes:
    def make(cell):
        layout = h5py.VirtualLayout(shape=(4, 16), dtype="f8")
        layout[:] = h5py.VirtualSource("elsewhere.h5", "data", shape=(4, 16))
        cell.create_virtual_dataset("1", layout, fillvalue=0)

    return keras_h5_with_kernel(make)


def linked(kind: str) -> bytes:
    def make(cell):
        cell.file.create_dataset("kernel_data", data=np.zeros((4, 16)))
        cell["1"] = h5py.SoftLink("/kernel_data") if kind == "soft" else h5py.ExternalLink("/etc/passwd", "/data")

    return keras_h5_with_kernel(make)


def unwritten_chunked() -> bytes:
    """A 10^5 × 10^5 dataset that was never written: a few KB that read as 80 GB of zeros."""
    return keras_h5_with_kernel(
        lambda cell: cell.create_dataset("1", shape=(100_000, 100_000), dtype="f8", chunks=(1000, 1000))
    )


def gzip_chunks() -> bytes:
    return keras_h5_with_kernel(
        lambda cell: cell.create_dataset(
            "1", data=np.zeros((4000, 4000)), chunks=(1000, 4000), compression="gzip", compression_opts=9
        )
    )


def npz_declaring(shape: tuple[int, ...]) -> bytes:
    """An .npz whose one member's header declares `shape` float64 values and holds none."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": shape})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("weight_ih_l0.npy", header.getvalue() + b"\x00" * 64)
    return buffer.getvalue()


def deflated_npz(values: int) -> bytes:
    """A real .npz of `values` zeros, deflated: a few MB on the wire, 8 bytes a value unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("weight_ih_l0.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False, "shape": (values,)})
            chunk = bytes(2**22)
            for _ in range(values * 8 // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def torch_file(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def deflated_torch(values: int) -> bytes:
    """torch.save's zip with every member deflated: torch reads it, and the storages unpack."""
    plain = zipfile.ZipFile(io.BytesIO(torch_file({"weight_ih_l0": torch.zeros(values)})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in plain.infolist():
            archive.writestr(info.filename, plain.read(info.filename))
    return buffer.getvalue()


def zero_stride(shape: tuple[int, int]) -> bytes:
    return torch_file({"weight_ih_l0": torch.zeros(1).expand(*shape), "weight_hh_l0": torch.zeros(16, 4)})


def billion_laughs(levels: int = 9) -> bytes:
    """Nested lists that share themselves: tiny in the pickle, 10^levels entries when walked."""
    nested: list = [0.0] * 10
    for _ in range(levels - 1):
        nested = [nested] * 10
    return torch_file({"weight_ih_l0": nested, "weight_hh_l0": torch.zeros(16, 4)})


def torch_lstm_state(dtype=torch.float32) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return {k: v.to(dtype) for k, v in torch.nn.LSTM(3, 4).state_dict().items()}


def deep_json(depth: int) -> bytes:
    return b'{"Wf": ' + b"[" * depth + b"1" + b"]" * depth + b"}"


def zip_with_flags(data: bytes, *, encrypted=False, method=None, bad_crc=False) -> bytes:
    """Rewrite every local header and central directory entry of a zip archive."""
    out = bytearray(data)
    for signature, flag_at, method_at, crc_at in ((b"PK\x03\x04", 6, 8, 14), (b"PK\x01\x02", 8, 10, 16)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if encrypted:
                out[start + flag_at] |= 0x1
            if method is not None:
                out[start + method_at : start + method_at + 2] = struct.pack("<H", method)
            if bad_crc:
                crc = struct.unpack_from("<I", out, start + crc_at)[0]
                struct.pack_into("<I", out, start + crc_at, crc ^ 0xFFFF)
            start += 4
    return bytes(out)


def h5_with(make) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        make(handle)
    return buffer.getvalue()


def huge_weights() -> bytes:
    state = LSTM.init(3, 4, seed=0).to_torch()
    state["weight_hh_l0"][:] = 1.7e308
    buffer = io.BytesIO()
    np.savez(buffer, **state)
    return buffer.getvalue()


def raw_pickle_bytes() -> bytes:
    return pickle.dumps({"weight_ih_l0": [1.0]}, protocol=4)
