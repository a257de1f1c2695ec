// The cell page's browser twin (mounted by ui/cell_live.py, whose docstring says why it exists).
// Every number here is lstm_core's: tests/browser/test_cell_live.py checks the twin to 1e-12.

const ACTIVATIONS = {  // lstm_core/activations.py, written the same way
  sigmoid: z => Math.tanh(z * 0.5) * 0.5 + 0.5,
  tanh: z => Math.tanh(z),
  hard_sigmoid: z => Math.min(Math.max(z * (1.0 / 6.0) + 0.5, 0.0), 1.0),
  hard_sigmoid_keras2: z => Math.min(Math.max(z * 0.2 + 0.5, 0.0), 1.0),
  linear: z => z,
  relu: z => Math.max(z, 0.0),
};

function cellValues(s, recurrent, activation) {
  // LSTM.step for one input and one unit: z = W x + U h + b per gate; a clamped gate takes its value.
  // colah's variants (lstm_core/variants.py): s.peephole adds p·C_{t−1} to z_f, z_i and p_o·C_t
  // to z_o; s.coupled makes i = 1 − f. Written in the order Python adds, so the sums are the same.
  const sigma = ACTIVATIONS[recurrent], act = ACTIVATIONS[activation];
  const z = (g, cell) => s.peephole && g !== "c"
    ? s["W" + g] * s.x + s["U" + g] * s.h + s["p" + g] * cell + s["b" + g]
    : s["W" + g] * s.x + s["U" + g] * s.h + s["b" + g];
  const clamp = s.clamp || {};
  const f = "f" in clamp ? clamp.f : sigma(z("f", s.c));
  const i = s.coupled ? 1.0 - f : "i" in clamp ? clamp.i : sigma(z("i", s.c));
  const c_tilde = act(z("c"));
  const c = f * s.c + i * c_tilde;
  const o = "o" in clamp ? clamp.o : sigma(z("o", c));
  const tanh_c = act(c);
  return {x: s.x, h_prev: s.h, c_prev: s.c, f, i, c_tilde, o, c, tanh_c, h: o * tanh_c,
          kept: f * s.c, added: i * c_tilde};
}

const NUMBER = /(nan|-?inf|-?\d+\.\d{3})$/;  // a value as fmt3 writes it, at the end of a text

function lastText(element) {  // the last non-blank text node: where an annotation's value ends up
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) if (walker.currentNode.data.trim()) last = walker.currentNode;
  return last;
}

function plan(recipe, values) {
  // [layout path, value, paint]: paint(plot) writes the value straight into the drawn SVG (a small
  // part of a frame, where Plotly.relayout redraws every annotation and shape) and
  // says whether it could; what it cannot paint goes through Plotly.relayout.
  const steps = [];
  const annotationText = (plot, index) => plot.querySelector(`.annotation[data-index="${index}"] text.annotation-text`);
  const shapePath = (plot, index) => plot.querySelector(`.shapelayer path[data-index="${index}"]`);
  for (const [index, before, key, after] of recipe.texts) {
    const number = fmt3(values[key]), text = before + number + after;
    steps.push([`annotations[${index}].text`, text, plot => {
      const element = annotationText(plot, index), node = element && lastText(element);
      if (!node || !NUMBER.test(node.data) || after.replace(/<[^>]*>/g, "").trim()) return false;
      node.data = node.data.replace(NUMBER, number);
      element.setAttribute("data-unformatted", text);
      return true;
    }]);
  }
  for (const [shape, annotation, key, fixedLow, fixedHigh, scale, spread] of recipe.boxes) {
    const sizes = spread.map(k => Math.abs(values[k])).filter(Number.isFinite);  // cell_diagram.box_bound
    const bound = spread.length ? Math.max(1.0, ...sizes) : null;
    const [low, high] = bound === null ? [fixedLow, fixedHigh] : [-bound, bound];
    const v = values[key], fill = valueColor(v, low, high, recipe.stops[scale]);
    const color = needsWhiteText(v, scale === recipe.gate_scale, high) ? "white" : "#1a202c";
    steps.push([`shapes[${shape}].fillcolor`, fill, plot => {
      const path = shapePath(plot, shape);
      return path ? (path.style.fill = fill, true) : false;
    }]);
    steps.push([`annotations[${annotation}].font.color`, color, plot => {
      const element = annotationText(plot, annotation);
      return element ? (element.style.fill = color, true) : false;
    }]);
  }
  for (const [shape, key] of recipe.wires) {
    const width = wireWidth(values[key]);
    steps.push([`shapes[${shape}].line.width`, width, plot => {
      const path = shapePath(plot, shape);
      return path ? (path.style.strokeWidth = `${width}px`, true) : false;
    }]);
  }
  return steps;
}

