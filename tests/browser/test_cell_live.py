"""The cell page's browser twin (ui/cell_live.py) against lstm_core and the Python figure."""

import math

import numpy as np
import pytest

from bench.late_answers import press_keys_faster_than_the_server_answers
from lstm_core.activations import ACTIVATIONS
from ui import cell_values
from ui.cell_diagram import cell_diagram, cell_recipe, paint
from ui.cell_live import ANSWER_DELAY_VARIABLE, SHOWN
from ui.cell_presets import DEFAULTS

from .conftest import assert_no_exception, open_app, screenshot, start_server, stop_server, wait_ready

LABELS = {"f": "f", "i": "i", "c_tilde": "C̃", "o": "o", "next_step": "next step", "highway": "highway"}
TWIN = "window.__lstmCellLive"
DIAGRAM = ".st-key-cell_diagram svg.lstm-diagram"


def python_values(settings: dict, clamp: dict, recurrent: str, activation: str) -> dict:
    variant = settings.get("peephole", False), settings.get("coupled", False)
    numbers = {k: v for k, v in settings.items() if k not in ("peephole", "coupled")}
    return cell_values.slider_cell_step(numbers, clamp, recurrent, activation, *variant)[1]


def random_cases(per_pair: int = 4) -> list[dict]:
    """Any floats (not only the sliders' 0.05 grid) for every pair of activations, some gates
    clamped, some cells with colah's variants (peepholes, coupled gates)."""
    rng = np.random.default_rng(7)
    cases = []
    for recurrent in ACTIVATIONS:
        for activation in ACTIVATIONS:
            for _ in range(per_pair):
                settings = {
                    "x": rng.uniform(-3, 3),
                    "h": rng.uniform(-1, 1),
                    "c": rng.uniform(-3, 3),
                    **{f"{part}{gate}": rng.uniform(-6, 6) for part in "WUb" for gate in "fico"},
                    **{f"p{gate}": rng.uniform(-6, 6) for gate in "fio"},
                    "peephole": bool(rng.random() < 0.5),
                    "coupled": bool(rng.random() < 0.4),
                }
                clamp = {gate: float(rng.uniform(0, 1)) for gate in "fio" if rng.random() < 0.3}
                if settings["coupled"]:
                    clamp.pop("i", None)  # i follows f: the page offers no clamp of i
                cases.append({"s": {**settings, "clamp": clamp}, "r": recurrent, "a": activation})
    return cases


@pytest.fixture(scope="module")
def cell_page(browser, server):
    page = open_app(browser, f"{server}/cell", width=1440, height=900)
    page.wait_for_function(f"!!{TWIN} && !!document.querySelector('{DIAGRAM} text')", timeout=30_000)
    yield page
    page.close()


def test_the_twin_computes_what_lstm_core_computes(cell_page):
    cases = random_cases()
    twin = cell_page.evaluate(f"cases => cases.map(c => {TWIN}.cellValues(c.s, c.r, c.a))", cases)
    for case, got in zip(cases, twin):
        settings, clamp = {k: v for k, v in case["s"].items() if k != "clamp"}, case["s"]["clamp"]
        expected = python_values(settings, clamp, case["r"], case["a"])
        for name, value in expected.items():
            assert got[name] == pytest.approx(value, rel=1e-12, abs=1e-15), (case["r"], case["a"], name)


def test_the_twin_paints_exactly_what_python_paints(cell_page):
    cases = random_cases(per_pair=2)
    recipes = {activation: cell_recipe(activation) for activation in ACTIVATIONS}
    painted = cell_page.evaluate(
        f"([recipes, cases]) => cases.map(c => {TWIN}.paint(recipes[c.a], {TWIN}.cellValues(c.s, c.r, c.a)))",
        [recipes, cases],
    )
    for case, twin in zip(cases, painted):
        settings, clamp = {k: v for k, v in case["s"].items() if k != "clamp"}, case["s"]["clamp"]
        python = paint(recipes[case["a"]], python_values(settings, clamp, case["r"], case["a"]))
        assert twin.keys() == python.keys() and len(python) == 12 + 2 * 4 + 3  # every value, box, text colour, wire
        for data_id, parts in python.items():
            for attribute, value in parts.items():
                got = twin[data_id][attribute]
                assert got == (pytest.approx(value, rel=1e-12) if isinstance(value, float) else value), data_id
        # and the drawing: the server's markup carries exactly these
        markup = cell_diagram(
            python_values(settings, clamp, case["r"], case["a"]), LABELS, activations=(case["r"], case["a"])
        )
        assert all(f'data-id="{data_id}"' in markup for data_id in python)


def test_the_twin_writes_numbers_as_python_does(cell_page):
    ties = [k / 16 for k in range(-47, 48, 2)]  # exact ties at the third decimal: Python rounds them to even
    near = [0.0005, 0.0015, 0.9995, -0.0005, 2.0005, 1 / 3, -2 / 3, 1e-4, -1e-4, -0.0, 0.0, 2.5]  # not ties in binary
    values = ties + near
    written = cell_page.evaluate(f"values => values.map(v => {TWIN}.fmt3(v))", values)
    assert written == [f"{value:.3f}" for value in values]
    # JSON carries no NaN or infinity: made in the page
    written = cell_page.evaluate(f"[NaN, Infinity, -Infinity].map(v => {TWIN}.fmt3(v))")
    assert written == [f"{value:.3f}" for value in (math.nan, math.inf, -math.inf)]


