"""Two students on one server: what one changes never shows in the other's view."""

import numpy as np

from ui import inputs
from ui import model as demo

from .conftest import assert_no_exception, wait_ready
from .test_app_browser import drawn_heatmaps_z, shift_forget_bias, wait_for_charts


def test_one_user_s_weight_edit_does_not_reach_another_user(browser, server):
    size = {"width": 1280, "height": 800}
    teacher, student = browser.new_context(viewport=size), browser.new_context(viewport=size)  # two sessions
    try:
        edited = teacher.new_page()
        edited.goto(f"{server}/weights")
        wait_ready(edited)
        wait_for_charts(edited, 3)
        shift_forget_bias(edited, "ArrowRight", 8)
        edited.get_by_role("link", name="Sequence stepper").click()  # the teacher's own stepper shows the edit
        edited.wait_for_function("document.body.innerText.includes('weights you edited')", timeout=20_000)
        wait_for_charts(edited, 4)
        teacher_f = np.array(drawn_heatmaps_z(edited)[0])

        clean = student.new_page()
        clean.goto(f"{server}/stepper")
        wait_ready(clean)
        wait_for_charts(clean, 4)
        student_f = np.array(drawn_heatmaps_z(clean)[0])
        assert "weights you edited" not in clean.evaluate("document.body.innerText")

        prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
        base = demo.run_model(demo.build_model(demo.ModelSpec(), prepared), prepared)
        np.testing.assert_allclose(student_f.T, base.trace.f, atol=5e-7)  # the base model, to the figure's 6 decimals
        assert np.all(teacher_f > student_f)  # the teacher's forget bias went up: every f rose
        assert_no_exception(edited)
        assert_no_exception(clean)
    finally:
        teacher.close()
        student.close()


def test_a_trained_preset_shows_its_progress_and_cancel_switches_to_random_weights(browser, server):
    """A link that trains the preset on a 2,000-step series: the student sees the training's
    progress (not a bare spinner) and a Cancel button, which switches Weights to Random; the
    stepper then draws the random model's heatmaps."""
    page = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    try:
        page.goto(f"{server}/stepper?input=series&length=2000&hidden=256&preset=trained&seed=977")
        bar = page.locator("[data-testid=stProgress]")
        bar.filter(has_text="Training the preset on this input").wait_for(timeout=60_000)
        page.get_by_role("button", name="Cancel: use random weights").click()
        page.wait_for_function("!location.search.includes('preset=trained')", timeout=30_000)  # the URL mirrors Weights
        wait_ready(page)
        assert bar.count() == 0 and "preset" not in page.evaluate("location.search")  # Random is the default
        wait_for_charts(page, 2)
        assert_no_exception(page)
    finally:
        page.context.close()
