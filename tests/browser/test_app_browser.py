"""The app in a real browser: every page in both languages, sliders moved, charts checked."""

import re

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import lstm_core
from bench.app_driver import HEATMAP_Z
from ui import inputs
from ui import model as demo

from .conftest import assert_no_exception, open_app, screenshot, start_server, stop_server, wait_ready
from .drawn import (
    DRAWN_HEATMAPS,
    HEATMAPS_PLOT,
    MARKER_COLUMN,
    PANELS_PLOT,
    SMALLEST_CHART_TEXT,
    assert_charts_drawn,
    cell_colour_errors,
    page_text_problems,
)

PAGES = {
    "home": "",
    "lesson": "lesson",
    "cell": "cell",
    "stepper": "stepper",
    "weights": "weights",
    "train": "train",
    "gradients": "gradients",
    "models": "models",
    "export": "export",
    "code": "code",
}
CHARTLESS = ("lesson", "train", "models", "export", "code")  # no chart there until something is trained or uploaded
TITLES = {
    "en": {
        "home": "LSTM Gate Lab",
        "lesson": "Lesson",
        "cell": "Cell anatomy",
        "stepper": "Sequence stepper",
        "weights": "Weights lab",
        "train": "Train",
        "gradients": "Gradient flow",
        "models": "Models",
        "export": "Export",
        "code": "Code",
    },
    "zh": {
        "home": "LSTM 门控实验室",
        "lesson": "课程",
        "cell": "细胞解剖",
        "stepper": "序列步进",
        "weights": "权重实验室",
        "train": "训练",
        "gradients": "梯度流",
        "models": "模型文件",
        "export": "导出",
        "code": "代码",
    },
}
TIMESTEP_MARKER = MARKER_COLUMN  # the column framed on the screen, None while any heatmap is not drawn


def drawn_heatmaps_z(page) -> list:
    """The z of the stepper's six heatmaps, read once all six are drawn (a count of Plotly's SVG
    layers does not say which charts they belong to: on a loaded machine the panels can be drawn
    before the heatmaps)."""
    try:
        page.wait_for_function(f"({DRAWN_HEATMAPS})() === 6 && ({HEATMAP_Z})() !== null", timeout=60_000)
    except PlaywrightTimeout:
        screenshot(page, "heatmaps-not-drawn")
        seen = page.evaluate(PLOTS_ON_THE_PAGE)
        console = getattr(page, "console_errors", [])[-10:]
        raise AssertionError(f"the stepper's heatmaps were not drawn: {seen}; console errors: {console}") from None
    return page.evaluate(HEATMAP_Z)


PLOTS_ON_THE_PAGE = """() => ({
  url: location.pathname,
  script: document.querySelector('[data-testid=stApp]')?.dataset.testScriptState,
  connection: document.querySelector('[data-testid=stApp]')?.dataset.testConnectionState,
  exceptions: document.querySelectorAll('[data-testid=stException]').length,
  charts: document.querySelectorAll('[data-testid=stPlotlyChart]').length,
  skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length,
  main: (document.querySelector('[data-testid=stMain]')?.innerText || '').slice(0, 400),
  plots: [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
    name: p.layout?.meta?.name, shown: p.checkVisibility(), images: p.querySelectorAll('.heatmaplayer image').length,
  })),
})"""


DIAGRAM_TEXT = """() => {  // the cell page's diagram, as the student reads it
  const svg = document.querySelector('.st-key-cell_diagram svg.lstm-diagram');
  return svg ? [...svg.querySelectorAll('text')].map(t => t.textContent).join(' | ') : '';
}"""


CHARTS = ".js-plotly-plot .main-svg, svg.lstm-diagram"  # Plotly figures, and the cell diagrams drawn on the server


def wait_for_charts(page, count: int = 1) -> None:
    page.wait_for_function(f"document.querySelectorAll({CHARTS!r}).length >= {count}", timeout=30_000)


def slider_thumb(page, label: str):
    return page.locator("[data-testid=stSlider]").filter(has_text=label).locator("input[type=range]").first


