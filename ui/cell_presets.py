"""The cell page's sliders: their default values, ranges and named presets."""

from __future__ import annotations

from lstm_core.reference import TUTORIAL_ORDER

# A cell that does something visible out of the box: f leans to remembering (b_f = 1, as
# Keras's unit_forget_bias), the candidate follows x.
DEFAULTS: dict[str, float] = {
    "x": 1.0,
    "h": 0.2,
    "c": 0.5,
    "Wf": 0.5,
    "Uf": 0.5,
    "bf": 1.0,
    "Wi": 1.0,
    "Ui": 0.5,
    "bi": 0.0,
    "Wc": 1.5,
    "Uc": 0.5,
    "bc": 0.0,
    "Wo": 1.0,
    "Uo": 0.5,
    "bo": 0.0,
    "pf": 0.5,  # peephole weights (used only when the peephole variant is on)
    "pi": 0.5,
    "po": 0.5,
}
PEEPHOLE_KEYS = ("pf", "pi", "po")

SLIDER_RANGES: dict[str, tuple[float, float]] = {
    "x": (-3.0, 3.0),
    "h": (-1.0, 1.0),
    "c": (-3.0, 3.0),
    **{f"{part}{gate}": (-6.0, 6.0) for part in "WUb" for gate in TUTORIAL_ORDER},
    **{key: (-6.0, 6.0) for key in PEEPHOLE_KEYS},
}

# Each preset zeroes a gate's W and U and drives its bias far out, so the gate sits at ≈0 or ≈1
# whatever x and h are: σ(6) = 0.998, σ(−6) = 0.002.
PRESETS: dict[str, dict[str, float]] = {
    "default": {},
    "remember": {"Wf": 0.0, "Uf": 0.0, "bf": 6.0, "Wi": 0.0, "Ui": 0.0, "bi": -6.0},
    "overwrite": {"Wf": 0.0, "Uf": 0.0, "bf": -6.0, "Wi": 0.0, "Ui": 0.0, "bi": 6.0},
    "silent": {"Wo": 0.0, "Uo": 0.0, "bo": -6.0},
}

GRU_GATES = ("r", "z", "n")  # PyTorch's block order: reset, update, candidate

# The cell page's GRU sliders: x_t, h_{t−1} and W, U, b per gate; a cell that keeps about half
# of its state (z ≈ 0.5) and a candidate that follows x.
GRU_DEFAULTS: dict[str, float] = {
    "x": 1.0,
    "h": 0.5,
    "Wr": 1.0,
    "Ur": 0.5,
    "br": 0.0,
    "Wz": 0.5,
    "Uz": 0.5,
    "bz": -0.5,
    "Wn": 1.5,
    "Un": 1.0,
    "bn": 0.0,
}
GRU_RANGES: dict[str, tuple[float, float]] = {
    "x": (-3.0, 3.0),
    "h": (-1.0, 1.0),
    **{f"{part}{gate}": (-6.0, 6.0) for part in "WUb" for gate in GRU_GATES},
}
