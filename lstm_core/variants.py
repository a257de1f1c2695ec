"""Two LSTM variants from colah's "Variants on Long Short Term Memory", one step forward and back,
written as the equations, like reference.py (read that first: only the differences are here).

Peephole connections (Gers & Schmidhuber, 2000) let the gates look at the cell state, through one
weight per unit (a vector p, multiplied elementwise):

    f = σ(W_f x + U_f h_prev + p_f * C_prev + b_f)
    i = σ(W_i x + U_i h_prev + p_i * C_prev + b_i)
    o = σ(W_o x + U_o h_prev + p_o * C + b_o)        o looks at the new cell state

Coupled forget and input gates decide together: what is forgotten is what is written.

    i = 1 - f                                        (W_i, U_i, b_i and p_i are not used)

PyTorch and Keras have neither, so tests/core/test_variants.py checks these against the same
equations written in torch (its autograd for the gradients) and against finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .recurrent import GateWeights
from .reference import TUTORIAL_ORDER, Step, StepGradients

PEEPHOLES = ("f", "i", "o")  # the gates that look at the cell state


@dataclass(frozen=True)
class Variant:
    """Which variant: peephole weights (p_f, p_i, p_o, each (H,)) or None, and coupled gates."""

    peep: dict[str, np.ndarray] | None = None
    coupled: bool = False

    def check(self, hidden: int) -> None:
        """A ValueError naming the problem: a missing, misshapen or non-finite peephole vector."""
        if self.peep is None:
            return
        for gate in PEEPHOLES:
            if gate not in self.peep:
                raise ValueError(f"p_{gate}: the peephole variant needs a weight vector for gate {gate}")
            vector = np.asarray(self.peep[gate])
            if vector.shape != (hidden,):
                raise ValueError(f"p_{gate}: expected shape ({hidden},), got {vector.shape}")
            if not np.isfinite(vector).all():
                raise ValueError(f"p_{gate}: the peephole weights must be finite numbers")


def step_forward(
    x: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    p: dict[str, GateWeights],
    variant: Variant,
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
    clamp: dict[str, float] | None = None,
) -> Step:
    """One step of the variant. `clamp` sets f, i or o by hand, as in reference.step_forward
    (in the coupled variant i follows f, so i cannot be clamped on its own)."""
    clamp = clamp or {}
    if variant.coupled and "i" in clamp:
        raise ValueError("clamp: in the coupled variant i = 1 - f; clamp f instead")
    variant.check(len(h_prev))
    peep = variant.peep or {gate: np.zeros_like(c_prev) for gate in PEEPHOLES}
    z_f = p["f"].W @ x + p["f"].U @ h_prev + peep["f"] * c_prev + p["f"].b
    z_i = p["i"].W @ x + p["i"].U @ h_prev + peep["i"] * c_prev + p["i"].b
    z_c = p["c"].W @ x + p["c"].U @ h_prev + p["c"].b
    f = np.full_like(z_f, clamp["f"]) if "f" in clamp else sigma(z_f)
    if variant.coupled:
        z_i = np.zeros_like(z_f)  # not computed: i is 1 − f
        i = 1.0 - f
    else:
        i = np.full_like(z_i, clamp["i"]) if "i" in clamp else sigma(z_i)
    c_tilde = tanh(z_c)
    c = f * c_prev + i * c_tilde
    z_o = p["o"].W @ x + p["o"].U @ h_prev + peep["o"] * c + p["o"].b  # after C: o peeks at the new C
    o = np.full_like(z_o, clamp["o"]) if "o" in clamp else sigma(z_o)
    tanh_c = tanh(c)
    h = o * tanh_c
    return Step(x, h_prev, c_prev, z_f, z_i, z_c, z_o, f, i, c_tilde, o, c, tanh_c, h, tuple(sorted(clamp)))


@dataclass(frozen=True)
class VariantGradients(StepGradients):
    dp: dict[str, np.ndarray]  # dL/dp per peephole gate, (H,) (zeros without peepholes)


def step_backward(
    dh: np.ndarray,
    dc_next: np.ndarray,
    s: Step,
    p: dict[str, GateWeights],
    variant: Variant,
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> VariantGradients:
    """The step backwards, bottom line first, as reference.step_backward with the peephole paths
    (C_prev into f and i, C into o) and the coupling (i = 1 − f sends its gradient to f)."""
    peep = variant.peep or {gate: np.zeros_like(s.c) for gate in PEEPHOLES}
    do = dh * s.tanh_c  # h = o * tanh(C)
    dz_o = np.zeros_like(do) if "o" in s.clamped else do * sigma.derivative(s.z_o, s.o)
    dc = dc_next + dh * s.o * tanh.derivative(s.c, s.tanh_c) + dz_o * peep["o"]  # o = σ(… + p_o * C)
    df = dc * s.c_prev  # C = f * C_prev + i * C̃
    di = dc * s.c_tilde
    dc_tilde = dc * s.i
    if variant.coupled:
        df, di = df - di, np.zeros_like(di)  # i = 1 − f: what reaches i reaches f, negated
    dz = {
        "f": df * sigma.derivative(s.z_f, s.f),
        "i": di * sigma.derivative(s.z_i, s.i),
        "c": dc_tilde * tanh.derivative(s.z_c, s.c_tilde),
        "o": dz_o,
    }
    for gate in s.clamped:
        dz[gate] = np.zeros_like(dz[gate])
    dc_prev = dc * s.f + dz["f"] * peep["f"] + dz["i"] * peep["i"]  # the highway, and the peepholes into f and i
    return VariantGradients(
        dW={g: np.outer(dz[g], s.x) for g in TUTORIAL_ORDER},
        dU={g: np.outer(dz[g], s.h_prev) for g in TUTORIAL_ORDER},
        db={g: dz[g] for g in TUTORIAL_ORDER},
        dx=sum(p[g].W.T @ dz[g] for g in TUTORIAL_ORDER),
        dh_prev=sum(p[g].U.T @ dz[g] for g in TUTORIAL_ORDER),
        dc_prev=dc_prev,
        dc=dc,
        dp={"f": dz["f"] * s.c_prev, "i": dz["i"] * s.c_prev, "o": dz["o"] * s.c},
    )


def sequence_forward(
    xs: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    p: dict[str, GateWeights],
    variant: Variant,
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> list[Step]:
    """A whole sequence, xs (T, I), one step after another."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 2 or len(xs) == 0:
        raise ValueError(f"xs: expected a (T, I) array with T ≥ 1, got shape {xs.shape}")
    steps, h, c = [], h0, c0
    for x in xs:
        steps.append(step_forward(x, h, c, p, variant, sigma, tanh))
        h, c = steps[-1].h, steps[-1].c
    return steps


