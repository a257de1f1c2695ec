"""Plotly chart builders: arrays in, figures out. No Streamlit, no lstm_core internals.

Every builder takes already-translated labels, so the same code draws English and 简体中文.
Colours come from ui/colors.py, so a colour means the same number on every chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.colors import SIGNED_SCALE, colorscale, value_range
from ui.figure_base import FONT, MARKER_COLOR


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
    show_row_title: bool = True,
) -> go.Figure:
    """One weight block; its numbers (one decimal) are written in the cells while they fit.

    Blocks of one gate share `bound`, so one colour bar (on one of the blocks) reads for all;
    the row title goes on the first block.
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
    figure.update_yaxes(autorange="reversed", title_text=row_label if show_row_title else None, type="category")
    figure.update_xaxes(type="category")
    figure = _base_layout(figure, height=max(220, min(600, 26 * matrix.shape[0] + 90)))
    figure.update_layout(margin=dict(l=60 if show_row_title else 34, r=10, t=10, b=40))
    return figure


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


def saturation_scatter(shares: Mapping[str, tuple[np.ndarray, np.ndarray]], labels: Mapping[str, str]) -> go.Figure:
    """Karpathy, Johnson & Fei-Fei's saturation plot: one panel per gate, one dot per unit at
    (share of timesteps nearly open, share nearly closed). Units with the same two shares are
    one dot, larger, that names them all on hover: on short texts many units coincide, and
    jittering them apart would draw numbers that are not there. A unit cannot lie above the
    dotted line (its two shares add up to at most 1)."""
    gates = list(shares)
    figure = make_subplots(rows=1, cols=len(gates), subplot_titles=gates, shared_yaxes=True, horizontal_spacing=0.06)
    for column, gate in enumerate(gates, start=1):
        below, above = shares[gate]
        groups: dict[tuple[float, float], list[int]] = {}
        for unit, point in enumerate(zip(above.tolist(), below.tolist())):
            groups.setdefault(point, []).append(unit)
        points = list(groups)
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in points],
                y=[y for _, y in points],
                mode="markers",
                cliponaxis=False,  # a dot at 0 % or 100 % is drawn whole
                marker=dict(
                    size=[min(30.0, 8 + 3 * np.sqrt(len(groups[p]) - 1)) for p in points],
                    color="#2b6cb0",
                    opacity=0.75,
                    line=dict(width=1, color="white"),
                ),
                customdata=[", ".join(map(str, groups[p])) for p in points],
                hovertemplate=(
                    f"{gate}: {labels['units']} %{{customdata}}<br>{labels['open']} %{{x:.0%}}"
                    f"<br>{labels['closed']} %{{y:.0%}}<extra></extra>"
                ),
                showlegend=False,
            ),
            1,
            column,
        )
        figure.add_trace(
            go.Scatter(
                x=[0, 1], y=[1, 0], mode="lines", line=dict(color="#a0aec0", width=1, dash="dot"), hoverinfo="skip"
            ),
            1,
            column,
        )
    figure.update_xaxes(range=[-0.05, 1.05], tickformat=".0%", tickvals=[0, 0.5, 1], title_text=labels["open"])
    figure.update_yaxes(range=[-0.05, 1.05], tickformat=".0%", tickvals=[0, 0.5, 1])
    figure.update_yaxes(title_text=labels["closed"], col=1)
    figure.update_layout(showlegend=False)
    return _base_layout(figure, height=320)
