"""What is drawn on the screen, not what a figure holds: images present, pixel colours, text boxes.

plotly.js can keep the right data and draw nothing (plotly/plotly.js#4491), so the browser tests
check the drawing: the heatmap images, the colour of a cell's pixels against the colour scale at
the value lstm_core computed, and that no text is cut off or drawn over other text.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

# The stepper's charts as the student sees them, read the same way by bench/latency.py.
from bench.app_driver import HEATMAPS_PLOT, MARKER_COLUMN, PANELS_PLOT  # noqa: F401 (re-exported)
from ui import colors
from ui.figure_base import MARKER_COLOR

DRAWN_HEATMAPS = (
    f"() => {{ const plot = {HEATMAPS_PLOT}; return plot ? plot.querySelectorAll('.heatmaplayer image').length : 0; }}"
)
# null while no heatmaps figure is shown: Streamlit swaps a chart whose spec changed for a new
# element, and between the two, for a moment, neither is visible.
HEATMAP_BOXES = f"""() => {{
  const plot = {HEATMAPS_PLOT};
  return plot ? [...plot.querySelectorAll('.heatmaplayer image')].map(image => {{
    const r = image.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];
  }}) : null;
}}"""

# Where plotly draws the centre of cell (column, row) of the first heatmap (f), in page pixels.
CELL_CENTRE = f"""([column, row]) => {{
  const plot = {HEATMAPS_PLOT};
  const layout = plot._fullLayout, box = plot.getBoundingClientRect();
  return [box.left + layout.xaxis._offset + layout.xaxis.l2p(column), box.top + layout.yaxis._offset + layout.yaxis.l2p(row)];
}}"""

# Every text on the page that a student reads, with its box and the box it must stay inside.
TEXT_BOXES = """(root) => {
  const out = [];
  const scope = root ? document.querySelector(root) : document.body;
  if (!scope) return out;
  // Plotly's charts and the cell diagrams (ui/svg_template.py's SVG): each text inside its picture
  [...scope.querySelectorAll('.js-plotly-plot, svg.lstm-diagram')].forEach((plot, index) => {
    // what of the chart is visible: the chart's box within its column (a chart wider than its
    // column is cut there) and the main area
    const boxes = [plot, plot.closest('[data-testid=stColumn]'), plot.closest('[data-testid=stMain]')]
      .filter(Boolean).map(node => node.getBoundingClientRect());
    const frame = {left: Math.max(...boxes.map(b => b.left)), top: Math.max(...boxes.map(b => b.top)),
                   right: Math.min(...boxes.map(b => b.right)), bottom: Math.max(...boxes.map(b => b.bottom))};
    for (const node of plot.querySelectorAll('text')) {
      const text = node.textContent.trim();
      const r = node.getBoundingClientRect();
      if (!text || r.width === 0 || getComputedStyle(node).opacity === '0' || node.closest('.hoverlayer')) continue;
      if (node.closest('.slider-container, .updatemenu-container')) continue;
      out.push({text, box: [r.left, r.top, r.right, r.bottom], frame: [frame.left, frame.top, frame.right, frame.bottom],
                group: 'plot' + index});
    }
  });
  for (const node of scope.querySelectorAll('.lstm-stepper-controls > *')) {
    const r = node.getBoundingClientRect(), bar = node.parentElement.getBoundingClientRect();
    const clipped = node.scrollWidth > node.clientWidth + 1;
    out.push({text: node.textContent.trim() || node.className, box: [r.left, r.top, r.right, r.bottom],
              frame: [bar.left, bar.top, bar.right, bar.bottom], group: 'controls', clipped});
  }
  return out;
}"""


def text_problems(page, root: str | None = None, slack: float = 1.0) -> list[str]:
    """Texts cut off by their container, or drawn over another text ([] when all is well)."""
    boxes = page.evaluate(TEXT_BOXES, root)
    problems = []
    for item in boxes:
        (x0, y0, x1, y1), (f0, g0, f1, g1) = item["box"], item["frame"]
        if x0 < f0 - slack or y0 < g0 - slack or x1 > f1 + slack or y1 > g1 + slack or item.get("clipped"):
            problems.append(f"cut: {item['text']!r} {item['box']} outside {item['frame']}")
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            if a["group"] != b["group"]:  # texts of different charts: their charts do not overlap
                continue
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            overlap_x = min(ax1, bx1) - max(ax0, bx0)
            overlap_y = min(ay1, by1) - max(ay0, by0)
            if overlap_x > 1.5 and overlap_y > 1.5:
                problems.append(f"overlap: {a['text']!r} and {b['text']!r}")
    return problems


def screen_pixels(page) -> np.ndarray:
    """The viewport as an (height, width, 3) array of the pixels the student sees."""
    return np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"), dtype=np.int16)


def expected_rgb(name: str, value: float, values: np.ndarray) -> np.ndarray:
    """The colour the heatmap of `name` must show for `value`: its scale at lstm_core's value."""
    low, high = colors.value_range(name, values)
    text = colors.value_color(value, low, high, colors.colorscale(name))
    return np.array([int(part) for part in text[4:-1].split(",")])


