"""SGD and Adam, updating named parameter arrays in place.

Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with the
bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), as torch.optim.Adam computes it.
"""

from __future__ import annotations

import numpy as np

from .validation import check_number


def _check_learning_rate(lr: float) -> float:
    if check_number("The learning rate", lr) <= 0:
        raise ValueError(f"The learning rate must be a positive number, got {lr!r}.")
    return float(lr)


class SGD:
    """θ ← θ − lr·v with v ← momentum·v + g (PyTorch's form; momentum 0 is plain SGD)."""

    def __init__(self, lr: float = 0.1, momentum: float = 0.0) -> None:
        self.lr = _check_learning_rate(lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}.")
        self.momentum = momentum
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        for name, param in params.items():
            update = grads[name]
            if self.momentum:
                velocity = self.velocity.setdefault(name, np.zeros_like(param))
                velocity *= self.momentum
                velocity += update
                update = velocity
            param -= self.lr * update


class Adam:
    def __init__(self, lr: float = 0.01, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr = _check_learning_rate(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta!r}.")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.steps = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.steps += 1
        correction1 = 1.0 - self.beta1**self.steps
        correction2 = 1.0 - self.beta2**self.steps
        for name, param in params.items():
            g = grads[name]
            m = self.m.setdefault(name, np.zeros_like(param))
            v = self.v.setdefault(name, np.zeros_like(param))
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            param -= (self.lr / correction1) * m / (np.sqrt(v / correction2) + self.eps)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name: str, lr: float, **options: float) -> SGD | Adam:
    key = str(name).strip().lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}.")
    return OPTIMIZERS[key](lr, **options)