def test_a_shared_deep_link_on_a_fresh_server_opens_inside_the_app(browser):
    process, url = start_server()
    try:
        page = open_app(browser, f"{url}/stepper?lang=zh&t=2")
        page.wait_for_function(f"({TIMESTEP_MARKER})() === 2", timeout=30_000)
        wait_ready(page)  # the figure can be drawn before the rest of the run has arrived
        page.get_by_text("Language / 语言").wait_for(timeout=30_000)  # the sidebar of app.py is there
        assert page.get_by_text("Language / 语言").count() == 1
        assert page.locator("h1").first.inner_text() == "序列步进"
        assert_no_exception(page)
        page.close()
    finally:
        stop_server(process)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_both_languages(browser, server, name, language):
    page = open_app(browser, f"{server}/{PAGES[name]}?lang={language}")
    if name not in CHARTLESS:
        wait_for_charts(page)
    if name == "stepper":
        page.wait_for_function(f"({TIMESTEP_MARKER})() === 0 && !!({PANELS_PLOT})", timeout=30_000)
        open_lazy_sections(page, charts=5)  # the one-hot, unit-line and saturation charts: checked below too
    if name == "export":  # the preview's table is checked below too
        page.locator("[data-testid=stMain] [data-testid=stExpander] summary").first.click()
        page.locator("[data-testid=stMain] [data-testid=stTable]").first.wait_for()
    assert page.locator("h1").first.inner_text() == TITLES[language][name]
    assert_no_exception(page)
    for width, height in ((1024, 768), (1280, 800), (1920, 1080)):  # a classroom projector, a laptop, a screen
        page.set_viewport_size({"width": width, "height": height})
        wait_ready(page)
        wait_for_layout(page)
        path = screenshot(page, f"{name}-{language}-{width}x{height}")
        assert path.stat().st_size > 20_000
        problems = page_text_problems(page)  # chart texts, buttons and equations: none cut, none overlapping
        assert not problems, (width, problems)
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        assert smallest is None or smallest >= 10.9, (width, smallest)  # readable from the back of a classroom
        if name == "stepper":  # one screen: the step controls and all six heatmaps
            bottom = page.evaluate(
                f"Math.max(...[...({HEATMAPS_PLOT}).querySelectorAll('.heatmaplayer image')]"
                ".map(i => i.getBoundingClientRect().bottom))"
            )
            controls = page.locator(".st-key-step_sync .lstm-stepper-controls").bounding_box()
            assert controls["y"] >= 0 and bottom <= height, (width, bottom)
    # offline in a classroom: nothing this page asked for came from another host
    local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
    assert page.requested and not [url for url in page.requested if not url.startswith(local)]
    page.close()


def open_lazy_sections(page, charts: int) -> None:
    """Opens every closed section of the page's main column (ui/lazy_section.py), one at a time as a
    student clicks, until `charts` charts are drawn."""
    sections = page.locator("[data-testid=stMain] [data-testid=stExpander] details:not([open]) summary")
    while sections.count():
        sections.first.click()
        wait_ready(page)
    wait_for_charts(page, charts)
    assert_charts_drawn(page)
    page.locator("h1").first.scroll_into_view_if_needed()  # back to the top, where the page opened


def wait_for_layout(page) -> None:
    """After a resize, until every chart has been laid out again at its new width (two equal
    readings of the charts' text boxes, one frame apart)."""
    page.wait_for_function(
        """() => new Promise(resolve => {
      const read = () => [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot text')]
        .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.width].map(Math.round).join(','); }).join(';');
      const first = read();
      setTimeout(() => requestAnimationFrame(() => resolve(read() === first)), 250);
    })""",
        timeout=15_000,
    )


# The stepper's two figures, each as {side: [margin Plotly was given, margin it laid out]} where
# they differ: a margin Plotly had to widen, at the price of laying the figure out twice.
WIDENED_MARGINS = f"""() => [{HEATMAPS_PLOT}, {PANELS_PLOT}].map(plot => Object.fromEntries(
  ['l', 'r', 't', 'b'].map(side => [side, [plot._fullLayout.margin[side], Math.round(plot._fullLayout._size[side])]])
    .filter(([, [given, laid]]) => laid > given)))"""


def assert_laid_out_once(page) -> None:
    """The stepper's figures were given margins wide enough for their labels (ui/stepper_figure.py)."""
    page.wait_for_function(f"!!({HEATMAPS_PLOT}) && !!({PANELS_PLOT})", timeout=30_000)
    assert page.evaluate(WIDENED_MARGINS) == [{}, {}]


def step_button(page, which: str):
    """The ◀ / ▶ of ui/step_sync.py (a components.v2 element, keyed step_sync)."""
    return page.locator(f".st-key-step_sync button.{which}")


def drawn_column(page, expected: int, run, cells=((0, 0), (3, 2), (7, 4))) -> None:
    """The frame is on `expected`, all six heatmaps are drawn, their pixels are lstm_core's colours,
    and the panels show that column's values."""
    page.wait_for_function(f"({TIMESTEP_MARKER})() === {expected}", timeout=10_000)
    errors = cell_colour_errors(page, run, cells)
    assert not errors, errors
    # the six bars (f, i, C̃, o, C, h), every unit: stepper.js takes them from the heatmaps' column
    want = [np.asarray(run.quantity(name))[expected].tolist() for name in ("f", "i", "c_tilde", "o", "c", "h")]
    page.wait_for_function(
        f"""(want) => {{
      const bars = ({PANELS_PLOT})._fullData.filter(t => t.type === 'bar' && t.yaxis === 'y');
      return bars.length === 6 && bars.every((bar, k) => bar.y.length === want[k].length
        && want[k].every((value, unit) => Math.abs(bar.y[unit] - value) < 1e-6));
    }}""",
        arg=want,
        timeout=10_000,
    )


def classic_run():
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
    return demo.run_model(demo.build_model(demo.ModelSpec(), prepared), prepared)


