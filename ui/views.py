"""Glue between a computed run and the figure builders: translated labels, per-step values."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_core import LSTM
from lstm_core.lstm import LSTMStep
from lstm_core.reference import STORAGE_ORDER
from ui.display_grid import Grid
from ui.i18n import Translator
from ui.model import QUANTITIES, Run
from ui.stepper_figure import StepperTexts


def quantity_titles(t: Translator) -> dict[str, str]:
    """Titles of an LSTM's six quantities and a GRU's gates (r, z, n)."""
    return {name: t(f"q_{name}") for name in (*QUANTITIES, "r", "z", "n")}


def axis_labels(t: Translator) -> dict[str, str]:
    return {"unit": t("unit"), "time": t("time"), "value": t("value"), "token": t("token")}


def diagram_labels(t: Translator) -> dict[str, str]:
    return {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": t("next_step"), "highway": t("highway_label")}


def cell_values_from_run(run: Run, timestep: int, unit: int, token: str) -> dict[str, float | str]:
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
) -> tuple[LSTMStep, dict[str, float]]:
    """One step of the cell page's 1-input, 1-unit cell from its slider values (keyed as
    ui.cell_presets.DEFAULTS: x, h, c and W/U/b per gate): lstm_core's step and the diagram's values."""
    order = STORAGE_ORDER
    cell = LSTM(
        np.array([[settings[f"W{g}"] for g in order]]),
        np.array([[settings[f"U{g}"] for g in order]]),
        np.array([settings[f"b{g}"] for g in order]),
        activation=activation,
        recurrent_activation=recurrent_activation,
    )
    x, h_prev, c_prev = settings["x"], settings["h"], settings["c"]
    step = cell.step([x], [h_prev], [c_prev], clamp=dict(clamp or {}))
    return step, cell_values_from_step(step, x, h_prev, c_prev)


def cell_values_from_step(step, x: float, h_prev: float, c_prev: float) -> dict[str, float]:
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


def stepper_texts(t: Translator, grid: Grid, kind: str) -> StepperTexts:
    """Every word of the stepper figure in the reader's language (the page and the HTML export)."""
    labels = axis_labels(t)
    reduced = (
        t(
            "stepper_reduced",
            steps=grid.steps,
            units=grid.units,
            T=grid.length,
            H=grid.hidden,
            C=grid.columns,
            R=grid.rows,
        )
        if grid.is_reduced
        else ""
    )
    return StepperTexts(
        titles=quantity_titles(t),
        unit=labels["unit"],
        time=labels["time"],
        value=labels["value"],
        bars_title=t("stepper_bars_live"),
        prediction_title=t("stepper_prediction_live") if kind == "text" else t("stepper_series_live"),
        probability=t("probability"),
        true_next=t("true_next"),
        series=t("series"),
        prediction=t("prediction"),
        reduced_note=reduced,
        classifier_title=t("stepper_classifier_live"),
        class_name=t("class_probability"),
    )


def stepper_control_texts(t: Translator) -> dict:
    """The words of the stepper's controls (ui/static/stepper.js), for the page and the HTML export."""
    from ui.step_sync import SPEEDS

    return {
        "play": t("play"),
        "pause": t("pause"),
        "previous": t("previous"),
        "next": t("next"),
        "hint": t("step_hint"),
        "speed": t("speed"),
        "speeds": [t("seconds_per_step", s=s) for s in SPEEDS],
    }