def still_heatmaps(page, heatmaps: int = 6) -> tuple[np.ndarray, list] | None:
    """The screen's pixels and the heatmap images' boxes, once all of them are shown and stood
    still around the screenshot (None if they never did within about five seconds)."""
    for _ in range(50):
        before = page.evaluate(HEATMAP_BOXES)
        pixels = screen_pixels(page)
        boxes = page.evaluate(HEATMAP_BOXES)
        if boxes is not None and len(boxes) == heatmaps and boxes == before:
            return pixels, boxes
        page.wait_for_timeout(100)
    return None


def cell_colour_errors(
    page, trace, cells, quantities=("f", "i", "c_tilde", "o", "c", "h"), tolerance: int = 8
) -> list[str]:
    """Sample the centre of each (unit, t) cell of each drawn heatmap and compare it with the
    colour scale at lstm_core's value. `trace` is a Run of the page's model; the grid is 1:1.

    The screenshot counts only if the heatmaps stood still around it: a caption or a notice that
    the server's answer adds above them moves them, and a sample taken across that move reads
    another cell (or the frame around the current column) instead."""
    still = still_heatmaps(page)
    if still is None:
        return ["the heatmaps kept moving (or were not shown) while the screen was sampled"]
    pixels, boxes = still
    errors = []
    for k, name in enumerate(quantities):
        values = np.asarray(trace.quantity(name))
        T, H = values.shape
        left, top, width, height = boxes[k]
        for unit, t in cells:
            x = int(left + (t + 0.5) * width / T)
            y = int(top + (unit + 0.5) * height / H)
            got = pixels[y, x]
            want = expected_rgb(name, float(values[t, unit]), values)
            if np.abs(got - want).max() > tolerance:
                errors.append(f"{name}[unit {unit}, t {t}]: drawn {got.tolist()}, lstm_core's {want.tolist()}")
    return errors


def framed_columns(page, columns: int, tolerance: int = 40) -> list[list[int]]:
    """Per drawn heatmap, the columns the screen shows framed: both vertical edges of the column,
    halfway down the heatmap, in the frame's colour (the pixel on the edge or one beside it: the
    outline is 3 px wide, centred on the edge). A second frame left behind shows as a second column."""
    still = still_heatmaps(page)
    assert still is not None, "the heatmaps kept moving (or were not shown) while the screen was sampled"
    pixels, boxes = still
    frame = np.array([int(MARKER_COLOR[k : k + 2], 16) for k in (1, 3, 5)])

    def framed_at(x: float, y: int) -> bool:
        return any(np.abs(pixels[y, int(round(x)) + dx] - frame).max() <= tolerance for dx in (-1, 0, 1))

    found = []
    for left, top, width, height in boxes:
        y = int(top + height / 2)
        assert 0 <= y < pixels.shape[0] and 0 < left and left + width + 1 < pixels.shape[1], (
            "a heatmap is off the screen"
        )
        edges = [framed_at(left + c * width / columns, y) for c in range(columns + 1)]
        found.append([c for c in range(columns) if edges[c] and edges[c + 1]])
    return found