def test_stepper_steps_in_the_browser_and_every_heatmap_stays_drawn(browser, server):
    """Each kind of step (▶, the → key, the step slider, ◀, ▶ Play for three frames) keeps all six
    heatmaps drawn with lstm_core's colours, moves the frame and the panels, and the server follows."""
    page = open_app(browser, f"{server}/stepper", 1024, 768)
    run = classic_run()
    # a first visit loads Plotly's 4.7 MB chunk before anything is drawn (seconds on a busy machine):
    # wait for the six heatmaps themselves, then every step below is the browser's work alone
    page.wait_for_function(f"({DRAWN_HEATMAPS})() === 6", timeout=60_000)
    drawn_column(page, 0, run)
    screenshot(page, "stepper-before-stepping-1024")
    step_button(page, "next").click()
    drawn_column(page, 1, run)
    page.locator("h1").first.click()  # focus on the page, not in a widget: the arrow keys step
    page.keyboard.press("ArrowRight")
    drawn_column(page, 2, run)
    rail = page.locator(".st-key-step_sync input.step")  # the step slider, clicked at its far end
    box = rail.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    drawn_column(page, 4, run)
    step_button(page, "prev").click()
    drawn_column(page, 3, run)
    # the server hears where the student is: caption and shareable URL follow
    page.wait_for_function("location.search.includes('t=3')", timeout=15_000)
    page.get_by_text("t = 3 · token 漂").wait_for(timeout=15_000)
    page.locator(".st-key-step_sync select").select_option("400")  # 0.4 s per step
    step_button(page, "play").click()  # ▶ Play from 3: on to 4 and stops; again from 0, three frames
    drawn_column(page, 4, run)
    page.evaluate(f"""() => {{  // every column framed while it plays, with all six heatmaps drawn
      window.__played = [({TIMESTEP_MARKER})()];  // now: the click below may come before the first tick
      window.__playWatch = setInterval(() => {{
        const column = ({TIMESTEP_MARKER})();
        if (window.__played[window.__played.length - 1] !== column) window.__played.push(column);
      }}, 15);
    }}""")
    step_button(page, "play").click()  # at the last step ▶ starts again from the first
    page.wait_for_function("window.__played.includes(2)", timeout=10_000)
    # ■ Pause, pressed in the page's own thread only while it still plays: a click from here can
    # arrive after the last step has stopped the play, and would then start it again from 0
    step_button(page, "play").evaluate("button => button.textContent.startsWith('■') && button.click()")
    expect(step_button(page, "play")).to_have_text(re.compile("^▶"))
    played = page.evaluate("clearInterval(window.__playWatch), window.__played")
    assert played[:4] == [4, 0, 1, 2], played  # never None: no frame lost a heatmap
    column = page.evaluate(TIMESTEP_MARKER)
    drawn_column(page, column, run, cells=((1, column), (5, column)))
    # a new sentence: six new heatmaps, drawn, with the new run's colours
    box = page.get_by_role("textbox", name="Sentence")
    box.fill("王子真帅气公主")
    box.press("Enter")
    page.wait_for_function(
        f"(({HEATMAP_Z})() || []).every(z => z[0].length === 7) && ({TIMESTEP_MARKER})() !== null", timeout=30_000
    )
    wait_ready(page)
    prepared = inputs.prepare_text("王子真帅气公主", "公主很漂亮王子真帅气")
    new_run = demo.run_model(demo.build_model(demo.ModelSpec(), prepared), prepared)
    errors = cell_colour_errors(page, new_run, ((0, 6), (4, 3)))
    assert not errors, errors
    assert_charts_drawn(page)
    assert_no_exception(page)
    screenshot(page, "stepper-after-stepping-1024")
    page.close()


@pytest.mark.parametrize(
    "link",
    [
        "lang=zh",  # random weights: every colour bar from 0 or −1 to 1
        "preset=trained",  # C beyond ±1: −4.54 … 4.54
        "text=公主很漂亮，王子真帅气&hidden=16",  # rows tall enough for three ticks a bar
        "input=series&length=50&hidden=4&preset=trained&cell_act=linear",
    ],
)
def test_the_stepper_s_figures_are_laid_out_once_on_a_first_visit(browser, server, link):
    """No margin Plotly has to widen, so no second layout of six heatmaps before a student sees them."""
    page = open_app(browser, f"{server}/stepper?{link}", 1024, 768)
    assert_laid_out_once(page)
    page.set_viewport_size({"width": 1920, "height": 1080})  # the colour bars' margin does not grow with the width
    wait_for_layout(page)
    assert_laid_out_once(page)
    page.close()


def test_a_numeric_series_is_drawn_and_its_labels_do_not_collide(browser, server):
    page = open_app(browser, f"{server}/stepper?input=series&length=60&lang=zh", 1024, 768)
    page.wait_for_function(f"({TIMESTEP_MARKER})() === 0 && !!({PANELS_PLOT})", timeout=30_000)
    wait_for_layout(page)
    assert_charts_drawn(page)
    assert_laid_out_once(page)
    problems = page_text_problems(page)
    assert not problems, problems
    page.locator("h1").first.click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"({TIMESTEP_MARKER})() === 1", timeout=10_000)
    assert_charts_drawn(page)
    screenshot(page, "stepper-series-zh-1024x768")
    page.close()


