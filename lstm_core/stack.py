"""Stacked recurrent layers (PyTorch's `num_layers`): layer k reads the h sequence of layer k-1.

The forward pass returns one trace per layer, so every layer's gates can be shown; backward
sends each layer's dx down as the next layer's dh.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .gru import GRU
from .layouts import torch_layers
from .lstm import LSTM
from .recurrent import InputGradient, RecurrentLayer
from .rnn import RNN
from .validation import as_float_array, check_positive_int

LAYER_TYPES: dict[str, type[RecurrentLayer]] = {"lstm": LSTM, "gru": GRU, "rnn": RNN}


@dataclass(frozen=True)
class StackTrace:
    layers: list[Any]  # one LSTMTrace / GRUTrace / RNNTrace per layer, bottom first

    @property
    def h(self) -> np.ndarray:
        """The top layer's hidden states: what a head reads."""
        return self.layers[-1].h


@dataclass(frozen=True)
class StackGradients(InputGradient):
    """`dx` is the bottom layer's, computed when read (InputGradient)."""

    params: Stack
    layers: list[Any]  # per-layer gradients (with per-step dh, and dc for LSTMs)


class Stack:
    """Several recurrent layers of one kind, each feeding the next."""

    def __init__(self, layers: Sequence[RecurrentLayer]) -> None:
        if not layers:
            raise ValueError("A stack needs at least one layer.")
        kinds = {layer.KIND for layer in layers}
        if len(kinds) > 1:
            raise ValueError(f"All layers of a stack must be of one kind; got {sorted(kinds)}.")
        for k in range(1, len(layers)):
            if layers[k].input_size != layers[k - 1].hidden_size:
                raise ValueError(
                    f"Layer {k} expects input_size {layers[k].input_size} but layer {k - 1} "
                    f"outputs hidden_size {layers[k - 1].hidden_size}."
                )
        self.layers = list(layers)

    KIND = property(lambda self: self.layers[0].KIND)
    input_size = property(lambda self: self.layers[0].input_size)
    hidden_size = property(lambda self: self.layers[-1].hidden_size)

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        return f"Stack({self.layers!r})"

    @classmethod
    def init(
        cls,
        kind: str,
        input_size: int,
        hidden_size: int,
        num_layers: int,
        seed: int | None = 0,
        **options: Any,
    ) -> Stack:
        """`num_layers` fresh layers of `kind` ("lstm", "gru", "rnn"), seeds seed, seed+1, …"""
        num_layers = check_positive_int("num_layers", num_layers)
        layer_type = layer_class(kind)
        return cls(
            [
                layer_type.init(
                    input_size if k == 0 else hidden_size,
                    hidden_size,
                    seed=None if seed is None else seed + k,
                    **options,
                )
                for k in range(num_layers)
            ]
        )

    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> StackTrace:
        """h0/c0, when given, hold one initial state per layer: (L, H) or (L, B, H)."""
        h0s = self._per_layer("h0", h0)
        c0s = self._per_layer("c0", c0)
        traces, inputs = [], x
        for k, layer in enumerate(self.layers):
            trace = layer.forward(inputs, h0s[k], c0s[k])
            traces.append(trace)
            inputs = trace.h
        return StackTrace(traces)

    def __call__(self, x: Any, h0: Any = None, c0: Any = None) -> StackTrace:
        return self.forward(x, h0, c0)

    def _per_layer(self, name: str, value: Any) -> list[Any]:
        if value is None:
            return [None] * len(self.layers)
        states = as_float_array(name, value)
        if states.shape[0] != len(self.layers):
            raise ValueError(
                f"{name} must hold one state per layer ({len(self.layers)}), but its first axis has {states.shape[0]}."
            )
        return list(states)

    def backward(self, trace: StackTrace, dh: Any) -> StackGradients:
        """BPTT through every layer, top first; `dh` is the loss gradient on the top layer's h."""
        if not isinstance(trace, StackTrace) or len(trace.layers) != len(self.layers):
            raise ValueError(f"Stack.backward needs the StackTrace of this {len(self.layers)}-layer stack's forward.")
        grads: list[Any] = [None] * len(self.layers)
        upstream = dh
        for k in range(len(self.layers) - 1, -1, -1):
            grads[k] = self.layers[k].backward(trace.layers[k], upstream)
            upstream = grads[k].dx if k else None  # the layer below's dh; none below the first
        bottom = grads[0]
        return StackGradients(
            compute_dx=functools.partial(getattr, bottom, "dx"), params=Stack([g.params for g in grads]), layers=grads
        )

    def parameters(self) -> dict[str, np.ndarray]:
        return {
            f"l{k}.{name}": array for k, layer in enumerate(self.layers) for name, array in layer.parameters().items()
        }

    def parameter_count(self) -> int:
        return sum(layer.parameter_count() for layer in self.layers)

    def copy(self) -> Stack:
        return Stack([layer.copy() for layer in self.layers])

    def to_torch(self) -> dict[str, np.ndarray]:
        merged: dict[str, np.ndarray] = {}
        for k, layer in enumerate(self.layers):
            merged.update(layer.to_torch(layer=k))
        return merged

    @classmethod
    def from_torch(cls, state_dict: Mapping[str, Any], **config: Any) -> Stack:
        layers = torch_layers(state_dict)
        return cls([LAYER_TYPES[found.kind].from_torch_layer(found, **config) for found in layers])


def layer_class(kind: str) -> type[RecurrentLayer]:
    key = str(kind).strip().lower()
    if key not in LAYER_TYPES:
        raise ValueError(f"Unknown layer kind {kind!r}; choose one of {sorted(LAYER_TYPES)}.")
    return LAYER_TYPES[key]


def from_torch(state_dict: Mapping[str, Any], **config: Any) -> RecurrentLayer | Stack:
    """Whatever a PyTorch state dict holds: one LSTM/GRU/RNN layer, or a Stack of several."""
    stack = Stack.from_torch(state_dict, **config)
    return stack.layers[0] if len(stack) == 1 else stack
