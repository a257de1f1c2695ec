"""The GRU on the Cell anatomy page in chromium: the diagram whole at a projector's size and the
largest, in both languages, and its boxes painted in the colour of lstm_core's values."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from ui import colors
from ui.cell_presets import GRU_DEFAULTS
from ui.gru_cell import SHOWN as GRU_SHOWN
from ui.gru_diagram import gru_diagram, gru_step

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import CUT_DOM_TEXT, page_text_problems, screen_pixels

DIAGRAM = ".st-key-gru_diagram svg.lstm-diagram"
LABELS = {"r": "r", "z": "z", "n": "n", "next_step": "", "gru_highway": ""}


@pytest.mark.parametrize(("language", "width", "height"), [("en", 1024, 768), ("zh", 1024, 768), ("en", 1920, 1080)])
def test_the_gru_diagram_is_whole_and_coloured_by_lstm_core_s_values(browser, server, language, width, height):
    page = open_app(browser, f"{server}/cell?lang={language}&cell_kind=gru", width, height)
    page.wait_for_function(f"!!document.querySelector('{DIAGRAM} text')", timeout=30_000)
    page.locator(DIAGRAM).scroll_into_view_if_needed()
    assert not page_text_problems(page)
    values = gru_step(GRU_DEFAULTS)
    drawing = ET.fromstring(gru_diagram(values, LABELS))
    fills = {e.get("data-id"): e.get("fill") for e in drawing.iter() if e.get("data-id", "").startswith("box-")}
    paths = [page.locator(f"{DIAGRAM} [data-id=box-{name}]") for name in ("z", "r", "n")]
    for _ in range(50):  # a screenshot taken while the diagram stood still
        before = [path.bounding_box() for path in paths]
        pixels = screen_pixels(page)
        if [path.bounding_box() for path in paths] == before:
            break
        page.wait_for_timeout(100)
    for name, box in zip(("z", "r", "n"), before):
        got = pixels[int(box["y"] + 0.15 * box["height"]), int(box["x"] + box["width"] / 2)]  # above its text
        want = fills[f"box-{name}"]
        scale = colors.GATE_SCALE if name != "n" else colors.SIGNED_SCALE
        low, high = (0.0, 1.0) if name != "n" else (-1.0, 1.0)
        assert want == colors.value_color(values[name], low, high, scale)
        assert np.abs(got - np.array([int(c) for c in want[4:-1].split(",")])).max() <= 8, (name, got, want)
    screenshot(page, f"cell-gru-{language}-{width}x{height}")
    assert_no_exception(page)
    page.close()


def test_negative_values_under_the_gru_diagram_are_whole_at_a_projector_s_width(browser, server):
    """ "-0.945" in one of four columns of the 377 px picture: st.metric cut it to "-0.…"."""
    page = open_app(browser, f"{server}/cell?cell_kind=gru&gru_x=-1&gru_h=-1", 1024, 768)
    wait_ready(page)
    numbers = page.locator("[data-values=gru_values] .lstm-value-number")
    numbers.first.wait_for(timeout=30_000)
    numbers.first.scroll_into_view_if_needed()
    problems = page.evaluate(CUT_DOM_TEXT, "[data-testid=stMain]")
    values = gru_step({**GRU_DEFAULTS, "x": -1.0, "h": -1.0})
    assert numbers.all_inner_texts() == [f"{values[name]:.3f}" for name in GRU_SHOWN]
    assert min(values.values()) < -0.9  # the widest numbers there are
    assert not problems
    screenshot(page, "cell-gru-negative-1024x768")
    assert_no_exception(page)
    page.close()