def test_the_last_character_leaves_no_true_next_diamond(browser, server):
    page = open_app(browser, f"{server}/stepper", 1280, 800)
    page.wait_for_function(f"({TIMESTEP_MARKER})() === 0", timeout=30_000)
    visible_diamonds = f"""() => {{
      const plot = {PANELS_PLOT};
      const area = plot.querySelector('.subplot.x2y2 .plotbg rect, .subplot.x2y2 rect.bg');
      const frame = (area || plot).getBoundingClientRect();
      return [...plot.querySelectorAll('.scatterlayer .trace path.point')].filter(p => {{
        const r = p.getBoundingClientRect();
        return r.width > 0 && r.bottom > frame.top && r.top < frame.bottom && r.left < frame.right && r.right > frame.left;
      }}).length;
    }}"""
    step_button(page, "next").click()
    page.wait_for_function(f"({TIMESTEP_MARKER})() === 1")
    assert page.evaluate(visible_diamonds) == 1  # after 主 comes 很: one diamond
    page.locator("h1").first.click()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"({TIMESTEP_MARKER})() === 4")
    page.wait_for_timeout(200)
    assert page.evaluate(visible_diamonds) == 0  # 亮 is the last character
    page.close()


def test_cell_weight_slider_updates_the_diagram_with_the_core_s_numbers(browser, server):
    page = open_app(browser, f"{server}/cell")
    wait_for_charts(page)
    before = page.evaluate(DIAGRAM_TEXT)
    thumb = slider_thumb(page, "W")  # the first weight slider: W_f
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowRight")  # W_f: 0.5 → 0.7 in steps of 0.05
    page.wait_for_function(
        f"({DIAGRAM_TEXT})() !== {before!r} && ({DIAGRAM_TEXT})().includes('f = 0.858')", timeout=15_000
    )
    # the server's answer for the final position (ui/cell_live.py: each answer names the sliders it is for)
    page.wait_for_function(
        """() => {
      const svg = document.querySelector('.st-key-cell_diagram svg.lstm-diagram');
      const answer = svg && svg.dataset.computedFor && JSON.parse(svg.dataset.computedFor);
      return !!answer && Math.abs(answer.Wf - 0.7) < 1e-9
        && document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning';
    }""",
        timeout=30_000,
    )
    cell = lstm_core.LSTM(
        np.array([[1.0, 0.7, 1.5, 1.0]]), np.array([[0.5, 0.5, 0.5, 0.5]]), np.array([0.0, 1.0, 0.0, 0.0])
    )
    expected = cell.step([1.0], [0.2], [0.5])
    text = page.evaluate(DIAGRAM_TEXT)
    assert f"f = {expected.f[0]:.3f}" in text and f"{expected.h[0]:.3f}" in text
    # a slider reruns only the picture (a keyed fragment, pages/cell.py); the shareable URL still follows
    page.wait_for_function("location.search.includes('cell_Wf=0.7')", timeout=15_000)
    assert_charts_drawn(page)
    # a clamp (f held at 1): the diagram is drawn again with the clamped value
    page.locator(".st-key-clamp_f label").first.click()
    page.wait_for_function(f"({DIAGRAM_TEXT})().includes('f = 1.000')", timeout=15_000)
    wait_ready(page)
    assert_charts_drawn(page)
    assert_no_exception(page)
    page.close()


def shift_forget_bias(page, key: str, presses: int) -> None:
    """Move the weights lab's "Shift b_f" slider and wait until the edit's effect is drawn."""
    thumb = slider_thumb(page, "Shift b_f")
    thumb.focus()
    for _ in range(presses):
        thumb.press(key)
    page.wait_for_function("document.body.innerText.includes('Largest change of any value')", timeout=20_000)
    wait_ready(page)


