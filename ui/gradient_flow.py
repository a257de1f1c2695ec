"""The Gradient flow page's experiment: the loss on the last step only, L_T = w·h_T, and how much
of its gradient reaches each earlier step, for an LSTM (through h and through the cell state C),
a GRU and a vanilla RNN with the same input, size and seed. Shared by the page and the lesson."""

from __future__ import annotations

import numpy as np

from lstm_core import GRU, LSTM, RNN
from lstm_core.flow import last_step_gradient_flow
from ui.shared_cache import FLOWS

INPUT_SIZE, HIDDEN_SIZE = 4, 16


def flows(T: int, recurrent_scale: float, bias_f: float, bias_z: float, seed: int) -> dict:
    """Per-step gradient norms of the three models, and the mean gates that explain them; a pure
    function of the sliders, so computed once per setting for every session (ui.shared_cache.FLOWS)."""
    x = np.random.default_rng(seed).normal(size=(T, INPUT_SIZE))
    lstm = LSTM.init(INPUT_SIZE, HIDDEN_SIZE, seed=seed, unit_forget_bias=False)
    lstm.b[HIDDEN_SIZE : 2 * HIDDEN_SIZE] = bias_f  # block f of i, f, C̃, o
    gru, rnn = GRU.init(INPUT_SIZE, HIDDEN_SIZE, seed=seed), RNN.init(INPUT_SIZE, HIDDEN_SIZE, seed=seed)
    gru.b[HIDDEN_SIZE : 2 * HIDDEN_SIZE] = bias_z  # block z of r, z, n
    for layer in (lstm, gru, rnn):
        layer.U *= recurrent_scale
    lstm_flow, gru_flow = last_step_gradient_flow(lstm, x, seed), last_step_gradient_flow(gru, x, seed)
    z = gru_flow.trace.z
    return {
        "norms": {
            "LSTM ‖dL/dh‖": lstm_flow.dh_norms,
            "LSTM ‖dL/dC‖": lstm_flow.dc_norms,
            "LSTM ‖dL/dC‖ f": lstm_flow.dc_direct_norms,
            "GRU ‖dL/dh‖": gru_flow.dh_norms,
            "RNN ‖dL/dh‖": last_step_gradient_flow(rnn, x, seed).dh_norms,
        },
        "mean_f": float(lstm_flow.trace.f.mean()),
        "mean_z": float(z.mean()),
        "z_product": float(np.prod(z[1:], axis=0).mean()),  # the direct path from h_{T-1} to h_0
    }


def shared_flows(T: int, recurrent_scale: float, bias_f: float, bias_z: float, seed: int) -> dict:
    """`flows`, computed once per setting for every session (its arrays read-only)."""
    return FLOWS.get(
        (T, recurrent_scale, bias_f, bias_z, seed), lambda: flows(T, recurrent_scale, bias_f, bias_z, seed)
    )
