"""The LSTM cell diagram (the tutorials' picture, with the numbers in): coloured gate boxes, the
cell-state highway whose width follows |C|, the values of one step. A Plotly spec of shapes and
annotations only, so the home page can draw it as static SVG (ui/static_svg.py) and the cell
page's browser twin (ui/cell_live.py) can repaint it between server answers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from ui.colors import COLOR_STOPS, GATE_SCALE, SIGNED_SCALE, needs_white_text, value_color
from ui.figure_base import FONT, MARKER_COLOR, PrebuiltFigure


def _as_text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.3f}"


def box_bound(values: Mapping[str, float | str], keys: Sequence[str]) -> float | None:
    """The ± range of a box coloured on a shared scale: the largest finite |value| of `keys`, at
    least 1 (None: the box keeps its fixed range)."""
    if not keys:
        return None
    sizes = [abs(float(values[k])) for k in keys if math.isfinite(float(values[k]))]
    return max([1.0, *sizes])


def wire_width(value: float) -> float:
    """The cell-state wire's width in px: 2 at C = 0, 5 at |C| = 1, towards 10 for large |C| and
    never saturating (a trained cell reaches |C| ≈ 5). The live twin computes the same."""
    size = abs(value) if math.isfinite(value) else 0.0
    return 2.0 + 8.0 * size / (1.0 + size)


def add_node(shapes: list[dict], annotations: list[dict], symbol: str, x: float, y: float, px: int, size: int) -> None:
    """A white circle of radius `px` pixels at (x, y) with an operation's symbol (×, +, 1−) in it."""
    shapes.append(
        dict(
            type="circle",
            xsizemode="pixel",
            ysizemode="pixel",
            xanchor=x,
            yanchor=y,
            x0=-px,
            x1=px,
            y0=-px,
            y1=px,
            fillcolor="white",
            line=dict(color="#222", width=2),
        )
    )
    annotations.append(dict(x=x, y=y, text=f"<b>{symbol}</b>", showarrow=False, font={**FONT, "size": size}))


def gate_box(x: float, y: float, half_w: float, half_h: float, fill: str, clamped: bool = False) -> dict:
    """A gate's box centred at (x, y), filled with its value's colour; a clamped gate's edge is red."""
    edge = dict(color=MARKER_COLOR, width=4) if clamped else dict(color="#222", width=1.5)
    return dict(type="rect", x0=x - half_w, x1=x + half_w, y0=y - half_h, y1=y + half_h, fillcolor=fill, line=edge)