# The z of the weights lab's first heatmap (the open gate's W block) as plotly.js drew it.
FIRST_WEIGHT_HEATMAP_Z = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.checkVisibility() && p._fullData
    && p._fullData.length === 1 && p._fullData[0].type === 'heatmap');
  return plot ? plot._fullData[0].z : null;
}"""


def test_weights_edit_draws_the_difference_heatmap(browser, server):
    """An edit draws the difference heatmap; another gate's tab draws that gate's blocks (the
    tabs are lazy: only the open gate's charts are sent), and it stays open in the other language."""
    page = open_app(browser, f"{server}/weights")
    wait_for_charts(page, 3)
    shift_forget_bias(page, "ArrowLeft", 10)
    assert_charts_drawn(page)
    screenshot(page, "weights-after-edit")
    layer = demo.build_model(demo.ModelSpec(), inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")).recurrent
    page.get_by_role("tab", name="Output gate o").click()
    expected = layer.gate("o").W
    page.wait_for_function(  # the drawing of W_o, not of W_f any more
        f"(() => {{ const z = ({FIRST_WEIGHT_HEATMAP_Z})(); return !!z && Math.abs(z[0][0] - {expected[0, 0]}) < 1e-6; }})()",
        timeout=15_000,
    )
    wait_ready(page)
    assert_charts_drawn(page)
    assert page.locator("[data-testid=stPlotlyChart]").count() == 4  # W_o, U_o, b_o and the difference
    assert slider_thumb(page, "Scale W_o").count() == 1 and slider_thumb(page, "Shift b_f").count() == 0
    page.get_by_text("简体中文").click()
    page.get_by_role("tab", name="输出门 o", selected=True).wait_for()
    wait_ready(page)
    assert_charts_drawn(page)
    np.testing.assert_allclose(page.evaluate(FIRST_WEIGHT_HEATMAP_Z), expected, atol=5e-7)
    assert_no_exception(page)
    page.close()


def open_cell_editor(page, grid, dx: float, dy: float):
    """Double-click a cell of Streamlit's canvas data grid until its text editor opens.

    The grid paints on a canvas some frames after it becomes visible, and under load the first
    double-click can land before it listens; the overlay editor's input is the proof it opened.
    """
    editor = page.locator("input.gdg-input, textarea.gdg-input").first
    for _ in range(5):
        page.wait_for_timeout(600)
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + dx, box["y"] + dy)
        try:
            editor.wait_for(state="visible", timeout=3_000)
            return editor
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: try the double-click again
            page.keyboard.press("Escape")
    raise AssertionError("The data grid's cell editor did not open after five double-clicks.")


def test_typing_a_single_weight_into_the_table_edits_the_model(browser, server):
    page = open_app(browser, f"{server}/weights", 1440, 1000)
    wait_for_charts(page, 3)
    page.get_by_text("Edit single weights of f").click()
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(state="visible")
    grid.scroll_into_view_if_needed()
    editor = open_cell_editor(page, grid, 70, 55)  # row 0, column 公: W_f[0, 公]
    editor.fill("5")
    editor.press("Enter")
    page.wait_for_function("document.body.innerText.includes('Largest change of any value')", timeout=20_000)
    wait_ready(page)
    heatmap = page.evaluate("""() => {
      const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p._fullData && p._fullData[0].type === 'heatmap');
      return plot._fullData[0].z[0][0];
    }""")
    assert heatmap == 5.0  # W_f's heatmap shows the typed weight
    assert_no_exception(page)
    page.close()


def test_language_switch_in_the_browser(browser, server):
    page = open_app(browser, f"{server}/")
    page.get_by_role("radio", name="简体中文").click()
    page.wait_for_function(
        "document.querySelector('h1') && document.querySelector('h1').innerText === 'LSTM 门控实验室'", timeout=20_000
    )
    page.wait_for_function("window.location.search.includes('lang=zh')", timeout=20_000)
    assert page.get_by_text("细胞解剖").count() >= 1  # navigation is translated too
    assert_no_exception(page)
    page.close()


LOSS_CURVE_Y = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout && p.layout.title && p.layout.title.text.includes('Loss per epoch'));
  return Array.from(plot._fullData[0].y);
}"""


def test_pressing_train_shows_progress_and_a_growing_loss_curve(browser, server):
    page = open_app(browser, f"{server}/train", 1440, 1000)
    epochs = slider_thumb(page, "Epochs")
    epochs.focus()
    epochs.press("End")  # 300 epochs: one rerun, then a run long enough to watch
    page.wait_for_function(
        "document.querySelector('[data-testid=stSliderThumbValue]') && "
        "[...document.querySelectorAll('[data-testid=stSliderThumbValue]')].some(e => e.innerText === '300')",
        timeout=15_000,
    )
    page.wait_for_timeout(300)  # let the slider's rerun start before waiting for it to end
    wait_ready(page)
    page.evaluate("""() => {  // remember whether a progress bar, or a run, ever appears, however briefly
      window.sawProgress = false;
      window.sawRun = false;
      window.barTexts = [];  // every text the progress bar showed
      const app = document.querySelector('[data-testid=stApp]');
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=stProgress]');
        if (bar) window.sawProgress = true;
        if (bar && !window.barTexts.includes(bar.innerText)) window.barTexts.push(bar.innerText);
        if (app.dataset.testScriptState === 'running') window.sawRun = true;
      }).observe(document.body, {childList: true, subtree: true, attributes: true});
    }""")
    for _attempt in range(3):  # under load a click can land while the page is still settling: then no run starts
        page.get_by_role("button", name="Train").first.click()
        try:
            page.wait_for_function("window.sawProgress || window.sawRun", timeout=20_000)
            break
        except PlaywrightTimeout:  # the click was lost: press it again (never during a run, which it would stop)
            wait_ready(page, timeout=120_000)
    page.wait_for_function("window.sawProgress === true", timeout=120_000)  # the run started: its bar comes
    points = page.wait_for_function(
        """() => {
      const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout && p.layout.title && p.layout.title.text.includes('Loss per epoch'));
      return plot && plot._fullData[0].y.length;
    }""",
        timeout=30_000,
    ).json_value()
    wait_ready(page, timeout=120_000)
    final = page.evaluate("""() => {
      const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout && p.layout.title && p.layout.title.text.includes('Loss per epoch'));
      const y = plot._fullData[0].y; return [y.length, y[0], y[y.length - 1]];
    }""")
    assert final[0] == 300 and final[0] >= points and final[2] < final[1]
    # what the bar said while it ran is the curve's own number for that epoch (and a time left, once known, a whole number of seconds)
    curve = page.evaluate(f"() => ({LOSS_CURVE_Y})()")
    said = [
        re.search(r"epoch (\d+) of 300, loss ([0-9.]+)(?:, about (\d+) s left)?", text)
        for text in page.evaluate("window.barTexts")
    ]
    said = [match for match in said if match]
    assert said, page.evaluate("window.barTexts")
    for match in said:
        epoch, loss = int(match.group(1)), match.group(2)
        assert loss == f"{curve[epoch - 1]:.4f}", (match.group(0), curve[epoch - 1])
    assert page.get_by_text("(after 300 epochs) can be the model of every page").count() == 1
    assert_charts_drawn(page)  # the curves and the epoch snapshots' six heatmaps
    assert_no_exception(page)
    screenshot(page, "train-finished")
    page.get_by_role("button", name="Show in the stepper").click()  # one click to the stepper
    page.wait_for_url("**/stepper**", timeout=30_000)
    wait_ready(page, timeout=60_000)
    page.wait_for_function(f"({DRAWN_HEATMAPS})() === 6", timeout=30_000)
    assert "preset=session" in page.url
    assert page.get_by_text("random weights", exact=False).count() == 0  # the trained model, not chance
    assert_no_exception(page)
    screenshot(page, "train-open-in-stepper")
    page.close()


def test_gradient_flow_page_reacts_to_the_forget_bias(browser, server):
    page = open_app(browser, f"{server}/gradients")
    wait_for_charts(page, 3)
    before = page.get_by_test_id("stMetricValue").nth(3).inner_text()
    thumb = slider_thumb(page, "LSTM forget-gate bias")
    thumb.focus()
    for _ in range(8):
        thumb.press("ArrowRight")  # 1.0 → 3.0
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=stMetricValue]')[3].innerText !== {before!r}", timeout=15_000
    )
    assert float(page.get_by_test_id("stMetricValue").nth(3).inner_text()) > float(before)
    assert_no_exception(page)
    screenshot(page, "gradients-forget-bias-3")
    page.close()


def test_stop_interrupts_training_and_keeps_what_was_learned(browser, server):
    page = open_app(browser, f"{server}/train", 1440, 1000)
    page.get_by_test_id("stSelectbox").filter(has_text="Task").click()
    page.get_by_role("option", name="Long memory: remember the first symbol").click()
    wait_ready(page)
    epochs = slider_thumb(page, "Epochs")
    epochs.focus()
    epochs.press("End")  # 300 epochs: far longer than the test waits
    wait_ready(page)
    page.get_by_role("button", name="Train").first.click()
    page.wait_for_function("document.body.innerText.match(/epoch [1-9]\\d* of 300/)", timeout=30_000)
    page.get_by_role("button", name="Stop").last.click()
    page.wait_for_function("document.body.innerText.includes('was stopped after epoch')", timeout=30_000)
    wait_ready(page)
    message = page.get_by_text("was stopped after epoch").inner_text()
    assert int(message.split("epoch")[1].split(";")[0]) < 300
    assert page.get_by_text("Gates during training").count() == 1  # snapshots kept
    assert_no_exception(page)
    screenshot(page, "train-stopped")
    page.close()


def test_uploading_a_pytorch_model_makes_it_every_page_s_model(browser, server, tmp_path):
    import torch

    torch.manual_seed(3)
    lstm, fc = torch.nn.LSTM(10, 6), torch.nn.Linear(6, 10)
    state = {
        **{f"lstm.{k}": v for k, v in lstm.state_dict().items()},
        **{f"fc.{k}": v for k, v in fc.state_dict().items()},
    }
    torch.save(state, tmp_path / "char_model.pt")
    box = "Vocabulary: the 10 characters of the input positions, in order"
    page = open_app(browser, f"{server}/models", 1440, 1000)  # the sidebar's text has 10 characters
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(tmp_path / "char_model.pt"))
    page.wait_for_function("document.body.innerText.includes('Read a pytorch file')", timeout=30_000)
    # prefilled (the box comes later in the same run than the message above it)
    expect(page.get_by_role("textbox", name=box)).to_have_value("公主很漂亮王子真帅气", timeout=30_000)
    page.close()
    page = open_app(browser, f"{server}/models?input=series", 1440, 1000)  # a student on numbers
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(tmp_path / "char_model.pt"))
    page.wait_for_function("document.body.innerText.includes('Read a pytorch file')", timeout=30_000)
    wait_ready(page)
    vocabulary = page.get_by_role("textbox", name=box)
    assert vocabulary.input_value() == "" and page.get_by_text("Type the model's vocabulary").count() == 1
    vocabulary.fill("公主很漂亮王子真帅气")
    vocabulary.press("Control+Enter")
    page.get_by_role("button", name="Use this model on every page").click()
    page.wait_for_function("document.body.innerText.includes('is now the model of every page')", timeout=30_000)
    page.get_by_role("link", name="Sequence stepper").click()  # the same session, as a student navigates
    page.wait_for_function("document.body.innerText.includes('H = 6 units')", timeout=30_000)
    assert page.get_by_text("does not fit").count() == 0  # the input switched to text by itself
    wait_ready(page)
    wait_for_charts(page, 2)
    x = lstm_core.Vocabulary.from_tokens("公主很漂亮王子真帅气").one_hot("公主很漂亮")
    expected = lstm_core.from_torch(lstm.state_dict()).forward(x).f
    shown = drawn_heatmaps_z(page)[0]
    np.testing.assert_allclose(np.array(shown).T, expected, atol=5e-7)  # the figure holds 6 decimals
    page.wait_for_function(f"({TIMESTEP_MARKER})() !== null", timeout=15_000)  # the uploaded model's heatmaps, drawn
    assert_charts_drawn(page)
    assert_no_exception(page)
    page.close()


def test_a_malicious_upload_is_refused_and_changes_nothing(browser, server, tmp_path):
    import pickle

    marker = tmp_path / "pwned"
    (tmp_path / "evil.pt").write_bytes(pickle.dumps(Touch(marker)))
    page = open_app(browser, f"{server}/models")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(tmp_path / "evil.pt"))
    page.wait_for_function("document.body.innerText.includes('This file was not loaded')", timeout=30_000)
    wait_ready(page)  # the caption under the error arrives in the same rerun, a moment later
    assert page.get_by_text("The current model is unchanged.").count() == 1
    assert not marker.exists()
    assert_charts_drawn(page)
    assert_no_exception(page)
    screenshot(page, "models-refused")
    page.close()


def test_a_safetensors_char_rnn_with_an_embedding_and_a_series_classifier_upload_in_the_browser(
    browser, server, tmp_path
):
    """The files students have, through the uploader in chromium: a char-RNN (embedding, lstm, fc)
    saved by safetensors.torch, on a Chinese page, drives the stepper with torch's own gates; the
    tutorial's series classifier (LSTM(1, 64) + Linear(64, 2)) is drawn as class probabilities."""
    import torch
    from safetensors.torch import save_file

    class CharRNN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding, self.lstm, self.fc = torch.nn.Embedding(10, 6), torch.nn.LSTM(6, 6), torch.nn.Linear(6, 10)

    torch.manual_seed(5)
    model = CharRNN()
    save_file(model.state_dict(), str(tmp_path / "char_rnn.safetensors"))
    page = open_app(browser, f"{server}/models?lang=zh", 1024, 768)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(tmp_path / "char_rnn.safetensors"))
    page.wait_for_function("document.body.innerText.includes('前面有一个嵌入层')", timeout=30_000)
    wait_ready(page)
    page.locator(".st-key-model_use button").click()
    page.wait_for_function("document.body.innerText.includes('导入的模型现在是所有页面的模型')", timeout=30_000)
    page.get_by_role("link", name="序列步进").click()
    wait_ready(page)
    wait_for_charts(page, 2)
    ids = torch.tensor([lstm_core.CLASSIC_VOCABULARY.index(ch) for ch in "公主很漂亮"])
    with torch.no_grad():
        gates = model.lstm.weight_ih_l0 @ model.embedding(ids).T  # the input part of every gate
        z = gates.T + model.lstm.bias_ih_l0 + model.lstm.bias_hh_l0  # h_0 = 0: the first step's f
    f_first = torch.sigmoid(z[0, 6:12]).numpy()
    shown = np.array(drawn_heatmaps_z(page)[0])
    np.testing.assert_allclose(shown[:, 0], f_first, atol=1e-6)
    assert_charts_drawn(page)
    assert_no_exception(page)
    page.close()

    class LSTMModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.fc = torch.nn.LSTM(1, 64, batch_first=True), torch.nn.Linear(64, 2)

    torch.save(LSTMModel().state_dict(), tmp_path / "classifier.pt")
    page = open_app(browser, f"{server}/models", 1024, 768)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(tmp_path / "classifier.pt"))
    page.wait_for_function("document.body.innerText.includes('2 outputs from 64 hidden units')", timeout=30_000)
    wait_ready(page)
    page.locator(".st-key-model_use button").click()
    page.wait_for_function("document.body.innerText.includes('is now the model of every page')", timeout=30_000)
    page.get_by_role("link", name="Sequence stepper").click()
    page.wait_for_function("document.body.innerText.includes('the model decides at the last step')", timeout=30_000)
    wait_ready(page)
    wait_for_charts(page, 2)
    names = page.evaluate(f"({PANELS_PLOT}).data.map(trace => trace.name)")
    assert "P(class 0)" in names and "P(class 1)" in names
    assert_charts_drawn(page)
    assert_laid_out_once(page)
    assert not page_text_problems(page), page_text_problems(page)
    screenshot(page, "stepper-series-classifier-1024")
    assert_no_exception(page)
    page.close()


