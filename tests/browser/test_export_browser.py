"""Taking results out, in a real browser: the downloads arrive and hold the app's numbers, the
stepper's web page works from a file without the server, a chart saves itself as SVG, the code
shown runs, and a shared link opens the same view in a new session."""

import contextlib
import io
import os
import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd

from lstm_core.files import load_weights
from ui import inputs
from ui import model as demo

from .conftest import assert_no_exception, open_app, screenshot, wait_ready
from .drawn import CELL_CENTRE, PANELS_PLOT, cell_colour_errors
from .test_app_browser import TIMESTEP_MARKER, drawn_heatmaps_z, step_button, wait_for_charts


def classic():
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
    model = demo.build_model(demo.ModelSpec(), prepared)
    return prepared, model, demo.run_model(model, prepared)


def run_snippet(code: str, folder) -> dict:
    """Run code the page shows as a student would: saved next to the downloaded file."""
    namespace: dict = {"__name__": "__main__"}
    old = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "snippet.py", "exec"), namespace)  # noqa: S102 - the app's generated code
    finally:
        os.chdir(old)
    return namespace


def download(page, name: str, tmp_path):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_trace_and_weights_downloads_hold_the_app_s_numbers(browser, server, tmp_path):
    page = open_app(browser, f"{server}/export", 1440, 1000)
    prepared, model, run = classic()

    long_csv = download(page, "Long CSV (one value per row)", tmp_path)
    assert long_csv.name == "lstm_gate_lab_trace_long.csv"
    frame = pd.read_csv(long_csv, encoding="utf-8-sig")
    h = frame[frame["gate"] == "h"].sort_values(["t", "unit"])
    np.testing.assert_array_equal(h["value"].to_numpy().reshape(5, 8), run.trace.h)
    assert list(frame["token"].unique()) == list("公主很漂亮")

    npz = download(page, "NumPy · .npz", tmp_path)
    assert npz.name == "lstm_gate_lab_tutorial.npz"
    loaded = load_weights(npz.read_bytes(), npz.name)
    np.testing.assert_array_equal(loaded.recurrent.forward(prepared.x).h, run.trace.h)

    safetensors_file = download(page, "PyTorch · .safetensors", tmp_path)
    assert safetensors_file.name == "lstm_gate_lab.safetensors"
    loaded = load_weights(safetensors_file.read_bytes(), safetensors_file.name)
    np.testing.assert_array_equal(loaded.recurrent.forward(prepared.x).h, run.trace.h)
    # the code beside the download, as the page shows it, runs on that very file
    page.get_by_text("Code that loads lstm_gate_lab.safetensors").click()
    code = page.locator("[data-testid=stExpander]", has_text="lstm_gate_lab.safetensors").locator(
        "[data-testid=stCode] code"
    )
    namespace = run_snippet(code.inner_text(), safetensors_file.parent)
    np.testing.assert_allclose(namespace["hidden_states"], run.trace.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(namespace["predictions"], run.predictions, rtol=0, atol=1e-12)

    keras_file = download(page, "Keras · .weights.h5", tmp_path)
    assert keras_file.name == "lstm_gate_lab.weights.h5"
    np.testing.assert_array_equal(load_weights(keras_file.read_bytes(), keras_file.name).head.Wy, model.head.Wy)
    wait_ready(page)
    page.get_by_text("Preview of the long table").click()
    page.wait_for_timeout(500)
    screenshot(page, "export-en")
    assert_no_exception(page)
    page.close()


def test_the_stepper_web_page_opens_from_a_file_and_steps_offline(browser, server, tmp_path):
    page = open_app(browser, f"{server}/export", 1280, 900)
    html = download(page, "Stepper as HTML", tmp_path)
    page.close()
    assert html.name == "lstm_gate_lab_stepper.html"
    offline = browser.new_page(viewport={"width": 1280, "height": 1400})
    requested = []
    offline.on("request", lambda request: requested.append(request.url))
    offline.goto(html.as_uri())
    offline.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requested)  # nothing from a server
    _, _, run = classic()
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 0", timeout=30_000)
    # the same controls as the page, without any server: the step slider to its end, then ◀, → and ▶ Play
    rail = offline.locator("input.step")
    rail.focus()
    offline.keyboard.press("End")
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 4", timeout=10_000)
    bars = offline.evaluate(f"""() => ({PANELS_PLOT})._fullData.filter(t => t.type === 'bar' && t.yaxis === 'y')
                                           .map(t => Array.from(t.y))""")
    np.testing.assert_allclose(bars[0], run.trace.f[4], atol=5e-7)  # the forget gate of every unit at t = 4
    offline.locator(".lstm-stepper-controls button.prev").click()
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 3", timeout=10_000)
    offline.locator("h1").click()
    offline.keyboard.press("ArrowLeft")
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 2", timeout=10_000)
    offline.locator(".lstm-stepper-controls select").select_option("400")
    offline.locator(".lstm-stepper-controls button.play").click()
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 4", timeout=10_000)  # played on, heatmaps drawn
    errors = cell_colour_errors(offline, run, ((0, 0), (2, 3), (7, 4)))
    assert not errors, errors
    screenshot(offline, "stepper-html-offline")
    offline.mouse.click(*offline.evaluate(CELL_CENTRE, [1, 2]))  # a heatmap cell (t = 1, unit 2): the step goes there
    offline.wait_for_function(f"({TIMESTEP_MARKER})() === 1", timeout=10_000)
    offline.close()


