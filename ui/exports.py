"""What a user takes away from a run: the trace as CSV (long and wide) and a standalone HTML of
the stepper. No Streamlit here, so tests call it directly.

CSV is written as UTF-8 with a byte-order mark: Excel then shows 公主很漂亮 as characters rather
than mojibake, and pandas and every other reader skip the mark.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.io as pio

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
        frames.append(
            pd.DataFrame(
                {
                    "t": np.repeat(np.arange(T), H),
                    "token": np.repeat(np.asarray(tokens, dtype=object), H),
                    "layer": layer,
                    "unit": np.tile(np.arange(H), T),
                    "gate": gate,
                    "value": values.reshape(-1),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    order = {gate: k for k, gate in enumerate(QUANTITIES)}
    frame = frame.sort_values(
        ["t", "gate", "unit"],
        key=lambda col: col.map(order) if col.name == "gate" else col,
        kind="stable",
        ignore_index=True,
    )
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


def standalone_html(heatmaps: dict, panels: dict, controls: dict, heading: str, caption: str, language: str) -> str:
    """A whole HTML page with plotly.js inside: it opens from a file, offline, without the app.

    The two stepper figures (ui/stepper_figure.py) and the same controls as the page
    (ui/static/stepper.js with `controls`, see ui.step_sync.controls_data), so it steps the same way.
    """
    from ui.step_sync import STEPPER_CSS, STEPPER_JS

    config = {"displaylogo": False, "responsive": True}
    first = pio.to_html(heatmaps, full_html=False, include_plotlyjs=True, validate=False, config=config)
    second = pio.to_html(
        panels, full_html=False, include_plotlyjs=False, auto_play=False, validate=False, config=config
    )
    escape = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    heading_html = "".join(escape.get(ch, ch) for ch in heading)
    caption_html = "".join(escape.get(ch, ch) for ch in caption)
    data = json.dumps(controls, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading_html}</title>\n"
        "<style>body{font-family:'Source Sans Pro','Noto Sans CJK SC',sans-serif;margin:1.5rem;color:#31333f}"
        f"p{{max-width:60rem}}\n{STEPPER_CSS}</style>\n</head>\n<body>\n"
        f'<h1>{heading_html}</h1>\n<p>{caption_html}</p>\n<div id="lstm-stepper-root"></div>\n{first}\n{second}\n'
        f"<script>{STEPPER_JS}</script>\n"
        f"<script>window.lstmStepper.mount(document.getElementById('lstm-stepper-root'), {data}, null);</script>\n"
        "</body>\n</html>\n"
    )
