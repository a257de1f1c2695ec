"""Plotly figure builders: arrays in, figures out. No Streamlit, no lstm_core internals.

Every builder takes already-translated labels, so the same code draws English and 简体中文.
Colour scales are fixed per kind of quantity, so a colour means the same number on every chart:
gates in [0, 1], C̃ and h in [−1, 1], the cell state C symmetric around 0.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

GATE_SCALE = "Viridis"
SIGNED_SCALE = "RdBu_r"
FONT = dict(family="Noto Sans CJK SC, Noto Sans, Arial, sans-serif", size=15, color="#1a202c")
MARKER_COLOR = "#ff2d55"


class PrebuiltFigure(go.Figure):
    """A finished Plotly spec that st.plotly_chart takes without validating it again.

    Given a dict, st.plotly_chart rebuilds a go.Figure to validate it (≈1 s for the stepper's
    400 frames, 12 ms for the cell diagram's 40 shapes); given a go.Figure it only calls
    to_dict(). This figure's to_dict() is the spec we built; tests validate it with go.Figure.
    """

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def value_range(name: str, values: np.ndarray | None = None) -> tuple[float, float]:
    """The colour range of a quantity: [0, 1] for the gates; C̃, C and h symmetric, at least ±1
    and wide enough for the values (so a tanh model's C̃ and h get ±1, a relu or linear one's
    its own range instead of colours saturated at 1)."""
    if name in ("f", "i", "o"):
        return 0.0, 1.0
    bound = 1.0 if values is None or values.size == 0 else max(1.0, float(np.abs(values).max()))
    return -bound, bound


def colorscale(name: str) -> str:
    return GATE_SCALE if name in ("f", "i", "o") else SIGNED_SCALE


def _base_layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height,
        font=FONT,
        margin=dict(l=70, r=30, t=50, b=50),
        hoverlabel=dict(font=FONT),
    )
    return figure


def visible_token(token: str) -> str:
    """A token as a label: a space or another blank character would print nothing."""
    return token if token.strip() else {" ": "␣", "\t": "⇥", "\n": "↵"}.get(token, "·")


def timestep_labels(tokens: Sequence[str]) -> list[str]:
    """Axis labels "t: token", unique even when a token repeats; blanks shown as ␣."""
    return [f"{t}: {visible_token(token)}" for t, token in enumerate(tokens)]


def _time_ticks(x_labels: Sequence[str], most: int | None = None) -> dict:
    """Every timestep labelled on short sequences; on long ones, evenly spaced labels, as many as
    fit side by side, unrotated, on a ≈ 560 px plot (a 1024 px projector with the sidebar open)."""
    widest = max((len(label) for label in x_labels), default=1)
    most = most or max(3, 560 // (7 * widest + 14))
    step = max(1, -(-len(x_labels) // most))
    return dict(tickmode="array", tickvals=x_labels[::step], ticktext=x_labels[::step], tickangle=0)


def gate_heatmaps(
    quantities: Mapping[str, np.ndarray],
    tokens: Sequence[str],
    titles: Mapping[str, str],
    labels: Mapping[str, str],
    timestep: int | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    scales: Mapping[str, str] | None = None,
) -> go.Figure:
    """Aligned units × time heatmaps, one row per quantity ((T, H) arrays), sharing the time axis.

    `timestep` draws a marker around that column on every row. `labels` gives "unit", "time",
    "token" and "value" for the hover text.
    """
    names = list(quantities)
    T = next(iter(quantities.values())).shape[0]
    x_labels = timestep_labels(tokens)
    figure = make_subplots(
        rows=len(names),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.035,
        subplot_titles=[titles[name] for name in names],
    )
    band = 1.0 / len(names)
    for row, name in enumerate(names, start=1):
        values = np.asarray(quantities[name])
        low, high = (ranges or {}).get(name) or value_range(name, values)
        hover_tokens = np.broadcast_to(np.asarray(tokens, dtype=object), (values.shape[1], T))
        figure.add_trace(
            go.Heatmap(
                z=values.T,
                x=x_labels,
                y=list(range(values.shape[1])),
                zmin=low,
                zmax=high,
                colorscale=(scales or {}).get(name) or colorscale(name),
                customdata=hover_tokens,
                hovertemplate=(
                    f"{titles[name]}<br>{labels['unit']} %{{y}}<br>{labels['time']} %{{x}}"
                    f"<br>{labels['value']} %{{z:.4f}}<extra></extra>"
                ),
                colorbar=dict(
                    len=band * 0.85,
                    y=1 - (row - 0.5) * band,
                    yanchor="middle",
                    thickness=14,
                    tickfont=dict(size=12),
                ),
                name=name,
            ),
            row=row,
            col=1,
        )
        figure.update_yaxes(
            title_text=labels["unit"], row=row, col=1, autorange="reversed", dtick=max(1, values.shape[1] // 8)
        )
    figure.update_xaxes(row=len(names), col=1, **_time_ticks(x_labels))
    if timestep is not None:
        figure.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=timestep - 0.5,
            x1=timestep + 0.5,
            y0=0,
            y1=1,
            line=dict(color=MARKER_COLOR, width=3),
            fillcolor="rgba(0,0,0,0)",
            name="timestep",
        )
    units = next(iter(quantities.values())).shape[1]
    row_height = int(np.clip(70 + 9 * units, 110, 220))
    return _base_layout(figure, height=row_height * len(names) + 90)


def one_hot_heatmap(
    x: np.ndarray, tokens: Sequence[str], vocabulary: Sequence[str], labels: Mapping[str, str]
) -> go.Figure:
    """The (T, V) one-hot matrix, vocabulary down, time across: one lit cell per column."""
    figure = go.Figure(
        go.Heatmap(
            z=x.T,
            x=timestep_labels(tokens),
            y=list(vocabulary),
            zmin=0,
            zmax=1,
            colorscale=[[0, "#f4f4f4"], [1, "#2b6cb0"]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate=f"{labels['time']} %{{x}}<br>{labels['character']} %{{y}}<br>%{{z:.0f}}<extra></extra>",
        )
    )
    figure.update_layout(title=labels["title"])
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category", **_time_ticks(timestep_labels(tokens)))
    return _base_layout(figure, height=max(220, 26 * len(vocabulary) + 110))


def unit_lines(
    values: np.ndarray,
    units: Sequence[int],
    tokens: Sequence[str],
    title: str,
    labels: Mapping[str, str],
    value_range_: tuple[float, float] | None = None,
) -> go.Figure:
    """Chosen units of one quantity ((T, H)) across time, one line per unit."""
    x_labels = timestep_labels(tokens)
    figure = go.Figure(
        [
            go.Scatter(x=x_labels, y=values[:, unit], mode="lines+markers", name=f"{labels['unit']} {unit}")
            for unit in units
        ]
    )
    figure.update_layout(title=title, legend=dict(orientation="h", y=-0.25))
    figure.update_xaxes(type="category", **_time_ticks(x_labels))
    if value_range_ is not None:
        low, high = value_range_
        figure.update_yaxes(range=[low - 0.05, high + 0.05])
    return _base_layout(figure, height=360)


def weight_heatmap(
    matrix: np.ndarray,
    row_label: str,
    column_labels: Sequence[str],
    bound: float | None = None,
    show_scale: bool = True,
) -> go.Figure:
    """One weight block; its numbers (one decimal) are written in the cells while they fit.

    Blocks of one gate share `bound`, so one colour bar (on the first block) reads for all.
    """
    matrix = np.atleast_2d(matrix)
    bound = bound or max(1e-9, float(np.abs(matrix).max()))
    # numbers in the cells only where a cell is wide enough for "-0.3" at 11 px on a 1024 px projector
    show_text = matrix.shape[1] <= 6 and matrix.shape[0] <= 24
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=list(column_labels),
            y=list(range(matrix.shape[0])),
            zmin=-bound,
            zmax=bound,
            colorscale=SIGNED_SCALE,
            text=matrix if show_text else None,
            texttemplate="%{text:.1f}" if show_text else None,
            textfont=dict(size=11),
            hovertemplate=f"{row_label} %{{y}}<br>%{{x}}<br>%{{z:.4f}}<extra></extra>",
            showscale=show_scale,
            colorbar=dict(thickness=12),
        )
    )
    figure.update_yaxes(autorange="reversed", title_text=row_label if show_scale else None, type="category")
    figure.update_xaxes(type="category")
    figure = _base_layout(figure, height=max(220, min(600, 26 * matrix.shape[0] + 90)))
    figure.update_layout(margin=dict(l=60 if show_scale else 34, r=10, t=10, b=40))
    return figure


# ---- the cell diagram ---------------------------------------------------------------------


def _color_stops(name: str) -> list[tuple[float, tuple[float, float, float]]]:
    from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

    return [
        (float(position), tuple(float(c) for c in (hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color))))
        for position, color in get_colorscale(name)
    ]


COLOR_STOPS = {name: _color_stops(name) for name in (GATE_SCALE, SIGNED_SCALE)}


def colorscale_stops(name: str) -> list[list]:
    """The quantity's colour scale as explicit stops: a plain spec sent to plotly.js cannot name
    Python-only scales such as "RdBu_r", and explicit stops are the very ones `_value_color` uses."""
    scale = colorscale(name)
    return [[position, "rgb({:g},{:g},{:g})".format(*rgb)] for position, rgb in COLOR_STOPS[scale]]


def _value_color(value: float, low: float, high: float, scale: str) -> str:
    """The colour of `value` on `scale`: linear between the scale's stops, channels rounded half up.

    Spelled out rather than plotly's sample_colorscale so that the cell page's live twin
    (ui/cell_live.py, in the browser) computes the very same string."""
    position = 0.5 if high == low or not math.isfinite(value) else min(1.0, max(0.0, (value - low) / (high - low)))
    stops = COLOR_STOPS[scale]
    k = next((k for k in range(len(stops) - 1) if position <= stops[k + 1][0]), len(stops) - 2)
    (p0, c0), (p1, c1) = stops[k], stops[k + 1]  # the segment holding `position` (else the last)
    weight = 0.0 if p1 == p0 else (position - p0) / (p1 - p0)
    red, green, blue = (math.floor(a + (b - a) * weight + 0.5) for a, b in zip(c0, c1))
    return f"rgb({red},{green},{blue})"


def _as_text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.3f}"


def _dark_box(value: float, scale: str, bound: float = 1.0) -> bool:
    """White text on a box this dark (low gates on Viridis, strong values on RdBu)."""
    return (scale == GATE_SCALE and value < 0.6) or (scale == SIGNED_SCALE and abs(value) > 0.6 * bound)


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
) -> go.Figure:
    """The classic LSTM cell: C_{t-1} → ×f → +i·C̃ → C_t → tanh → ×o → h_t, with x_t and h_{t-1}
    feeding the four gates. Every box shows its live value and is coloured by it; the cell-state
    wire is drawn thicker where more memory flows (its width follows |C|, `wire_width`). The
    boxes name the activations in use (`activations` = (gate, cell)); a relu or linear candidate
    is coloured on the scale of the largest |C| in the picture, since it is not bounded by 1.

    Shapes and annotations are collected as plain dicts and sent as they are: `add_shape` and
    `add_annotation` revalidate every earlier one on each call (≈200 ms for this diagram), and
    even one go.Figure(layout=...) takes 12 ms, most of the server's part of a weight move;
    the plain spec takes 2 ms. tests/ui/test_figures.py validates it with go.Figure.

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

    gate_symbol, cell_symbol = GATE_SYMBOLS[activations[0]], CELL_SYMBOLS[activations[1]]
    spread = [] if activations[1] in BOUNDED else ["c_prev", "c_tilde", "c"]  # keys of a shared ± scale
    boxes = [
        ("f", gate_symbol, 0, 1, GATE_SCALE, []),
        ("i", gate_symbol, 0, 1, GATE_SCALE, []),
        ("c_tilde", cell_symbol, -1, 1, SIGNED_SCALE, spread),
        ("o", gate_symbol, 0, 1, GATE_SCALE, []),
    ]
    for key, symbol, low, high, scale, keys in boxes:
        x, value = gate_x[key], values[key]
        bound = box_bound(values, keys)
        if bound is not None:
            low, high = -bound, bound
        recipe["boxes"].append([len(shapes), len(annotations), key, low, high, scale, keys])
        shapes.append(
            dict(
                type="rect",
                x0=x - half_w,
                x1=x + half_w,
                y0=GATE_Y - half_h,
                y1=GATE_Y + half_h,
                fillcolor=_value_color(value, low, high, scale),
                line=dict(color=MARKER_COLOR if key in clamped else "#222", width=4 if key in clamped else 1.5),
            )
        )
        text = live_text(f"<b>{symbol}</b><br>{labels[key]} = ", key)
        dark = _dark_box(value, scale, high if scale == SIGNED_SCALE else 1.0)
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
        shapes.append(
            dict(
                type="circle",
                xsizemode="pixel",
                ysizemode="pixel",
                xanchor=x,
                yanchor=y,
                x0=-node_px,
                x1=node_px,
                y0=-node_px,
                y1=node_px,
                fillcolor="white",
                line=dict(color="#222", width=2),
            )
        )
        annotations.append(dict(x=x, y=y, text=f"<b>{symbol}</b>", showarrow=False, font={**FONT, "size": 18}))
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
    layout = dict(
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


def static_svg(spec: Mapping, width: int = 900, label: str = "") -> str:
    """A figure of shapes and text only (the cell diagram), drawn as one inline SVG on the server.

    The home page shows the cell diagram as a picture, with nothing to hover or zoom; drawn with
    Plotly, a first visit waits for Plotly's 4.7 MB script to load and run (≈ 1.3 s on our
    machine) before the page shows anything. This draws the same spec (lines, rectangles,
    pixel-sized circles, annotations with <b>, <br> and <sub>) at `width` pixels, scaled to its
    column by the browser. Anything else in the spec is a ValueError, not a silent omission.
    """
    layout = spec["layout"]
    if spec.get("data"):
        raise ValueError("static_svg draws layout shapes and annotations only, not traces.")
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    margin, height = layout.get("margin", {}), layout["height"]
    left, right, top, bottom = (margin.get(side, 0) for side in ("l", "r", "t", "b"))
    font = layout.get("font", {})

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    parts = [f'<rect width="{width}" height="{height}" fill="{layout.get("paper_bgcolor", "white")}"/>']
    for shape in layout.get("shapes", []):
        line = shape.get("line", {})
        stroke = f'stroke="{line.get("color", "#444")}" stroke-width="{line.get("width", 2)}"'
        if shape["type"] == "line":
            parts.append(
                f'<line x1="{px(shape["x0"]):.1f}" y1="{py(shape["y0"]):.1f}" x2="{px(shape["x1"]):.1f}" '
                f'y2="{py(shape["y1"]):.1f}" {stroke}/>'
            )
        elif shape["type"] == "rect":
            left_x, right_x = sorted((px(shape["x0"]), px(shape["x1"])))
            top_y, bottom_y = sorted((py(shape["y0"]), py(shape["y1"])))
            parts.append(
                f'<rect x="{left_x:.1f}" y="{top_y:.1f}" width="{right_x - left_x:.1f}" '
                f'height="{bottom_y - top_y:.1f}" fill="{shape.get("fillcolor", "none")}" {stroke}/>'
            )
        elif shape["type"] == "circle" and shape.get("xsizemode") == "pixel" and shape.get("ysizemode") == "pixel":
            parts.append(
                f'<circle cx="{px(shape["xanchor"]):.1f}" cy="{py(shape["yanchor"]):.1f}" '
                f'r="{(shape["x1"] - shape["x0"]) / 2:.1f}" fill="{shape.get("fillcolor", "none")}" {stroke}/>'
            )
        else:
            raise ValueError(f"static_svg cannot draw a {shape['type']!r} shape sized like this.")
    for note in layout.get("annotations", []):
        if note.get("showarrow", True):
            raise ValueError("static_svg draws annotations without arrows only.")
        style = {**font, **note.get("font", {})}
        anchor = {"left": "start", "right": "end"}.get(note.get("xanchor", "center"), "middle")
        lines = note["text"].split("<br>")
        tspans = []
        for number, text in enumerate(lines):
            dy = f"{-0.65 * (len(lines) - 1):.2f}em" if number == 0 else "1.3em"
            tspans.append(f'<tspan x="{px(note["x"]):.1f}" dy="{dy}">{_svg_runs(text)}</tspan>')
        parts.append(
            f'<text x="{px(note["x"]):.1f}" y="{py(note["y"]):.1f}" text-anchor="{anchor}" '
            f'dominant-baseline="central" font-family="{html.escape(style.get("family", "sans-serif"))}" '
            f'font-size="{style.get("size", 12)}" fill="{style.get("color", "#444")}">{"".join(tspans)}</text>'
        )
    title = f"<title>{html.escape(label)}</title>" if label else ""
    return (
        f'<svg class="lstm-static" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{html.escape(label)}" style="max-width: {width}px">'
        f"{title}{''.join(parts)}</svg>"
    )


def _svg_runs(text: str) -> str:
    """Plotly's <b> and <sub> as SVG tspans; the rest as escaped text."""
    out, bold, sub = [], False, False
    for token in re.split(r"(</?b>|</?sub>)", text):
        if token in ("<b>", "</b>"):
            bold = token == "<b>"
        elif token in ("<sub>", "</sub>"):
            sub = token == "<sub>"
        elif token:
            attributes = (' font-weight="bold"' if bold else "") + (
                ' baseline-shift="sub" font-size="70%"' if sub else ""
            )
            out.append(f"<tspan{attributes}>{html.escape(token)}</tspan>" if attributes else html.escape(token))
    return "".join(out)


# ---- learning pages ---------------------------------------------------------------------------


def curves(
    series: Mapping[str, Sequence[float]],
    title: str,
    x_title: str,
    y_title: str,
    log_y: bool = False,
    x_start: int = 1,
) -> go.Figure:
    """One line per named series (loss or accuracy per epoch, several runs overlaid)."""
    figure = go.Figure(
        [
            go.Scatter(
                x=list(range(x_start, x_start + len(values))),
                y=list(values),
                mode="lines+markers",
                name=name,
                marker=dict(size=4),
            )
            for name, values in series.items()
        ]
    )
    figure.update_layout(title=title, legend=dict(orientation="h", y=-0.25))
    figure.update_xaxes(title_text=x_title)
    figure.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return _base_layout(figure, height=380)


# One colour per activation on every chart of the Gradient flow page.
ACTIVATION_COLORS = {
    "sigmoid": "#2b6cb0",
    "tanh": "#c53030",
    "hard_sigmoid": "#2f855a",
    "hard_sigmoid_keras2": "#b7791f",
    "relu": "#6b46c1",
    "linear": "#4a5568",
}


def _decade_ticks(values) -> dict:
    """A log axis labelled at powers of ten only, every few decades: plotly's minor labels
    ("2", "5") between them read as noise to a student."""
    finite = np.asarray([v for v in np.ravel(np.asarray(values, dtype=float)) if np.isfinite(v) and v > 0])
    decades = 1.0 if finite.size == 0 else max(1.0, np.log10(finite.max()) - np.log10(finite.min()))
    return dict(type="log", exponentformat="power", dtick=int(max(1, np.ceil(decades / 8))))


def gradient_norms(
    series: Mapping[str, np.ndarray], title: str, labels: Mapping[str, str], names: Mapping[str, str] | None = None
) -> go.Figure:
    """‖dL_T/dh_t‖ (solid), ‖dL_T/dC_t‖ (dotted) and its direct path along C (key ending in " f",
    dash-dot) against t on a log scale: the vanishing gradient, seen. `names` translates keys."""
    figure = go.Figure()
    colors = {"LSTM": "#2b6cb0", "GRU": "#2f855a", "RNN": "#c53030"}
    for key, values in series.items():
        values = np.asarray(values, dtype=float)
        name = (names or {}).get(key, key)
        shown = np.where(values > 0, values, np.nan)  # a log axis cannot show exact zeros
        dash = "dashdot" if key.endswith(" f") else "dot" if "dC" in key else "solid"
        figure.add_trace(
            go.Scatter(
                x=np.arange(len(values)),
                y=shown,
                mode="lines",
                name=name,
                line=dict(width=3, dash=dash, color=colors.get(key.split()[0])),
                hovertemplate=f"{name}<br>t = %{{x}}<br>%{{y:.3e}}<extra></extra>",
            )
        )
    figure.update_layout(title=title, legend=dict(orientation="h", y=-0.25))
    figure.update_xaxes(title_text=labels["time"])
    figure.update_yaxes(title_text=labels["norm"], **_decade_ticks([np.asarray(v, float) for v in series.values()]))
    return _base_layout(figure, height=420)


def activation_functions(
    functions: Mapping[str, tuple[np.ndarray, np.ndarray, float]],
    z: np.ndarray,
    labels: Mapping[str, str],
) -> go.Figure:
    """Each activation (solid) and its derivative (dashed), the derivative's maximum as a dotted
    line and in the legend (labels on the lines overlap where two maxima are close: 0.2 and 1/6)."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=[labels["functions"], labels["derivatives"]])
    for name, (values, slopes, top) in functions.items():
        color = ACTIVATION_COLORS.get(name, "#1a202c")
        figure.add_trace(
            go.Scatter(
                x=z, y=values, name=f"{name}  (max ′ = {top:.3g})", line=dict(color=color, width=3), legendgroup=name
            ),
            1,
            1,
        )
        figure.add_trace(
            go.Scatter(
                x=z,
                y=slopes,
                name=f"{name}′",
                line=dict(color=color, width=3, dash="dash"),
                legendgroup=name,
                showlegend=False,
            ),
            1,
            2,
        )
        figure.add_hline(y=top, line=dict(color=color, width=1, dash="dot"), row=1, col=2)
    figure.update_xaxes(title_text="z")
    figure.update_layout(legend=dict(orientation="h", y=-0.2))
    return _base_layout(figure, height=420)


def derivative_products(maxima: Mapping[str, float], steps: int, labels: Mapping[str, str]) -> go.Figure:
    """(max derivative)^t: the derivatives' share of a gradient passing t activations at their
    steepest, log scale (the weights and, in an LSTM's cell path, f multiply too)."""
    t = np.arange(0, steps + 1)
    figure = go.Figure(
        [
            go.Scatter(
                x=t,
                y=np.power(top, t),
                name=f"({top:.3g})ᵗ  {name}",
                mode="lines",
                line=dict(width=3, color=ACTIVATION_COLORS.get(name)),
            )
            for name, top in maxima.items()
        ]
    )
    # five long entries: beside the chart, where they cannot run into the axis title
    figure.update_layout(title=labels["title"], legend=dict(orientation="v", x=1.02, y=1, yanchor="top"))
    figure.update_xaxes(title_text=labels["steps"])
    figure.update_yaxes(title_text=labels["product"], **_decade_ticks([np.power(top, t) for top in maxima.values()]))
    return _base_layout(figure, height=380)
