"""Trace CSVs read back to the trace's numbers; the stepper HTML stands alone."""

import io
import json
import re
import zipfile

import numpy as np
import pandas as pd

from ui import exports, inputs, labels
from ui import model as demo
from ui.display_grid import display_grid
from ui.i18n import Translator
from ui.model import QUANTITIES
from ui.step_sync import controls_data
from ui.stepper_figure import column_labels, stepper_specs

PREPARED = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
RUN = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=3), PREPARED), PREPARED)


def test_long_csv_has_a_row_per_step_unit_and_gate_with_exact_values():
    data = exports.to_csv_bytes(exports.trace_long(RUN, PREPARED.tokens))
    assert data.startswith("\ufeff".encode())  # Excel opens 公主 as characters
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns) == ["t", "token", "layer", "unit", "gate", "value"]
    assert len(frame) == 5 * 3 * 6
    assert list(frame["token"][:18:6]) == ["公", "公", "公"] and frame["t"].is_monotonic_increasing
    for gate in QUANTITIES:
        rows = frame[frame["gate"] == gate].sort_values(["t", "unit"])
        np.testing.assert_array_equal(rows["value"].to_numpy().reshape(5, 3), RUN.quantity(gate))


def test_wide_csvs_one_per_quantity_in_a_zip():
    archive = zipfile.ZipFile(io.BytesIO(exports.wide_zip(RUN, PREPARED.tokens)))
    assert sorted(archive.namelist()) == sorted(f"{gate}.csv" for gate in QUANTITIES)
    frame = pd.read_csv(io.BytesIO(archive.read("c_tilde.csv")), encoding="utf-8-sig")
    assert list(frame.columns) == ["t", "token", "unit_0", "unit_1", "unit_2"]
    np.testing.assert_array_equal(frame[["unit_0", "unit_1", "unit_2"]].to_numpy(), RUN.quantity("c_tilde"))


def test_stepper_html_carries_plotly_and_a_frame_per_timestep():
    t = Translator("zh")
    grid = display_grid(PREPARED.length, RUN.trace.h.shape[1])
    heatmaps, panels = stepper_specs(RUN, PREPARED, labels.stepper_texts(t, grid, "text"), grid=grid)
    assert len(panels["frames"]) == 5 and "frames" not in heatmaps
    controls = controls_data("export", 0, column_labels(grid, PREPARED.tokens), labels.stepper_control_texts(t))
    assert controls["labels"][3] == "3: 漂" and controls["columns"] == 5
    html = exports.standalone_html(
        heatmaps, panels, {**controls, "key": "</script><b>"}, "LSTM <Gate> Lab", "公主很漂亮", "zh"
    )
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh">' in html
    assert "LSTM &lt;Gate&gt; Lab" in html and "播放" in html
    assert "</script><b>" not in html  # data cannot close the script it sits in
    assert not re.search(r'<script[^>]+src="https?:', html)  # plotly.js is inside: opens offline
    assert html.count("Plotly.newPlot") == 2 and "window.lstmStepper.mount(" in html


def test_long_csv_of_a_series_uses_the_values_as_tokens():
    prepared = inputs.prepare_series(np.array([0.5, -1.0, 2.0]))
    run = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=2), prepared), prepared)
    frame = exports.trace_long(run, prepared.tokens)
    assert len(frame) == 3 * 2 * 6 and frame["token"].iloc[0] == prepared.tokens[0]
    json.dumps(frame.head().to_dict())  # plain types only
