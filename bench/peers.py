"""The NumPy LSTMs people would otherwise write, as the benchmark's peers (bench_lstm.py).

Written from their published algorithms, forward and backward, with no tuning of ours:

- `TutorialLSTM`: the per-step loop of the classic tutorials (colah's equations as coded in
  the "LSTM from scratch" posts): four matrices W_f, W_i, W_c, W_o of shape (H, H + I), each
  multiplied by the column z = [h_{t-1}; x_t] every step, one sequence at a time. Backward walks
  the steps in reverse with the tutorial's names (dh, dC, do, df, di, dC̃).
- `BatchedLSTM`: the well-known efficient batched NumPy LSTM (Karpathy's gist "An efficient,
  batched LSTM"): one matrix WLSTM of shape (1 + I + H, 4H) with the bias in its first row,
  per step Hin[t] = [1, x_t, h_{t-1}] and IFOG[t] = Hin[t] @ WLSTM for the whole batch, sigmoid
  on the first 3H columns (i, f, o), tanh on the last H (g); backward with one GEMM per step
  back into Hin and the weight gradient accumulated per step.

Both take and return (T, B, ·) arrays of the input's dtype, so the benchmark feeds every
implementation the same numbers; `weights_from` builds each peer's layout from an lstm_core LSTM,
and tests/test_bench.py holds both peers equal to lstm_core, forward and backward.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class TutorialLSTM:
    """Four gates, four GEMVs per step on [h_{t-1}; x_t], one sequence at a time."""

    def __init__(self, layer) -> None:
        gates = layer.to_gates(column_biases=True)
        self.W = {g: gates[f"W{g}"] for g in "fico"}
        self.b = {g: gates[f"b{g}"] for g in "fico"}

    def astype(self, dtype) -> TutorialLSTM:
        self.W = {g: w.astype(dtype) for g, w in self.W.items()}
        self.b = {g: b.astype(dtype) for g, b in self.b.items()}
        return self

    def forward_sequence(self, x: np.ndarray):
        """x (T, I) → h (T, H) and the per-step cache."""
        H = self.b["f"].shape[0]
        h = np.zeros((H, 1), dtype=x.dtype)
        c = np.zeros((H, 1), dtype=x.dtype)
        caches, hs = [], []
        for x_t in x:
            z = np.vstack((h, x_t[:, None]))
            f = sigmoid(self.W["f"] @ z + self.b["f"])
            i = sigmoid(self.W["i"] @ z + self.b["i"])
            c_bar = np.tanh(self.W["c"] @ z + self.b["c"])
            o = sigmoid(self.W["o"] @ z + self.b["o"])
            c_prev = c
            c = f * c_prev + i * c_bar
            h = o * np.tanh(c)
            caches.append((z, f, i, c_bar, o, c_prev, c))
            hs.append(h[:, 0])
        return np.stack(hs), caches

    def backward_sequence(self, dh_out: np.ndarray, caches) -> dict[str, np.ndarray]:
        """dh_out (T, H) → dW, db per gate (dx comes out of dz as well)."""
        H = self.b["f"].shape[0]
        dW = {g: np.zeros_like(w) for g, w in self.W.items()}
        db = {g: np.zeros_like(b) for g, b in self.b.items()}
        dh_next = np.zeros((H, 1), dtype=dh_out.dtype)
        dc_next = np.zeros((H, 1), dtype=dh_out.dtype)
        for t in reversed(range(len(caches))):
            z, f, i, c_bar, o, c_prev, c = caches[t]
            dh = dh_out[t][:, None] + dh_next
            tanh_c = np.tanh(c)
            do = dh * tanh_c * o * (1 - o)
            dc = dc_next + dh * o * (1 - tanh_c**2)
            dc_bar = dc * i * (1 - c_bar**2)
            di = dc * c_bar * i * (1 - i)
            df = dc * c_prev * f * (1 - f)
            dz = np.zeros_like(z)
            for g, d in (("f", df), ("i", di), ("c", dc_bar), ("o", do)):
                dW[g] += d @ z.T
                db[g] += d
                dz += self.W[g].T @ d
            dh_next = dz[:H]
            dc_next = dc * f
        return {**{f"W{g}": w for g, w in dW.items()}, **{f"b{g}": b for g, b in db.items()}}

    def forward(self, x: np.ndarray):
        """x (T, B, I): one tutorial loop per sequence."""
        results = [self.forward_sequence(x[:, b]) for b in range(x.shape[1])]
        return np.stack([h for h, _ in results], axis=1), [cache for _, cache in results]

    def backward(self, dh: np.ndarray, caches) -> list[dict[str, np.ndarray]]:
        return [self.backward_sequence(dh[:, b], cache) for b, cache in enumerate(caches)]


class BatchedLSTM:
    """One WLSTM (1 + I + H, 4H), columns i, f, o, g; the whole batch in one GEMM per step."""

    def __init__(self, layer) -> None:
        H = layer.hidden_size
        # lstm_core stores blocks i, f, c, o; this layout is i, f, o, g(= C̃).
        order = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]
        bias = (layer.b + layer.b_hh)[None]
        self.WLSTM = np.concatenate((bias, layer.W, layer.U))[:, order]
        self.hidden = H

    def astype(self, dtype) -> BatchedLSTM:
        self.WLSTM = self.WLSTM.astype(dtype)
        return self

    def forward(self, X: np.ndarray):
        n, b, input_size = X.shape
        d = self.hidden
        Hin = np.zeros((n, b, self.WLSTM.shape[0]), dtype=X.dtype)
        Hout = np.zeros((n, b, d), dtype=X.dtype)
        IFOG = np.zeros((n, b, d * 4), dtype=X.dtype)
        IFOGf = np.zeros((n, b, d * 4), dtype=X.dtype)
        C = np.zeros((n, b, d), dtype=X.dtype)
        Ct = np.zeros((n, b, d), dtype=X.dtype)
        for t in range(n):
            prevh = Hout[t - 1] if t > 0 else np.zeros((b, d), dtype=X.dtype)
            Hin[t, :, 0] = 1
            Hin[t, :, 1 : input_size + 1] = X[t]
            Hin[t, :, input_size + 1 :] = prevh
            IFOG[t] = Hin[t].dot(self.WLSTM)
            IFOGf[t, :, : 3 * d] = 1.0 / (1.0 + np.exp(-IFOG[t, :, : 3 * d]))
            IFOGf[t, :, 3 * d :] = np.tanh(IFOG[t, :, 3 * d :])
            C[t] = IFOGf[t, :, :d] * IFOGf[t, :, 3 * d :]
            if t > 0:
                C[t] += IFOGf[t, :, d : 2 * d] * C[t - 1]
            Ct[t] = np.tanh(C[t])
            Hout[t] = IFOGf[t, :, 2 * d : 3 * d] * Ct[t]
        return Hout, (Hin, IFOG, IFOGf, C, Ct, Hout)

    def backward(self, dHout: np.ndarray, cache):
        Hin, IFOG, IFOGf, C, Ct, Hout = cache
        n, b, d = Hout.shape
        input_size = self.WLSTM.shape[0] - 1 - d
        dIFOG = np.zeros(IFOG.shape, dtype=dHout.dtype)
        dIFOGf = np.zeros(IFOGf.shape, dtype=dHout.dtype)
        dWLSTM = np.zeros(self.WLSTM.shape, dtype=dHout.dtype)
        dHin = np.zeros(Hin.shape, dtype=dHout.dtype)
        dC = np.zeros(C.shape, dtype=dHout.dtype)
        dX = np.zeros((n, b, input_size), dtype=dHout.dtype)
        dHout = dHout.copy()
        for t in reversed(range(n)):
            tanhCt = Ct[t]
            dIFOGf[t, :, 2 * d : 3 * d] = tanhCt * dHout[t]
            dC[t] += (1 - tanhCt**2) * (IFOGf[t, :, 2 * d : 3 * d] * dHout[t])
            if t > 0:
                dIFOGf[t, :, d : 2 * d] = C[t - 1] * dC[t]
                dC[t - 1] += IFOGf[t, :, d : 2 * d] * dC[t]
            dIFOGf[t, :, :d] = IFOGf[t, :, 3 * d :] * dC[t]
            dIFOGf[t, :, 3 * d :] = IFOGf[t, :, :d] * dC[t]
            dIFOG[t, :, 3 * d :] = (1 - IFOGf[t, :, 3 * d :] ** 2) * dIFOGf[t, :, 3 * d :]
            y = IFOGf[t, :, : 3 * d]
            dIFOG[t, :, : 3 * d] = (y * (1.0 - y)) * dIFOGf[t, :, : 3 * d]
            dWLSTM += np.dot(Hin[t].transpose(), dIFOG[t])
            dHin[t] = dIFOG[t].dot(self.WLSTM.transpose())
            dX[t] = dHin[t, :, 1 : input_size + 1]
            if t > 0:
                dHout[t - 1, :] += dHin[t, :, input_size + 1 :]
        return dX, dWLSTM
