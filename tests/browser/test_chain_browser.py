"""The unrolled chain in chromium: its C wire carries lstm_core's C_t at every drawn cell, its
boxes are painted in the heatmaps' colour of lstm_core's values, it follows the stepper's ▶ and
▶ Play, its texts are whole at every size in both languages, and a click opens the cell."""

import numpy as np
import pytest

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY
from ui import inputs
from ui import model as demo
from ui.i18n import Translator

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import MARKER_COLUMN, expected_rgb, screen_pixels

CHAIN = ".lstm-chain-root svg >> visible=true"  # the chain a student sees (a replaced one may linger hidden)

# What the chain drew: its window, the C wires' values and boxes, the boxes, every text's box.
DRAWN = """svg => {
  const box = node => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const main = svg.closest('[data-testid=stMain]') || document.querySelector('[data-testid=stMain]');
  return {
    step: Number(svg.dataset.step), first: Number(svg.dataset.first), cells: Number(svg.dataset.cells),
    wires: [...svg.querySelectorAll('line[data-wire^="c:"]')].map(l => [Number(l.dataset.wire.slice(2)), l.getAttribute('data-value'), box(l)]),
    boxes: [...svg.querySelectorAll('rect[data-box]')].map(r => [r.dataset.box, Number(r.dataset.step), box(r)]),
    texts: [...svg.querySelectorAll('text')].map(t => [t.textContent, box(t)]),
    current: [...svg.querySelectorAll('rect[data-body]')].filter(r => r.getAttribute('stroke') === '#ff2d55').map(r => Number(r.dataset.body)),
    frame: box(svg),
  };
}"""


def trace_of_default_model():
    prepared = inputs.prepare_text(CLASSIC_SENTENCE, CLASSIC_VOCABULARY)
    return demo.run_model(demo.build_model(demo.ModelSpec(), prepared), prepared)


def drawn(page) -> dict:
    return page.locator(CHAIN).evaluate(DRAWN)


def wait_for_chain(page, step: int, unit: int, run) -> dict:
    """The chain on `step`, drawn with `unit`'s numbers."""
    for _ in range(300):
        chain = drawn(page)
        wires = {t: float(value) for t, value, _ in chain["wires"]}
        if chain["step"] == step and wires and all(wires[t] == run.trace.c[t, unit] for t in wires):
            return chain
        page.wait_for_timeout(100)
    raise AssertionError(f"the chain never showed step {step} of unit {unit}: {chain}")


def text_problems(chain) -> list[str]:
    (f0, g0, f1, g1), problems = chain["frame"], []
    texts = chain["texts"]
    for text, (x0, y0, x1, y1) in texts:
        if x0 < f0 - 1 or y0 < g0 - 1 or x1 > f1 + 1 or y1 > g1 + 1:
            problems.append(f"cut: {text!r}")
    for k, (a, (ax0, ay0, ax1, ay1)) in enumerate(texts):
        for b, (bx0, by0, bx1, by1) in texts[k + 1 :]:
            if min(ax1, bx1) - max(ax0, bx0) > 1.5 and min(ay1, by1) - max(ay0, by0) > 1.5:
                problems.append(f"overlap: {a!r} and {b!r}")
    return problems


def colour_errors(page, chain, run, unit: int) -> list[str]:
    """Each box's fill a few px below its top edge (its text is in the middle) and each C wire's
    centre, against the heatmaps' colour scale at lstm_core's value."""
    pixels, errors = screen_pixels(page), []
    samples = [(name, t, (x0 + x1) / 2, y0 + 3) for name, t, (x0, y0, x1, y1) in chain["boxes"]]
    samples += [("c", t, (x0 + x1) / 2, (y0 + y1) / 2) for t, _, (x0, y0, x1, y1) in chain["wires"]]
    for name, t, x, y in samples:
        values = np.asarray(run.quantity(name))
        want = expected_rgb(name, float(values[t, unit]), values)
        got = pixels[int(y), int(x)]
        if np.abs(got - want).max() > 8:
            errors.append(f"{name}[t {t}]: drawn {got.tolist()}, lstm_core's {want.tolist()}")
    return errors


