"""The client-stepped stepper figure and the block means that keep long traces drawable."""

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tests.pages.conftest import array
from ui import model as demo
from ui import views
from ui.display_grid import display_grid
from ui.i18n import Translator
from ui.model import QUANTITIES
from ui.stepper_figure import MARKER_NAME, stepper_spec


def test_grid_budget_and_block_sizes():
    assert display_grid(5, 8) == display_grid(5, 8, 400, 64) and not display_grid(5, 8).is_reduced
    grid = display_grid(2000, 256)
    assert (grid.steps, grid.units, grid.columns, grid.rows) == (5, 4, 400, 64)
    assert display_grid(401, 65).columns == 201 and display_grid(401, 65).rows == 33
    assert grid.column_steps(399) == (1995, 1999) and grid.column_of(1999) == 399
    with pytest.raises(ValueError, match="at least one timestep"):
        display_grid(0, 8)
    with pytest.raises(ValueError, match=r"\(2000, 256\)"):
        grid.shrink(np.zeros((2000, 255)))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(1, 20), st.integers(1, 25), st.integers(1, 9), st.integers(0, 2**31 - 1))
def test_block_means_are_the_means_of_each_block(T, H, max_columns, max_rows, seed):
    values = np.random.default_rng(seed).normal(size=(T, H))
    grid = display_grid(T, H, max_columns, max_rows)
    shrunk = grid.shrink(values)
    assert shrunk.shape == (grid.columns, grid.rows) and grid.columns <= max_columns and grid.rows <= max_rows
    for c in range(grid.columns):
        for r in range(grid.rows):
            block = values[c * grid.steps:(c + 1) * grid.steps, r * grid.units:(r + 1) * grid.units]
            assert shrunk[c, r] == pytest.approx(block.mean(), abs=1e-12)


def spec_for(prepared, hidden=8, **kwargs):
    run = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=hidden), prepared), prepared)
    grid = display_grid(prepared.length, hidden)
    return run, grid, stepper_spec(run, prepared, views.stepper_texts(Translator("en"), grid, prepared.kind),
                                   grid=grid, **kwargs)


def test_frames_move_the_marker_and_carry_the_block_means_of_a_long_series():
    prepared = demo.prepare_series(demo.generate_series("sine", 2000))
    run, grid, spec = spec_for(prepared, hidden=80)
    assert (grid.steps, grid.units) == (5, 2)
    heatmaps = [trace for trace in spec["data"] if trace["type"] == "heatmap"]
    np.testing.assert_allclose(array(heatmaps[2]["z"]).T, grid.shrink(run.trace.c_tilde))
    frame = spec["frames"][123]
    by_trace = dict(zip(frame["traces"], frame["data"]))
    markers = [k for k, trace in enumerate(spec["data"]) if trace.get("name") == MARKER_NAME]
    assert all(by_trace[k]["x"][:2] == [122.5, 123.5] for k in markers)
    bars = [k for k, trace in enumerate(spec["data"]) if trace["type"] == "bar"]
    np.testing.assert_allclose(by_trace[bars[5]]["y"], grid.shrink(run.trace.h)[123], atol=5e-7)
    series_marker = next(k for k, trace in enumerate(spec["data"]) if trace.get("name") == MARKER_NAME + "_series")
    assert by_trace[series_marker]["x"] == [615, 615]  # the first timestep of column 123
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "5 timesteps per column, 2 units per row (2000 × 80 shown as 400 × 40)" in notes
    assert len(json.dumps(spec["frames"])) < 2_000_000


def test_active_step_starts_the_slider_and_the_bars_there():
    prepared = demo.prepare_text("公主很漂亮")
    run, _, spec = spec_for(prepared, active_step=2, frame_ms=700)
    assert spec["layout"]["sliders"][0]["active"] == 2
    bars = [trace for trace in spec["data"] if trace["type"] == "bar" and trace["yaxis"] == "y7"]
    np.testing.assert_array_equal(array(bars[QUANTITIES.index("o")]["y"]), run.trace.o[2])
    play = spec["layout"]["updatemenus"][0]["buttons"][0]
    assert play["args"][1]["frame"] == {"duration": 700, "redraw": False}
    assert not any("block" in a["text"].lower() for a in spec["layout"]["annotations"])