class Touch:
    """A pickle that would create a file when loaded: the upload must never load it."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (self.path,))


def test_files_that_point_at_the_server_are_refused_and_every_other_session_goes_on(browser, server, tmp_path):
    """The external-storage file would read /etc/passwd; the virtual dataset crashed h5py's read."""
    from tests.core import hostile_files as hostile

    other = open_app(browser, f"{server}/stepper")  # a classmate, already working
    wait_for_charts(other, 2)
    page = open_app(browser, f"{server}/models?lang=zh")
    upload = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    for name, data, how in (
        ("passwd.weights.h5", hostile.external_storage("/etc/passwd"), "外部存储"),
        ("vds.weights.h5", hostile.virtual_dataset(), "虚拟数据集"),
    ):
        (tmp_path / name).write_bytes(data)
        upload.set_input_files(str(tmp_path / name))
        page.wait_for_function(f"document.body.innerText.includes('指向文件之外（{how}）')", timeout=30_000)
        wait_ready(page)
        assert "root:" not in page.inner_text("body")
        assert page.get_by_text("当前模型保持不变。").count() == 1
        assert_no_exception(page)
    screenshot(page, "models-refused-outside-zh")
    other.reload()  # the server lives, and the classmate's session still computes and draws
    wait_ready(other)
    wait_for_charts(other, 2)
    assert_charts_drawn(other)
    assert_no_exception(other)
    other.close()
    page.close()


