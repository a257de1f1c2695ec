"""The LSTM's equations in LaTeX with the numbers of one step filled in: the cell page's 1-unit
cell and a unit of the current model, each line checked against the values the diagram draws."""

from __future__ import annotations

import re
from collections.abc import Mapping

from lstm_core.reference import TUTORIAL_ORDER
from ui.i18n import Translator

_SYMBOLS = {
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "hard_sigmoid": r"\mathrm{hard\_sigmoid}",
    "hard_sigmoid_keras2": r"\mathrm{hard\_sigmoid}_{2}",
    "relu": r"\mathrm{relu}",
    "linear": r"\mathrm{linear}",
}
_GATE_LATEX = {"f": "f_t", "i": "i_t", "c": r"\tilde{C}_t", "o": "o_t"}
_GATE_VALUE = {"f": "f", "i": "i", "c": "c_tilde", "o": "o"}


def _n(value: float) -> str:
    text = f"{value:.3f}"
    return f"({text})" if value < 0 else text


# Characters a row may show: the cell page's picture column is 377 px wide on a 1024 px projector,
# and "1.000·(−1.000) + 0.500·(−1.000) + 0.000" (39) was cut there while 33 fit.
WIDEST_ROW = 34


def _shown_length(row: str) -> int:
    """About how many characters KaTeX draws for `row`: commands count as one, braces and the
    marks of sub- and superscripts as none."""
    return len(re.sub(r"\\[a-zA-Z]+\s*|[{}_^]", lambda m: "·" if m.group().startswith("\\") else "", row))


def _fitted(row: str) -> list[str]:
    """`row`, or the rows it is broken into to fit WIDEST_ROW: before its result ("… = 1.108" →
    "…", "1.108") or before its last term ("a + b + c" → "a + b", "+ c")."""
    if _shown_length(row) <= WIDEST_ROW:
        return [row]
    head, equals, result = row.rpartition(" = ")
    if equals:
        return [*_fitted(head), result]
    head, plus, tail = row.rpartition(" + ")
    if not plus or not head.strip("+ "):
        return [row]  # one term: nothing to break at
    return [*_fitted(head), f"+ {tail}"]


def _aligned(left: str, *rows: str) -> str:
    """`left = row₁` on one line and each further `= row` under it: one long line is cut off in
    the cell page's column on a 1024 px projector, and a row wider than WIDEST_ROW is broken
    too. A row that starts with "+" continues the row above it (indented, no "=")."""
    rows = tuple(part for row in rows for part in _fitted(row))
    body = "".join((r"\\ &\quad " if row.startswith("+") else r"\\ &= ") + row for row in rows[1:])
    return rf"\begin{{aligned}}{left} &= {rows[0]}{body}\end{{aligned}}"


def one_block(lines: list[str]) -> str:
    """The lines as one LaTeX block, each centred under the one before, as separate blocks would
    be: one element to send instead of a dozen, on every slider move of every student."""
    return r"\begin{gathered}" + r" \\[2.4em] ".join(lines) + r"\end{gathered}"


def equations(
    values: Mapping[str, float],
    weights: Mapping[str, float],
    step,
    recurrent_activation: str,
    activation: str,
    clamp: Mapping[str, float],
    t: Translator,
    peephole: bool = False,
    coupled: bool = False,
) -> list[str]:
    """LaTeX lines: each gate's pre-activation with numbers substituted, then its value, then
    the cell and hidden state. colah's variants (lstm_core/variants.py): a peephole term
    p·C_{t-1} in z_f and z_i and p_o·C_t in z_o; coupled gates write i_t = 1 − f_t."""
    x, h, c_prev = values["x"], values["h_prev"], values["c_prev"]
    lines = []
    for gate in TUTORIAL_ORDER:
        if coupled and gate == "i":
            lines.append(_aligned("i_t", "1 - f_t", rf"1 - {values['f']:.3f}", f"{values['i']:.3f}"))
            continue
        z = float(getattr(step, f"z_{gate}")[0])
        W, U, b = weights[f"W{gate}"], weights[f"U{gate}"], weights[f"b{gate}"]
        symbols = [rf"W_{gate} x_t + U_{gate} h_{{t-1}} + b_{gate}"]
        numbers = [rf"{_n(W)}\cdot{_n(x)} + {_n(U)}\cdot{_n(h)} + {_n(b)}"]
        if peephole and gate != "c":  # f and i look at C_{t-1}, o at the new C_t: one more row each
            state, cell = ("C_t", values["c"]) if gate == "o" else ("C_{t-1}", c_prev)
            symbols.append(rf"+ p_{gate} {state}")
            numbers.append(rf"+ {_n(weights[f'p{gate}'])}\cdot{_n(cell)}")
        lines.append(_aligned(f"z_{gate}", *symbols, *numbers, f"{z:.3f}"))
        symbol = _SYMBOLS[activation if gate == "c" else recurrent_activation]
        value = values[_GATE_VALUE[gate]]
        if gate in clamp:
            lines.append(rf"{_GATE_LATEX[gate]} = {value:.3f}\quad\text{{({t('clamped')})}}")
        else:
            lines.append(_aligned(_GATE_LATEX[gate], rf"{symbol}(z_{gate}) = {symbol}({z:.3f})", f"{value:.3f}"))
    return lines + _state_lines(values, c_prev, activation)


