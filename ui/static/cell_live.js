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

function paint(recipe, values) {
  // cell_diagram.paint: the diagram's data-ids for one step's values (each value's text, each
  // box's colour and its text's colour, each cell-state wire's width), by the same rule.
  const painting = {};
  for (const key of recipe.texts) painting[`value-${key}`] = {text: fmt3(values[key])};
  for (const [key, fixedLow, fixedHigh, scale, spread] of recipe.boxes) {
    const sizes = spread.map(k => Math.abs(values[k])).filter(Number.isFinite);  // cell_diagram.box_bound
    const bound = spread.length ? Math.max(1.0, ...sizes) : null;
    const [low, high] = bound === null ? [fixedLow, fixedHigh] : [-bound, bound];
    const v = values[key], gate = scale === recipe.gate_scale;
    painting[`box-${key}`] = {fill: valueColor(v, low, high, recipe.stops[scale])};
    painting[`label-${key}`] = {fill: needsWhiteText(v, gate, gate ? 1.0 : high) ? "white" : "#1a202c"};
  }
  for (const key of recipe.wires) painting[`wire-${key}`] = {"stroke-width": wireWidth(values[key])};
  return painting;
}

function setText(element, text) {
  // Into the text node the server's drawing made, where there is one: the page's own renderer
  // keeps writing into that node when the next answer comes.
  const node = element.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) {
    if (node.data !== text) node.data = text;
  } else if (element.textContent !== text) element.textContent = text;
}

function apply(svg, painting) {  // write only what differs, so the server's own redraw ends the loop
  for (const [id, parts] of Object.entries(painting)) {
    const element = svg.querySelector(`[data-id="${id}"]`);
    if (!element) continue;
    for (const [attribute, value] of Object.entries(parts)) {
      const text = typeof value === "number" ? value.toFixed(4) : value;  // as svg_template.render writes a number
      if (attribute === "text") setText(element, text);
      else if (element.getAttribute(attribute) !== text) element.setAttribute(attribute, text);
    }
  }
}

const twin = window.__lstmCellLive || (window.__lstmCellLive = {seen: {}});
Object.assign(twin, {cellValues, fmt3, valueColor, paint});  // the pure parts, for the tests

const shown = element => element.isConnected && element.getClientRects().length > 0;

function diagram() {  // the diagram's drawing on the page (Streamlit may keep a replaced one, hidden)
  const drawings = [...document.querySelectorAll(`.st-key-${twin.data.diagram} svg.lstm-diagram`)];
  return drawings.find(shown) || drawings[0] || null;
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

function redraw() {
  const svg = diagram();
  if (!svg) return;
  const s = settings();
  const values = cellValues(s, twin.data.recurrent, twin.data.activation);
  let answer = null;  // the slider settings the server's drawing was computed for
  try { answer = JSON.parse(svg.dataset.computedFor || "null"); } catch (error) { answer = null; }
  const behind = !sameSettings(answer, s);
  if (behind) apply(svg, paint(twin.data.recipe, values));  // else the server's own numbers stand
  const grid = document.querySelector(`[data-values=${twin.data.values}]`);  // ui/value_grid.py
  for (const key of twin.data.metrics) {
    const number = grid && grid.querySelector(`[data-value=${key}] .lstm-value-number`);
    if (number) setText(number, fmt3(values[key]));
  }
  // The equations are the server's (LaTeX): while they are for an earlier slider position, say so.
  const equations = document.querySelector(`.st-key-${twin.data.equations}`);
  if (equations) {
    equations.style.opacity = behind ? "0.35" : "";
    equations.setAttribute("aria-busy", behind ? "true" : "false");
  }
}

function soon() {  // after the slider's own React update: this frame and the next
  requestAnimationFrame(() => { redraw(); requestAnimationFrame(redraw); });
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
  // (an answer computed for an earlier slider position, late on a busy server: its texts, the
  // values, the equations) is redrawn for the sliders' current values before it shows.
  // It also sees every slider of the cell redraw its own value: on a busy laptop that comes
  // frames after the pointer or key event (which only schedules two redraws), and the diagram
  // would keep the value the slider had at the event.
  if (!twin.observer) {
    twin.observer = new MutationObserver(mutations => {
      if (!twin.data) return;
      const mine = [twin.data.diagram, twin.data.values, twin.data.equations]
        .map(key => document.querySelector(`.st-key-${key}`));
      const touched = m => {
        const element = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        return mine.some(box => box && box.contains(m.target))
          || !!(element && element.closest('[class*="st-key-cell_"], [class*="st-key-clamp_"]'));
      };
      if (mutations.some(touched)) redraw();
    });
    twin.observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                                          attributeFilter: ["fill", "stroke-width", "data-computed-for"]});
  }
  redraw();
}
