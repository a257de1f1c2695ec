"""The sequence stepper as two Plotly figures that step in the browser, without the server.

`heatmaps_figure`: six heatmaps (f, i, C̃, o, C, h; units down, time across), never changed
after they are drawn. `panels_figure`: the six vectors at the current column as bars, and the
prediction made there, with one animation frame per column (the bars' values in it are taken
from the heatmaps in the browser, not sent twice).

Why two figures: plotly.js removes every heatmap of a figure when `Plotly.animate(...,
{redraw: false})` updates other traces of it (plotly/plotly.js#4491: the cartesian plot of a
transition passes each subplot only its animated traces, and the layers without data are
dropped), while a full redraw or moving a layout shape redraws every heatmap (too slow to play
at several steps a second). So the heatmaps figure is never animated: the frame around the current column is drawn
over it by ui/static/stepper.js, and only the small panels figure is animated. The page's first
drawing carries the frame as layout shapes (`framed`), which stepper.js hides once it draws its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ui import charts, colors, figure_base
from ui.display_grid import Grid, display_grid
from ui.inputs import PreparedInput
from ui.model import QUANTITIES, Run

HEATMAPS_META = "lstm-stepper-heatmaps"  # how ui/static/stepper.js and the tests find the two figures
PANELS_META = "lstm-stepper-panels"
MARKER_NAME = "timestep"
FRAME_NAME = "lstm-step-frame"  # the heatmaps' first frame (framed), as stepper.js finds it
BAR_COLORS = dict(f="#2b6cb0", i="#38a169", c_tilde="#d69e2e", o="#805ad5", c="#e53e3e", h="#1a202c")
CLASS_COLORS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#e53e3e", "#1a202c")  # one line per class
PREDICTION_COLOR = "#2b6cb0"
SYMBOLS = dict(f="f", i="i", c_tilde="C̃", o="o", c="C", h="h")


@dataclass(frozen=True)
class StepperTexts:
    """Every word the figure shows, already translated."""

    titles: Mapping[str, str]  # per quantity
    unit: str
    time: str
    value: str
    bars_title: str
    prediction_title: str
    probability: str
    true_next: str
    series: str
    prediction: str
    reduced_note: str  # "" when the grid shows every timestep and unit
    classifier_title: str = "Class probabilities at each step"  # a series model whose head has classes
    class_name: str = "P(class {k})"


def column_labels(grid: Grid, tokens: Sequence[str]) -> list[str]:
    """ "t: token" per column, or "first–last" when a column holds several timesteps."""
    if grid.steps == 1:
        return charts.timestep_labels(tokens)
    return [f"{first}–{last}" for first, last in map(grid.column_steps, range(grid.columns))]


def _domains(heights: Sequence[float], gap: float) -> list[tuple[float, float]]:
    """Vertical paper domains, top to bottom, for rows of the given pixel heights."""
    total = sum(heights) + gap * (len(heights) - 1)
    top, out = 1.0, []
    for height in heights:
        out.append((max(0.0, top - height / total), top))
        top -= (height + gap) / total
    return out


def _row_labels(grid: Grid) -> list[str]:
    if grid.units == 1:
        return [str(r) for r in range(grid.rows)]
    return [f"{r * grid.units}–{min(grid.hidden, (r + 1) * grid.units) - 1}" for r in range(grid.rows)]


# Decimals of every value the stepper's figures hold: the hover shows 4, and a T = 2000 figure's
# spec stays a fraction of what 17 significant digits would make it.
SHOWN_DECIMALS = 6
HEATMAP_GAP = 20  # px between heatmap rows: room for the next one's title
WHITE_TEMPLATE = pio.templates["plotly_white"].to_plotly_json()  # the spec is a dict: no name lookup

# Margins wide enough for what the axes and colour bars draw in them. Plotly widens a margin that
# is too narrow, but only by laying the whole figure out a second time, and on a first visit that
# second pass of six heatmaps and their colour bars comes before the student sees them.
COLORBAR_MARGIN = 44  # px right of the heatmaps: the bar's padding, its 12 px and the tick marks
PANELS_MARGIN = {  # the value and probability axes' titles and ticks; a series' last time label
    "text": dict(l=78, r=17, t=17, b=70),
    "series": dict(l=78, r=28, t=18, b=70),
}


def colorbar_label_px(text: str) -> int:
    """How wide an 11 px colour-bar tick label is drawn (Plotly's font): digits and letters 6 px,
    a minus 4 px, a point 3 px."""
    return sum(3 if char == "." else 4 if char == "-" else 6 for char in text)


def heatmap_row_height(rows: int) -> float:
    """Compact rows, so that the six heatmaps and the step controls fit one 1024×768 screen."""
    return float(np.clip(24 + 3.5 * rows, 48, 200))


def heatmaps_figure(run: Run, tokens: Sequence[str], texts: StepperTexts, grid: Grid | None = None) -> dict:
    """The six heatmaps as a Plotly spec; static (no frames): the current column is framed by
    ui/static/stepper.js over the drawn images, and `layout.meta.columns` tells it how many there are."""
    T = len(tokens)
    quantities = {name: np.asarray(run.quantity(name))[:T] for name in QUANTITIES}
    H = quantities["h"].shape[1]
    grid = grid or display_grid(T, H)
    C, R = grid.columns, grid.rows
    labels = column_labels(grid, tokens)
    row_labels = _row_labels(grid)
    row_height = heatmap_row_height(R)
    top, bottom = 22 + (18 if texts.reduced_note else 0), 40
    domains = _domains([row_height] * len(QUANTITIES), gap=HEATMAP_GAP)
    # tick labels every few rows/columns so that 12 px labels never touch
    row_tick = max(1, int(np.ceil(R * 14 / row_height)))
    # as many time labels as fit side by side, unrotated, on a ≈ 560 px plot (a 1024 px projector)
    widest = max(len(label) for label in labels)
    tick_step = max(1, -(-C // max(3, 560 // (7 * widest + 14))))
    data, layout, annotations, widest_tick = [], {}, [], 0
    for k, name in enumerate(QUANTITIES, start=1):
        low, high = colors.value_range(name, quantities[name])
        suffix = "" if k == 1 else str(k)
        domain = domains[k - 1]
        ticks = [low, high] if row_height < 64 else [low, (low + high) / 2, high]  # a compact row: its ends only
        tick_texts = [f"{tick:.3g}" for tick in ticks]  # 3.62, not 3.616337
        widest_tick = max(widest_tick, *map(colorbar_label_px, tick_texts))
        data.append(
            dict(
                type="heatmap",
                z=np.round(grid.shrink(quantities[name]).T, SHOWN_DECIMALS),  # as the bars
                # the axes' own labels, so that the hover names a block's units and steps
                # ("unit 20–23", "t 1995–1999") without a label per cell
                x=labels,
                y=row_labels,
                zmin=low,
                zmax=high,
                colorscale=colors.colorscale_stops(name),
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                name=name,
                hovertemplate=(
                    f"{texts.titles[name]}<br>{texts.unit} %{{y}}<br>{texts.time} %{{x}}"
                    f"<br>{texts.value} %{{z:.4f}}<extra></extra>"
                ),
                colorbar=dict(
                    x=1,  # at the plot's right edge, not 2 % of its width beyond it: a margin
                    xanchor="left",  # that does not depend on the screen's width
                    len=(domain[1] - domain[0]),
                    y=sum(domain) / 2,
                    yanchor="middle",
                    thickness=12,
                    tickfont=dict(size=11),
                    tickmode="array",
                    tickvals=ticks,
                    ticktext=tick_texts,
                ),
            )
        )
        layout[f"xaxis{suffix}"] = dict(
            type="category",  # column c at position c, whatever its label looks like ("7")
            anchor=f"y{suffix}",
            domain=(0, 1),
            range=(-0.5, C - 0.5),
            matches=None if k == 1 else "x",
            showticklabels=k == len(QUANTITIES),
            tickmode="array",
            tickvals=labels[::tick_step],
            tickangle=0,
            tickfont=dict(size=12),
            showgrid=False,
            zeroline=False,
            fixedrange=True,
        )
        layout[f"yaxis{suffix}"] = dict(
            type="category",
            anchor=f"x{suffix}",
            domain=domain,
            range=(R - 0.5, -0.5),
            tickmode="array",
            tickvals=row_labels[::row_tick],
            tickfont=dict(size=11),
            showgrid=False,
            zeroline=False,
            fixedrange=True,
        )
        annotations.append(
            dict(
                text=f"<b>{texts.titles[name]}</b>",
                x=0,
                xref="paper",
                xanchor="left",
                yref="paper",
                y=domain[1],
                yanchor="bottom",
                showarrow=False,
                font=dict(size=13),
            )
        )
    annotations.append(
        dict(
            text=texts.unit,
            textangle=-90,
            x=0,
            xref="paper",
            xanchor="right",
            xshift=-30,
            y=0.5,
            yref="paper",
            showarrow=False,
            font=dict(size=12),
        )
    )
    if texts.reduced_note:
        annotations.append(
            dict(
                text=texts.reduced_note,
                x=1,
                xref="paper",
                xanchor="right",
                yref="paper",
                y=1,
                yanchor="bottom",
                yshift=18,
                showarrow=False,
                font=dict(size=12, color=figure_base.MARKER_COLOR),
            )
        )
    layout.update(
        annotations=annotations,
        meta=dict(name=HEATMAPS_META, columns=C),
        uirevision=HEATMAPS_META,
        height=int(row_height * len(QUANTITIES) + HEATMAP_GAP * (len(QUANTITIES) - 1) + top + bottom),
        margin=dict(l=64, r=COLORBAR_MARGIN + widest_tick, t=top, b=bottom),
        font=figure_base.FONT,
        hoverlabel=dict(font=figure_base.FONT),
        template=WHITE_TEMPLATE,
        showlegend=False,
        dragmode=False,
    )
    return dict(data=data, layout=layout)


def framed(heatmaps: dict, column: int) -> dict:
    """The heatmaps spec with a frame around `column` on each heatmap, drawn with them.

    On a first visit the controls' script (ui/static/stepper.js) arrives after Plotly has drawn
    the heatmaps, and the frame it draws over them came hundreds of ms after the colours. These
    layout shapes are part of the first drawing; once stepper.js draws its own frame it hides
    them, and keeps their column on the current one, so that the chart's image download frames
    the step the student is on. A copy of the spec's top levels: the cached heatmaps are shared.
    """
    shapes = [
        dict(
            type="rect",
            name=FRAME_NAME,
            xref=trace["xaxis"],
            yref=trace["yaxis"] + " domain",
            x0=column - 0.5,
            x1=column + 0.5,
            y0=0,
            y1=1,
            line=dict(color=figure_base.MARKER_COLOR, width=3),
            fillcolor="rgba(0,0,0,0)",
            layer="above",
        )
        for trace in heatmaps["data"]
        if trace["type"] == "heatmap"
    ]
    return {**heatmaps, "layout": {**heatmaps["layout"], "shapes": shapes}}


def _panel_text(text: str, x: float, line: int = 0, size: int = 12, color: str | None = None) -> dict:
    """A text at the top of a panel (x = 0: the bars, 0.56: the prediction), on its `line`:
    0 the title, 1 the key, 2 the key's second line (as the text panel's true-next marker)."""
    font = dict(size=size) if color is None else dict(size=size, color=color)
    return dict(
        text=text,
        x=x,
        xref="paper",
        xanchor="left",
        yref="paper",
        y=1,
        yanchor="top",
        yshift=(0, -20, -38)[line],
        showarrow=False,
        font=font,
    )


def panels_figure(
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
    grid: Grid | None = None,
) -> dict:
    """The bars of the six values at one column (left) and the prediction there (right), as a
    Plotly spec with a frame per column (named by the column number); `active_step` is the
    timestep shown first."""
    T = len(tokens)
    quantities = {name: np.asarray(run.quantity(name))[:T] for name in QUANTITIES}
    grid = grid or display_grid(T, quantities["h"].shape[1])
    shown = {name: grid.shrink(values) for name, values in quantities.items()}
    active = grid.column_of(active_step)
    figure = go.Figure()
    layout = _value_bars(figure, shown, active, grid.rows, texts)
    key = "  ".join(f'<span style="color:{BAR_COLORS[name]}">■</span> {SYMBOLS[name]}' for name in QUANTITIES)
    annotations = [
        _panel_text(f"<b>{texts.bars_title}</b>", 0, size=13),
        _panel_text(key, 0, line=1),
        _panel_text(f"<b>{_two_lines(texts.prediction_title)}</b>", 0.56, size=13),
    ]
    if kind == "text":
        first_animated, prediction_data = _next_character_panel(
            figure, layout, annotations, run, grid, texts, list(vocabulary), targets, has_target, active
        )
    else:
        first_animated, prediction_data = _series_panel(
            figure, layout, annotations, run, grid, texts, series, T, active
        )
    predictions = list(range(first_animated, len(figure.data)))

    figure.update_layout(
        **layout,
        annotations=annotations,
        meta=dict(name=PANELS_META, columns=grid.columns, active=active, bars=len(QUANTITIES)),
        uirevision=PANELS_META,
        height=350,
        margin=PANELS_MARGIN[kind],
        font=figure_base.FONT,
        hoverlabel=dict(font=figure_base.FONT),
        barmode="group",
        bargap=0.15,
        template="plotly_white",
        showlegend=False,  # keys are written under the two titles
    )
    spec = figure.to_dict()
    # Frames stay plain dicts: as go.Frame objects, hundreds of them take longer to validate than to compute.
    # Each holds the prediction only: stepper.js adds the bars (`meta.bars` of them, the first
    # traces), which at column c are the heatmaps' column c, the same block means to the same
    # decimals; sent twice, they were most of a long input's bytes.
    spec["frames"] = [dict(name=str(c), data=prediction_data(c), traces=predictions) for c in range(grid.columns)]
    return spec


def _two_lines(title: str) -> str:
    """Each half of the panels is about 300 px wide on a projector: a title with a formula takes
    two lines, broken after its colon."""
    return title.replace(": ", "<br>", 1).replace("：", "<br>", 1)


def _value_bars(figure: go.Figure, shown: dict[str, np.ndarray], active: int, rows: int, texts: StepperTexts) -> dict:
    """The left half: a bar per unit for each of f, i, C̃, o, C, h at the active column. Returns
    the layout of both halves' axes (the right half's are filled in by its panel)."""
    for name in QUANTITIES:
        figure.add_trace(
            go.Bar(
                x=np.arange(rows),
                y=_rounded(shown[name][active]),  # as the heatmaps' column: stepper.js checks they agree
                name=texts.titles[name],
                xaxis="x",
                yaxis="y",
                marker_color=BAR_COLORS[name],
                showlegend=False,
                hovertemplate=f"{texts.titles[name]}<br>{texts.unit} %{{x}}<br>{texts.value} %{{y:.4f}}<extra></extra>",
            )
        )
    c_bound = max(1.0, float(np.abs(shown["c"]).max())) * 1.05
    return {
        "xaxis": dict(
            domain=(0, 0.44),
            title_text=texts.unit,
            range=(-0.5, rows - 0.5),
            dtick=1 if rows <= 16 else None,
            fixedrange=True,
        ),
        "yaxis": dict(domain=(0, 0.76), range=(-min(1.05, c_bound), c_bound), title_text=texts.value, fixedrange=True),
        "xaxis2": dict(anchor="y2", domain=(0.56, 1), fixedrange=True),
        "yaxis2": dict(anchor="x2", domain=(0, 0.76), fixedrange=True),
    }


FrameData = Callable[[int], list[dict]]
RIGHT_HALF = dict(xaxis="x2", yaxis="y2", showlegend=False)  # the prediction panel's axes, no legend


def _next_character_panel(
    figure: go.Figure,
    layout: dict,
    annotations: list[dict],
    run: Run,
    grid: Grid,
    texts: StepperTexts,
    vocabulary: list[str],
    targets: np.ndarray | None,
    has_target: np.ndarray | None,
    active: int,
) -> tuple[int, FrameData]:
    """The right half for text: the softmax over the vocabulary at the column's first step, the
    most likely character named, the true next character as a diamond. Returns the index of its
    first animated trace and the data of its traces in each frame."""
    first_animated = len(figure.data)

    def prediction_data(c: int) -> list[dict]:
        start = grid.column_start(c)
        probabilities = run.predictions[start]
        best = int(np.argmax(probabilities))
        p = float(probabilities[best])
        # No true next character: the diamond goes below the axis, where it is clipped. An empty
        # trace would not do: a redraw-free frame leaves the points it removes on the screen.
        target = int(targets[start]) if targets is not None and has_target is not None and has_target[start] else None
        truth = dict(
            x=[vocabulary[target if target is not None else best]],
            y=[float(probabilities[target]) if target is not None else -1.0],
        )
        return [
            dict(y=_rounded(probabilities)),
            dict(x=[vocabulary[best]], y=[p], text=[f"{vocabulary[best]} {p:.0%}"]),
            truth,
        ]

    bars, best, truth = prediction_data(active)
    figure.add_trace(
        go.Bar(
            x=vocabulary,
            **bars,
            **RIGHT_HALF,
            marker_color=PREDICTION_COLOR,
            name="probabilities",
            hovertemplate=f"%{{x}}<br>{texts.probability} %{{y:.4f}}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            **best,
            mode="text",
            textposition="top center",
            **RIGHT_HALF,
            hoverinfo="skip",
            textfont=dict(size=14),
            cliponaxis=False,
        )
    )
    figure.add_trace(
        go.Scatter(
            **truth,
            mode="markers",
            **RIGHT_HALF,
            name="true_next",
            hovertemplate=f"{texts.true_next}: %{{x}}<extra></extra>",
            cliponaxis=True,
            marker=dict(symbol="diamond", size=13, color=figure_base.MARKER_COLOR, line=dict(color="white", width=1)),
        )
    )
    layout["xaxis2"].update(type="category", categoryorder="array", categoryarray=vocabulary, tickfont=dict(size=13))
    layout["yaxis2"].update(range=(0, 1.15), title_text=texts.probability)
    annotations.append(_panel_text(f"◆ {texts.true_next}", 0.56, line=2, color=figure_base.MARKER_COLOR))
    return first_animated, prediction_data


def _series_panel(
    figure: go.Figure,
    layout: dict,
    annotations: list[dict],
    run: Run,
    grid: Grid,
    texts: StepperTexts,
    series: np.ndarray | None,
    T: int,
    active: int,
) -> tuple[int, FrameData]:
    """The right half for a series: the whole series with the head's output over time and a
    vertical line at the column's first step. A one-output head predicts the next value (drawn
    one step to the right); a classifier draws P(class k) at every step. Only the line moves."""
    outputs = np.asarray(run.predictions, dtype=np.float64)[:T]
    steps = np.arange(T)
    if outputs.shape[1] > 1:
        annotations[2]["text"] = f"<b>{_two_lines(texts.classifier_title)}</b>"
        lines = [
            (steps, outputs[:, k], texts.class_name.format(k=k), dict(color=CLASS_COLORS[k % len(CLASS_COLORS)]))
            for k in range(outputs.shape[1])
        ]
        low, high, end, y_title = -0.02, 1.02, T - 0.5, texts.probability
    else:
        values = np.asarray(series, dtype=np.float64)[:T]
        finite = np.concatenate([values, outputs[:, 0]])
        pad = 0.05 * max(float(finite.max() - finite.min()), 1e-9)
        low, high, end, y_title = float(finite.min()) - pad, float(finite.max()) + pad, T + 0.5, None
        lines = [
            (steps, values, texts.series, dict(color="#2b6cb0")),
            (steps + 1, outputs[:, 0], texts.prediction, dict(dash="dash", color="#dd6b20")),
        ]

    def prediction_data(c: int) -> list[dict]:
        start = grid.column_start(c)
        return [dict(x=[start, start], y=[low, high])]

    for x, y, name, line in lines:
        figure.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, line=line, **RIGHT_HALF))
    key = [
        f'<span style="color:{line["color"]}">{"╌" if "dash" in line else "━"}</span> {name}'
        for _, _, name, line in lines
    ]
    annotations.append(_panel_text("  ".join(key[:6]) + ("  …" if len(key) > 6 else ""), 0.56, line=1))
    first_animated = len(figure.data)
    figure.add_trace(
        go.Scatter(
            **prediction_data(active)[0],
            mode="lines",
            **RIGHT_HALF,
            hoverinfo="skip",
            name=MARKER_NAME + "_series",
            line=dict(color=figure_base.MARKER_COLOR, width=2),
        )
    )
    layout["xaxis2"].update(range=(-0.5, end), title_text=texts.time, nticks=6, tickangle=0)
    layout["yaxis2"].update(range=(low, high), nticks=6, title_text=y_title)
    return first_animated, prediction_data


def _rounded(values: np.ndarray) -> list[float]:
    """Bar heights to SHOWN_DECIMALS, as the heatmaps."""
    return np.round(np.asarray(values, dtype=np.float64), SHOWN_DECIMALS).tolist()


def stepper_specs(
    run: Run, prepared: PreparedInput, texts: StepperTexts, active_step: int = 0, grid: Grid | None = None
) -> tuple[dict, dict]:
    """The heatmaps and the panels figure for a prepared text or series input."""
    grid = grid or display_grid(prepared.length, run.trace.h.shape[1])
    return heatmaps_figure(run, prepared.tokens, texts, grid), prepared_panels(run, prepared, texts, active_step, grid)


def prepared_panels(run: Run, prepared: PreparedInput, texts: StepperTexts, active_step: int, grid: Grid) -> dict:
    """panels_figure for a prepared input: its tokens, vocabulary, targets and series."""
    return panels_figure(
        run,
        prepared.tokens,
        texts,
        kind=prepared.kind,
        vocabulary=prepared.vocabulary.tokens if prepared.kind == "text" else (),
        targets=prepared.targets,
        has_target=prepared.has_target,
        series=prepared.x[:, 0],
        active_step=active_step,
        grid=grid,
    )