function updates(recipe, values) {  // the relayout that turns the diagram into the one for `values`
  return Object.fromEntries(plan(recipe, values).map(([path, value]) => [path, value]));
}

function walk(path) {  // "annotations[3].font.color" → ["annotations", 3, "font", "color"]
  return path.split(".").flatMap(part => {
    const m = part.match(/^(\w+)\[(\d+)\]$/);
    return m ? [m[1], Number(m[2])] : [part];
  });
}

function current(layout, path) {
  return walk(path).reduce((node, part) => (node == null ? undefined : node[part]), layout);
}

function assign(layout, path, value) {
  const parts = walk(path), last = parts.pop();
  const node = parts.reduce((node, part) => (node[part] == null ? (node[part] = {}) : node[part]), layout);
  node[last] = value;
}

const twin = window.__lstmCellLive || (window.__lstmCellLive = {seen: {}});
Object.assign(twin, {cellValues, fmt3, valueColor, updates});  // the pure parts, for the tests

function drawnPlot(root) {  // a Plotly diagram with the twin's recipe, its texts drawn, in `root`
  const plots = root ? [...(root.matches && root.matches(".js-plotly-plot") ? [root] : []),
                        ...(root.querySelectorAll ? root.querySelectorAll(".js-plotly-plot") : [])] : [];
  return plots.find(plot => plot.layout && plot.layout.meta && plot.layout.meta.cell_live
                            && plot.querySelector(".annotation text")) || null;
}

const shown = element => element.isConnected && element.getClientRects().length > 0;

function liveBox() {  // the diagram's element container on the page, and the chart Streamlit drew in it
  // While Streamlit mounts a new chart, it keeps the replaced container on the page, hidden.
  const boxes = [...document.querySelectorAll(`.st-key-${twin.data.diagram}`)];
  const box = boxes.find(shown) || boxes[0];
  const live = box && [...box.querySelectorAll(".js-plotly-plot")].find(plot => !plot.closest(".lstm-cell-held"));
  return [box, drawnPlot(live)];
}

function diagram() {  // {root, layout} of the live diagram, or while Streamlit mounts a new one, of the held picture
  const [box, live] = liveBox();
  if (live) return {root: live, layout: live.layout, live: true};
  const held = twin.held;
  return held && box && box.contains(held.wrapper) ? {root: held.wrapper, layout: held.layout, live: false} : null;
}

// Streamlit 1.67 gives st.plotly_chart an identity hashed from its figure, so every answer with
// new numbers replaces the diagram's chart by a new one, which Plotly draws a frame or more
// later: the box would show blank for those frames (a blink on every answer; upstream:
// streamlit/streamlit#16052). A copy of the last drawing of the old chart (hidden, then
// detached), which the twin had painted for the current sliders, is held in the box, on top,
// until the new chart is drawn (and redrawn by the twin): the student sees one picture
// throughout, and the twin keeps painting the copy while it is held.
function placeHeld() {
  const [box, live] = liveBox();
  if (live) return release();
  if (!box) { twin.last = null; return release(); }  // the page has no diagram now
  if (!twin.held && twin.last && !shown(twin.last.container)) {
    const wrapper = document.createElement("div");
    wrapper.className = "lstm-cell-held";
    wrapper.setAttribute("aria-hidden", "true");
    wrapper.style.cssText = "position:absolute;left:0;top:0;pointer-events:none;z-index:2";
    wrapper.appendChild(twin.last.container.cloneNode(true));
    twin.held = {wrapper, layout: twin.last.layout, timer: setTimeout(release, 5000)};  // no chart comes: let go
  }
  if (twin.held && !box.contains(twin.held.wrapper)) {
    if (getComputedStyle(box).position === "static") box.style.position = "relative";
    box.appendChild(twin.held.wrapper);
  }
}

function release() {
  if (!twin.held) return;
  clearTimeout(twin.held.timer);
  twin.held.wrapper.remove();
  twin.held = null;
}

function slider(key) {
  const input = document.querySelector(`.st-key-${key} input[type=range]`);
  const value = input ? parseFloat(input.value) : NaN;
  return Number.isFinite(value) ? value : null;
}