def test_a_chart_saves_itself_as_svg_after_the_format_is_chosen(browser, server, tmp_path):
    page = open_app(browser, f"{server}/export", 1440, 1000)
    page.get_by_role("radio", name="SVG").click()
    wait_ready(page)
    page.get_by_role("link", name="Sequence stepper").click()  # the same session
    wait_ready(page)
    drawn_heatmaps_z(page)  # the first Plotly page of the visit: it loads Plotly's chunk first
    chart = page.locator(".js-plotly-plot:visible").filter(has=page.locator(".heatmaplayer")).first
    chart.hover()
    button = chart.locator(".modebar-btn[data-title='Download plot']")
    with page.expect_download(timeout=30_000) as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "lstm_gate_lab_heatmaps.svg"
    assert target.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert_no_exception(page)
    page.close()


def test_the_pytorch_code_shown_runs_on_the_downloaded_weights(browser, server, tmp_path):
    page = open_app(browser, f"{server}/code", 1440, 1000)
    weights = download(page, "lstm_gate_lab.safetensors", tmp_path)
    code = page.locator("[data-testid=stCode] code").first.inner_text()
    screenshot(page, "code-en")
    page.close()
    namespace = run_snippet(code, weights.parent)
    _, _, run = classic()
    np.testing.assert_allclose(namespace["hidden_states"], run.trace.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(namespace["predictions"], run.predictions, rtol=0, atol=1e-12)


def test_a_shared_link_opens_the_same_view_in_a_new_session(browser, server):
    page = open_app(browser, f"{server}/stepper?text=你好世界&hidden=4&seed=3")
    wait_for_charts(page, 2)
    for expected in (1, 2):
        step_button(page, "next").click()
        page.wait_for_function(f"({TIMESTEP_MARKER})() === {expected}", timeout=15_000)
    page.wait_for_function("location.search.includes('t=2')", timeout=10_000)
    link, shown = page.url, drawn_heatmaps_z(page)
    page.close()
    query = parse_qs(urlparse(link).query)
    assert query["hidden"] == ["4"] and query["seed"] == ["3"] and query["text"] == ["你好世界"]

    student = browser.new_context().new_page()  # another person, another session
    student.set_viewport_size({"width": 1280, "height": 800})
    student.goto(link)
    wait_ready(student)
    student.wait_for_function(f"({TIMESTEP_MARKER})() === 2", timeout=30_000)
    np.testing.assert_array_equal(np.array(drawn_heatmaps_z(student)), np.array(shown))
    prepared = inputs.prepare_text("你好世界", "公主很漂亮王子真帅气")
    run = demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=4, seed=3), prepared), prepared)
    np.testing.assert_allclose(np.array(shown[0]).T, run.trace.f, atol=5e-7)  # the figure holds 6 decimals
    assert re.search(r"t = 2", student.evaluate("document.body.innerText"))
    assert_no_exception(student)
    student.context.close()