def test_the_chain_draws_the_core_s_numbers_and_follows_the_stepper(browser, server):
    run = trace_of_default_model()
    page = open_app(browser, f"{server}/stepper", 1024, 768)
    page.wait_for_function(f"({MARKER_COLUMN})() === 0", timeout=60_000)
    page.locator(CHAIN).scroll_into_view_if_needed()
    chain = wait_for_chain(page, 0, 0, run)
    assert chain["first"] == 0 and chain["cells"] >= 3 and chain["current"] == [0]
    assert sorted(t for t, _, _ in chain["wires"]) == list(range(chain["cells"]))
    texts = [text for text, _ in chain["texts"]]
    for t in range(chain["cells"]):
        assert f"C {run.trace.c[t, 0]:.3f}" in texts and f"f {run.trace.f[t, 0]:.3f}" in texts
    assert not colour_errors(page, chain, run, 0)
    assert not text_problems(chain)
    screenshot(page, "chain-1024x768-step0")

    next_button = page.locator(".lstm-stepper-controls button.next")
    next_button.click()
    next_button.click()
    chain = wait_for_chain(page, 2, 0, run)  # the middle of the window, where the sequence allows
    assert chain["first"] == max(0, min(2 - chain["cells"] // 2, 5 - chain["cells"])) and chain["current"] == [2]
    page.locator(".lstm-stepper-controls select.speed").select_option("400")
    page.locator(".lstm-stepper-controls button.play").click()
    chain = wait_for_chain(page, 4, 0, run)  # ▶ Play runs to the last step, the chain with it
    assert page.evaluate(MARKER_COLUMN) == 4 and chain["current"] == [4]
    page.wait_for_function("new URLSearchParams(window.location.search).get('t') === '4'", timeout=30_000)
    wait_ready(page)  # the server has heard the step: its rerun does not close the menu opened next

    page.get_by_test_id("stSelectbox").filter(has_text="Unit").locator("input").click()
    page.keyboard.press("ArrowDown")  # opens the menu if the click only focused it (after the native speed menu)
    page.get_by_role("option", name="3", exact=True).click()
    wait_ready(page)
    chain = wait_for_chain(page, 4, 3, run)
    assert not colour_errors(page, chain, run, 3)
    screenshot(page, "chain-1024x768-unit3-step4")
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        chain = wait_for_chain(page, 4, 3, run)
        assert not text_problems(chain), (width, text_problems(chain))
        screenshot(page, f"chain-{width}x{height}")
    assert_no_exception(page)

    body = page.locator(CHAIN).locator('g.lstm-chain-cell[data-step="3"] rect[data-body]')
    body.click(position={"x": body.bounding_box()["width"] / 2, "y": 5})  # the cell's body, above its gates
    page.wait_for_function("window.location.pathname.endsWith('/cell')", timeout=30_000)
    page.wait_for_function("window.location.search.includes('cell_source=model')", timeout=30_000)
    assert "cell_unit=3" in page.url and "cell_step=3" in page.url
    page.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_chain_and_its_controls_are_whole_on_a_projector(browser, server, language):
    page = open_app(browser, f"{server}/stepper?lang={language}", 1024, 768)
    title = page.get_by_role("heading", name=Translator(language)("chain_title"))
    title.scroll_into_view_if_needed()
    chain = wait_for_chain(page, 0, 0, trace_of_default_model())
    assert not text_problems(chain)
    assert (
        page.locator("[data-testid=stButtonGroup]")
        .filter(has_text="7")
        .evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    )
    screenshot(page, f"chain-{language}-1024x768")
    assert_no_exception(page)
    page.close()
