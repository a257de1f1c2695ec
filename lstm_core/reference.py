"""The LSTM cell as the tutorials write it: one step forward, one step back. Read this file first.

Every line is an equation of the tutorials, with their names (σ is the recurrent activation,
tanh the activation; either can be another function from activations.py):

    f  = σ(W_f x + U_f h_prev + b_f)        forget gate: how much of C_prev to keep
    i  = σ(W_i x + U_i h_prev + b_i)        input gate: how much of the candidate to write
    C̃  = tanh(W_c x + U_c h_prev + b_c)     candidate values
    o  = σ(W_o x + U_o h_prev + b_o)        output gate: how much of the cell to show
    C  = f * C_prev + i * C̃                 the cell state, the "highway"
    h  = o * tanh(C)                        the hidden state

`LSTM.forward` and `LSTM.backward` (lstm.py) compute exactly these numbers for whole sequences
and batches, rearranged for speed; tests/core/test_reference.py checks them against this file
for every pair of activations, forward and backward. `LSTM.step`, which the cell page draws,
is `step_forward` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .recurrent import GateWeights

TUTORIAL_ORDER = ("f", "i", "c", "o")  # the order the tutorials write and the pages show the gates in
STORAGE_ORDER = ("i", "f", "c", "o")  # the order PyTorch and Keras stack them in, and LSTM stores them


@dataclass(frozen=True)
class Step:
    """One step's inputs and every value it computed, vectors (H,): what the backward step needs."""

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    z_f: np.ndarray
    z_i: np.ndarray
    z_c: np.ndarray
    z_o: np.ndarray
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    o: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    clamped: tuple[str, ...] = ()  # gates set by hand on the cell page (f, i or o)


def step_forward(
    x: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    p: dict[str, GateWeights],
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
    clamp: dict[str, float] | None = None,
) -> Step:
    """One LSTM step. `p` holds each gate's weights (`p["f"].W` is W_f); `clamp` sets a gate to a
    value by hand ({"f": 1.0}), whatever its pre-activation."""
    clamp = clamp or {}
    z_f = p["f"].W @ x + p["f"].U @ h_prev + p["f"].b
    z_i = p["i"].W @ x + p["i"].U @ h_prev + p["i"].b
    z_c = p["c"].W @ x + p["c"].U @ h_prev + p["c"].b
    z_o = p["o"].W @ x + p["o"].U @ h_prev + p["o"].b
    f = np.full_like(z_f, clamp["f"]) if "f" in clamp else sigma(z_f)
    i = np.full_like(z_i, clamp["i"]) if "i" in clamp else sigma(z_i)
    c_tilde = tanh(z_c)
    o = np.full_like(z_o, clamp["o"]) if "o" in clamp else sigma(z_o)
    c = f * c_prev + i * c_tilde
    tanh_c = tanh(c)
    h = o * tanh_c
    return Step(x, h_prev, c_prev, z_f, z_i, z_c, z_o, f, i, c_tilde, o, c, tanh_c, h, tuple(sorted(clamp)))


@dataclass(frozen=True)
class StepGradients:
    """dL/d(everything the step read): its weights' gradients and what flows to the step before."""

    dW: dict[str, np.ndarray]  # per gate, (H, I)
    dU: dict[str, np.ndarray]  # per gate, (H, H)
    db: dict[str, np.ndarray]  # per gate, (H,)
    dx: np.ndarray
    dh_prev: np.ndarray
    dc_prev: np.ndarray
    dc: np.ndarray  # the total dL/dC of this step (the gradient-flow page's curve)


def step_backward(
    dh: np.ndarray,
    dc_next: np.ndarray,
    s: Step,
    p: dict[str, GateWeights],
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> StepGradients:
    """The same step backwards, bottom line first. `dh` is dL/dh of this step (from the output
    and from the next step), `dc_next` the gradient the next step sends into C (dc_prev there).
    A clamped gate is a constant: nothing flows into its weights."""
    do = dh * s.tanh_c  # h = o * tanh(C)
    dc = dc_next + dh * s.o * tanh.derivative(s.c, s.tanh_c)
    df = dc * s.c_prev  # C = f * C_prev + i * C̃
    di = dc * s.c_tilde
    dc_tilde = dc * s.i
    dc_prev = dc * s.f  # the highway: only f stands in the way
    dz = {
        "f": df * sigma.derivative(s.z_f, s.f),
        "i": di * sigma.derivative(s.z_i, s.i),
        "c": dc_tilde * tanh.derivative(s.z_c, s.c_tilde),
        "o": do * sigma.derivative(s.z_o, s.o),
    }
    for gate in s.clamped:
        dz[gate] = np.zeros_like(dz[gate])
    return StepGradients(
        dW={g: np.outer(dz[g], s.x) for g in TUTORIAL_ORDER},  # z = W x + U h_prev + b
        dU={g: np.outer(dz[g], s.h_prev) for g in TUTORIAL_ORDER},
        db={g: dz[g] for g in TUTORIAL_ORDER},
        dx=sum(p[g].W.T @ dz[g] for g in TUTORIAL_ORDER),
        dh_prev=sum(p[g].U.T @ dz[g] for g in TUTORIAL_ORDER),
        dc_prev=dc_prev,
        dc=dc,
    )


def sequence_forward(
    xs: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    p: dict[str, GateWeights],
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> list[Step]:
    """A whole sequence, xs (T, I), one step after another, as min-char-rnn loops."""
    steps, h, c = [], h0, c0
    for x in xs:
        steps.append(step_forward(x, h, c, p, sigma, tanh))
        h, c = steps[-1].h, steps[-1].c
    return steps


def sequence_backward(
    steps: list[Step],
    dhs: np.ndarray,
    p: dict[str, GateWeights],
    sigma: Activation = get_activation("sigmoid"),
    tanh: Activation = get_activation("tanh"),
) -> tuple[dict[str, np.ndarray], list[StepGradients]]:
    """Backpropagation through time: dhs (T, H) is dL/dh_t from outside (a head); returns the
    summed gradients {"W_f": …, "U_f": …, "b_f": …, …} and every step's own gradients."""
    totals = {f"{part}_{g}": np.zeros_like(getattr(p[g], part)) for part in ("W", "U", "b") for g in TUTORIAL_ORDER}
    dh_next, dc_next = np.zeros_like(steps[0].h), np.zeros_like(steps[0].c)
    grads = []
    for s, dh_out in zip(reversed(steps), reversed(dhs)):
        g = step_backward(dh_out + dh_next, dc_next, s, p, sigma, tanh)
        for gate in TUTORIAL_ORDER:
            totals[f"W_{gate}"] = totals[f"W_{gate}"] + g.dW[gate]
            totals[f"U_{gate}"] = totals[f"U_{gate}"] + g.dU[gate]
            totals[f"b_{gate}"] = totals[f"b_{gate}"] + g.db[gate]
        dh_next, dc_next = g.dh_prev, g.dc_prev
        grads.append(g)
    return totals, grads[::-1]
