"""Figure builders, tested on plain arrays: what a student sees is what was computed."""

import html
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import charts, colors
from ui.cell_diagram import cell_diagram, wire_width
from ui.static_svg import static_svg

TITLES = {name: name for name in ("f", "i", "c_tilde", "o", "c", "h")}
LABELS = {"unit": "unit", "time": "t", "value": "value", "token": "token"}


def test_gate_heatmaps_have_fixed_scales_and_mark_the_timestep():
    rng = np.random.default_rng(0)
    quantities = {"f": rng.uniform(0, 1, (5, 3)), "c": rng.normal(0, 3, (5, 3)), "h": rng.uniform(-1, 1, (5, 3))}
    figure = charts.gate_heatmaps(quantities, list("abcde"), TITLES, LABELS, timestep=2)
    f, c, h = figure.data
    assert (f.zmin, f.zmax) == (0.0, 1.0) and (h.zmin, h.zmax) == (-1.0, 1.0)
    assert c.zmin == -c.zmax == -np.abs(quantities["c"]).max()
    np.testing.assert_array_equal(np.asarray(f.z), quantities["f"].T)  # units down, time across
    (marker,) = figure.layout.shapes
    assert (marker.x0, marker.x1) == (1.5, 2.5)
    assert list(f.x) == ["0: a", "1: b", "2: c", "3: d", "4: e"]


def test_long_sequences_label_at_most_40_ticks():
    figure = charts.gate_heatmaps({"h": np.zeros((500, 2))}, ["x"] * 500, TITLES, LABELS)
    assert len(figure.layout.xaxis.tickvals) <= 40


DIAGRAM_VALUES = dict(
    x=1.0,
    h_prev=0.2,
    c_prev=0.5,
    f=0.25,
    i=0.75,
    c_tilde=-0.5,
    o=0.9,
    c=0.125,
    tanh_c=0.124,
    h=0.112,
    kept=0.125,
    added=-0.375,
)  # one cell step's values, as the diagram takes them


def test_cell_diagram_shows_every_value_and_marks_clamped_gates():
    values = dict(DIAGRAM_VALUES)
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next", "highway": "highway"}
    figure = go.Figure(cell_diagram(values, labels, clamped=("f",)).to_dict())  # a valid Plotly spec
    texts = " ".join(a.text for a in figure.layout.annotations)
    for shown in ("f = 0.250", "i = 0.750", "C̃ = -0.500", "o = 0.900", "= 0.125", "0.112"):
        assert shown in texts
    clamped_boxes = [s for s in figure.layout.shapes if s.type == "rect" and s.line.width == 4]
    assert len(clamped_boxes) == 1


def test_the_static_diagram_draws_every_shape_and_text_of_the_plotly_one():
    values = {**DIAGRAM_VALUES, "x": "亮"}
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next & on", "highway": "highway"}
    spec = cell_diagram(values, labels).to_dict()
    svg = static_svg(spec, label="the cell")
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
        static_svg({"data": [{"type": "scatter"}], "layout": {}})
    spec = {
        "data": [],
        "layout": {
            "xaxis": {"range": [0, 1]},
            "yaxis": {"range": [0, 1]},
            "height": 100,
            "shapes": [{"type": "path", "path": "M0,0"}],
        },
    }
    with pytest.raises(ValueError, match="path"):
        static_svg(spec)


def test_weight_heatmap_shares_a_bound():
    figure = charts.weight_heatmap(np.array([[0.5, -0.25]]), "unit", ["a", "b"], bound=2.0)
    assert (figure.data[0].zmin, figure.data[0].zmax) == (-2.0, 2.0)


DIAGRAM_LABELS = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next", "highway": "highway"}


@pytest.mark.parametrize(
    "gate, cell, gate_symbol, cell_symbol",
    [
        ("sigmoid", "tanh", "σ", "tanh"),
        ("hard_sigmoid", "relu", "hard σ", "relu"),
        ("hard_sigmoid_keras2", "linear", "hard σ₂", "linear"),
    ],
)
def test_cell_diagram_names_the_activations_in_use(gate, cell, gate_symbol, cell_symbol):
    values = {
        "x": 1.0,
        "h_prev": 0.2,
        "c_prev": 0.5,
        "f": 0.7,
        "i": 0.6,
        "c_tilde": 0.4,
        "o": 0.8,
        "c": 0.59,
        "tanh_c": 0.53,
        "h": 0.42,
        "kept": 0.35,
        "added": 0.24,
    }
    layout = cell_diagram(values, DIAGRAM_LABELS, activations=(gate, cell)).to_dict()["layout"]
    texts = [a["text"] for a in layout["annotations"]]
    assert sum(t.startswith(f"<b>{gate_symbol}</b><br>") for t in texts) == 3  # f, i, o
    assert any(t.startswith(f"<b>{cell_symbol}</b><br>") for t in texts)
    squashed = "C<sub>t</sub><br>" if cell == "linear" else f"{cell_symbol}(C<sub>t</sub>)<br>"
    assert any(t.startswith(squashed) for t in texts)
    if gate != "sigmoid":
        assert not any(t.startswith("<b>σ</b>") for t in texts)


def test_an_unbounded_candidate_is_coloured_on_the_cell_state_s_scale_and_the_wire_does_not_saturate():
    values = {
        "x": 1.0,
        "h_prev": 0.2,
        "c_prev": 4.0,
        "f": 0.9,
        "i": 0.9,
        "c_tilde": 2.0,
        "o": 0.8,
        "c": 5.4,
        "tanh_c": 5.4,
        "h": 4.3,
        "kept": 3.6,
        "added": 1.8,
    }
    relu = cell_diagram(values, DIAGRAM_LABELS, activations=("sigmoid", "relu")).to_dict()["layout"]
    fills = {s.get("fillcolor") for s in relu["shapes"] if s["type"] == "rect"}
    saturated = colors.value_color(1.0, -1.0, 1.0, colors.SIGNED_SCALE)
    assert colors.value_color(2.0, -5.4, 5.4, colors.SIGNED_SCALE) in fills  # not clipped at 1
    assert saturated not in fills
    widths = [wire_width(c) for c in (0.0, 1.0, 2.0, 4.75, 50.0)]
    assert widths == sorted(widths) and len(set(widths)) == 5 and widths[-1] < 10  # no plateau at |C| = 1
    tanh = cell_diagram({**values, "c_tilde": 0.9}, DIAGRAM_LABELS).to_dict()["layout"]
    assert colors.value_color(0.9, -1.0, 1.0, colors.SIGNED_SCALE) in {s.get("fillcolor") for s in tanh["shapes"]}
    assert colors.value_range("c_tilde", np.array([0.5, 3.0])) == (-3.0, 3.0)
    assert colors.value_range("h", np.array([0.5, -0.9])) == (-1.0, 1.0)
