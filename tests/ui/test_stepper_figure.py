"""The client-stepped stepper figure and the block means that keep long traces drawable."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pages.conftest import array
from ui import inputs, labels
from ui import model as demo
from ui.display_grid import display_grid
from ui.figure_base import MARKER_COLOR
from ui.i18n import Translator
from ui.model import QUANTITIES
from ui.stepper_figure import FRAME_NAME, MARKER_NAME, column_labels, framed, heatmap_row_height, stepper_specs


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
            block = values[c * grid.steps : (c + 1) * grid.steps, r * grid.units : (r + 1) * grid.units]
            assert shrunk[c, r] == pytest.approx(block.mean(), abs=1e-12)


def specs_for(prepared, hidden=8, **kwargs):
    run = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=hidden), prepared), prepared)
    grid = display_grid(prepared.length, hidden)
    return (
        run,
        grid,
        *stepper_specs(run, prepared, labels.stepper_texts(Translator("en"), grid, prepared.kind), grid=grid, **kwargs),
    )


def test_frames_carry_the_block_means_of_a_long_series_and_the_heatmaps_are_never_animated():
    prepared = inputs.prepare_series(inputs.generate_series("sine", 2000))
    run, grid, heatmaps, panels = specs_for(prepared, hidden=80)
    assert (grid.steps, grid.units) == (5, 2)
    assert "frames" not in heatmaps and all(trace["type"] == "heatmap" for trace in heatmaps["data"])
    np.testing.assert_allclose(np.asarray(heatmaps["data"][2]["z"]).T, grid.shrink(run.trace.c_tilde), atol=5e-7)
    assert heatmaps["layout"]["meta"]["columns"] == 400
    assert all(trace["type"] != "heatmap" for trace in panels["data"])  # plotly.js#4491: no heatmap beside an animation
    frame = panels["frames"][123]
    by_trace = dict(zip(frame["traces"], frame["data"]))
    # the bars, the first meta.bars traces, are taken in the browser from the heatmaps' column, in
    # the heatmaps' order; the frames carry only the prediction
    bars = [k for k, trace in enumerate(panels["data"]) if trace["type"] == "bar" and trace["yaxis"] == "y"]
    assert bars == list(range(panels["layout"]["meta"]["bars"])) == list(range(len(QUANTITIES)))
    assert [trace["name"] for trace in heatmaps["data"]] == list(QUANTITIES) and not set(bars) & set(by_trace)
    np.testing.assert_allclose(np.asarray(heatmaps["data"][5]["z"])[:, 123], grid.shrink(run.trace.h)[123], atol=5e-7)
    active = panels["layout"]["meta"]["active"]  # the bars drawn first are the heatmaps' column, to the bit
    for k in bars:
        assert panels["data"][k]["y"] == np.asarray(heatmaps["data"][k]["z"])[:, active].tolist()
    series_marker = next(k for k, trace in enumerate(panels["data"]) if trace.get("name") == MARKER_NAME + "_series")
    assert by_trace[series_marker]["x"] == [615, 615]  # the first timestep of column 123
    notes = " ".join(a["text"] for a in heatmaps["layout"]["annotations"])
    assert "5 timesteps per column, 2 units per row (2000 × 80 shown as 400 × 40)" in notes
    assert len(json.dumps(panels["frames"])) < 100_000


def test_the_first_frame_is_drawn_on_each_heatmap_s_own_axes_without_touching_the_shared_spec():
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
    _, _, heatmaps, _ = specs_for(prepared)
    layout_before = dict(heatmaps["layout"])
    spec = framed(heatmaps, 3)
    assert heatmaps["layout"] == layout_before and "shapes" not in heatmaps["layout"]
    shapes = spec["layout"]["shapes"]
    axes = [(trace["xaxis"], trace["yaxis"]) for trace in heatmaps["data"]]
    assert [(shape["xref"], shape["yref"]) for shape in shapes] == [(x, f"{y} domain") for x, y in axes]
    for shape in shapes:  # column 3 is category position 3: its cells span 2.5 … 3.5, the plot's height
        assert (shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (2.5, 3.5, 0, 1)
        assert shape["name"] == FRAME_NAME and shape["line"]["color"] == MARKER_COLOR
    figure = go.Figure(spec)  # Plotly accepts it as it is
    assert len(figure.layout.shapes) == 6 and spec["data"] is heatmaps["data"]


def test_a_block_s_hover_names_its_units_and_steps():
    """Hovering a block mean reads "unit 20–23", "time 1995–1999": the axes' labels, not row 5 and
    column 399 (which a reduced grid once showed as "unit 5"), and no label stored per cell."""
    prepared = inputs.prepare_series(inputs.generate_series("sine", 2000))
    run, grid, heatmaps, _ = specs_for(prepared, hidden=256)
    heatmap = heatmaps["data"][0]
    assert heatmap["y"][5] == "20–23" and heatmap["x"][399] == "1995–1999" and "customdata" not in heatmap
    assert "unit %{y}<br>t %{x}<br>" in heatmap["hovertemplate"]
    assert heatmaps["layout"]["xaxis"]["type"] == heatmaps["layout"]["yaxis"]["type"] == "category"
    np.testing.assert_allclose(np.asarray(heatmap["z"])[5, 399], run.trace.f[1995:2000, 20:24].mean(), atol=5e-7)
    assert len(json.dumps(heatmaps, default=lambda array: array.tolist())) < 2_500_000


def test_rows_labelled_by_numbers_are_still_categories_in_order():
    """Rows "0", "1", … on a category axis: row r is drawn at position r (a linear axis would read
    the labels as numbers; the browser tests' pixel colours check where each row is drawn)."""
    prepared = inputs.prepare_series(inputs.generate_series("sine", 30))
    _, _, heatmaps, _ = specs_for(prepared, hidden=12)
    assert heatmaps["data"][0]["y"] == [str(unit) for unit in range(12)]
    assert heatmaps["layout"]["yaxis"]["type"] == "category" and heatmaps["layout"]["yaxis"]["range"] == (11.5, -0.5)


def test_active_step_starts_the_bars_there():
    prepared = inputs.prepare_text("公主很漂亮")
    run, _, heatmaps, panels = specs_for(prepared, active_step=2)
    assert panels["layout"]["meta"]["active"] == 2
    bars = [trace for trace in panels["data"] if trace["type"] == "bar" and trace["yaxis"] == "y"]
    np.testing.assert_allclose(array(bars[QUANTITIES.index("o")]["y"]), run.trace.o[2], atol=5e-7)  # 6 decimals
    assert not any("block" in a["text"].lower() for a in heatmaps["layout"]["annotations"])


@pytest.mark.parametrize("hidden", [1, 8, 16, 64, 256])
def test_row_ticks_never_touch(hidden):
    """Compact rows (a projector screen holds all six): 11 px tick labels at least 14 px apart."""
    prepared = inputs.prepare_text("公主很漂亮")
    _, grid, heatmaps, _ = specs_for(prepared, hidden=hidden)
    axis = heatmaps["layout"]["yaxis"]
    height = heatmap_row_height(grid.rows)
    ticks = [heatmaps["data"][0]["y"].index(label) for label in axis["tickvals"]]  # rows, by their labels
    if len(ticks) > 1:
        assert (ticks[1] - ticks[0]) * height / grid.rows >= 14


def test_a_blank_token_gets_a_visible_label():
    prepared = inputs.prepare_text("a b")
    _, grid, heatmaps, _ = specs_for(prepared)
    assert column_labels(grid, prepared.tokens) == ["0: a", "1: ␣", "2: b"]
    assert heatmaps["layout"]["xaxis6"]["tickvals"] == ["0: a", "1: ␣", "2: b"]


@pytest.mark.parametrize(
    "value,cell",
    [
        ({"column": 2, "row": 3}, (2, 3)),
        ({"column": 5, "row": 0}, None),  # outside the 5 columns
        ({"column": 0, "row": 8}, None),  # outside the 8 rows
        ({"column": -1, "row": 0}, None),
        ({"column": 1.5, "row": 0}, None),
        ({"column": True, "row": 0}, None),
        ({"column": "2", "row": "3"}, None),
        ({"column": 2}, None),
        ([2, 3], None),
        (None, None),
    ],
)
def test_a_clicked_heatmap_cell_is_read_only_when_it_is_a_cell_of_the_grid(value, cell):
    from ui.step_sync import clicked_cell

    assert clicked_cell(value, columns=5, rows=8) == cell
