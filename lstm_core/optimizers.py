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
    """m and v of every parameter live side by side in two flat arrays (`m` and `v` by name are
    views into them), so a step is about twenty numpy calls on whole arrays, in place, whatever
    the number of parameters (an LSTM with a head has six), where it was a dozen calls per
    parameter, several of them making a temporary array."""

    def __init__(self, lr: float = 0.01, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr = _check_learning_rate(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta!r}.")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.steps = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self._layout: tuple[tuple[str, tuple[int, ...]], ...] = ()
        self._flat_m = self._flat_v = self._flat_g = self._scratch = np.empty(0)

    def _arrange(self, params: dict[str, np.ndarray]) -> None:
        """Flat m, v and gradient arrays for these parameters; a parameter seen before keeps its
        m and v, a new one starts at zero (as a fresh Adam would)."""
        layout = tuple((name, param.shape) for name, param in params.items())
        if layout == self._layout:
            return
        size = sum(param.size for param in params.values())
        dtype = np.result_type(*params.values()) if params else np.float64
        flat_m, flat_v = np.zeros(size, dtype=dtype), np.zeros(size, dtype=dtype)
        m, v, start = {}, {}, 0
        for name, shape in layout:
            stop = start + int(np.prod(shape, dtype=np.int64))
            m[name], v[name] = flat_m[start:stop].reshape(shape), flat_v[start:stop].reshape(shape)
            if name in self.m and self.m[name].shape == shape:
                m[name][...], v[name][...] = self.m[name], self.v[name]
            start = stop
        self.m, self.v, self._flat_m, self._flat_v = m, v, flat_m, flat_v
        self._flat_g, self._scratch = np.empty(size, dtype=dtype), np.empty(size, dtype=dtype)
        self._layout = layout

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self._arrange(params)
        self.steps += 1
        correction1 = 1.0 - self.beta1**self.steps
        correction2 = 1.0 - self.beta2**self.steps
        for name, param in params.items():
            if grads[name].shape != param.shape:
                raise ValueError(
                    f"The gradient of {name} has shape {grads[name].shape}, but the parameter has {param.shape}."
                )
        g, m, v, scratch = self._flat_g, self._flat_m, self._flat_v, self._scratch
        if g.size:
            np.concatenate([grads[name].reshape(-1) for name in params], out=g)
        # In place, in the same order of operations as the formula above (so the same bits): a
        # temporary this size would be fresh memory from the operating system on every step.
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=scratch)
        m += scratch
        v *= self.beta2
        np.multiply(g, 1.0 - self.beta2, out=scratch)
        scratch *= g
        v += scratch
        np.divide(v, correction2, out=scratch)
        np.sqrt(scratch, out=scratch)
        scratch += self.eps
        np.multiply(m, self.lr / correction1, out=g)
        update = np.divide(g, scratch, out=g)
        start = 0
        for param in params.values():
            param -= update[start : start + param.size].reshape(param.shape)
            start += param.size


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name: str, lr: float, **options: float) -> SGD | Adam:
    key = str(name).strip().lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}.")
    return OPTIMIZERS[key](lr, **options)
