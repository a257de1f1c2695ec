"""How far back a gradient reaches: ‖dL_T/dh_t‖ and ‖dL_T/dC_t‖ for a loss on the last step only.

This is the tutorials' vanishing-gradient picture computed, not drawn: the loss is
L_T = w·h_T for a fixed unit-norm w, and backward returns the total gradient on every earlier
state. In a vanilla RNN each step back multiplies by Uᵀ·diag(tanh'), so the norm falls or grows
geometrically, by how ‖U‖ and tanh' ≤ 1 combine. In an LSTM the gradient on C_t is a sum over
paths: the direct one along the cell state, multiplied by f only (dC_t = dC_{t+1}·f_{t+1}), and
paths that leave C through h_t and the gates and come back. `dc_direct_norms` is the first alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .lstm import LSTM
from .recurrent import RecurrentLayer
from .validation import check_seed


@dataclass(frozen=True)
class GradientFlow:
    dh_norms: np.ndarray  # (T,) ‖dL_T/dh_t‖
    dc_norms: np.ndarray | None  # (T,) ‖dL_T/dC_t‖ for an LSTM, else None
    dc_direct_norms: np.ndarray | None = None  # (T,) ‖dC_{T-1}·∏_{k>t} f_k‖: the cell path alone
    trace: Any = None  # the forward pass it went back through (its gates explain the norms)


def last_step_gradient_flow(layer: RecurrentLayer, x: Any, seed: int = 0) -> GradientFlow:
    """Backpropagate L_T = w·h_T (w random, ‖w‖ = 1, from `seed`) through one sequence x (T, I)."""
    trace = layer.forward(x)
    w = np.random.default_rng(check_seed(seed)).normal(size=layer.hidden_size)
    dh = np.zeros_like(trace.h)
    dh[-1] = w / np.linalg.norm(w)
    grads = layer.backward(trace, dh)
    if not isinstance(layer, LSTM):
        return GradientFlow(np.linalg.norm(grads.dh, axis=-1), None, trace=trace)
    return GradientFlow(
        np.linalg.norm(grads.dh, axis=-1),
        np.linalg.norm(grads.dc, axis=-1),
        np.linalg.norm(direct_cell_path(grads.dc[-1], trace.f), axis=-1),
        trace,
    )


def direct_cell_path(dc_last: np.ndarray, f: np.ndarray) -> np.ndarray:
    """The gradient that reaches each C_t along the cell state alone: dC_{T-1}·f_T'·…·f_{t+1},
    for t = 0 … T−1 (the tutorials' "highway": no weight matrix, no activation slope)."""
    later_f = np.concatenate([f[1:], np.ones_like(f[:1])])  # f_{t+1}, and 1 after the last step
    products = np.cumprod(later_f[::-1], axis=0)[::-1]  # ∏_{k=t+1}^{T-1} f_k
    return dc_last * products
