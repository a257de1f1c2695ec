"""The stepper's frame around the current column: drawn with the heatmaps, then one frame only.

The page's first drawing carries the frame as layout shapes (ui/stepper_figure.framed), so a
student sees it before the controls' script (ui/static/stepper.js) has arrived; once the script
draws its own frame, the first one must be gone from the screen, or a step would leave two.
"""

from __future__ import annotations

import pytest

from bench.app_driver import FRAMED_COLUMN, HEATMAPS_PLOT, MARKER_COLUMN

from .conftest import assert_no_exception, screenshot, wait_ready
from .drawn import DRAWN_HEATMAPS, cell_colour_errors, framed_columns
from .test_app_browser import classic_run, step_button

# stepper.js keeps its first instance (`if (window.lstmStepper) return`): this one, set before any
# script of the page runs, stands for a script that has not arrived yet.
NO_CONTROLS_SCRIPT = "window.lstmStepper = {mount() {}, go() {}, state: {}};"
FRAME_COLUMNS_IN_LAYOUT = f"() => ({HEATMAPS_PLOT}).layout.shapes.map(shape => [shape.x0, shape.x1])"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_heatmaps_are_drawn_with_the_frame_before_the_controls_script_runs(browser, server, language):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.add_init_script(NO_CONTROLS_SCRIPT)
    page.goto(f"{server}/stepper?t=2&lang={language}")
    wait_ready(page)
    page.wait_for_function(f"({DRAWN_HEATMAPS})() === 6", timeout=60_000)
    assert page.evaluate(MARKER_COLUMN) is None  # no script frame: what is seen is the page's own
    assert page.evaluate(FRAMED_COLUMN) == 2
    assert framed_columns(page, 5) == [[2]] * 6
    errors = cell_colour_errors(page, classic_run(), ((0, 0), (3, 2), (7, 4)))
    assert not errors, errors
    screenshot(page, f"stepper-frame-before-its-script-{language}-1024")
    assert_no_exception(page)
    page.close()


def test_once_the_controls_run_there_is_one_frame_and_the_download_frames_the_current_step(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/stepper?t=2")
    wait_ready(page)
    page.wait_for_function(f"({MARKER_COLUMN})() === 2", timeout=60_000)
    assert framed_columns(page, 5) == [[2]] * 6  # the script's frame over the page's, no second one
    step_button(page, "next").click()
    page.wait_for_function(f"({MARKER_COLUMN})() === 3", timeout=10_000)
    assert framed_columns(page, 5) == [[3]] * 6  # the page's first frame, on 2, is not on the screen
    # the image download draws the figure's layout: its frame follows the step
    assert page.evaluate(FRAME_COLUMNS_IN_LAYOUT) == [[2.5, 3.5]] * 6
    drawn_width = f"() => Number(({HEATMAPS_PLOT}).querySelector('.main-svg').getAttribute('width'))"
    narrow = page.evaluate(drawn_width)
    page.set_viewport_size({"width": 1920, "height": 1080})  # Plotly draws the figure again, shapes too
    page.wait_for_function(f"({drawn_width})() > {narrow + 100} && ({MARKER_COLUMN})() === 3", timeout=10_000)
    assert framed_columns(page, 5) == [[3]] * 6
    screenshot(page, "stepper-one-frame-after-a-step-1920")
    assert_no_exception(page)
    page.close()
