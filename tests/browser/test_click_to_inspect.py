"""Click a heatmap cell on the stepper: the Cell anatomy page opens that unit and step of the same
model, with lstm_core's numbers; its link goes back to the stepper on that step."""

import numpy as np

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY
from ui import inputs
from ui import model as demo

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import CELL_CENTRE, MARKER_COLUMN, page_text_problems

# Hold the stepper component's mounts until the test releases them: on a busy server the heatmaps
# of a page switched to can be drawn before the component that tells the server is mounted.
HOLD_MOUNTS = """() => {
  const stepper = window.lstmStepper, mount = stepper.mount, held = [];
  stepper.mount = (...args) => held.push(args);
  window.__releaseMounts = () => { stepper.mount = mount; held.forEach(args => mount(...args)); };
}"""


def test_clicking_a_heatmap_cell_opens_its_unit_and_step_and_the_link_comes_back(browser, server):
    page = open_app(browser, f"{server}/stepper", 1280, 800)
    page.wait_for_function(f"({MARKER_COLUMN})() === 0", timeout=60_000)
    unit, step = 3, 2
    x, y = page.evaluate(CELL_CENTRE, [step, unit])
    page.mouse.click(x, y)
    page.wait_for_function("window.location.pathname.endsWith('/cell')", timeout=30_000)
    wait_ready(page)
    page.wait_for_function("window.location.search.includes('cell_source=model')", timeout=30_000)
    assert f"cell_unit={unit}" in page.url and f"cell_step={step}" in page.url
    prepared = inputs.prepare_text(CLASSIC_SENTENCE, CLASSIC_VOCABULARY)
    trace = demo.build_model(demo.ModelSpec(), prepared).recurrent.forward(prepared.x)
    page.wait_for_function(
        "[...document.querySelectorAll('svg.lstm-diagram text')].some(t => t.textContent.includes('f = '))",
        timeout=30_000,
    )
    texts = " ".join(page.locator("svg.lstm-diagram text").all_text_contents())
    assert f"f = {trace.f[step, unit]:.3f}" in texts and f"o = {trace.o[step, unit]:.3f}" in texts, texts
    for width, height in ((1024, 768), (1280, 800), (1920, 1080)):  # the model's equations whole at every size
        page.set_viewport_size({"width": width, "height": height})
        wait_ready(page)
        page.wait_for_timeout(300)  # the layout's media query applies on the next frame
        problems = page_text_problems(page)
        assert not problems, (width, problems)
        screenshot(page, f"click-to-inspect-cell-{width}x{height}")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate(HOLD_MOUNTS)
    page.get_by_role("link", name=f"Back to the stepper at t = {step}").click()
    page.wait_for_function("window.location.pathname.endsWith('/stepper')", timeout=30_000)
    # again, while the heatmaps are drawn but the stepper's component is not mounted yet: the click
    # waits for it; and this time the cell page moves on two steps: the way back is to where it is now
    page.wait_for_function(
        f"({MARKER_COLUMN})() === {step} && !window.lstmStepper.state.root.isConnected", timeout=60_000
    )
    x, y = page.evaluate(CELL_CENTRE, [step, unit])
    page.mouse.click(x, y)
    page.evaluate("window.__releaseMounts()")
    page.wait_for_function("window.location.pathname.endsWith('/cell')", timeout=30_000)
    thumb = page.locator(".st-key-cell_step input[type=range]")
    thumb.focus()
    thumb.press("ArrowRight")
    thumb.press("ArrowRight")
    back = page.get_by_role("link", name=f"Back to the stepper at t = {step + 2}")
    back.wait_for(timeout=30_000)
    wait_ready(page)
    back.click()
    page.wait_for_function("window.location.pathname.endsWith('/stepper')", timeout=30_000)
    page.wait_for_function(f"({MARKER_COLUMN})() === {step + 2}", timeout=60_000)
    assert np.isfinite(trace.f).all()
    assert_no_exception(page)
    page.close()
