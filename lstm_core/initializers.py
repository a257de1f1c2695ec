"""Seeded weight initializers, named and defined as Keras defines them.

Each initializer is `fn(shape, rng) -> array`. The same seed gives the same weights on every
machine because everything draws from one `numpy.random.Generator`.

Keras's LSTM defaults: kernel glorot_uniform, recurrent_kernel orthogonal (one (H, 4H) matrix
with orthonormal rows, not four orthogonal gate blocks), bias zeros with `unit_forget_bias=True`
(the forget gate's bias starts at 1, so with W x + U h ≈ 0 the sigmoid gate is f ≈ σ(1) ≈ 0.73
and the cell remembers by default). PyTorch's default (`pytorch_uniform`): every weight and both
biases uniform in ±1/√H. `orthogonal_per_gate` (each H×H gate block orthogonal on its own) is
neither framework's default; it is kept under its own name because it starts every gate with the
same gain.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[tuple[int, ...], np.random.Generator], np.ndarray]


def glorot_uniform(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Uniform in ±√(6 / (fan_in + fan_out)); for a 1-D shape fan_in = fan_out = its length."""
    fan_in, fan_out = (shape[0], shape[-1]) if len(shape) > 1 else (shape[0], shape[0])
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """A (semi-)orthogonal matrix from the QR decomposition of a normal matrix (Saxe et al.),
    step for step as `keras.initializers.Orthogonal` computes it.

    Keras uses this for the recurrent kernel, drawn as one (H, 4H) matrix: its rows are
    orthonormal (U Uᵀ = I), so each gate's H×H block alone is smaller than orthogonal.
    """
    rows = int(np.prod(shape[:-1])) if len(shape) > 1 else shape[0]
    cols = shape[-1] if len(shape) > 1 else 1
    flat = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))  # makes the decomposition unique, so the result is uniform
    if rows < cols:
        q = q.T
    return q[:rows, :cols].reshape(shape)


def orthogonal_per_gate(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """One orthogonal H×H matrix per gate block of an (H, n·H) recurrent kernel (U_g U_gᵀ = I for
    every gate g). Not Keras's default (see `orthogonal`), but each gate starts with gain 1."""
    rows, cols = shape
    if cols % rows:
        raise ValueError(f"orthogonal_per_gate needs a shape (H, n·H), got {shape}.")
    return np.concatenate([orthogonal((rows, rows), rng) for _ in range(cols // rows)], axis=1)


def zeros(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    return np.zeros(shape)


def ones(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    return np.ones(shape)


def random_normal(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Normal with mean 0 and standard deviation 0.05 (Keras's RandomNormal defaults)."""
    return rng.normal(0.0, 0.05, size=shape)


def random_uniform(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Uniform in ±0.05 (Keras's RandomUniform defaults)."""
    return rng.uniform(-0.05, 0.05, size=shape)


def pytorch_uniform(hidden_size: int) -> Initializer:
    """PyTorch's recurrent-layer default: uniform in ±1/√hidden_size for weights and biases."""
    bound = 1.0 / np.sqrt(hidden_size)

    def initialize(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(-bound, bound, size=shape)

    return initialize


INITIALIZERS: dict[str, Initializer] = {
    "glorot_uniform": glorot_uniform,
    "orthogonal": orthogonal,
    "orthogonal_per_gate": orthogonal_per_gate,
    "zeros": zeros,
    "ones": ones,
    "random_normal": random_normal,
    "random_uniform": random_uniform,
}

INITIALIZER_NAMES = (*INITIALIZERS, "pytorch_uniform")


def get_initializer(name: str, hidden_size: int) -> Initializer:
    """The initializer called `name`; ValueError listing the known names."""
    key = str(name).strip().lower()
    if key == "pytorch_uniform":
        return pytorch_uniform(hidden_size)
    if key not in INITIALIZERS:
        raise ValueError(f"Unknown initializer {name!r}. Choose one of: {', '.join(INITIALIZER_NAMES)}.")
    return INITIALIZERS[key]
