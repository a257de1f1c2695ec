"""Figure builders, tested on plain arrays: what a student sees is what was computed."""

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from ui import charts, colors
from ui.cell_diagram import TEMPLATE, cell_diagram, cell_recipe, paint, wire_width
from ui.figure_base import MARKER_COLOR
from ui.svg_template import SVG_NAMESPACE

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


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts_of(svg: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in svg.iter(f"{{{SVG_NAMESPACE}}}text")]


def by_id(svg: ET.Element, data_id: str) -> ET.Element:
    return next(element for element in svg.iter() if element.get("data-id") == data_id)


def test_cell_diagram_shows_every_value_and_marks_clamped_gates():
    values = dict(DIAGRAM_VALUES)
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next", "highway": "highway"}
    svg = parsed(cell_diagram(values, labels, clamped=("f",)))
    texts = " | ".join(texts_of(svg))
    for shown in ("f = 0.250", "i = 0.750", "C̃ = -0.500", "o = 0.900", "= 0.125", "0.112", "ht → next", "highway"):
        assert shown in texts
    edges = [
        box.get("stroke-width")
        for box in svg.iter(f"{{{SVG_NAMESPACE}}}rect")
        if box.get("data-id", "").startswith("box-")
    ]
    assert sorted(edges) == ["1.5", "1.5", "1.5", "4"]
    assert by_id(svg, "box-f").get("stroke") == MARKER_COLOR
    assert by_id(svg, "box-i").get("fill") == colors.value_color(0.75, 0.0, 1.0, colors.GATE_SCALE)
    assert float(by_id(svg, "wire-c").get("stroke-width")) == pytest.approx(wire_width(0.125), abs=1e-4)


def test_the_diagram_escapes_what_a_student_typed_and_says_what_it_shows():
    values = {**DIAGRAM_VALUES, "x": "<b>亮</b>"}
    labels = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next & on", "highway": "highway"}
    markup = cell_diagram(values, labels, title="the cell")
    assert "<b>" not in markup and "&lt;b&gt;亮&lt;/b&gt;" in markup and "next &amp; on" in markup
    svg = parsed(markup)
    assert svg.get("aria-label") == "the cell" and by_id(svg, "title").text == "the cell"
    assert "xt = <b>亮</b>" in texts_of(svg)
    assert "\n" not in markup  # one line: markdown takes it as one HTML block


def test_every_data_id_the_twin_paints_is_in_the_drawing_once():
    painted = paint(cell_recipe("relu"), DIAGRAM_VALUES)
    assert len(painted) == 12 + 2 * 4 + 3  # every value text, each box's colour and text colour, 3 wires
    assert set(painted) <= TEMPLATE.ids
    with pytest.raises(ValueError, match="no data-id"):
        TEMPLATE.render({"box-q": {"fill": "red"}})


def test_peepholes_are_drawn_only_when_on():
    plain = parsed(cell_diagram(DIAGRAM_VALUES, DIAGRAM_LABELS))
    peep = parsed(cell_diagram(DIAGRAM_VALUES, DIAGRAM_LABELS, peephole=True, coupled=True))
    assert not [line for line in plain.iter() if line.get("stroke-dasharray")]
    assert len([line for line in peep.iter() if line.get("stroke-dasharray")]) == 5
    assert by_id(peep, "symbol-i").text == "1 − f" and by_id(plain, "symbol-i").text == "σ"


def test_the_live_diagram_names_the_settings_it_was_computed_for():
    svg = parsed(cell_diagram(DIAGRAM_VALUES, DIAGRAM_LABELS, computed_for={"Wf": 0.7, "clamp": {"o": 0.25}}))
    assert json.loads(svg.get("data-computed-for")) == {"Wf": 0.7, "clamp": {"o": 0.25}}
    assert parsed(cell_diagram(DIAGRAM_VALUES, DIAGRAM_LABELS)).get("data-computed-for") is None


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
    svg = parsed(cell_diagram(values, DIAGRAM_LABELS, activations=(gate, cell)))
    symbols = [by_id(svg, f"symbol-{g}").text for g in ("f", "i", "c_tilde", "o")]
    assert symbols == [gate_symbol, gate_symbol, cell_symbol, gate_symbol]
    squashed = "Ct" if cell == "linear" else f"{cell_symbol}(Ct)"
    assert any(text.startswith(squashed) for text in texts_of(svg))


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
    relu = parsed(cell_diagram(values, DIAGRAM_LABELS, activations=("sigmoid", "relu")))
    fills = {box.get("fill") for box in relu.iter(f"{{{SVG_NAMESPACE}}}rect")}
    saturated = colors.value_color(1.0, -1.0, 1.0, colors.SIGNED_SCALE)
    assert colors.value_color(2.0, -5.4, 5.4, colors.SIGNED_SCALE) in fills  # not clipped at 1
    assert saturated not in fills
    widths = [wire_width(c) for c in (0.0, 1.0, 2.0, 4.75, 50.0)]
    assert widths == sorted(widths) and len(set(widths)) == 5 and widths[-1] < 10  # no plateau at |C| = 1
    tanh = parsed(cell_diagram({**values, "c_tilde": 0.9}, DIAGRAM_LABELS))
    assert by_id(tanh, "box-c_tilde").get("fill") == colors.value_color(0.9, -1.0, 1.0, colors.SIGNED_SCALE)
    assert colors.value_range("c_tilde", np.array([0.5, 3.0])) == (-3.0, 3.0)
    assert colors.value_range("h", np.array([0.5, -0.9])) == (-1.0, 1.0)
