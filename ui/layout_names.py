"""What each framework calls a gate's weight block: the "three layouts side by side".

PyTorch and Keras both stack the gates in the order i, f, g/c, o; PyTorch stores weights as
(4H, inputs) and Keras as (inputs, 4H); the classic tutorial keeps one (H, H + I) matrix per gate
acting on the concatenation [h_{t-1}; x_t].
"""

from __future__ import annotations

from lstm_core.reference import STORAGE_ORDER

PARTS = ("W", "U", "b")


def block_names(gate: str, hidden_size: int, layer: int = 0) -> dict[str, dict[str, str]]:
    """{layout: {part: name}} for one gate's W (acts on x_t), U (acts on h_{t-1}) and b."""
    k, H = STORAGE_ORDER.index(gate), hidden_size
    rows = f"{k * H}:{(k + 1) * H}"
    return {
        "tutorial": {
            "W": f"W{gate}[:, {H}:]",
            "U": f"W{gate}[:, :{H}]",
            "b": f"b{gate}",
        },
        "pytorch": {
            "W": f"weight_ih_l{layer}[{rows}, :]",
            "U": f"weight_hh_l{layer}[{rows}, :]",
            "b": f"bias_ih_l{layer}[{rows}] + bias_hh_l{layer}[{rows}]",
        },
        "keras": {
            "W": f"kernel[:, {rows}]ᵀ",
            "U": f"recurrent_kernel[:, {rows}]ᵀ",
            "b": f"bias[{rows}]",
        },
    }
