"""The scalars the cell diagram and the equations show for one unit at one step: read from a
sequence's run (the stepper, the cell page's "current model" view) or computed by lstm_core for
the cell page's 1-input, 1-unit cell from its sliders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import numpy as np

from lstm_core import LSTM, variants
from lstm_core.activations import get_activation
from lstm_core.lstm import LSTMStep
from lstm_core.recurrent import GateWeights
from lstm_core.reference import STORAGE_ORDER, TUTORIAL_ORDER
from lstm_core.variants import PEEPHOLES
from ui.model import Run


class CellValues(TypedDict):
    """One unit at one step, as the diagram, the six metrics and the equations show it."""

    x: float | str  # the input: a number, or the character read (the stepper's token)
    h_prev: float
    c_prev: float
    f: float
    i: float
    c_tilde: float
    o: float
    c: float
    tanh_c: float
    h: float
    kept: float  # f · C_{t-1}: what the forget gate lets through
    added: float  # i · C̃: what the input gate writes


def cell_values_from_run(run: Run, timestep: int, unit: int, token: str) -> CellValues:
    """The scalars the cell diagram shows for one unit at one step of a sequence."""
    trace = run.trace

    def at(array: np.ndarray, t: int | None = None) -> float:
        return float(array[timestep if t is None else t, unit])

    c_prev = float(trace.c0[unit]) if timestep == 0 else at(trace.c, timestep - 1)
    h_prev = float(trace.h0[unit]) if timestep == 0 else at(trace.h, timestep - 1)
    f, i, c_tilde = at(trace.f), at(trace.i), at(trace.c_tilde)
    return {
        "x": token,
        "h_prev": h_prev,
        "c_prev": c_prev,
        "f": f,
        "i": i,
        "c_tilde": c_tilde,
        "o": at(trace.o),
        "c": at(trace.c),
        "tanh_c": at(trace.tanh_c),
        "h": at(trace.h),
        "kept": f * c_prev,
        "added": i * c_tilde,
    }


def slider_cell_step(
    settings: Mapping[str, float],
    clamp: Mapping[str, float] | None = None,
    recurrent_activation: str = "sigmoid",
    activation: str = "tanh",
    peephole: bool = False,
    coupled: bool = False,
) -> tuple[LSTMStep, CellValues]:
    """One step of the cell page's 1-input, 1-unit cell from its slider values (keyed as
    ui.cell_presets.DEFAULTS: x, h, c, W/U/b per gate and the peephole weights): lstm_core's step
    (of colah's variant, lstm_core/variants.py, when `peephole` or `coupled`) and the diagram's values."""
    x, h_prev, c_prev = settings["x"], settings["h"], settings["c"]
    if peephole or coupled:
        weights = {
            g: GateWeights(
                np.array([[settings[f"W{g}"]]]), np.array([[settings[f"U{g}"]]]), np.array([settings[f"b{g}"]])
            )
            for g in TUTORIAL_ORDER
        }
        peep = {g: np.array([settings[f"p{g}"]]) for g in PEEPHOLES} if peephole else None
        step = variants.step_forward(
            np.array([x]),
            np.array([h_prev]),
            np.array([c_prev]),
            weights,
            variants.Variant(peep, coupled),
            get_activation(recurrent_activation),
            get_activation(activation),
            clamp=dict(clamp or {}),
        )
        return step, cell_values_from_step(step, x, h_prev, c_prev)
    order = STORAGE_ORDER
    cell = LSTM(
        np.array([[settings[f"W{g}"] for g in order]]),
        np.array([[settings[f"U{g}"] for g in order]]),
        np.array([settings[f"b{g}"] for g in order]),
        activation=activation,
        recurrent_activation=recurrent_activation,
    )
    step = cell.step([x], [h_prev], [c_prev], clamp=dict(clamp or {}))
    return step, cell_values_from_step(step, x, h_prev, c_prev)


def cell_values_from_step(step: LSTMStep, x: float, h_prev: float, c_prev: float) -> CellValues:
    """The same scalars from a single LSTMStep of a 1-unit cell."""
    return {
        "x": x,
        "h_prev": h_prev,
        "c_prev": c_prev,
        "f": float(step.f[0]),
        "i": float(step.i[0]),
        "c_tilde": float(step.c_tilde[0]),
        "o": float(step.o[0]),
        "c": float(step.c[0]),
        "tanh_c": float(step.tanh_c[0]),
        "h": float(step.h[0]),
        "kept": float(step.f[0] * c_prev),
        "added": float(step.i[0] * step.c_tilde[0]),
    }
