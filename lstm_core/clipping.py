"""Gradient clipping, the fix for exploding gradients.

By global norm (PyTorch's `clip_grad_norm_`): if ‖g‖ over all parameters together exceeds
`max_norm`, scale every gradient by max_norm/‖g‖, so the direction is kept.
By value (`clip_grad_value_`): clamp every entry to [−v, v], which can change the direction.
"""

from __future__ import annotations

import numpy as np

from .validation import check_number


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """‖g‖₂ over all arrays together."""
    return float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))


def clip_by_global_norm(grads: dict[str, np.ndarray], max_norm: float) -> tuple[dict[str, np.ndarray], float]:
    """Scaled copies of `grads` with global norm at most `max_norm`, and the norm before."""
    if check_number("max_norm", max_norm) <= 0:
        raise ValueError(f"max_norm must be a positive number, got {max_norm!r}.")
    norm = global_norm(grads)
    scale = min(1.0, max_norm / (norm + 1e-6))  # PyTorch's ε if np.isfinite(norm) else 0.0
    return {name: g * scale for name, g in grads.items()}, norm


def clip_by_value(grads: dict[str, np.ndarray], clip_value: float) -> dict[str, np.ndarray]:
    """Copies of `grads` with every entry clamped to [−clip_value, clip_value]."""
    if check_number("clip_value", clip_value) <= 0:
        raise ValueError(f"clip_value must be a positive number, got {clip_value!r}.")
    return {name: np.clip(g, -clip_value, clip_value) for name, g in grads.items()}
