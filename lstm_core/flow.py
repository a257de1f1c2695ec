"""How far back a gradient reaches: ‖dL_T/dh_t‖ and ‖dL_T/dC_t‖ for a loss on the last step only.

This is the tutorials' vanishing-gradient picture computed, not drawn: the loss is
L_T = w·h_T for a fixed unit-norm w, and backward returns the total gradient on every earlier
state. In a vanilla RNN each step back multiplies by Uᵀ·diag(tanh'), so the norm falls (or, with
a large U, explodes) geometrically; in an LSTM the cell-state path multiplies by f_t only.
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


def last_step_gradient_flow(layer: RecurrentLayer, x: Any, seed: int = 0) -> GradientFlow:
    """Backpropagate L_T = w·h_T (w random, ‖w‖ = 1, from `seed`) through one sequence x (T, I)."""
    trace = layer.forward(x)
    w = np.random.default_rng(check_seed(seed)).normal(size=layer.hidden_size)
    dh = np.zeros_like(trace.h)
    dh[-1] = w / np.linalg.norm(w)
    grads = layer.backward(trace, dh)
    dc = np.linalg.norm(grads.dc, axis=-1) if isinstance(layer, LSTM) else None
    return GradientFlow(np.linalg.norm(grads.dh, axis=-1), dc)
