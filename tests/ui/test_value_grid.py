"""The values under the cell diagrams: one element, each name's number to three decimals, in order."""

import re

from ui.cell_live import SHOWN
from ui.gru_cell import SHOWN as GRU_SHOWN
from ui.value_grid import SYMBOLS, value_grid


def test_every_value_is_shown_once_in_order_to_three_decimals():
    values = {name: k / 7 - 0.5 for k, name in enumerate(SHOWN)}
    markup = value_grid(values, SHOWN, 3, "cell_values")
    assert re.findall(r'data-value="(\w+)"', markup) == list(SHOWN)
    assert re.findall(r'class="lstm-value-number">([^<]*)<', markup) == [f"{values[n]:.3f}" for n in SHOWN]
    assert 'data-values="cell_values" data-columns="3"' in markup


def test_every_shown_value_has_a_symbol():
    assert set(SHOWN) | set(GRU_SHOWN) <= set(SYMBOLS)
