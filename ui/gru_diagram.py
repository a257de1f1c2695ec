"""The GRU cell diagram (colah's GRU picture, with the numbers in), drawn like the LSTM's
(ui/cell_diagram.py): coloured gate boxes and the state's highway, here h itself, whose width
follows |h|. The GRU has no cell state: the update gate z keeps z·h_{t−1} of the old state and
lets (1 − z)·n of the candidate in, and the reset gate r decides how much of h_{t−1} the
candidate sees. PyTorch's convention (lstm_core/gru.py), with one bias per gate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import numpy as np
import plotly.graph_objects as go

from lstm_core import GRU
from ui.cell_diagram import GATE_SYMBOLS, add_node, box_bound, diagram_layout, gate_box, wire_width
from ui.cell_presets import GRU_GATES
from ui.colors import GATE_SCALE, SIGNED_SCALE, needs_white_text, value_color
from ui.figure_base import FONT, PrebuiltFigure


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
    values: Mapping[str, float], labels: Mapping[str, str], activations: tuple[str, str] = ("sigmoid", "tanh")
) -> go.Figure:
    """h_{t−1} → ×z → +(1 − z)·n → h_t along the top; x_t and h_{t−1} feed r, z and the candidate
    n below, r reaching into the candidate. Boxes coloured by value, as in the LSTM diagram."""
    TOP, GATE_Y, BUS_Y, Z_Y, R_Y = 5.2, 2.3, 0.8, 4.2, 3.4
    gate_x = {"z": 2.5, "r": 4.6, "n": 8.3}
    KEEP_X, ONE_MINUS_X, half_w, half_h = 6.1, 7.2, 0.85, 0.5
    lines = [  # (x0, y0, x1, y1, value key for the highway's width or None)
        (0.3, TOP, KEEP_X, TOP, "h_prev"),
        (KEEP_X, TOP, gate_x["n"], TOP, "kept"),
        (gate_x["n"], TOP, 11.7, TOP, "h"),
        (0.8, TOP, 0.8, BUS_Y, None),  # h_{t−1} down to the inputs
        (0.8, BUS_Y, gate_x["n"], BUS_Y, None),
        (1.2, 0.0, 1.2, BUS_Y, None),  # x_t
        *((x, BUS_Y, x, GATE_Y - half_h, None) for x in gate_x.values()),
        (gate_x["z"], GATE_Y + half_h, gate_x["z"], Z_Y, None),  # z up to × and on through 1 − z
        (gate_x["z"], Z_Y, gate_x["n"], Z_Y, None),
        (KEEP_X, Z_Y, KEEP_X, TOP, None),
        (gate_x["r"], GATE_Y + half_h, gate_x["r"], R_Y, None),  # r into the candidate
        (gate_x["r"], R_Y, 7.1, R_Y, None),
        (7.1, R_Y, 7.1, GATE_Y, None),
        (7.1, GATE_Y, gate_x["n"] - half_w, GATE_Y, None),
        (gate_x["n"], GATE_Y + half_h, gate_x["n"], TOP, None),  # (1 − z)·n up to +
    ]
    shapes: list[dict] = []
    for x0, y0, x1, y1, key in lines:
        width = 2.5 if key is None else wire_width(values[key])
        color = "#555" if key is None else "#b7791f"
        shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=color, width=width)))
    annotations: list[dict] = []
    gate_symbol, cell_symbol = GATE_SYMBOLS[activations[0]], activations[1]
    for key, symbol, scale in (
        ("z", gate_symbol, GATE_SCALE),
        ("r", gate_symbol, GATE_SCALE),
        ("n", cell_symbol, SIGNED_SCALE),
    ):
        x, value = gate_x[key], values[key]
        bound = 1.0 if scale == GATE_SCALE else box_bound(values, [key])  # a relu or linear n can pass 1
        low = 0.0 if scale == GATE_SCALE else -bound
        shapes.append(gate_box(x, GATE_Y, half_w, half_h, value_color(value, low, bound, scale)))
        white = needs_white_text(value, scale, bound)
        annotations.append(
            dict(
                x=x,
                y=GATE_Y,
                text=f"<b>{symbol}</b><br>{labels[key]} = {value:.3f}",
                showarrow=False,
                font=dict(size=14, color="white" if white else "#1a202c"),
            )
        )
    nodes = (("×", KEEP_X, TOP), ("+", gate_x["n"], TOP), ("1−", ONE_MINUS_X, Z_Y), ("×", gate_x["n"], Z_Y))
    for symbol, x, y in nodes:
        add_node(shapes, annotations, symbol, x, y, 15, 16)
    texts = [  # (x, y, text, alignment)
        (0.3, TOP + 0.4, f"h<sub>t−1</sub> = {values['h_prev']:.3f}", "left"),
        ((KEEP_X + gate_x["n"]) / 2, TOP + 0.4, f"z·h<sub>t−1</sub> = {values['kept']:.3f}", "center"),
        (11.7, TOP + 0.4, f"<b>h<sub>t</sub> = {values['h']:.3f}</b>", "right"),
        (gate_x["n"] + 0.3, (Z_Y + GATE_Y + half_h) / 2, f"(1−z)·n<br>= {values['added']:.3f}", "left"),
        (1.35, 0.25, f"x<sub>t</sub> = {values['x']:.3f}", "left"),
        (11.7, TOP - 0.4, f"h<sub>t</sub> → {labels['next_step']}", "right"),
        (6.1, 6.15, labels["gru_highway"], "center"),
    ]
    for x, y, text, align in texts:
        annotations.append(dict(x=x, y=y, text=text, showarrow=False, xanchor=align, font=FONT))
    layout = diagram_layout(shapes, annotations)
    return PrebuiltFigure({"data": [], "layout": layout})
