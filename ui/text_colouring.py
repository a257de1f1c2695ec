"""A text coloured character by character by one hidden unit's value at each step, the picture of
Karpathy, Johnson & Fei-Fei (2015): the background of character t is the unit's value after
reading it, on the stepper's own colour scale for that quantity (ui/colors.py)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from ui.colors import colorscale, value_color, value_range


def _dark(color: str) -> bool:
    """White text on this background (rgb(r,g,b)): by its perceived lightness."""
    r, g, b = (float(c) for c in color[color.index("(") + 1 : -1].split(","))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def coloured_text(tokens: Sequence[str], values: np.ndarray, quantity: str, label: str) -> str:
    """One HTML block: a span per character (escaped; a line break stays a break) with the colour
    of `values[t]` on `quantity`'s scale and the value in its title (shown on hover)."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(tokens),):
        raise ValueError(f"one value per character: {len(tokens)} characters, values {values.shape}.")
    low, high = value_range(quantity, values)
    scale = colorscale(quantity)
    spans = []
    for token, value in zip(tokens, values):
        color = value_color(float(value), low, high, scale)
        text = "⏎<br>" if token == "\n" else html.escape(token).replace(" ", "&nbsp;")
        ink = "#fff" if _dark(color) else "#111"
        spans.append(f'<span style="background:{color};color:{ink}" title="{value:+.3f}">{text}</span>')
    return (
        f'<div class="lstm-unit-text" role="img" aria-label="{html.escape(label)}" '
        f'data-low="{low:g}" data-high="{high:g}">{"".join(spans)}</div>'
    )
