"""The GRU cell diagram (colah's GRU picture, with the numbers in), drawn like the LSTM's
(ui/cell_diagram.py, ui/static/gru_diagram.svg): coloured gate boxes and the state's highway, here h itself, whose width
follows |h|. The GRU has no cell state: the update gate z keeps z·h_{t−1} of the old state and
lets (1 − z)·n of the candidate in, and the reset gate r decides how much of h_{t−1} the
candidate sees. PyTorch's convention (lstm_core/gru.py), with one bias per gate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import numpy as np

from lstm_core import GRU
from ui.cell_diagram import GATE_SYMBOLS, paint
from ui.cell_presets import GRU_GATES
from ui.colors import GATE_SCALE, SIGNED_SCALE
from ui.svg_template import SvgTemplate

TEMPLATE = SvgTemplate("gru_diagram.svg")
VALUE_TEXTS = ("z", "r", "n", "h_prev", "kept", "h", "added", "x")


class GRUValues(TypedDict):
    x: float
    h_prev: float
    r: float
    z: float
    n: float
    h: float
    kept: float  # z · h_{t−1}: the old state the update gate keeps
    added: float  # (1 − z) · n: the candidate it lets in
    reset: float  # r · (U_n h_{t−1}): what the candidate sees of the old state
    pre_r: float  # the pre-activations lstm_core computed
    pre_z: float
    pre_n: float


def gru_step(
    settings: Mapping[str, float], recurrent_activation: str = "sigmoid", activation: str = "tanh"
) -> GRUValues:
    """One step of a 1-input, 1-unit GRU from the sliders' values (keyed as GRU_DEFAULTS),
    computed by lstm_core's GRU."""
    cell = GRU(
        np.array([[settings[f"W{g}"] for g in GRU_GATES]]),
        np.array([[settings[f"U{g}"] for g in GRU_GATES]]),
        np.array([settings[f"b{g}"] for g in GRU_GATES]),
        activation=activation,
        recurrent_activation=recurrent_activation,
    )
    x, h_prev = float(settings["x"]), float(settings["h"])
    trace = cell.forward(np.array([[x]]), h0=np.array([h_prev]))
    r, z, n, h = (float(value[0, 0]) for value in (trace.r, trace.z, trace.n, trace.h))
    pre_r, pre_z, pre_n = (float(value) for value in trace.pre[0])
    return GRUValues(
        x=x,
        h_prev=h_prev,
        r=r,
        z=z,
        n=n,
        h=h,
        kept=z * h_prev,
        added=(1.0 - z) * n,
        reset=r * float(trace.hn[0, 0]),
        pre_r=pre_r,
        pre_z=pre_z,
        pre_n=pre_n,
    )


def gru_diagram(
    values: Mapping[str, float],
    labels: Mapping[str, str],
    activations: tuple[str, str] = ("sigmoid", "tanh"),
    title: str = "",
) -> str:
    """h_{t−1} → ×z → +(1 − z)·n → h_t along the top; x_t and h_{t−1} feed r, z and the candidate
    n below, r reaching into the candidate. Boxes coloured by value, as in the LSTM diagram: SVG
    markup of ui/static/gru_diagram.svg, painted by the LSTM's rule (`cell_diagram.paint`)."""
    recipe = {
        "texts": list(VALUE_TEXTS),
        "boxes": [[gate, 0.0, 1.0, GATE_SCALE, []] for gate in ("z", "r")]
        + [["n", -1.0, 1.0, SIGNED_SCALE, ["n"]]],  # a relu or linear n can pass 1
        "wires": ["h_prev", "kept", "h"],
    }
    painting = paint(recipe, values)
    gate_symbol = GATE_SYMBOLS.get(activations[0], activations[0])
    for gate in ("z", "r", "n"):
        painting[f"symbol-{gate}"] = {"text": activations[1] if gate == "n" else gate_symbol}
    painting["next_step"] = {"text": labels["next_step"]}
    painting["highway"] = {"text": labels["gru_highway"]}
    painting["title"] = {"text": title}
    return TEMPLATE.render(painting, root={"aria-label": title})
