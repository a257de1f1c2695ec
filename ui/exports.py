"""What a user takes away from a run: the trace as CSV (long and wide) and a standalone HTML of
the stepper. No Streamlit here, so tests call it directly.

CSV is written as UTF-8 with a byte-order mark: Excel then shows 公主很漂亮 as characters rather
than mojibake, and pandas and every other reader skip the mark.
"""

from __future__ import annotations

import io
import zipfile
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui import figures
from ui.model import QUANTITIES, Run

CSV_ENCODING = "utf-8-sig"
LONG_COLUMNS = ("t", "token", "layer", "unit", "gate", "value")


def trace_long(run: Run, tokens: Sequence[str], layer: int = 0) -> pd.DataFrame:
    """One row per (timestep, unit, quantity): the tidy layout pandas, R and plotting tools like.

    Rows run t-major, then gate in the stepper's order (f, i, c_tilde, o, c, h), then unit.
    Only the first len(tokens) steps are written (a preview passes a few tokens).
    """
    T, H = len(tokens), run.trace.h.shape[1]
    frames = []
    for gate in QUANTITIES:
        values = run.quantity(gate)[:T]
        frames.append(pd.DataFrame({
            "t": np.repeat(np.arange(T), H),
            "token": np.repeat(np.asarray(tokens, dtype=object), H),
            "layer": layer,
            "unit": np.tile(np.arange(H), T),
            "gate": gate,
            "value": values.reshape(-1),
        }))
    frame = pd.concat(frames, ignore_index=True)
    order = {gate: k for k, gate in enumerate(QUANTITIES)}
    frame = frame.sort_values(["t", "gate", "unit"], key=lambda col: col.map(order) if col.name == "gate" else col,
                              kind="stable", ignore_index=True)
    return frame[list(LONG_COLUMNS)]


def trace_wide(run: Run, tokens: Sequence[str], gate: str) -> pd.DataFrame:
    """One quantity as a table: a row per timestep (t, token), a column per unit."""
    values = run.quantity(gate)
    frame = pd.DataFrame(values, columns=[f"unit_{k}" for k in range(values.shape[1])])
    frame.insert(0, "token", list(tokens))
    frame.insert(0, "t", np.arange(values.shape[0]))
    return frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """`repr`-exact floats (17 significant digits), so a reader gets the very numbers shown."""
    return frame.to_csv(index=False, float_format="%.17g").encode(CSV_ENCODING)


def wide_zip(run: Run, tokens: Sequence[str]) -> bytes:
    """The six wide tables, one CSV each (f.csv, i.csv, c_tilde.csv, o.csv, c.csv, h.csv)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for gate in QUANTITIES:
            archive.writestr(f"{gate}.csv", to_csv_bytes(trace_wide(run, tokens, gate)))
    return buffer.getvalue()


def stepper_figure(
    run: Run,
    tokens: Sequence[str],
    titles: Mapping[str, str],
    labels: Mapping[str, str],
    step_label: str,
) -> go.Figure:
    """The stepper's six heatmaps with a Plotly slider that moves the timestep marker and shows
    each unit's six values at that step as bars underneath; it needs no server to step.

    `step_label` is a format string with {t} and {token} (translated by the caller). Only the
    first len(tokens) steps are drawn, so a caller can cut a long sequence.
    """
    quantities = {name: run.quantity(name)[: len(tokens)] for name in QUANTITIES}
    T, H = quantities["h"].shape
    figure = figures.gate_heatmaps(quantities, tokens, titles, labels, timestep=0)
    heatmap_height = figure.layout.height
    bars_height = 260
    # Put the heatmaps in the top part of the paper and add a bar chart below them.
    share = heatmap_height / (heatmap_height + bars_height)
    for name in figure.layout:
        if name.startswith("yaxis"):
            low, high = figure.layout[name].domain
            figure.layout[name].domain = (1 - share + low * share, 1 - share + high * share)
    for annotation in figure.layout.annotations:
        annotation.y = 1 - share + annotation.y * share
    for trace in figure.data:
        bar = trace.colorbar
        bar.y, bar.len = 1 - share + bar.y * share, bar.len * share
    figure.layout.shapes[0].y0 = 1 - share
    bars_axis = dict(domain=(0, (1 - share) * 0.72), anchor="x7")
    figure.update_layout(
        xaxis7=dict(domain=(0, 1), anchor="y7", title_text=labels["unit"], dtick=1 if H <= 32 else None),
        yaxis7=dict(**bars_axis, title_text=labels["value"], range=(-1.05, max(1.05, float(np.abs(quantities["c"]).max()) * 1.05))),
    )
    first = len(figure.data)
    for name in QUANTITIES:
        figure.add_trace(go.Bar(x=list(range(H)), y=quantities[name][0], name=titles[name], xaxis="x7", yaxis="y7",
                                hovertemplate=f"{titles[name]}<br>{labels['unit']} %{{x}}<br>{labels['value']} %{{y:.4f}}<extra></extra>"))
    bar_indices = list(range(first, first + len(QUANTITIES)))
    steps = [
        dict(
            method="update",
            label=str(t),
            args=[
                {"y": [quantities[name][t] for name in QUANTITIES]},
                {"shapes[0].x0": t - 0.5, "shapes[0].x1": t + 0.5,
                 "title.text": step_label.format(t=t, token=tokens[t])},
                bar_indices,
            ],
        )
        for t in range(T)
    ]
    figure.update_layout(
        height=heatmap_height + bars_height + 180,
        title=dict(text=step_label.format(t=0, token=tokens[0])),
        barmode="group",
        legend=dict(orientation="h", y=(1 - share) * 0.78, yanchor="bottom", x=0),
        template="plotly_white",
        sliders=[dict(active=0, steps=steps, currentvalue=dict(prefix=f"{labels['time']} = "),
                      pad=dict(t=70), y=0, yanchor="top")],
        margin=dict(b=150),
    )
    return figure


def standalone_html(figure: go.Figure, heading: str, caption: str, language: str) -> str:
    """A whole HTML page with plotly.js inside: it opens from a file, offline, without the app."""
    body = figure.to_html(full_html=False, include_plotlyjs=True, config={"displaylogo": False, "responsive": True})
    escape = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    heading_html = "".join(escape.get(ch, ch) for ch in heading)
    caption_html = "".join(escape.get(ch, ch) for ch in caption)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading_html}</title>\n"
        "<style>body{font-family:'Source Sans Pro','Noto Sans CJK SC',sans-serif;margin:1.5rem;color:#31333f}"
        "p{max-width:60rem}</style>\n</head>\n<body>\n"
        f"<h1>{heading_html}</h1>\n<p>{caption_html}</p>\n{body}\n</body>\n</html>\n"
    )