def sequence_backward(
    steps: list[Step],
    dhs: np.ndarray,
    p: dict[str, GateWeights],
    variant: Variant,
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> tuple[dict[str, np.ndarray], list[VariantGradients]]:
    """Backpropagation through time: the summed gradients {"W_f": …, "p_f": …, …} (p_* only for
    the peephole variant) and every step's own gradients, whose first dh_prev and dc_prev are
    dL/dh0 and dL/dC0."""
    totals = {f"{part}_{g}": np.zeros_like(getattr(p[g], part)) for part in ("W", "U", "b") for g in TUTORIAL_ORDER}
    if variant.peep is not None:
        totals.update({f"p_{g}": np.zeros_like(steps[0].c) for g in PEEPHOLES})
    dh_next, dc_next = np.zeros_like(steps[0].h), np.zeros_like(steps[0].c)
    grads = []
    for s, dh_out in zip(reversed(steps), reversed(dhs)):
        g = step_backward(dh_out + dh_next, dc_next, s, p, variant, sigma, tanh)
        for gate in TUTORIAL_ORDER:
            totals[f"W_{gate}"] = totals[f"W_{gate}"] + g.dW[gate]
            totals[f"U_{gate}"] = totals[f"U_{gate}"] + g.dU[gate]
            totals[f"b_{gate}"] = totals[f"b_{gate}"] + g.db[gate]
        if variant.peep is not None:
            for gate in PEEPHOLES:
                totals[f"p_{gate}"] = totals[f"p_{gate}"] + g.dp[gate]
        dh_next, dc_next = g.dh_prev, g.dc_prev
        grads.append(g)
    return totals, grads[::-1]