def diagram_layout(shapes: list[dict], annotations: list[dict]) -> dict:
    """A cell diagram's page: 12 × 6.7 units of shapes and annotations, no axes, nothing to zoom."""
    return dict(
        shapes=shapes,
        annotations=annotations,
        height=500,
        font=FONT,
        margin=dict(l=10, r=10, t=10, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        dragmode=False,
        hovermode=False,
        xaxis=dict(visible=False, range=[0, 12], fixedrange=True),
        yaxis=dict(visible=False, range=[-0.2, 6.5], fixedrange=True),
    )


# The diagram's box symbols: the activations the model really uses.
GATE_SYMBOLS = {"sigmoid": "σ", "hard_sigmoid": "hard σ", "hard_sigmoid_keras2": "hard σ₂"}


CELL_SYMBOLS = {"tanh": "tanh", "relu": "relu", "linear": "linear"}


BOUNDED = {"tanh"}  # a candidate in [−1, 1]; relu and linear are coloured on the cell state's scale


def cell_diagram(
    values: Mapping[str, float | str],
    labels: Mapping[str, str],
    clamped: Sequence[str] = (),
    live: bool = False,
    computed_for: Mapping | None = None,
    activations: tuple[str, str] = ("sigmoid", "tanh"),
    peephole: bool = False,
    coupled: bool = False,
) -> go.Figure:
    """The classic LSTM cell: C_{t-1} → ×f → +i·C̃ → C_t → tanh → ×o → h_t, with x_t and h_{t-1}
    feeding the four gates. Every box shows its live value and is coloured by it; the cell-state
    wire is drawn thicker where more memory flows (its width follows |C|, `wire_width`). The
    boxes name the activations in use (`activations` = (gate, cell)); a relu or linear candidate
    is coloured on the scale of the largest |C| in the picture, since it is not bounded by 1.

    Shapes and annotations are collected as plain dicts and sent as they are: `add_shape` and
    `add_annotation` revalidate every earlier one on each call, and even one
    go.Figure(layout=...) costs several times the plain spec, most of the server's part of a
    weight move (bench/latency.py measures it). tests/ui/test_figures.py validates it with go.Figure.

    colah's variants: `peephole` draws the peepholes as dashed wires (C_{t-1} into f and i, C_t
    into o); `coupled` names the input gate's box "1 − f".

    `live` adds the recipe the cell page's browser twin (ui/cell_live.py) redraws it from while
    a slider moves: which text shows which value, which box is coloured by it on which scale,
    which wire's width follows it. `computed_for` (the slider settings these values are for) goes
    with the recipe, so the twin can tell a late answer for an earlier slider position."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    recipe: dict[str, list] = {"texts": [], "boxes": [], "wires": []}

    def live_text(before: str, key: str, after: str = "") -> str:
        recipe["texts"].append([len(annotations), before, key, after])
        return f"{before}{_as_text(values[key])}{after}"

    C_LINE, GATE_Y, BUS_Y, PRODUCT_Y, OUT_X = 5.2, 2.3, 0.8, 3.7, 9.8
    PEEP_Y, PEEP_O_X = 3.25, 8.45  # the peepholes' wires (colah's variant): a bus above f and i, a drop to o
    gate_x = {"f": 2.5, "i": 4.3, "c_tilde": 6.1, "o": 7.9}
    half_w, half_h, node_px = 0.85, 0.5, 15
    wires = [  # (x0, y0, x1, y1, value key for the wire's width or None)
        (0.3, C_LINE, gate_x["f"], C_LINE, "c_prev"),
        (gate_x["f"], C_LINE, gate_x["c_tilde"], C_LINE, "kept"),
        (gate_x["c_tilde"], C_LINE, 11.7, C_LINE, "c"),
        (0.3, BUS_Y, gate_x["o"], BUS_Y, None),
        (1.2, 0.0, 1.2, BUS_Y, None),
        *((x, BUS_Y, x, GATE_Y - half_h, None) for x in gate_x.values()),
        (gate_x["f"], GATE_Y + half_h, gate_x["f"], C_LINE, None),
        (gate_x["i"], GATE_Y + half_h, gate_x["i"], PRODUCT_Y, None),
        (gate_x["i"], PRODUCT_Y, gate_x["c_tilde"], PRODUCT_Y, None),
        (gate_x["c_tilde"], GATE_Y + half_h, gate_x["c_tilde"], C_LINE, None),
        (OUT_X, C_LINE, OUT_X, GATE_Y, None),
        (gate_x["o"] + half_w, GATE_Y, OUT_X, GATE_Y, None),
        (OUT_X, GATE_Y, 11.7, GATE_Y, None),
        (10.8, GATE_Y, 10.8, BUS_Y, None),
        (10.8, BUS_Y, 11.7, BUS_Y, None),
    ]
    for x0, y0, x1, y1, key in wires:
        if key is not None:
            recipe["wires"].append([len(shapes), key])
        width = 2.5 if key is None else wire_width(values.get(key, 0.0))
        color = "#555" if key is None else "#b7791f"
        shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=color, width=width)))
    if peephole:  # from the cell state down into the gates, over the other wires: C_{t-1} to f and i, C_t to o
        top = GATE_Y + half_h
        peepholes = [
            (1.6, C_LINE, 1.6, PEEP_Y),
            (1.6, PEEP_Y, gate_x["i"] - 0.45, PEEP_Y),
            (gate_x["f"] - 0.45, PEEP_Y, gate_x["f"] - 0.45, top),
            (gate_x["i"] - 0.45, PEEP_Y, gate_x["i"] - 0.45, top),
            (PEEP_O_X, C_LINE, PEEP_O_X, top),
        ]
        for x0, y0, x1, y1 in peepholes:
            shapes.append(
                dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color="#805ad5", width=2.5, dash="dash"))
            )

    gate_symbol, cell_symbol = GATE_SYMBOLS[activations[0]], CELL_SYMBOLS[activations[1]]
    spread = [] if activations[1] in BOUNDED else ["c_prev", "c_tilde", "c"]  # keys of a shared ± scale
    boxes = [
        ("f", gate_symbol, 0, 1, GATE_SCALE, []),
        ("i", "1 − f" if coupled else gate_symbol, 0, 1, GATE_SCALE, []),
        ("c_tilde", cell_symbol, -1, 1, SIGNED_SCALE, spread),
        ("o", gate_symbol, 0, 1, GATE_SCALE, []),
    ]
    for key, symbol, low, high, scale, keys in boxes:
        x, value = gate_x[key], values[key]
        bound = box_bound(values, keys)
        if bound is not None:
            low, high = -bound, bound
        recipe["boxes"].append([len(shapes), len(annotations), key, low, high, scale, keys])
        shapes.append(gate_box(x, GATE_Y, half_w, half_h, value_color(value, low, high, scale), clamped=key in clamped))
        text = live_text(f"<b>{symbol}</b><br>{labels[key]} = ", key)
        dark = needs_white_text(value, scale, high if scale == SIGNED_SCALE else 1.0)
        annotations.append(
            dict(x=x, y=GATE_Y, text=text, showarrow=False, font=dict(size=14, color="white" if dark else "#1a202c"))
        )
    nodes = [
        ("×", gate_x["f"], C_LINE),
        ("+", gate_x["c_tilde"], C_LINE),
        ("×", gate_x["c_tilde"], PRODUCT_Y),
        ("×", OUT_X, GATE_Y),
    ]
    for symbol, x, y in nodes:
        add_node(shapes, annotations, symbol, x, y, node_px, 18)
    shapes.append(
        dict(
            type="rect", x0=OUT_X - 0.75, x1=OUT_X + 0.75, y0=3.6, y1=4.6, fillcolor="#fefcbf", line=dict(color="#222")
        )
    )
    squashed = "C<sub>t</sub><br>" if activations[1] == "linear" else f"{cell_symbol}(C<sub>t</sub>)<br>"
    annotations.append(
        dict(x=OUT_X, y=4.1, text=live_text(squashed, "tanh_c"), showarrow=False, font={**FONT, "size": 14})
    )

    texts = [  # (x, y, text before the value, value key or None, text after, alignment)
        (0.3, C_LINE + 0.4, "C<sub>t−1</sub> = ", "c_prev", "", "left"),
        (11.7, C_LINE + 0.4, "C<sub>t</sub> = ", "c", "", "right"),
        (4.3, C_LINE + 0.4, "f·C<sub>t−1</sub> = ", "kept", "", "center"),
        (6.35, 4.35, "i·C̃ = ", "added", "", "left"),
        (0.3, BUS_Y + 0.35, "h<sub>t−1</sub> = ", "h_prev", "", "left"),
        (1.35, 0.25, "x<sub>t</sub> = ", "x", "", "left"),
        (11.7, GATE_Y + 0.35, "<b>h<sub>t</sub> = ", "h", "</b>", "right"),
        (11.7, BUS_Y - 0.35, f"h<sub>t</sub> → {labels['next_step']}", None, "", "right"),  # under its wire
        (6.1, 6.15, labels["highway"], None, "", "center"),
    ]
    for x, y, before, key, after, align in texts:
        text = before if key is None else live_text(before, key, after)
        annotations.append(dict(x=x, y=y, text=text, showarrow=False, xanchor=align, font=FONT))
    layout = diagram_layout(shapes, annotations)
    if live:
        scales = {box[5] for box in recipe["boxes"]}
        layout["meta"] = {
            "cell_live": {
                **recipe,
                "stops": {name: COLOR_STOPS[name] for name in scales},
                "gate_scale": GATE_SCALE,
                "signed_scale": SIGNED_SCALE,
                "computed_for": dict(computed_for or {}),
            }
        }
    return PrebuiltFigure({"data": [], "layout": layout})
