"""Activation functions by their Keras names, each with its derivative.

Every activation is an `Activation` with `forward(z, out=None)` (out may be passed by position,
so the LSTM loop can call np.tanh itself with no wrapper in between) and `derivative(z, a,
out=None)`, where `a = forward(z)`. The derivative takes both because the cheap form differs:
sigmoid and tanh are cheapest from their output (a(1-a), 1-a², and z may then be None), the
piecewise ones from their input. `out` lets the backward pass write the slopes where it uses them
instead of into fresh memory.

Two hard sigmoids exist in the wild and students meet both:
- Keras 3 (`hard_sigmoid`): relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1), slope 1/6.
- Keras 2 and the classic LSTMCell docstring (`hard_sigmoid_keras2`): clip(0.2x + 0.5, 0, 1),
  slope 0.2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

ArrayFn = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Activation:
    """A named elementwise function with its derivative and the range the derivative spans."""

    name: str
    forward: ArrayFn
    derivative: Callable[..., np.ndarray]
    derivative_max: float

    def __call__(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return self.forward(z, out=out)

    def __reduce__(self):
        """Pickle by name: the hard_sigmoid functions are closures, which pickle cannot store,
        and a layer must pickle (Streamlit's cache and multiprocessing copy models that way)."""
        return get_activation, (self.name,)


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(z) = 1 / (1 + e^-z), computed as 0.5·tanh(z/2) + 0.5.

    The tanh form never overflows (no warnings at |z| = 1e4), needs no branch on the sign of z,
    and is the same function to float round-off.
    """
    out = np.multiply(z, 0.5, out)
    np.tanh(out, out)
    out *= 0.5
    out += 0.5
    return out


def sigmoid_derivative(z: np.ndarray | None, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ'(z) = σ(z)(1 - σ(z)): at most 0.25, at z = 0."""
    out = np.subtract(1.0, a, out)  # out by position: a keyword costs a tenth of a microsecond a call
    return np.multiply(out, a, out)


def tanh_derivative(z: np.ndarray | None, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """tanh'(z) = 1 - tanh²(z): at most 1, at z = 0."""
    out = np.multiply(a, a, out)
    return np.subtract(1.0, out, out)


def _hard_sigmoid_with_slope(slope: float) -> tuple[ArrayFn, Callable]:
    """clip(slope·z + 0.5, 0, 1) and its derivative (slope inside the ramp, 0 outside)."""
    half_width = 0.5 / slope

    def forward(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        out = np.multiply(z, slope, out=out)
        out += 0.5
        return np.clip(out, 0.0, 1.0, out=out)

    def derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        # Open interval, as autograd differentiates relu6/hardtanh at the corners.
        inside = (z > -half_width) & (z < half_width)
        return np.multiply(inside, slope, out=out, dtype=np.result_type(z, np.float32))

    return forward, derivative


def linear(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        return np.array(z, copy=True)
    np.copyto(out, z)
    return out


def linear_derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        return np.ones_like(z)
    out[...] = 1.0
    return out


def relu(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(z, 0.0, out=out)


def relu_derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.greater(z, 0, out=out if out is not None else np.empty_like(z))


_hard_sigmoid_keras3 = _hard_sigmoid_with_slope(1.0 / 6.0)
_hard_sigmoid_keras2 = _hard_sigmoid_with_slope(0.2)

ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, 0.25),
    "tanh": Activation("tanh", np.tanh, tanh_derivative, 1.0),
    "hard_sigmoid": Activation("hard_sigmoid", *_hard_sigmoid_keras3, 1.0 / 6.0),
    "hard_sigmoid_keras2": Activation("hard_sigmoid_keras2", *_hard_sigmoid_keras2, 0.2),
    "linear": Activation("linear", linear, linear_derivative, 1.0),
    "relu": Activation("relu", relu, relu_derivative, 1.0),
}


def get_activation(name: str | Activation) -> Activation:
    """The activation called `name` (Keras spelling); ValueError listing the known names."""
    if isinstance(name, Activation):
        return name
    key = str(name).strip().lower()
    if key not in ACTIVATIONS:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"Unknown activation {name!r}. Choose one of: {known}.")
    return ACTIVATIONS[key]
