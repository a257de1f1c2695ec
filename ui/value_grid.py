"""A cell's numbers under its diagram: each value's symbol over its number, in rows, as one element.

It looks like a row of st.metric (ui/static/cell.css gives it their sizes and gaps), but it is
one markdown element where six metrics in columns were eleven (the blocks, the columns, the
metrics), and the cell page sends it again on every slider move of every student in a class.
The cell page's twin (ui/static/cell_live.js) rewrites its numbers by data-value while a slider
moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# value name → its symbol, in HTML: st.markdown draws no LaTeX inside HTML, and the page's KaTeX
# fonts give the symbols the equations' look (cell.css)
SYMBOLS = {
    "f": "<i>f</i><sub>t</sub>",
    "i": "<i>i</i><sub>t</sub>",
    "c_tilde": "<i>C&#771;</i><sub>t</sub>",
    "o": "<i>o</i><sub>t</sub>",
    "c": "<i>C</i><sub>t</sub>",
    "h": "<i>h</i><sub>t</sub>",
    "r": "<i>r</i><sub>t</sub>",
    "z": "<i>z</i><sub>t</sub>",
    "n": "<i>n</i><sub>t</sub>",
}


def value_grid(values: Mapping[str, float], names: Sequence[str], columns: int, key: str) -> str:
    """Markup for `names`' values, `columns` (3 or 4, cell.css) to a row, three decimals as
    everywhere on the page;
    `key` names the grid for the twin and the tests (data-values)."""
    cells = "".join(
        f'<div class="lstm-value" data-value="{name}">'
        f'<div class="lstm-value-symbol">{SYMBOLS[name]}</div>'
        f'<div class="lstm-value-number">{values[name]:.3f}</div></div>'
        for name in names
    )
    return f'<div class="lstm-values" data-values="{key}" data-columns="{columns}">{cells}</div>'