function settings() {  // what the sliders show now; a slider not on the page keeps its last value
  const data = twin.data, s = {clamp: {}, peephole: !!data.peephole, coupled: !!data.coupled};
  for (const key of data.keys) {
    const value = slider("cell_" + key);
    if (value !== null) twin.seen[key] = value;
    s[key] = key in twin.seen ? twin.seen[key] : data.settings[key];
  }
  for (const gate of ["f", "i", "o"]) {
    const box = document.querySelector(`.st-key-clamp_${gate} input[type=checkbox]`);
    if (box ? box.checked : gate in data.clamp) {
      const value = slider(`clamp_${gate}_value`);
      s.clamp[gate] = value !== null ? value : (gate in data.clamp ? data.clamp[gate] : 1.0);
    }
  }
  return s;
}

function sameSettings(answer, s) {  // the sliders' values that an answer was computed for, and the current ones
  if (!answer) return false;
  const close = (a, b) => typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-9;
  const clamp = answer.clamp || {};
  return twin.data.keys.every(key => close(answer[key], s[key]))
    && Object.keys(clamp).length === Object.keys(s.clamp).length
    && Object.keys(clamp).every(gate => close(clamp[gate], s.clamp[gate]));
}

function redraw() {  // change only what differs, so the server's own redraw ends the loop
  const drawn = diagram();
  if (!drawn) return;
  const {root, layout, live} = drawn;
  const s = settings();
  const values = cellValues(s, twin.data.recurrent, twin.data.activation);
  const rest = {};
  for (const [path, value, paint] of plan(layout.meta.cell_live, values)) {
    if (current(layout, path) === value) continue;
    if (paint(root)) assign(layout, path, value);  // the figure's state says what is drawn
    else rest[path] = value;
  }
  if (Object.keys(rest).length && window.Plotly && live) window.Plotly.relayout(root, rest);
  if (live) twin.last = {container: root.querySelector(".plot-container"), layout};  // what a blink would hold
  const metricValues = document.querySelectorAll(`.st-key-${twin.data.values} [data-testid=stMetricValue]`);
  twin.data.metrics.forEach((key, k) => {
    const node = metricValues[k] && lastText(metricValues[k]), text = fmt3(values[key]);
    if (node && node.data !== text) node.data = text;
  });
  // The equations are the server's (LaTeX): while they are for an earlier slider position, say so.
  const equations = document.querySelector(`.st-key-${twin.data.equations}`);
  if (equations) {
    const behind = !sameSettings(layout.meta.cell_live.computed_for, s);
    equations.style.opacity = behind ? "0.35" : "";
    equations.setAttribute("aria-busy", behind ? "true" : "false");
  }
}

function soon() {  // after the slider's own React update: this frame and the next
  requestAnimationFrame(() => { redraw(); requestAnimationFrame(redraw); });
}

function watch() {
  // Every drawing of the diagram by the server is checked at once, in the same task, before the
  // browser paints it: an answer computed for an earlier slider position (the server answers
  // each position in turn, late on a busy server) is redrawn for the sliders' current values,
  // so it never shows. A fragment rerun may draw a new plot element: a MutationObserver finds it.
  const plot = twin.data && liveBox()[1];
  if (plot && !plot.__lstmCellLive) {
    plot.__lstmCellLive = true;
    plot.on("plotly_afterplot", () => { release(); redraw(); soon(); });
    release();
    redraw();
  }
}

export default function (component) {
  twin.data = component.data;
  twin.seen = {};  // a full rerun's values (a preset, Reset) are the truth again
  if (!twin.listening) {
    twin.listening = true;
    for (const type of ["keydown", "pointerdown", "pointermove", "pointerup", "input", "change", "click"]) {
      document.addEventListener(type, event => {
        if (type === "pointermove" && !event.buttons) return;  // only a drag moves a slider
        if (twin.data && diagram()) soon();
      }, {capture: true, passive: true});
    }
  }
  // A mutation observer's callback runs before the browser paints: whatever the server draws
  // (a new diagram element, its texts, the values, the equations) is checked before it shows.
  // It also sees every slider of the cell redraw its own value: on a busy laptop that comes
  // frames after the pointer or key event (which only schedules two redraws), and the diagram
  // would keep the value the slider had at the event.
  if (!twin.observer) {
    twin.observer = new MutationObserver(mutations => {
      if (!twin.data) return;
      placeHeld();
      watch();
      const mine = [twin.data.diagram, twin.data.values, twin.data.equations]
        .map(key => document.querySelector(`.st-key-${key}`));
      const touched = m => {
        const element = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        return mine.some(box => box && box.contains(m.target))
          || !!(element && element.closest('[class*="st-key-cell_"], [class*="st-key-clamp_"]'));
      };
      if (mutations.some(touched)) redraw();
    });
    twin.observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  }
  watch();
}
