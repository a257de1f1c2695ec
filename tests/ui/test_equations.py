"""The equations' LaTeX: rows too wide for the cell page's column on a projector are broken, and
nothing is lost or changed by the breaking (the browser test, test_cell_extremes_browser.py,
checks what is drawn)."""

import re

import pytest

from ui.equations import WIDEST_ROW, _aligned, _fitted, _shown_length, one_block

NUMBER = r"-?\d+\.\d{3}"


@pytest.mark.parametrize(
    ("row", "rows"),
    [
        (r"1.000\cdot1.000 + 0.500\cdot0.200 + 0.000", 1),  # fits: drawn whole at 1024 px
        (r"(W_f x_t)_k + (U_f h_{t-1})_k + b_{f,k}", 1),  # subscripts are small
        (r"0.500\cdot(-1.000) + 0.500\cdot(-1.000) + 0.000", 2),  # was cut at 1024 px
        (r"(-6.000)\cdot(-3.000) + (-6.000)\cdot(-1.000) + (-6.000)", 3),
        (r"0.832\cdot(-3.000) + 0.750\cdot(-0.922) = -1.108", 2),
    ],
)
def test_a_wide_row_is_broken_before_its_result_or_last_term_and_keeps_every_number(row, rows):
    fitted = _fitted(row)
    assert len(fitted) == rows
    assert all(_shown_length(part) <= WIDEST_ROW for part in fitted)
    assert re.findall(NUMBER, " ".join(fitted)) == re.findall(NUMBER, row)
    assert all(part.startswith("+ ") for part in fitted[1:] if "=" not in row)


def test_a_row_of_one_term_is_left_as_it_is():
    long_term = r"\mathrm{hard\_sigmoid}_{2}(" + "1" * 40 + ")"
    assert _fitted(long_term) == [long_term]


def test_broken_rows_are_aligned_continuations_and_the_block_keeps_every_line():
    line = _aligned("z_f", r"W_f x_t + U_f h_{t-1} + b_f", r"0.500\cdot(-1.000) + 0.500\cdot(-1.000) + 0.000", "-1.000")
    assert r"\\ &\quad + 0.000" in line and line.count(r"\\ &= ") == 2
    block = one_block([line, "h_t = 0.5"])
    assert block.startswith(r"\begin{gathered}") and block.count(r"\\[") == 1 and "h_t = 0.5" in block
