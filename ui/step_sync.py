"""The stepper's controls as a small `st.components.v2` component, and the server's copy of the step.

The stepping itself runs in the browser (ui/static/stepper.js, shared with the HTML export): ◀ ▶,
▶ Play, the step slider, the speed menu and the ← → keys move the frame over the heatmaps and
animate the panels at once. The component reports the current column back (debounced), so the
shareable URL and the page's captions follow; that reruns only the fragment it sits in, and the
heatmaps are never re-sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ui import static_files
from ui.clicks import new_click

STEPPER_JS = static_files.read("stepper.js")
STEPPER_CSS = static_files.read("stepper.css")
SPEEDS = (0.4, 0.7, 1.0, 1.5, 2.5)  # seconds per step, as stepper.js offers them
SPEEDS_MS = tuple(round(seconds * 1000) for seconds in SPEEDS)  # what the speed menu reports

JS = STEPPER_JS + static_files.read("stepper_component.js")

_step_sync = st.components.v2.component(
    "lstm_gate_lab.step_sync", html='<div class="lstm-stepper-root"></div>', css=STEPPER_CSS, js=JS
)


def controls_data(
    key: str, column: int, labels: Sequence[str], texts: dict[str, str], frame_ms: int = 1000, rows: int = 0
) -> dict:
    """What stepper.js needs: the input's identity, the column shown first, the columns' labels,
    words; and the heatmaps' rows (units), which bound a clicked cell."""
    return {
        "key": key,
        "column": column,
        "columns": len(labels),
        "rows": rows,
        "labels": list(labels),
        "frame_ms": frame_ms,
        "texts": texts,
    }


def step_controls(data: dict, on_change: Callable[[], None], key: str = "step_sync") -> tuple[int, int, tuple | None]:
    """Mount the controls; returns the column and the speed (ms per step) the browser last
    reported, or the ones it was given, and the heatmap cell (column, row) clicked since the last
    run (None if none, or if what the browser sent is not a cell of `data`'s grid)."""
    result = _step_sync(
        key=key,
        data=data,
        default={"column": data["column"], "speed": data["frame_ms"]},
        on_column_change=on_change,
        on_speed_change=on_change,
        on_inspect_change=on_change,
    )
    column, speed = result.get("column"), result.get("speed")  # a ComponentResult is a dict
    return (
        data["column"] if column is None else int(column),
        int(speed) if speed in SPEEDS_MS else data["frame_ms"],
        clicked_cell(new_click(result.get("inspect"), f"{key}_seen_click"), data["columns"], data.get("rows", 0)),
    )


def clicked_cell(value: object, columns: int, rows: int) -> tuple[int, int] | None:
    """A click's {column, row} as two ints inside the grid; anything else (a hostile or stale
    message) is None."""
    if not isinstance(value, dict):
        return None
    column, row = value.get("column"), value.get("row")
    if not (isinstance(column, int) and isinstance(row, int)) or isinstance(column, bool) or isinstance(row, bool):
        return None
    return (column, row) if 0 <= column < columns and 0 <= row < rows else None
