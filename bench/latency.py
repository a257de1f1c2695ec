"""Interaction latency in a real browser: Streamlit server + Debian's chromium via Playwright.

    python -m bench.latency              # 30 interactions each, three sizes, N = 1 session
    python -m bench.latency --sessions 1 10 30 --repeats 30
    python -m bench.latency --sizes --first-visits 30   # only first charts: the floor and the home page
    python -m bench.latency --sizes 0 --first-visits 20 --against /tmp/before   # first charts, this code vs other code
    python -m bench.latency --first-visits 10 --against /tmp/before --page weights   # another page, until all drawn

With --against DIR (another checkout, e.g. `git worktree add /tmp/before HEAD~3`), the first
visits of each size alternate between this code's server and DIR's, in the same minutes, and
each pair of medians is printed with its ratio: a first visit varies by ±20 % with what else the
machine is doing, more than many a change saves.

Every measurement waits for the chart's own state in the DOM, not for a label:
- first chart: from `page.goto` to the stepper's six heatmaps drawn with the frame on the current
  column (and, on the first visit, on to the controls ready: their script's own frame), in a fresh
  browser context (a student's first visit: nothing cached) and again in the same context (a
  reload: the browser's cache is warm); the same for the home page (the link a class opens)
  and for bench/bare_app.py, a bare Streamlit page with one small heatmap, started on its own
  server in the same run: the floor to compare with. At each size the stepper's first visits
  alternate with visits to that bare page showing only the stepper's two figures for the same
  input: the floor at that size (what Streamlit and Plotly need to show those figures);
- timestep slider: a click on the stepper's step slider (ui/static/stepper.js) → the frame is
  drawn around that column **with all six heatmap images still drawn** (tests/browser/drawn.py);
- → key: ArrowRight on the page → the same, on the next column;
- cell weight slider: ArrowRight on W_f → the cell diagram shows the new f (drawn in the browser
  by its twin, ui/cell_live.py), and → the server's own drawing for that position has replaced it;
- text change: a new sentence typed in the sidebar → all six heatmaps carry its T columns.

Prints the median and p95 in ms per interaction and size. With --sessions, N browser contexts
(separate sessions) open the stepper at the same moment against one server, step its slider
together, then move the cell page's W_f together; per N it prints how long the class waited for
its first charts and the median and p95 of all their steps and weight moves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from bench.app_driver import ARGS, CHROMIUM, FRAMED_COLUMN, HEATMAP_Z, READY, start_server, stop_server
from bench.app_driver import MARKER_COLUMN as MARKER

HEATMAP_COLUMNS = f"() => (({HEATMAP_Z})() || []).map(z => z[0].length)"

DIAGRAM_F = """() => {  // the f box's text in the cell page's diagram (ui/static/cell_diagram.svg)
  const label = document.querySelector('.st-key-cell_diagram svg.lstm-diagram [data-id=label-f]');
  return label ? label.textContent : null;
}"""

SIZES = {  # name: (query string, columns the stepper draws)
    "T=5, H=8 (公主很漂亮)": ("", 5),
    "T=50, H=16": ("text=" + quote(("公主很漂亮，王子真帅气。" * 5)[:50]) + "&hidden=16", 50),
    "T=2000, H=256 (series)": ("input=series&series=sine&length=2000&hidden=256", 400),
}


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    if not ordered:
        return "–"
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n = {len(ordered)})"


async def ready(page) -> None:
    await page.wait_for_selector(READY, timeout=120_000)


async def slider(page, label: str):
    return page.locator("[data-testid=stSlider]").filter(has_text=label).locator("input[type=range]").first


DRAWN = "() => document.querySelector('.js-plotly-plot .main-svg') !== null"  # any Plotly chart
# The stepper as the student sees it: six heatmaps with a frame on the current column, drawn with
# them (ui/stepper_figure.framed) or by the controls' script; then the controls ready to step.
STEPPER_DRAWN = f"() => ({FRAMED_COLUMN})() !== null"
CONTROLS_READY = f"() => ({MARKER})() !== null"
HOME_DRAWN = "() => document.querySelector('svg.lstm-diagram text') !== null"  # cell_diagram.cell_diagram
# Another page (--page): its script has finished, nothing is a skeleton any more, and every Plotly
# chart it sent is drawn.
PAGE_DRAWN = f"""() => !!document.querySelector({READY!r}) && !document.querySelector('[data-testid=stSkeleton]')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))"""


async def first_chart(browser, url: str, drawn: str, then: str | None = None) -> tuple[float, float, float]:
    """ms from `page.goto` to the chart being drawn: first visit (fresh context), then a reload;
    and to `then` on the first visit (the stepper's controls ready; nan without `then`)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    timings, later = [], float("nan")
    for visit in ("cold", "warm"):
        start = time.perf_counter()
        await page.goto(url)
        await page.wait_for_function(drawn, timeout=120_000, polling="raf")
        timings.append((time.perf_counter() - start) * 1000)
        if then and visit == "cold":
            await page.wait_for_function(then, timeout=120_000, polling="raf")
            later = (time.perf_counter() - start) * 1000
        await ready(page)
    await context.close()
    return timings[0], timings[1], later


async def first_charts(
    browser, url: str, repeats: int, drawn: str = STEPPER_DRAWN, then: str | None = None
) -> tuple[list[float], list[float], list[float]]:
    visits = [await first_chart(browser, url, drawn, then) for _ in range(repeats)]
    return [cold for cold, _, _ in visits], [warm for _, warm, _ in visits], [later for _, _, later in visits]


async def baseline(browser, url: str, bare_url: str, repeats: int) -> None:
    """First chart of bench/bare_app.py (what any Streamlit + Plotly page costs), then of the
    app's home page, the link a class is given (its cell diagram)."""
    cold, warm, _ = await first_charts(browser, bare_url, repeats, DRAWN)
    print("bare Streamlit page, one heatmap (the floor)")
    print(f"  first chart      {summary(cold)}")
    print(f"  … reload (warm)  {summary(warm)}")
    cold, warm, _ = await first_charts(browser, f"{url}/", repeats, HOME_DRAWN)
    print("the app's home page (the link a class opens; its diagram is an SVG drawn on the server)")
    print(f"  first chart      {summary(cold)}")
    print(f"  … reload (warm)  {summary(warm)}")


async def stepper_first_charts(
    browser, url: str, bare_url: str, query: str, visits: int
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """First visits to the stepper at one size, alternating with visits to a bare page that shows
    only the stepper's two figures for the same input (bench/bare_app.py): the floor at that size,
    what Streamlit and Plotly need to show those figures. Each server's first run builds its
    figures (its caches) and is not timed."""
    floor_url = f"{bare_url}/?figures=stepper" + (f"&{query}" if query else "")
    app_url = f"{url}/stepper?{query}"
    await first_chart(browser, floor_url, STEPPER_DRAWN)
    await first_chart(browser, app_url, STEPPER_DRAWN, CONTROLS_READY)
    ours, floor = [], []
    for _ in range(visits):
        ours.append(await first_chart(browser, app_url, STEPPER_DRAWN, CONTROLS_READY))
        floor.append(await first_chart(browser, floor_url, STEPPER_DRAWN))
    return ours, floor


async def against(
    browser, url: str, other_url: str, other: Path, visits: int, sizes: list[int], page: str = "stepper"
) -> None:
    """First visits to the stepper at each size (or to another page, until it is all drawn),
    alternating between this code and `other`."""
    cases = [(name, f"stepper?{query}") for name, (query, _) in [list(SIZES.items())[k] for k in sizes]]
    if page != "stepper":
        cases = [(f"/{page}", page)]
    drawn = STEPPER_DRAWN if page == "stepper" else PAGE_DRAWN
    then = CONTROLS_READY if page == "stepper" else None
    for name, path in cases:
        ours: list[tuple[float, float, float]] = []
        theirs: list[tuple[float, float, float]] = []
        for server in (url, other_url):  # each server's first run of this page (its caches), not timed
            await first_chart(browser, f"{server}/{path}", drawn, then)
        for _ in range(visits):
            ours.append(await first_chart(browser, f"{url}/{path}", drawn, then))
            theirs.append(await first_chart(browser, f"{other_url}/{path}", drawn, then))
        measures = [(0, "first chart" if page == "stepper" else "every chart drawn")]
        measures += [(2, "controls ready")] if then else []
        for index, what in measures:
            mine, other_code = [visit[index] for visit in ours], [visit[index] for visit in theirs]
            print(f"{name}: {what}, first visit")
            print(f"  this code        {summary(mine)}")
            print(f"  {str(other)[:16]:16} {summary(other_code)}")
            print(f"  this / other     {statistics.median(mine) / statistics.median(other_code):.2f} (medians)")


async def step_slider(page, columns: int, repeats: int) -> list[float]:
    """Click a step on the step slider → marker there; targets hop around the sequence."""
    rail = page.locator(".st-key-step_sync input.step")
    await rail.scroll_into_view_if_needed()
    box = await rail.bounding_box()
    thumb = 8  # half the range thumb: its centre runs from box.x + 8 to box.x + width - 8
    positions = [box["x"] + thumb + c / max(1, columns - 1) * (box["width"] - 2 * thumb) for c in range(columns)]
    samples = []
    current = int(await page.evaluate(MARKER))
    for k in range(repeats):
        hop = max(1, columns // 20)  # at 400 columns, neighbours are under a pixel apart on the slider
        target = (current + hop + (k * 7 * hop) % max(1, columns - hop)) % columns
        if target == current:
            target = (target + 1) % columns
        start = time.perf_counter()
        await page.mouse.click(positions[target], box["y"] + box["height"] / 2)
        # at 400 columns the ticks are ~2 px apart: the slider may take a neighbour; any move counts
        await page.wait_for_function(f"({MARKER})() !== {current}", timeout=60_000, polling="raf")
        samples.append((time.perf_counter() - start) * 1000)
        current = int(await page.evaluate(MARKER))
    return samples


async def step_timesteps(page, columns: int, repeats: int) -> list[float]:
    """Press → on the page → marker on the next column; ← back from the last one (the stepper stops there)."""
    await page.locator("h1").first.click()
    samples = []
    current = int(await page.evaluate(MARKER))
    forward = True
    for _ in range(repeats):
        forward = (forward or current == 0) and current < columns - 1
        expected = current + (1 if forward else -1)
        start = time.perf_counter()
        await page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
        await page.wait_for_function(f"({MARKER})() === {expected}", timeout=60_000, polling="raf")
        samples.append((time.perf_counter() - start) * 1000)
        current = expected
    return samples


SERVER_DIAGRAM = """() => {  // the slider settings the server's last drawing was computed for
  const svg = document.querySelector('.st-key-cell_diagram svg.lstm-diagram');
  return svg ? svg.dataset.computedFor || null : null;
}"""


async def step_cell_weight(page, repeats: int) -> tuple[list[float], list[float]]:
    """ArrowRight on W_f → the diagram shows the new f (drawn by the browser twin, ui/cell_live.py),
    and → the server's own drawing for that position has replaced it (the rerun's answer, drawn)."""
    thumb = await slider(page, "W")
    await thumb.focus()
    twin, server = [], []
    for k in range(repeats):
        before = await page.evaluate(DIAGRAM_F)
        await page.evaluate(f"window.__benchLayout = ({SERVER_DIAGRAM})()")
        start = time.perf_counter()
        await thumb.press("ArrowRight" if (k // 10) % 2 == 0 else "ArrowLeft")
        changed = await page.wait_for_function(
            f"(() => {{ const f = ({DIAGRAM_F})(); return f !== null && f !== {before!r} && f; }})()",
            timeout=60_000,
            polling="raf",
        )
        twin.append((time.perf_counter() - start) * 1000)
        shown = await changed.json_value()
        await page.wait_for_function(
            f"({SERVER_DIAGRAM})() !== window.__benchLayout && ({DIAGRAM_F})() === {shown!r}",
            timeout=60_000,
            polling="raf",
        )
        server.append((time.perf_counter() - start) * 1000)
        await ready(page)
    return twin, server


async def change_text(page, repeats: int) -> list[float]:
    box = page.get_by_role("textbox", name="Sentence")
    samples = []
    for k in range(repeats):
        sentence = "公主很漂亮王子真帅气"[: 3 + k % 7]
        await box.fill(sentence)
        start = time.perf_counter()
        await box.press("Enter")
        await page.wait_for_function(
            f"JSON.stringify(({HEATMAP_COLUMNS})()) === JSON.stringify(Array(6).fill({len(sentence)}))",
            timeout=60_000,
            polling="raf",
        )
        samples.append((time.perf_counter() - start) * 1000)
        await ready(page)
    return samples


async def single_session(browser, url: str, bare_url: str, repeats: int, sizes: list[int]) -> None:
    for name, (query, T) in [list(SIZES.items())[k] for k in sizes]:
        visits, floor = await stepper_first_charts(browser, url, bare_url, query, min(repeats, 10))
        loads, reloads, controls = ([visit[k] for visit in visits] for k in range(3))
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        page = await context.new_page()
        await page.goto(f"{url}/stepper?{query}")
        await ready(page)
        await page.wait_for_function(CONTROLS_READY, timeout=120_000)
        clicks = await step_slider(page, T, repeats)
        steps = await step_timesteps(page, T, repeats)
        await page.goto(f"{url}/cell?{query}")
        await ready(page)
        await page.wait_for_function(f"({DIAGRAM_F})() !== null", timeout=120_000)
        twin, server = await step_cell_weight(page, repeats)
        floor_loads = [visit[0] for visit in floor]
        print(f"{name}")
        print(f"  first chart      {summary(loads)}")
        print(f"  … the same two figures on a bare page (the floor at this size) {summary(floor_loads)}")
        print(f"  … first chart / that floor {statistics.median(loads) / statistics.median(floor_loads):.2f} (medians)")
        print(f"  … controls ready {summary(controls)}")
        print(f"  … reload (warm)  {summary(reloads)}")
        print(f"  timestep slider  {summary(clicks)}")
        print(f"  → key / ▶ button {summary(steps)}")
        print(f"  cell W_f slider  {summary(twin)}")
        print(f"  … server redraw  {summary(server)}")
        if not query.startswith("input=series"):
            await page.goto(f"{url}/stepper?{query}")
            await ready(page)
            texts = await change_text(page, repeats)
            print(f"  text → heatmaps  {summary(texts)}")
        await context.close()


async def open_page(context, url: str, drawn: str) -> float:
    """s from `goto` to `drawn` in a page of its own; generous timeouts: a whole class loads at once."""
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=600_000)
    await page.wait_for_function(drawn, timeout=600_000, polling=100)
    elapsed = time.perf_counter() - start
    await page.wait_for_selector(READY, timeout=600_000)
    return elapsed


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu_seconds() -> float:
    """CPU time all cores have spent busy since boot, from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # minus idle and iowait


async def crowd(browser, url: str, sessions: int, repeats: int, server_pid: int) -> None:
    """`sessions` students open the stepper at once and step it, then move a weight on the cell page.

    Stepping runs in each browser; a weight move is drawn by the browser twin and then by the
    server's rerun of the picture fragment, which is the part that queues on a shared server. Browsers and server share this machine's
    cores, so at N = 30 much of what is measured is thirty chromium tabs, not the server: the
    server's share of the CPU used during the run is printed to tell the two apart.
    """
    server_before, machine_before = process_cpu_seconds(server_pid), machine_cpu_seconds()
    contexts = [await browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(sessions)]
    opened = await asyncio.gather(*(open_page(context, f"{url}/stepper", STEPPER_DRAWN) for context in contexts))
    pages = [context.pages[0] for context in contexts]
    await asyncio.gather(*(page.wait_for_function(CONTROLS_READY, timeout=600_000, polling=100) for page in pages))
    steps = await asyncio.gather(*(step_slider(page, 5, repeats) for page in pages))
    await asyncio.gather(*(page.goto(f"{url}/cell", wait_until="commit", timeout=600_000) for page in pages))
    for page in pages:
        await page.wait_for_function(f"({DIAGRAM_F})() !== null", timeout=600_000, polling=100)
        await page.wait_for_selector(READY, timeout=600_000)
    weights = await asyncio.gather(*(step_cell_weight(page, repeats) for page in pages))
    twin = [sample for samples, _ in weights for sample in samples]
    server_redraw = [sample for _, samples in weights for sample in samples]
    server = process_cpu_seconds(server_pid) - server_before
    machine = machine_cpu_seconds() - machine_before
    for context in contexts:
        await context.close()
    ordered = sorted(opened)
    print(f"N = {sessions:2d} sessions")
    print(f"  all opened at once: first chart median {statistics.median(ordered):5.1f} s, slowest {ordered[-1]:5.1f} s")
    print(f"  timestep slider  {summary([sample for samples in steps for sample in samples])}")
    print(f"  cell W_f slider  {summary(twin)}")
    print(f"  … server redraw  {summary(server_redraw)}")
    print(
        f"  CPU used: server {server:.1f} s of the machine's {machine:.1f} s ({server / machine:.0%}); the rest: the browsers and Playwright"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sessions", type=int, nargs="*", default=[])
    parser.add_argument(
        "--sizes",
        nargs="*",
        type=int,
        default=list(range(len(SIZES))),
        help="which sizes to run, by position (0, 1, 2); none: only the first charts",
    )
    parser.add_argument("--first-visits", type=int, default=10, help="first visits of the floor and the home page")
    parser.add_argument(
        "--against", type=Path, help="another checkout: only first visits, alternating with its server (see above)"
    )
    parser.add_argument("--page", default="stepper", help="with --against: the page to visit (e.g. weights)")
    args = parser.parse_args()
    from playwright.async_api import async_playwright

    process, url = start_server()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            if args.against:
                other, other_url = start_server(root=args.against.resolve())
                try:
                    await against(browser, url, other_url, args.against, args.first_visits, args.sizes, args.page)
                finally:
                    stop_server(other)
            elif not args.sessions:
                bare, bare_url = start_server(str(Path(__file__).with_name("bare_app.py")))
                try:
                    await baseline(browser, url, bare_url, min(args.repeats, args.first_visits))
                    await single_session(browser, url, bare_url, args.repeats, args.sizes)
                finally:
                    stop_server(bare)
            for sessions in args.sessions:
                await crowd(browser, url, sessions, args.repeats, process.pid)
            await browser.close()
    finally:
        stop_server(process)


if __name__ == "__main__":
    asyncio.run(main())
