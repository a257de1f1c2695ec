"""A text coloured character by character by one hidden unit's value at each step, the picture of
Karpathy, Johnson & Fei-Fei (2015): the background of character t is the unit's value after
reading it, on the stepper's own colour scale for that quantity (ui/colors.py)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from ui.colors import colorscale, needs_white_text, value_color, value_range


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
        ink = "#fff" if needs_white_text(float(value), scale, high) else "#111"  # as the cell diagram's boxes
        spans.append(f'<span style="background:{color};color:{ink}" title="{value:+.3f}">{text}</span>')
    return (
        f'<div class="lstm-unit-text" role="img" aria-label="{html.escape(label)}" '
        f'data-low="{low:g}" data-high="{high:g}">{"".join(spans)}</div>'
    )