# The diagram's texts once the server's answer for the sliders' position is drawn (and not repainted by the twin)
SERVER_TEXTS = f"""() => {{
  const svg = document.querySelector('{DIAGRAM}');
  return [...svg.querySelectorAll('text')].map(t => t.textContent).join(' | ');
}}"""


SLIDER_STILL = """() => {  // W_f's slider has shown the same value for ten frames in a row
  const value = document.querySelector('.st-key-cell_Wf input[type=range]').value;
  if (window.__sliderValue !== value) { window.__sliderValue = value; window.__stillFrames = 0; return false; }
  return ++window.__stillFrames >= 10;
}"""


def test_dragging_a_weight_redraws_the_cell_before_it_is_let_go(cell_page):
    page = cell_page
    track = page.locator(".st-key-cell_Wf input[type=range]").locator("xpath=../..").bounding_box()
    x, y = track["x"] + track["width"] / 2, track["y"] + track["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 8):
        page.mouse.move(x + 12 * k, y)
        page.wait_for_timeout(30)
    page.wait_for_function(SLIDER_STILL, polling="raf", timeout=30_000)  # it has taken the last move
    w_f = float(page.evaluate("document.querySelector('.st-key-cell_Wf input[type=range]').value"))
    expected = python_values({**DEFAULTS, "Wf": w_f}, {}, "sigmoid", "tanh")
    shown = f"f = {expected['f']:.3f}"
    # drawn, not only in the figure's state: the SVG text and the value under the diagram
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{DIAGRAM} text')]
                                   .some(t => t.textContent.includes({shown!r}))""",
        timeout=5_000,
    )
    metrics = page.locator("[data-values=cell_values] .lstm-value-number").all_inner_texts()
    assert metrics == [f"{expected[k]:.3f}" for k in SHOWN]
    assert "cell_Wf" not in page.evaluate("location.search")  # the server has not been told yet
    screenshot(page, "cell-while-dragging")
    page.mouse.up()
    page.wait_for_function(f"location.search.includes('cell_Wf={w_f:g}')", timeout=15_000)
    wait_ready(page)
    texts = page.evaluate(SERVER_TEXTS)
    assert shown in texts and f"{expected['h']:.3f}" in texts  # the server's own drawing agrees
    assert_no_exception(page)


def test_a_late_answer_never_shows_and_the_cell_settles_on_the_sliders(browser):
    """A slow server (each answer held 0.4 s after its diagram is sent) and keys pressed faster
    than it answers: answers for earlier positions arrive after the twin drew the current one.
    Twenty rounds; in every frame after the last key the drawing is the final position's, and
    the values and the equations settle on it."""
    process, url = start_server(env={ANSWER_DELAY_VARIABLE: "0.4"})
    try:
        page = open_app(browser, f"{url}/cell", width=1440, height=900)
        page.wait_for_function(f"!!{TWIN} && !!document.querySelector('{DIAGRAM} text')", timeout=30_000)
        press_keys_faster_than_the_server_answers(page, rounds=20)
        assert_no_exception(page)
        page.close()
    finally:
        stop_server(process)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_colah_s_variants_are_drawn_whole_and_the_twin_follows_them(browser, server, language):
    """Peepholes and coupled gates on a projector: the dashed wires drawn, nothing cut, and a key
    press on p_o redrawn by the twin with lstm_core's variant numbers."""
    from .drawn import page_text_problems

    page = open_app(browser, f"{server}/cell?lang={language}&cell_peephole=1&cell_coupled=1", 1024, 768)
    page.wait_for_function(f"!!{TWIN} && !!document.querySelector('{DIAGRAM} text')", timeout=30_000)
    dashed = f"document.querySelectorAll('{DIAGRAM} [data-id=peepholes] line[stroke-dasharray]').length"
    assert page.evaluate(dashed) == 5
    assert not page_text_problems(page)
    screenshot(page, f"cell-variants-{language}-1024x768")
    thumb = page.locator(".st-key-cell_po input[type=range]")
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowLeft")
    p_o = float(thumb.evaluate("input => input.value"))
    settings = {**DEFAULTS, "po": p_o, "peephole": True, "coupled": True}
    expected = python_values(settings, {}, "sigmoid", "tanh")
    shown = f"o = {expected['o']:.3f}"
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{DIAGRAM} text')].some(t => t.textContent.includes({shown!r}))",
        timeout=15_000,
    )
    wait_ready(page)
    page.wait_for_function(f"location.search.includes('cell_po={p_o:g}')", timeout=15_000)
    texts = page.evaluate(SERVER_TEXTS)
    assert shown in texts and "1 − f" in texts  # the server's own drawing agrees
    assert expected["i"] == 1 - expected["f"]
    assert_no_exception(page)
    page.close()