def unit_equations(
    values: Mapping[str, float],
    terms: Mapping[str, tuple[float, float, float]],
    recurrent_activation: str,
    activation: str,
) -> list[str]:
    """LaTeX for unit k of a model at one step: z = (W x_t)_k + (U h_{t-1})_k + b_k per gate."""
    lines = []
    for gate in TUTORIAL_ORDER:
        from_x, from_h, bias = terms[gate]
        z = from_x + from_h + bias
        lines.append(
            _aligned(
                f"z_{gate}",
                rf"(W_{gate} x_t)_k + (U_{gate} h_{{t-1}})_k + b_{{{gate},k}}",
                rf"{_n(from_x)} + {_n(from_h)} + {_n(bias)} = {z:.3f}",
            )
        )
        symbol = _SYMBOLS[activation if gate == "c" else recurrent_activation]
        lines.append(rf"{_GATE_LATEX[gate]} = {symbol}({z:.3f}) = {values[_GATE_VALUE[gate]]:.3f}")
    return lines + _state_lines(values, values["c_prev"], activation)


def _state_lines(values: Mapping[str, float], c_prev: float, activation: str) -> list[str]:
    """C_t = f·C_{t-1} + i·C̃ and h_t = o·tanh(C_t), with the step's numbers."""
    return [
        _aligned(
            "C_t",
            r"f_t\cdot C_{t-1} + i_t\cdot\tilde{C}_t",
            rf"{values['f']:.3f}\cdot{_n(c_prev)} + {values['i']:.3f}\cdot{_n(values['c_tilde'])}"
            rf" = {values['c']:.3f}",
        ),
        _aligned(
            "h_t",
            rf"o_t\cdot {_SYMBOLS[activation]}(C_t)",
            rf"{values['o']:.3f}\cdot{_n(values['tanh_c'])} = {values['h']:.3f}",
        ),
    ]


def gru_equations(
    values: Mapping[str, float], weights: Mapping[str, float], recurrent_activation: str, activation: str
) -> list[str]:
    """The GRU's step (lstm_core/gru.py, one bias per gate) in LaTeX with its numbers: the two
    gates, the candidate that sees r·(U_n h_{t-1}), and the new state between h_{t-1} and n."""
    x, h = values["x"], values["h_prev"]
    sigma, act = _SYMBOLS[recurrent_activation], _SYMBOLS[activation]
    lines = []
    for gate in ("r", "z"):  # a_r, a_z: the pre-activations (z is the update gate's name here)
        W, U, b = weights[f"W{gate}"], weights[f"U{gate}"], weights[f"b{gate}"]
        pre = values[f"pre_{gate}"]
        lines.append(
            _aligned(
                f"a_{gate}",
                rf"W_{gate} x_t + U_{gate} h_{{t-1}} + b_{gate}",
                rf"{_n(W)}\cdot{_n(x)} + {_n(U)}\cdot{_n(h)} + {_n(b)}",
                f"{pre:.3f}",
            )
        )
        lines.append(_aligned(f"{gate}_t", rf"{sigma}(a_{gate}) = {sigma}({pre:.3f})", f"{values[gate]:.3f}"))
    W, U, b = weights["Wn"], weights["Un"], weights["bn"]
    lines.append(
        _aligned(
            "a_n",
            r"W_n x_t + r_t\cdot(U_n h_{t-1}) + b_n",
            rf"{_n(W)}\cdot{_n(x)} + {values['r']:.3f}\cdot({_n(U)}\cdot{_n(h)})",
            rf"+ {_n(b)}",
            f"{values['pre_n']:.3f}",
        )
    )
    lines.append(_aligned("n_t", rf"{act}(a_n) = {act}({values['pre_n']:.3f})", f"{values['n']:.3f}"))
    lines.append(
        _aligned(
            "h_t",
            r"(1 - z_t)\cdot n_t + z_t\cdot h_{t-1}",
            rf"(1 - {values['z']:.3f})\cdot{_n(values['n'])} + {values['z']:.3f}\cdot{_n(h)}",
            f"{values['h']:.3f}",
        )
    )
    return lines
