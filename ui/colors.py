"""Colour scales, fixed per kind of quantity, so a colour means the same number on every chart:
gates in [0, 1] on Viridis, C̃ and h in [−1, 1] and the cell state C symmetric around 0 on RdBu.
The stops are explicit so that the server, the browser twin and the tests compute one colour."""

from __future__ import annotations

import math

import numpy as np

GATE_SCALE = "Viridis"


SIGNED_SCALE = "RdBu_r"


def value_range(name: str, values: np.ndarray | None = None) -> tuple[float, float]:
    """The colour range of a quantity: [0, 1] for the gates; C̃, C and h symmetric, at least ±1
    and wide enough for the values (so a tanh model's C̃ and h get ±1, a relu or linear one's
    its own range instead of colours saturated at 1)."""
    if name in ("f", "i", "o"):
        return 0.0, 1.0
    bound = 1.0 if values is None or values.size == 0 else max(1.0, float(np.abs(values).max()))
    return -bound, bound


def colorscale(name: str) -> str:
    return GATE_SCALE if name in ("f", "i", "o") else SIGNED_SCALE


def _color_stops(name: str) -> list[tuple[float, tuple[float, float, float]]]:
    from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

    return [
        (float(position), tuple(float(c) for c in (hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color))))
        for position, color in get_colorscale(name)
    ]


COLOR_STOPS = {name: _color_stops(name) for name in (GATE_SCALE, SIGNED_SCALE)}


def colorscale_stops(name: str) -> list[list]:
    """The quantity's colour scale as explicit stops: a plain spec sent to plotly.js cannot name
    Python-only scales such as "RdBu_r", and explicit stops are the very ones `value_color` uses."""
    scale = colorscale(name)
    return [[position, "rgb({:g},{:g},{:g})".format(*rgb)] for position, rgb in COLOR_STOPS[scale]]


def needs_white_text(value: float, scale: str, bound: float = 1.0) -> bool:
    """White text on a box of this value's colour, dark text otherwise: low gates on Viridis and
    strong values on RdBu (|value| above 0.6 of the scale's `bound`) are dark."""
    return (scale == GATE_SCALE and value < 0.6) or (scale == SIGNED_SCALE and abs(value) > 0.6 * bound)


def value_color(value: float, low: float, high: float, scale: str) -> str:
    """The colour of `value` on `scale`: linear between the scale's stops, channels rounded half up.

    Spelled out rather than plotly's sample_colorscale so that the cell page's live twin
    (ui/cell_live.py, in the browser) computes the very same string."""
    position = 0.5 if high == low or not math.isfinite(value) else min(1.0, max(0.0, (value - low) / (high - low)))
    stops = COLOR_STOPS[scale]
    k = next((k for k in range(len(stops) - 1) if position <= stops[k + 1][0]), len(stops) - 2)
    (p0, c0), (p1, c1) = stops[k], stops[k + 1]  # the segment holding `position` (else the last)
    weight = 0.0 if p1 == p0 else (position - p0) / (p1 - p0)
    red, green, blue = (math.floor(a + (b - a) * weight + 0.5) for a, b in zip(c0, c1))
    return f"rgb({red},{green},{blue})"