# Page text a student reads that the browser cuts: a button's label, an equation, a table cell.
CUT_DOM_TEXT = r"""(root) => {
  const scope = root ? document.querySelector(root) : document.body;
  const out = [];
  const cut = node => node.scrollWidth > node.clientWidth + 1;
  for (const node of scope.querySelectorAll('button, [data-testid=stDownloadButton] button')) {
    const label = node.querySelector('[data-testid=stMarkdownContainer], p') || node;
    if (node.offsetParent !== null && (cut(label) || cut(node))) out.push('button: ' + node.innerText.trim());
  }
  for (const node of scope.querySelectorAll('[data-testid=stButtonGroup]')) {  // a segmented control wider than its column
    if (node.offsetParent !== null && cut(node)) out.push('segmented control: ' + node.innerText.trim().replace(/\s+/g, ' '));
  }
  for (const node of scope.querySelectorAll('.katex-display')) {  // the drawn formula against its visible box
    const formula = node.querySelector('.katex-html');
    if (!formula || node.offsetParent === null) continue;
    // its own box, the element's box and the main column: a formula wider than any of them is cut
    // (or hidden behind a scroll bar), which its own box alone does not show
    const boxes = [node, node.closest('[data-testid=stElementContainer]'), node.closest('[data-testid=stMainBlockContainer]')]
      .filter(Boolean).map(box => box.getBoundingClientRect());
    const r = formula.getBoundingClientRect();
    const right = Math.min(...boxes.map(b => b.right)), left = Math.max(...boxes.map(b => b.left));
    // KaTeX's box clips its formula to the column and scrolls: what it hides is scrollWidth's excess
    // (a glyph's overhang, such as C̃'s tilde, scrolls 2 px: not a cut)
    const scrolls = node.scrollWidth > node.clientWidth + 3;
    if (r.right > right + 1 || r.left < left - 1 || scrolls) out.push('equation: ' + node.textContent.trim().slice(0, 40));
  }
  for (const node of scope.querySelectorAll('[data-testid=stTable]')) {  // a plain table wider than its column
    const table = node.querySelector('table');
    if (!table || node.offsetParent === null) continue;
    const column = node.closest('[data-testid=stMainBlockContainer]') || node;
    const hidden = node.scrollWidth > node.clientWidth + 1 || table.getBoundingClientRect().right > column.getBoundingClientRect().right + 1;
    if (hidden) out.push('table: ' + (table.querySelector('th, td')?.textContent.trim() || ''));
  }
  for (const node of scope.querySelectorAll('.lstm-value-number')) {  // a cell's value under its diagram (ui/value_grid.py)
    if (node.offsetParent !== null && cut(node)) out.push('value: ' + node.textContent.trim());
  }
  for (const node of scope.querySelectorAll('.stPlotlyChart')) {  // a chart drawn wider than its element is cut
    const svg = node.querySelector('svg.main-svg');
    if (!svg || node.offsetParent === null) continue;
    const drawn = svg.getBoundingClientRect().width, room = node.getBoundingClientRect().width;
    if (drawn > room + 1) out.push(`chart: ${Math.round(drawn)} px drawn in ${Math.round(room)} px`);
  }
  return out;
}"""


def page_text_problems(page) -> list[str]:
    """`text_problems` for the main area, and the page's cut buttons and equations."""
    return text_problems(page, "[data-testid=stMain]") + page.evaluate(CUT_DOM_TEXT, "[data-testid=stMain]")


# The smallest chart text as drawn, in px: Plotly's SVG text and the cell diagrams' SVG.
SMALLEST_CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot text')]
    .filter(t => t.textContent.trim() && !t.closest('.hoverlayer') && t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  for (const t of document.querySelectorAll('[data-testid=stMain] svg.lstm-diagram text')) {  // text in px, never scaled
    if (t.textContent.trim() && t.getBoundingClientRect().width > 0) sizes.push(parseFloat(getComputedStyle(t).fontSize));
  }
  return sizes.length ? Math.min(...sizes) : null;
}"""


# Every Plotly chart in the main area is drawn, and each shows one image per heatmap trace it holds.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')]
  .filter(plot => plot.getBoundingClientRect().width > 0)
  .map(plot => {
    const heatmaps = (plot._fullData || []).filter(t => t.type === 'heatmap' && t.visible !== false).length;
    const images = plot.querySelectorAll('.heatmaplayer image').length;
    return plot.querySelector('.main-svg') && images === heatmaps ? null : `${heatmaps} heatmaps, ${images} drawn`;
  }).filter(Boolean)"""


def assert_charts_drawn(page) -> None:
    """After an interaction: every chart on the page is still drawn, every heatmap with its image."""
    page.wait_for_function(f"({CHARTS_DRAWN})().length === 0", timeout=15_000)