def expected_f_of_series(values) -> np.ndarray:
    """The forget gate the stepper must draw for a series with every sidebar setting at its default."""
    prepared = inputs.prepare_series(np.asarray(values, dtype=float))
    return demo.build_model(demo.ModelSpec(), prepared).recurrent.forward(prepared.x).f


@pytest.mark.parametrize(
    "name,data,values",
    [
        ("mac.csv", b"0.5\r1.25\r-0.75\r2\r0\r-1.5\r", [0.5, 1.25, -0.75, 2, 0, -1.5]),  # Excel for Mac: CR only
        ("column.csv", b"3\n1\n4\n1\n5\n9\n2\n6\n", [3, 1, 4, 1, 5, 9, 2, 6]),  # no header: the 3 is data
    ],
    ids=["cr-only", "header-less-column"],
)
def test_an_uploaded_series_is_drawn_with_every_value(browser, server, tmp_path, name, data, values):
    (tmp_path / name).write_bytes(data)
    page = open_app(browser, f"{server}/stepper?input=series&series=csv", 1280, 900)
    page.locator("section[data-testid=stSidebar] [data-testid=stFileUploaderDropzoneInput]").set_input_files(
        str(tmp_path / name)
    )
    page.wait_for_function(f"document.body.innerText.includes('Read {len(values)} row(s)')", timeout=30_000)
    wait_ready(page)
    page.wait_for_function(
        f"({HEATMAP_Z})() !== null && ({HEATMAP_Z})()[0][0].length === {len(values)}", timeout=30_000
    )
    shown = np.array(drawn_heatmaps_z(page)[0]).T
    np.testing.assert_allclose(shown, expected_f_of_series(values), atol=5e-7)  # 6 decimals
    page.wait_for_function(f"({TIMESTEP_MARKER})() !== null", timeout=15_000)
    assert_charts_drawn(page)
    assert_no_exception(page)
    screenshot(page, f"csv-{name}")
    page.close()


