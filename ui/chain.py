"""The unrolled chain: colah's picture of the LSTM through time, with the model's real numbers.

Three to seven consecutive cells of one unit side by side: x_t enters below, h_t leaves to the
next cell, and the cell state's wire runs through all of them carrying C_{t−1}, f·C_{t−1} and
C_t, its width (`cell_diagram.wire_width`, never saturating) and colour from the value; each
cell's gates are coloured by their values, on the heatmaps' scales, so a colour means the same
number on both. It is drawn in the browser (ui/static/chain.js) and follows the stepper's
step and ▶ Play there; a click on a cell opens that step and unit on the Cell anatomy page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import streamlit as st

from ui import colors, static_files
from ui.clicks import new_click
from ui.model import QUANTITIES, Run

CELLS = (3, 4, 5, 6, 7)  # how many cells a student may choose to see at once
SIGNED = ("c_tilde", "c", "h")  # coloured on the signed scale, with the heatmaps' ranges

JS = static_files.read("cell_numbers.js") + static_files.read("chain.js") + static_files.read("chain_component.js")

_chain = st.components.v2.component(
    "lstm_gate_lab.chain", html='<div class="lstm-chain-root"></div>', css=static_files.read("chain.css"), js=JS
)


def chain_data(
    key: str,
    run: Run,
    unit: int,
    cells: int,
    steps_per_column: int,
    column: int,
    tokens: Sequence[str],
    texts: Mapping[str, str],
) -> dict:
    """What chain.js draws: one unit's f, i, C̃, o, C and h at every step (lstm_core's numbers,
    unrounded), its initial state, the colour ranges the heatmaps use, and the stepper's
    `key` and column grid, so that it follows the same step."""
    trace = run.trace
    length, hidden = trace.h.shape
    if not 0 <= unit < hidden:
        raise ValueError(f"unit: {unit} is not a unit of a layer of {hidden}")
    if cells not in CELLS:
        raise ValueError(f"cells: {cells} is not one of {CELLS}")
    values = {name: _finite_or_none(run.quantity(name)[:, unit]) for name in QUANTITIES}
    bounds = {name: colors.value_range(name, _finite(run.quantity(name)))[1] for name in SIGNED}
    return {
        "key": key,
        "length": length,
        "steps": steps_per_column,
        "column": column,
        "unit": unit,
        "cells": cells,
        "tokens": [str(token) for token in tokens],
        "values": values,
        "c0": float(np.asarray(trace.c0)[unit]),
        "h0": float(np.asarray(trace.h0)[unit]),
        "bounds": bounds,
        "stops": {
            "gate": [[p, list(rgb)] for p, rgb in colors.COLOR_STOPS[colors.GATE_SCALE]],
            "signed": [[p, list(rgb)] for p, rgb in colors.COLOR_STOPS[colors.SIGNED_SCALE]],
        },
        "texts": dict(texts),
    }


def _finite(values: np.ndarray) -> np.ndarray:
    return values[np.isfinite(values)]


def _finite_or_none(values: np.ndarray) -> list[float | None]:
    """JSON has no NaN or infinity (a diverged or overflowing model has them): None, which
    chain.js draws as "nan" on the scale's middle colour."""
    return [float(v) if np.isfinite(v) else None for v in values]


def unrolled_chain(data: dict, key: str = "chain") -> tuple[int, int] | None:
    """Draw the chain; returns the (step, unit) of a cell clicked since the last run, or None (also
    for anything the browser sent that is not a step of this sequence and this unit)."""
    result = _chain(key=key, data=data, on_inspect_change=lambda: None)
    return clicked_step(new_click(result.get("inspect"), f"{key}_seen_click"), data["length"], data["unit"])


def clicked_step(value: object, length: int, unit: int) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        return None
    step, clicked_unit = value.get("step"), value.get("unit")
    if type(step) is not int or type(clicked_unit) is not int:  # not a bool, not a float
        return None
    return (step, unit) if 0 <= step < length and clicked_unit == unit else None
