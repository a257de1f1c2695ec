"""The Train page after training on a text, in chromium: the written text and the training text
coloured by a unit are drawn, each character's colour is the one its value has on the stepper's
scale, and nothing is cut at a projector's 1024×768, in both languages."""

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ui.colors import value_color, value_range
from ui.i18n import Translator

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import page_text_problems

SPANS = """() => [...document.querySelectorAll('.lstm-unit-text span')].map(span => {
  const r = span.getBoundingClientRect();
  return {value: parseFloat(span.title), color: span.style.background, box: [r.left, r.top, r.width, r.height]};
})"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_what_it_writes_and_the_coloured_units_are_drawn_in_the_scale_s_colours(browser, server, language):
    t = Translator(language)
    page = open_app(browser, f"{server}/train?train_epochs=20&lang={language}", 1024, 768)
    for _attempt in range(3):  # a click that lands while the page settles starts no run: press again
        page.get_by_role("button", name=t("train"), exact=False).first.click()
        try:
            page.wait_for_selector(".lstm-unit-text span", timeout=90_000)
            break
        except PlaywrightTimeout:
            wait_ready(page, timeout=120_000)
    wait_ready(page, timeout=120_000)
    sample = page.locator(".lstm-sample")
    assert len(sample.inner_text()) > 100  # the start and 120 written characters
    spans = page.evaluate(SPANS)
    assert len(spans) == 5  # the classic sentence, one span per character
    values = [s["value"] for s in spans]
    low, high = value_range("c", np.array(values))
    for span in spans:  # the colour of its value (shown to 3 decimals: within a step of the scale)
        expected = value_color(span["value"], low, high, "RdBu_r")
        got = [int(c) for c in span["color"][4:-1].split(",")]
        want = [int(c) for c in expected[4:-1].split(",")]
        assert max(abs(a - b) for a, b in zip(got, want)) <= 3, (span, expected)
    problems = page_text_problems(page)  # before scrolling: the check frames texts by the visible page
    assert not problems, problems
    span = spans[0]
    span_element = page.locator(".lstm-unit-text span").first
    span_element.scroll_into_view_if_needed()
    box = span_element.bounding_box()
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    pixel = image.getpixel((int(box["x"] + 1), int(box["y"] + box["height"] / 2)))  # the left edge, clear of the glyph
    want = [int(c) for c in span["color"][4:-1].split(",")]
    assert max(abs(a - b) for a, b in zip(pixel, want)) <= 6, (pixel, want)
    screenshot(page, f"train-what-it-learned-{language}-1024x768")
    assert_no_exception(page)
    page.close()
