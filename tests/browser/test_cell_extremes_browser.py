"""The cell page on a projector (1024 × 768) with every slider at its most negative end, where the
numbers are widest ("(−6.000)·(−3.000)"): every equation and every value under the diagram is
whole, for the LSTM (with peepholes, the longest rows) and the GRU, in both languages. Before the
rows were broken to fit (ui/equations.py, WIDEST_ROW), x = h = −1 alone cut the first equation."""

import urllib.parse

import pytest

from ui.cell_presets import DEFAULTS, GRU_DEFAULTS, SLIDER_RANGES

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import CUT_DOM_TEXT

LSTM_LOWEST = {f"cell_{key}": SLIDER_RANGES[key][0] for key in DEFAULTS} | {"cell_peephole": 1}
GRU_LOWEST = {f"gru_{key}": -6.0 for key in GRU_DEFAULTS} | {"gru_x": -3.0, "gru_h": -1.0, "cell_kind": "gru"}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(("kind", "settings"), [("lstm", LSTM_LOWEST), ("gru", GRU_LOWEST)])
def test_the_widest_numbers_fit_at_a_projector_s_width(browser, server, language, kind, settings):
    query = urllib.parse.urlencode({**settings, "lang": language})
    page = open_app(browser, f"{server}/cell?{query}", 1024, 768)
    wait_ready(page)
    page.wait_for_selector("[data-testid=stMain] .katex-display .katex-html", timeout=30_000)
    grid = page.locator(".lstm-values")
    assert "(−6.000)" in page.locator("[data-testid=stMain] .katex-display").first.inner_text()
    assert "-" in " ".join(grid.locator(".lstm-value-number").all_inner_texts())  # negative values shown
    assert not page.evaluate(CUT_DOM_TEXT, "[data-testid=stMain]")
    grid.scroll_into_view_if_needed()
    screenshot(page, f"cell-{kind}-lowest-{language}-1024x768")
    assert_no_exception(page)
    page.close()
