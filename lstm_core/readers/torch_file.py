"""PyTorch `.pt`/`.pth`: a state dict, read with `torch.load(weights_only=True)`, which refuses any
pickle that would import or call something.

`weights_only` stops code, not bombs: storages may be deflated (a 0.5 MB file holding 64 M
numbers), a tensor may repeat one value through a zero stride, and a pickle may build nested
lists that share themselves. So the zip directory is vetted before loading, only tensors are
accepted in the state dict, and each tensor's metadata (layout, dtype, strides, storage size) is
checked before its values are copied. Half-precision tensors (bfloat16, float16, float8) are
widened to float32, as people often save that way.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ..refusals import FileRefused
from . import RawFile, ValueBudget
from .zip_members import open_vetted_zip, short

MAX_UNPACKED = 64 * 1024 * 1024
MAX_ENTRIES = 10_000
CHECKPOINT_KEYS = ("state_dict", "model_state_dict", "model")  # dicts around the weights


def read_torch(data: bytes) -> RawFile:
    if data.startswith(b"PK"):
        open_vetted_zip(data, ".pt", MAX_UNPACKED)
    elif not data.startswith(b"\x80"):  # the legacy format is a pickle, protocol 2 or later
        raise FileRefused("not_torch")
    try:
        import torch
    except ImportError:
        raise FileRefused("no_torch") from None
    try:
        loaded = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except MemoryError:
        raise
    except Exception as error:  # torch raises many kinds; none may reach the page
        if "Weights only load failed" in str(error) or "Unsupported global" in str(error):
            raise FileRefused("torch_code") from None
        raise FileRefused("torch_unreadable", detail=short(error)) from None
    state = _state_dict(torch, loaded)
    budget, raw = ValueBudget(), RawFile("pytorch")
    for key, value in state.items():
        raw.arrays[str(key)[:200]] = _tensor_values(torch, str(key)[:200], value, budget)
    return raw


def _state_dict(torch, loaded: Any) -> Mapping[str, Any]:
    if not isinstance(loaded, Mapping):
        raise FileRefused("torch_not_dict")
    if not any(isinstance(value, torch.Tensor) for value in loaded.values()):
        for key in CHECKPOINT_KEYS:  # a training checkpoint: {"state_dict": …, "epoch": 3}
            if isinstance(loaded.get(key), Mapping):
                loaded = loaded[key]
                break
    if len(loaded) > MAX_ENTRIES:
        raise FileRefused("torch_tensor", name="…", detail=f"the state dict has {len(loaded)} entries")
    return loaded


def _tensor_values(torch, name: str, tensor: Any, budget: ValueBudget):
    def refuse(detail: str):
        return FileRefused("torch_tensor", name=name, detail=detail)

    if not isinstance(tensor, torch.Tensor):
        raise refuse(f"it is a {type(tensor).__name__}, not a tensor")
    if tensor.layout != torch.strided:
        raise refuse(f"it is a {str(tensor.layout).removeprefix('torch.')} tensor; save it dense")
    if tensor.device.type == "meta":
        raise refuse("it is a meta tensor, which has no values")
    if tensor.is_quantized:
        raise refuse("it is quantized; save the float model (tensor.dequantize())")
    if tensor.is_complex():
        raise refuse("it holds complex numbers")
    count = budget.take(tuple(tensor.shape))
    if any(stride == 0 and size > 1 for stride, size in zip(tensor.stride(), tensor.shape)):
        raise refuse("it repeats one value through a zero stride")
    extent = tensor.storage_offset() + sum((size - 1) * stride for size, stride in zip(tensor.shape, tensor.stride()))
    if count and (extent + 1) * tensor.element_size() > tensor.untyped_storage().nbytes():
        raise refuse("it reaches beyond its storage")
    if count and count * tensor.element_size() > tensor.untyped_storage().nbytes():
        raise refuse("its elements overlap")
    if tensor.dtype.is_floating_point and tensor.dtype not in (torch.float32, torch.float64):
        tensor = tensor.float()  # bfloat16, float16, float8: NumPy has no such type
    return tensor.detach().contiguous().numpy().copy()
