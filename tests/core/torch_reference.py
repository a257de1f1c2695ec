"""PyTorch oracles: real nn.LSTM/GRU/RNN modules with the same weights as an lstm_core layer,
and an autograd LSTM loop that exposes dL/dC_t and dL/dh_t per step (nn.LSTM hides them)."""

from __future__ import annotations

import numpy as np
import torch

from lstm_core import LSTM

torch.set_num_threads(1)

MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def torch_module(layer, dtype=torch.float64, num_layers=1, state_dict=None, **options):
    """A torch module of the layer's kind loaded with its weights (or with `state_dict`)."""
    module = MODULES[layer.KIND](layer.input_size, layer.hidden_size, num_layers=num_layers, dtype=dtype, **options)
    weights = state_dict if state_dict is not None else layer.to_torch()
    module.load_state_dict({k: torch.tensor(v, dtype=dtype) for k, v in weights.items()})
    return module


def autograd_lstm(layer: LSTM, x: np.ndarray, h0: np.ndarray, c0: np.ndarray, loss_weights: np.ndarray):
    """Run the LSTM equations step by step in torch with sigmoid/tanh; return the loss
    sum(loss_weights * h), per-step h, c, and autograd's dL/dh_t, dL/dC_t and parameter grads."""
    H = layer.hidden_size
    W = torch.tensor(layer.W, requires_grad=True)
    U = torch.tensor(layer.U, requires_grad=True)
    b = torch.tensor(layer.b, requires_grad=True)
    b_hh = torch.tensor(layer.b_hh, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    h = torch.tensor(h0, requires_grad=True)
    c = torch.tensor(c0, requires_grad=True)
    hs, cs = [], []
    h_prev, c_prev = h, c
    for t in range(x.shape[0]):
        z = xt[t] @ W + b + h_prev @ U + b_hh
        i, f, g, o = (z[..., k * H : (k + 1) * H] for k in range(4))
        c_t = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
        h_t = torch.sigmoid(o) * torch.tanh(c_t)
        c_t.retain_grad()
        h_t.retain_grad()
        hs.append(h_t)
        cs.append(c_t)
        h_prev, c_prev = h_t, c_t
    loss = sum((torch.tensor(loss_weights[t]) * hs[t]).sum() for t in range(len(hs)))
    loss.backward()
    return {
        "h": np.stack([v.detach().numpy() for v in hs]),
        "dh": np.stack([v.grad.numpy() for v in hs]),
        "dc": np.stack([v.grad.numpy() for v in cs]),
        "dx": xt.grad.numpy(),
        "dh0": h.grad.numpy(),
        "dc0": c.grad.numpy(),
        "W": W.grad.numpy(),
        "U": U.grad.numpy(),
        "b": b.grad.numpy(),
        "b_hh": b_hh.grad.numpy(),
    }
