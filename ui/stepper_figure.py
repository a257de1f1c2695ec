"""The sequence stepper as one Plotly figure that steps in the browser, without the server.

Six heatmaps (f, i, C̃, o, C, h; units down, time across), a frame around the current column,
the six vectors at that column as bars, and the prediction made there. A Plotly slider and
Play/Pause buttons move through animation frames.

Why frames and traces instead of a layout shape: moving a layout shape makes plotly.js redraw
every heatmap and colour bar (≈80 ms for six 50 × 16 heatmaps, measured), while animating a
few small traces with `redraw: False` touches only those traces (≈15 ms). The marker is
therefore a closed line trace per heatmap, and each frame carries only the marker corners, the
bar heights and the prediction: kilobytes, not the heatmaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ui import figures
from ui.display_grid import Grid, display_grid
from ui.model import QUANTITIES, PreparedInput, Run

FIGURE_META = "lstm-stepper"  # how the page's script and the tests find this figure
MARKER_NAME = "timestep"
BAR_COLORS = dict(f="#2b6cb0", i="#38a169", c_tilde="#d69e2e", o="#805ad5", c="#e53e3e", h="#1a202c")
PREDICTION_COLOR = "#2b6cb0"
SYMBOLS = dict(f="f", i="i", c_tilde="C̃", o="o", c="C", h="h")


@dataclass(frozen=True)
class StepperTexts:
    """Every word the figure shows, already translated."""

    titles: Mapping[str, str]  # per quantity
    unit: str
    time: str
    value: str
    step_prefix: str  # before the slider's current value, e.g. "t = "
    play: str
    pause: str
    bars_title: str
    prediction_title: str
    probability: str
    true_next: str
    series: str
    prediction: str
    reduced_note: str  # "" when the grid shows every timestep and unit


def column_labels(grid: Grid, tokens: Sequence[str]) -> list[str]:
    """"t: token" per column, or "first–last" when a column holds several timesteps."""
    if grid.steps == 1:
        return figures.timestep_labels(tokens)
    return [f"{first}–{last}" for first, last in map(grid.column_steps, range(grid.columns))]


def _marker(column: int, rows: int) -> dict:
    return dict(x=[column - 0.5, column + 0.5, column + 0.5, column - 0.5, column - 0.5],
                y=[-0.5, -0.5, rows - 0.5, rows - 0.5, -0.5])


def _domains(heights: Sequence[float], gap: float) -> list[tuple[float, float]]:
    """Vertical paper domains, top to bottom, for rows of the given pixel heights."""
    total = sum(heights) + gap * (len(heights) - 1)
    top, out = 1.0, []
    for height in heights:
        out.append((max(0.0, top - height / total), top))
        top -= (height + gap) / total
    return out


def stepper_figure(
    run: Run,
    tokens: Sequence[str],
    texts: StepperTexts,
    *,
    kind: str = "text",
    vocabulary: Sequence[str] = (),
    targets: np.ndarray | None = None,
    has_target: np.ndarray | None = None,
    series: np.ndarray | None = None,
    active_step: int = 0,
    frame_ms: int = 1000,
    grid: Grid | None = None,
) -> dict:
    """The figure as a Plotly spec (data, layout, frames); `active_step` is a timestep whose
    column is framed first. Wrap it in PrebuiltFigure for st.plotly_chart."""
    T = len(tokens)
    quantities = {name: np.asarray(run.quantity(name))[:T] for name in QUANTITIES}
    H = quantities["h"].shape[1]
    grid = grid or display_grid(T, H)
    shown = {name: grid.shrink(values) for name, values in quantities.items()}
    C, R = grid.columns, grid.rows
    active = grid.column_of(active_step)
    labels = column_labels(grid, tokens)
    row_labels = list(range(R)) if grid.units == 1 else [f"{r * grid.units}–{min(H, (r + 1) * grid.units) - 1}"
                                                         for r in range(R)]

    row_height = float(np.clip(70 + 9 * R, 110, 220))
    bottom_height = 300.0
    domains = _domains([row_height] * len(QUANTITIES) + [bottom_height], gap=28)
    figure = go.Figure()
    layout: dict = {}
    # "t: token" labels are short; "first–last" ranges are wide and need more room each
    tick_step = max(1, -(-C // (30 if grid.steps == 1 else 10)))
    hover = np.broadcast_to(np.asarray(labels, dtype=object), (R, C))
    for k, name in enumerate(QUANTITIES, start=1):
        low, high = figures.value_range(name, quantities[name])
        suffix = "" if k == 1 else str(k)
        figure.add_trace(go.Heatmap(
            z=shown[name].T, x=np.arange(C), y=np.arange(R), zmin=low, zmax=high,
            colorscale=figures.colorscale(name), customdata=hover, xaxis=f"x{suffix}", yaxis=f"y{suffix}",
            hovertemplate=(f"{texts.titles[name]}<br>{texts.unit} %{{y}}<br>{texts.time} %{{customdata}}"
                           f"<br>{texts.value} %{{z:.4f}}<extra></extra>"),
            colorbar=dict(len=(domains[k - 1][1] - domains[k - 1][0]) * 0.9, y=sum(domains[k - 1]) / 2,
                          yanchor="middle", thickness=14, tickfont=dict(size=12)),
            name=name,
        ))
        layout[f"xaxis{suffix}"] = dict(
            anchor=f"y{suffix}", domain=(0, 1), range=(-0.5, C - 0.5), matches=None if k == 1 else "x",
            showticklabels=k == len(QUANTITIES), tickmode="array", tickvals=list(range(0, C, tick_step)),
            ticktext=labels[::tick_step], showgrid=False, zeroline=False,
        )
        layout[f"yaxis{suffix}"] = dict(
            anchor=f"x{suffix}", domain=domains[k - 1], range=(R - 0.5, -0.5), title_text=texts.unit,
            tickmode="array", tickvals=list(range(0, R, max(1, R // 8))),
            ticktext=[str(row_labels[r]) for r in range(0, R, max(1, R // 8))], showgrid=False, zeroline=False,
        )
    annotations = [
        dict(text=f"<b>{texts.titles[name]}</b>", x=0, xref="paper", xanchor="left", yref="paper",
             y=domains[k][1], yanchor="bottom", showarrow=False, font=dict(size=14))
        for k, name in enumerate(QUANTITIES)
    ]
    if texts.reduced_note:
        annotations.append(dict(text=texts.reduced_note, x=1, xref="paper", xanchor="right", yref="paper", y=1,
                                yanchor="bottom", yshift=22, showarrow=False,
                                font=dict(size=13, color=figures.MARKER_COLOR)))

    marker_first = len(figure.data)
    for k in range(1, len(QUANTITIES) + 1):
        suffix = "" if k == 1 else str(k)
        figure.add_trace(go.Scatter(**_marker(active, R), mode="lines", xaxis=f"x{suffix}", yaxis=f"y{suffix}",
                                    line=dict(color=figures.MARKER_COLOR, width=3), hoverinfo="skip",
                                    showlegend=False, name=MARKER_NAME))

    bottom = domains[-1]
    bars_first = len(figure.data)
    for name in QUANTITIES:
        figure.add_trace(go.Bar(
            x=np.arange(R), y=shown[name][active], name=texts.titles[name], xaxis="x7", yaxis="y7",
            marker_color=BAR_COLORS[name], showlegend=False,
            hovertemplate=f"{texts.titles[name]}<br>{texts.unit} %{{x}}<br>{texts.value} %{{y:.4f}}<extra></extra>",
        ))
    c_bound = max(1.0, float(np.abs(shown["c"]).max())) * 1.05
    layout["xaxis7"] = dict(anchor="y7", domain=(0, 0.46), title_text=texts.unit, range=(-0.5, R - 0.5),
                            dtick=1 if R <= 16 else None)
    layout["yaxis7"] = dict(anchor="x7", domain=(bottom[0], bottom[1] * 0.8 + bottom[0] * 0.2),
                            range=(-min(1.05, c_bound), c_bound), title_text=texts.value)
    key = "  ".join(f'<span style="color:{BAR_COLORS[name]}">■</span> {SYMBOLS[name]}' for name in QUANTITIES)
    annotations.append(dict(text=f"<b>{texts.bars_title}</b>", x=0, xref="paper", xanchor="left", yref="paper",
                            y=bottom[1], yanchor="top", showarrow=False, font=dict(size=14)))
    annotations.append(dict(text=key, x=0, xref="paper", xanchor="left", yref="paper", y=bottom[1], yanchor="top",
                            yshift=-20, showarrow=False, font=dict(size=12)))
    annotations.append(dict(text=f"<b>{texts.prediction_title}</b>", x=0.54, xref="paper", xanchor="left",
                            yref="paper", y=bottom[1], yanchor="top", showarrow=False, font=dict(size=14)))
    layout["xaxis8"] = dict(anchor="y8", domain=(0.54, 1))
    layout["yaxis8"] = dict(anchor="x8", domain=layout["yaxis7"]["domain"])

    prediction_first = len(figure.data)
    if kind == "text":
        vocabulary = list(vocabulary)
        column_prediction = [run.predictions[grid.column_start(c)] for c in range(C)]

        def prediction_data(c: int) -> list[dict]:
            start = grid.column_start(c)
            probabilities = column_prediction[c]
            best = int(np.argmax(probabilities))
            p = float(probabilities[best])
            if has_target is not None and has_target[start]:
                target = int(targets[start])
                truth = dict(x=[vocabulary[target]], y=[float(probabilities[target])])
            else:
                truth = dict(x=[], y=[])
            return [dict(y=_rounded(probabilities)),
                    dict(x=[vocabulary[best]], y=[p], text=[f"{vocabulary[best]} {p:.0%}"]),
                    truth]

        first = prediction_data(active)
        figure.add_trace(go.Bar(x=vocabulary, **first[0], xaxis="x8", yaxis="y8", showlegend=False,
                                marker_color=PREDICTION_COLOR, name="probabilities",
                                hovertemplate=f"%{{x}}<br>{texts.probability} %{{y:.4f}}<extra></extra>"))
        figure.add_trace(go.Scatter(**first[1], mode="text", textposition="top center", xaxis="x8", yaxis="y8",
                                    showlegend=False, hoverinfo="skip", textfont=dict(size=14)))
        # The true next character: a marker on its bar (bar colours do not change in a redraw-free frame).
        figure.add_trace(go.Scatter(**first[2], mode="markers", xaxis="x8", yaxis="y8", showlegend=False,
                                    name="true_next", hovertemplate=f"{texts.true_next}: %{{x}}<extra></extra>",
                                    marker=dict(symbol="diamond", size=13, color=figures.MARKER_COLOR,
                                                line=dict(color="white", width=1))))
        layout["xaxis8"].update(type="category", categoryorder="array", categoryarray=vocabulary)
        layout["yaxis8"].update(range=(0, 1.15), title_text=texts.probability)
        annotations.append(dict(text=f"◆ {texts.true_next}", x=0.54, xref="paper", xanchor="left", yref="paper",
                                y=bottom[1], yanchor="top", yshift=-20, showarrow=False,
                                font=dict(size=12, color=figures.MARKER_COLOR)))
    else:
        values = np.asarray(series, dtype=np.float64)[:T]
        predicted = np.asarray(run.predictions)[:T, 0]
        finite = np.concatenate([values, predicted])
        low, high = float(finite.min()), float(finite.max())
        pad = 0.05 * max(high - low, 1e-9)
        low, high = low - pad, high + pad

        def prediction_data(c: int) -> list[dict]:
            start = grid.column_start(c)
            return [dict(x=[start, start], y=[low, high])]

        steps = np.arange(T)
        figure.add_trace(go.Scatter(x=steps, y=values, mode="lines", name=texts.series, xaxis="x8", yaxis="y8",
                                    legendgroup="series", showlegend=False, line=dict(color="#2b6cb0")))
        figure.add_trace(go.Scatter(x=steps + 1, y=predicted, mode="lines", name=texts.prediction, xaxis="x8",
                                    yaxis="y8", legendgroup="series", showlegend=False,
                                    line=dict(dash="dash", color="#dd6b20")))
        annotations.append(dict(
            text=f'<span style="color:#2b6cb0">━</span> {texts.series}  <span style="color:#dd6b20">╌</span> {texts.prediction}',
            x=0.54, xref="paper", xanchor="left", yref="paper", y=bottom[1], yanchor="top", yshift=-20,
            showarrow=False, font=dict(size=12)))
        prediction_first = len(figure.data)
        figure.add_trace(go.Scatter(**prediction_data(active)[0], mode="lines", xaxis="x8", yaxis="y8",
                                    showlegend=False, hoverinfo="skip", name=MARKER_NAME + "_series",
                                    line=dict(color=figures.MARKER_COLOR, width=2)))
        layout["xaxis8"].update(range=(-0.5, T + 0.5), title_text=texts.time)
        layout["yaxis8"].update(range=(low, high))

    animated = list(range(marker_first, marker_first + len(QUANTITIES)))
    animated += list(range(bars_first, bars_first + len(QUANTITIES)))
    animated += list(range(prediction_first, len(figure.data)))

    def frame_data(c: int) -> list[dict]:
        return ([dict(x=_marker(c, R)["x"])] * len(QUANTITIES)
                + [dict(y=_rounded(shown[name][c])) for name in QUANTITIES] + prediction_data(c))

    still = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    slider_font = dict(size=11) if C <= 40 else dict(size=1, color="rgba(0,0,0,0)")
    figure.update_layout(
        **layout,
        annotations=annotations,
        meta=FIGURE_META,
        uirevision=FIGURE_META,
        height=int(sum([row_height] * len(QUANTITIES)) + bottom_height + 28 * 6 + 190),
        margin=dict(l=70, r=30, t=60, b=130),
        font=figures.FONT,
        hoverlabel=dict(font=figures.FONT),
        barmode="group",
        bargap=0.15,
        template="plotly_white",
        showlegend=False,  # keys are written under the two bottom titles
        sliders=[dict(
            active=active, x=0.2, len=0.8, y=0, yanchor="top", pad=dict(t=60, b=0),
            currentvalue=dict(prefix=texts.step_prefix, xanchor="right",
                              font=dict(size=15, color=figures.MARKER_COLOR)),
            font=slider_font, transition=dict(duration=0),
            steps=[dict(method="animate", label=label, args=[[str(c)], still]) for c, label in enumerate(labels)],
        )],
        updatemenus=[dict(
            type="buttons", direction="left", x=0, xanchor="left", y=0, yanchor="top", pad=dict(t=70, r=8),
            showactive=False,
            buttons=[
                dict(label="▶ " + texts.play, method="animate",
                     args=[None, dict(mode="immediate", fromcurrent=True, frame=dict(duration=frame_ms, redraw=False),
                                      transition=dict(duration=0))]),
                dict(label="■ " + texts.pause, method="animate", args=[[None], still]),
            ],
        )],
    )
    spec = figure.to_dict()
    # Frames stay plain dicts: as go.Frame objects, 400 of them take ≈1 s to validate.
    spec["frames"] = [dict(name=str(c), data=frame_data(c), traces=animated) for c in range(C)]
    return spec


def _rounded(values: np.ndarray) -> list[float]:
    """Bar heights to 6 decimals (hover shows 4): a T = 2000 figure stays around a megabyte."""
    return np.round(np.asarray(values, dtype=np.float64), 6).tolist()


def stepper_spec(run: Run, prepared: PreparedInput, texts: StepperTexts, active_step: int = 0,
                 frame_ms: int = 1000, grid: Grid | None = None) -> dict:
    """`stepper_figure` for a prepared text or series input."""
    return stepper_figure(
        run, prepared.tokens, texts, kind=prepared.kind,
        vocabulary=prepared.vocabulary.tokens if prepared.kind == "text" else (),
        targets=prepared.targets, has_target=prepared.has_target, series=prepared.x[:, 0],
        active_step=active_step, frame_ms=frame_ms, grid=grid,
    )
