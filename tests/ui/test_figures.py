"""Figure builders, tested on plain arrays: what a student sees is what was computed."""

import html
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import figures

TITLES = {name: name for name in ("f", "i", "c_tilde", "o", "c", "h")}
LABELS = {"unit": "unit", "time": "t", "value": "value", "token": "token"}


def test_gate_heatmaps_have_fixed_scales_and_mark_the_timestep():
    rng = np.random.default_rng(0)
    quantities = {"f": rng.uniform(0, 1, (5, 3)), "c": rng.normal(0, 3, (5, 3)), "h": rng.uniform(-1, 1, (5, 3))}
    figure = figures.gate_heatmaps(quantities, list("abcde"), TITLES, LABELS, timestep=2)
    f, c, h = figure.data
    assert (f.zmin, f.zmax) == (0.0, 1.0) and (h.zmin, h.zmax) == (-1.0, 1.0)
    assert c.zmin == -c.zmax == -np.abs(quantities["c"]).max()
    np.testing.assert_array_equal(np.asarray(f.z), quantities["f"].T)  # units down, time across
    (marker,) = figure.layout.shapes
    assert (marker.x0, marker.x1) == (1.5, 2.5)
    assert list(f.x) == ["0: a", "1: b", "2: c", "3: d", "4: e"]


def test_long_sequences_label_at_most_40_ticks():
    figure = figures.gate_heatmaps({"h": np.zeros((500, 2))}, ["x"] * 500, TITLES, LABELS)
    assert len(figure.layout.xaxis.tickvals) <= 40


def test_cell_diagram_shows_every_value_and_marks_clamped_gates():
    values = {"x": 1.0, "h_prev": 0.2, "c_prev": 0.5, "f": 0.25, "i": 0.75, "c_tilde": -0.5, "o": 0.9,
              "c": 0.125, "tanh_c": 0.124, "h": 0.112, "kept": 0.125, "added": -0.375}
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next", "highway": "highway"}
    figure = go.Figure(figures.cell_diagram(values, labels, clamped=("f",)).to_dict())  # a valid Plotly spec
    texts = " ".join(a.text for a in figure.layout.annotations)
    for shown in ("f = 0.250", "i = 0.750", "C̃ = -0.500", "o = 0.900", "= 0.125", "0.112"):
        assert shown in texts
    clamped_boxes = [s for s in figure.layout.shapes if s.type == "rect" and s.line.width == 4]
    assert len(clamped_boxes) == 1


def test_the_static_diagram_draws_every_shape_and_text_of_the_plotly_one():
    values = {"x": "亮", "h_prev": 0.2, "c_prev": 0.5, "f": 0.25, "i": 0.75, "c_tilde": -0.5, "o": 0.9,
              "c": 0.125, "tanh_c": 0.124, "h": 0.112, "kept": 0.125, "added": -0.375}
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next & on", "highway": "highway"}
    spec = figures.cell_diagram(values, labels).to_dict()
    svg = figures.static_svg(spec, label="the cell")
    layout = spec["layout"]
    kinds = [shape["type"] for shape in layout["shapes"]]
    assert svg.count("<line ") == kinds.count("line") and svg.count("<circle ") == kinds.count("circle")
    assert svg.count("<rect ") == kinds.count("rect") + 1  # and the background
    for shape in layout["shapes"]:
        if shape["type"] == "rect":
            assert f'fill="{shape["fillcolor"]}"' in svg
    words = re.sub(r"<[^>]+>", "", svg.replace("</tspan><tspan x=", "\n<tspan x="))
    for note in layout["annotations"]:
        for line in note["text"].split("<br>"):
            assert html.escape(re.sub(r"<[^>]+>", "", line)) in words
    assert "next &amp; on" in svg and 'aria-label="the cell"' in svg


def test_the_static_diagram_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="traces"):
        figures.static_svg({"data": [{"type": "scatter"}], "layout": {}})
    spec = {"data": [], "layout": {"xaxis": {"range": [0, 1]}, "yaxis": {"range": [0, 1]}, "height": 100,
                                   "shapes": [{"type": "path", "path": "M0,0"}]}}
    with pytest.raises(ValueError, match="path"):
        figures.static_svg(spec)


def test_weight_heatmap_shares_a_bound():
    figure = figures.weight_heatmap(np.array([[0.5, -0.25]]), "unit", ["a", "b"], bound=2.0)
    assert (figure.data[0].zmin, figure.data[0].zmax) == (-2.0, 2.0)
