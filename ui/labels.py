"""The words of the charts in the reader's language: the six quantities' titles, the axes, the
cell diagram's labels, and every word of the stepper's figure and controls."""

from __future__ import annotations

from ui.display_grid import Grid
from ui.i18n import Translator
from ui.model import QUANTITIES
from ui.stepper_figure import StepperTexts


def quantity_titles(t: Translator) -> dict[str, str]:
    """Titles of an LSTM's six quantities and a GRU's gates (r, z, n)."""
    return {name: t(f"q_{name}") for name in (*QUANTITIES, "r", "z", "n")}


def axis_labels(t: Translator) -> dict[str, str]:
    return {"unit": t("unit"), "time": t("time"), "value": t("value"), "token": t("token")}


def diagram_labels(t: Translator) -> dict[str, str]:
    return {
        "f": "f",
        "i": "i",
        "c_tilde": "C̃",
        "o": "o",
        "r": "r",
        "z": "z",
        "n": "n",
        "next_step": t("next_step"),
        "highway": t("highway_label"),
        "gru_highway": t("gru_highway_label"),
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
