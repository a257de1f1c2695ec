"""The cell page's browser twin: the diagram follows a slider while it moves.

A Streamlit slider reports to the server only when it is let go (a drag) or after a key press,
and the server's answer (a rerun of the picture fragment, pages/cell.py) is drawn a round
trip later (bench/latency.py): while a student drags W_f, the diagram would stand still. This
small `st.components.v2` component runs in the page. Whenever a cell slider moves it reads the
sliders' values from the page and computes the one cell step the server will compute (the
same equations, in the same order, as `lstm_core.LSTM.step`, in float64). It repaints the
diagram's data-ids (ui/static/cell_diagram.svg) by the rule the server draws with
(`cell_diagram.paint`, from `cell_diagram.cell_recipe`), and the six values under it. The
server's rerun then redraws the diagram, the values and the equations from lstm_core's own
numbers, which are the same: tests/browser/test_cell_live.py checks that the twin agrees with
lstm_core to 1e-12 for every pair of activations and paints exactly what Python paints. An
answer for an earlier slider position (each drawing carries the settings it was computed for)
is repainted for the current ones before the browser shows it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

import streamlit as st

from ui import static_files
from ui.cell_diagram import cell_recipe

DIAGRAM_KEY = "cell_diagram"  # the container of the diagram (cell_diagram.cell_diagram) the twin repaints
VALUES_KEY = "cell_values"  # the value grid (ui/value_grid.py) whose numbers it rewrites
SHOWN = ("f", "i", "c_tilde", "o", "c", "h")  # the values under the diagram, three to a row
EQUATIONS_KEY = "cell_equations"  # the container of the LaTeX equations it marks as behind the sliders
ANSWER_DELAY_VARIABLE = "LSTM_GATE_LAB_TEST_ANSWER_DELAY"  # seconds; tests make the server slow with it

JS = static_files.read("cell_numbers.js") + static_files.read("cell_live.js")

_cell_live = st.components.v2.component("lstm_gate_lab.cell_live", html="<span hidden></span>", js=JS)


def cell_live(
    settings: Mapping[str, float],
    clamp: Mapping[str, float],
    recurrent_activation: str,
    activation: str,
    metrics: Sequence[str],
    variant: tuple[bool, bool] = (False, False),
) -> None:
    """Mount the twin for the diagram in the DIAGRAM_KEY container and the value grid
    VALUES_KEY, whose numbers named in `metrics` it rewrites;
    `variant` is colah's (peephole, coupled), as the cell is drawn."""
    _cell_live(
        key="cell_live",
        data={
            "keys": list(settings),
            "settings": dict(settings),
            "clamp": dict(clamp),
            "recurrent": recurrent_activation,
            "activation": activation,
            "peephole": bool(variant[0]),
            "coupled": bool(variant[1]),
            "diagram": DIAGRAM_KEY,
            "recipe": cell_recipe(activation),
            "values": VALUES_KEY,
            "equations": EQUATIONS_KEY,
            "metrics": list(metrics),
        },
    )


def answer_delay() -> None:
    """Test-only: a slow server on purpose (tests/browser/test_cell_live.py sets the variable on
    its own server), so that answers for earlier slider positions arrive after the twin drew."""
    delay = os.environ.get(ANSWER_DELAY_VARIABLE)
    if delay:
        time.sleep(float(delay))