def test_the_longest_text_the_app_accepts_makes_a_link_that_reopens(browser, server):
    """20,000 random Chinese characters typed into the sidebar: the most it accepts (the browser counts
    UTF-16 units, so an emoji counts twice), and the worst case for a URL (9 characters each)."""
    import random

    alphabet = [chr(0x4E00 + k) for k in range(185)]  # with the classic vocabulary's 10: under 200 different
    rng = random.Random(0)
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    page = open_app(browser, f"{server}/stepper")
    box = page.get_by_role("textbox", name="Sentence")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("location.search.includes('textz=')", timeout=60_000)
    wait_ready(page)
    link = page.url
    assert len(link) < 4096, len(link)  # under every web server's and proxy's request-line limit
    reopened = open_app(browser, link)
    wait_for_charts(reopened, 2)
    reopened.wait_for_function(
        f"document.body.innerText.includes('T = {inputs.MAX_TEXT_CHARACTERS} timesteps')", timeout=60_000
    )
    reopened.wait_for_function(f"({TIMESTEP_MARKER})() !== null", timeout=30_000)
    assert_charts_drawn(reopened)
    assert reopened.get_by_role("textbox", name="Sentence").input_value() == text[: inputs.MAX_TEXT_CHARACTERS]
    assert_no_exception(reopened)
    reopened.close()
    page.close()


def test_a_link_carries_the_stepper_s_speed_and_the_cell_page_s_clamp(browser, server):
    """Controls outside the sidebar: the ▶ Play speed chosen in the stepper's menu, and a clamp
    on the cell page, reopen from the link the page wrote."""
    page = open_app(browser, f"{server}/stepper")
    wait_for_charts(page, 2)
    page.locator(".lstm-stepper-controls select.speed").select_option("400")
    page.wait_for_function("location.search.includes('speed=400')", timeout=30_000)
    reopened = open_app(browser, page.url)
    wait_for_charts(reopened, 2)
    expect(reopened.locator(".lstm-stepper-controls select.speed")).to_have_value("400", timeout=30_000)
    reopened.close()
    page.close()

    page = open_app(browser, f"{server}/cell")
    page.get_by_text("Clamp f").click()
    page.wait_for_function("location.search.includes('clamp_f=1')", timeout=30_000)
    reopened = open_app(browser, page.url)
    expect(reopened.get_by_role("checkbox", name="Clamp f")).to_be_checked(timeout=30_000)
    assert_no_exception(reopened)
    reopened.close()
    page.close()
