"""The LSTM cell diagram (the tutorials' picture, with the numbers in): coloured gate boxes, the
cell-state highway whose width follows |C|, the values of one step.

The drawing is ui/static/cell_diagram.svg (ui/svg_template.py); this module says what goes into
its data-ids. `paint` is the one rule from a step's values to texts, colours and widths: the
server draws with it, and the cell page's browser twin (ui/static/cell_live.js) repaints the
same data-ids by the same rule (`cell_recipe` is what it needs to know), tested equal."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

from ui.colors import COLOR_STOPS, GATE_SCALE, SIGNED_SCALE, needs_white_text, value_color
from ui.figure_base import MARKER_COLOR
from ui.svg_template import SvgTemplate

TEMPLATE = SvgTemplate("cell_diagram.svg")
VALUE_TEXTS = ("f", "i", "c_tilde", "o", "tanh_c", "c_prev", "c", "kept", "added", "h_prev", "x", "h")
WIRES = ("c_prev", "kept", "c")  # the cell state before ×f, after it, after +i·C̃: width follows |value|

# The diagram's box symbols: the activations the model really uses.
GATE_SYMBOLS = {"sigmoid": "σ", "hard_sigmoid": "hard σ", "hard_sigmoid_keras2": "hard σ₂"}
CELL_SYMBOLS = {"tanh": "tanh", "relu": "relu", "linear": "linear"}
# A candidate in [−1, 1] (tanh, or a sigmoid of any kind) has the fixed ±1 scale; relu and linear
# are coloured on the cell state's scale.
BOUNDED = {"tanh", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2"}

Recipe = dict  # {"texts": keys, "boxes": [[key, low, high, scale, spread keys]], "wires": keys, "stops": ...}


def fmt3(value: float | str) -> str:
    """A value as the diagram writes it (a token, such as the home page's x, as it is)."""
    return value if isinstance(value, str) else f"{value:.3f}"


def box_bound(values: Mapping[str, float | str], keys: Sequence[str]) -> float | None:
    """The ± range of a box coloured on a shared scale: the largest finite |value| of `keys`, at
    least 1 (None: the box keeps its fixed range)."""
    if not keys:
        return None
    sizes = [abs(float(values[k])) for k in keys if math.isfinite(float(values[k]))]
    return max([1.0, *sizes])


def wire_width(value: float) -> float:
    """The cell-state wire's width in px: 2 at C = 0, 5 at |C| = 1, towards 10 for large |C| and
    never saturating (a trained cell reaches |C| ≈ 5). The live twin computes the same."""
    size = abs(value) if math.isfinite(value) else 0.0
    return 2.0 + 8.0 * size / (1.0 + size)


def cell_recipe(cell_activation: str = "tanh") -> Recipe:
    """Which data-id shows which value, and on which colour scale each box is painted: a tanh
    candidate on a fixed ±1, a relu or linear one on the largest |C| in the picture."""
    spread = [] if cell_activation in BOUNDED else ["c_prev", "c_tilde", "c"]
    return {
        "texts": list(VALUE_TEXTS),
        "boxes": [
            ["f", 0.0, 1.0, GATE_SCALE, []],
            ["i", 0.0, 1.0, GATE_SCALE, []],
            ["c_tilde", -1.0, 1.0, SIGNED_SCALE, spread],
            ["o", 0.0, 1.0, GATE_SCALE, []],
        ],
        "wires": list(WIRES),
        "stops": {name: [[p, list(rgb)] for p, rgb in COLOR_STOPS[name]] for name in (GATE_SCALE, SIGNED_SCALE)},
        "gate_scale": GATE_SCALE,
    }


def paint(recipe: Recipe, values: Mapping[str, float | str]) -> dict[str, dict[str, str | float]]:
    """What one step's values make of the diagram's data-ids: each value's text, each box's colour
    and its text's colour (white where the box is dark), each cell-state wire's width."""
    painting: dict[str, dict[str, str | float]] = {
        f"value-{key}": {"text": fmt3(values[key])} for key in recipe["texts"]
    }
    for key, low, high, scale, spread in recipe["boxes"]:
        bound = box_bound(values, spread)
        if bound is not None:
            low, high = -bound, bound
        value = float(values[key])
        painting[f"box-{key}"] = {"fill": value_color(value, low, high, scale)}
        dark = needs_white_text(value, scale, high if scale == SIGNED_SCALE else 1.0)
        painting[f"label-{key}"] = {"fill": "white" if dark else "#1a202c"}
    for key in recipe["wires"]:
        painting[f"wire-{key}"] = {"stroke-width": wire_width(float(values[key]))}
    return painting


def cell_diagram(
    values: Mapping[str, float | str],
    labels: Mapping[str, str],
    clamped: Sequence[str] = (),
    activations: tuple[str, str] = ("sigmoid", "tanh"),
    peephole: bool = False,
    coupled: bool = False,
    computed_for: Mapping | None = None,
    title: str = "",
    height: int = 500,
) -> str:
    """The classic LSTM cell as SVG markup: C_{t-1} → ×f → +i·C̃ → C_t → tanh → ×o → h_t, with x_t
    and h_{t-1} feeding the four gates. Every box shows its live value and is coloured by it; the
    cell-state wire is drawn thicker where more memory flows (`wire_width`). The boxes name the
    activations in use (`activations` = (gate, cell)); a clamped gate's box has a red edge.

    colah's variants: `peephole` keeps the dashed peephole wires (C_{t-1} into f and i, C_t into
    o); `coupled` names the input gate's box "1 − f". `computed_for` (the slider settings these
    values are for) rides on the drawing, so that the cell page's twin can tell a late answer."""
    gate_symbol = GATE_SYMBOLS.get(activations[0], activations[0])
    cell_symbol = CELL_SYMBOLS.get(activations[1], GATE_SYMBOLS.get(activations[1], activations[1]))
    painting = paint(cell_recipe(activations[1]), values)
    for gate in ("f", "i", "c_tilde", "o"):
        symbol = cell_symbol if gate == "c_tilde" else "1 − f" if gate == "i" and coupled else gate_symbol
        painting[f"symbol-{gate}"] = {"text": symbol}
    for gate in clamped:
        painting[f"box-{gate}"] = {**painting[f"box-{gate}"], "stroke": MARKER_COLOR, "stroke-width": "4"}
    linear = activations[1] == "linear"  # the output is C_t itself, not an activation of it
    painting["squash-open"] = {"text": "" if linear else f"{cell_symbol}("}
    painting["squash-close"] = {"text": "" if linear else ")"}
    painting["next_step"] = {"text": labels["next_step"]}
    painting["highway"] = {"text": labels["highway"]}
    painting["title"] = {"text": title}
    root = {"height": str(height), "aria-label": title}
    if computed_for is not None:
        root["data-computed-for"] = json.dumps(dict(computed_for), separators=(",", ":"))
    return TEMPLATE.render(painting, removed=() if peephole else ("peepholes",), root=root)
