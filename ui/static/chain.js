// The unrolled chain (mounted by ui/chain.py, whose docstring says what it shows): a few
// consecutive cells of one unit side by side, redrawn in the browser whenever the stepper moves
// (stepper.js announces every step with an "lstm-step" event), so ▶ Play runs it too.
// Needs cell_numbers.js (fmt3, valueColor, wireWidth, needsWhiteText) before it.
(function () {
  if (window.lstmChain) return;  // evaluated again on every render: keep the first instance
  const SVG = "http://www.w3.org/2000/svg";
  const MARKER_COLOR = "#ff2d55";
  const INK = "#1a202c", QUIET = "#718096", BODY = "#f7f8fb", EDGE = "#c9ced8";
  const MIN_CELL = 136;  // px: the narrowest cell whose numbers still fit its boxes
  const CASING = "#a0aec0";  // a grey edge under every wire: a value near 0 is near white on RdBu
  const HEIGHT = 300;
  const GATES = [["f", "f", "gate"], ["i", "i", "gate"], ["c_tilde", "C̃", "signed"], ["o", "o", "gate"]];

  const state = {data: null, root: null, step: 0, inspect: null};

  function element(parent, name, attributes, text) {
    const node = parent.appendChild(document.createElementNS(SVG, name));
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function color(name, value) {  // gates on [0, 1]; C̃, C and h on ± their heatmaps' bound
    const data = state.data, bound = data.bounds[name];
    return bound === undefined ? valueColor(value, 0.0, 1.0, data.stops.gate) : valueColor(value, -bound, bound, data.stops.signed);
  }

  function shown(cells) {  // the first step of the window: the current step in the middle where it can be
    const length = state.data.length;
    return Math.max(0, Math.min(state.step - Math.floor(cells / 2), length - cells));
  }

  function wire(svg, x1, x2, y, value, quantity, key, width) {
    const drawn = width || wireWidth(value);
    element(svg, "line", {x1, x2, y1: y, y2: y, stroke: CASING, "stroke-width": drawn + 2});
    return element(svg, "line", {
      x1, x2, y1: y, y2: y, stroke: color(quantity, value), "stroke-width": drawn,
      "stroke-linecap": "butt", "data-wire": key, "data-value": value,
    });
  }

  function box(svg, x, y, width, height, name, label, value, step) {
    const fill = color(name, value);
    const rect = element(svg, "rect", {x, y, width, height, rx: 5, fill, stroke: EDGE,
                                       "data-box": name, "data-step": step, "data-value": value});
    element(svg, "text", {x: x + width / 2, y: y + height / 2 + 5, "text-anchor": "middle", "font-size": 13,
                          fill: needsWhiteText(value, !(name in state.data.bounds), state.data.bounds[name]) ? "white" : INK, "pointer-events": "none"},
            `${label} ${fmt3(value)}`);
    return rect;
  }

  function draw() {
    const data = state.data, root = state.root;
    if (!data || !root) return;
    const width = Math.max(root.clientWidth, 3 * MIN_CELL);
    const cells = Math.max(1, Math.min(data.cells, data.length, Math.floor(width / MIN_CELL)));
    const w = width / cells, first = shown(cells), v = data.values;
    root.innerHTML = "";
    const svg = element(root, "svg", {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "img",
                                      "aria-label": data.texts.title, "data-first": first, "data-cells": cells});
    svg.style.fontFamily = 'var(--st-font, "Source Sans Pro", "Noto Sans CJK SC", sans-serif)';
    const C_Y = 58, H_Y = 238, TOP = 80, BOTTOM = 222;
    for (let k = 0; k < cells; k++) {
      const t = first + k, x0 = k * w, now = t === state.step;
      const cPrev = t > 0 ? v.c[t - 1] : data.c0, hPrev = t > 0 ? v.h[t - 1] : data.h0;
      const times = x0 + 0.3 * w, plus = x0 + 0.58 * w, kept = v.f[t] * cPrev;
      const cell = element(svg, "g", {class: "lstm-chain-cell", "data-step": t, cursor: "pointer"});
      element(cell, "title", {}, data.texts.open.replace("{t}", t));
      element(cell, "rect", {x: x0 + 6, y: TOP, width: w - 12, height: BOTTOM - TOP, rx: 10, fill: BODY,
                             stroke: now ? MARKER_COLOR : EDGE, "stroke-width": now ? 3 : 1, "data-body": t});
      element(svg, "text", {x: x0 + w / 2, y: 18, "text-anchor": "middle", "font-size": 15,
                            "font-weight": now ? 700 : 400, fill: now ? MARKER_COLOR : INK, "data-label": t},
              `t = ${t}`);
      // the cell state's highway: C_{t−1} in, f·C_{t−1} after ×, C_t after + and on to the next cell
      wire(svg, x0, times, C_Y, cPrev, "c", `c_in:${t}`);
      wire(svg, times, plus, C_Y, kept, "c", `kept:${t}`);
      wire(svg, plus, x0 + w, C_Y, v.c[t], "c", `c:${t}`);
      element(svg, "text", {x: (plus + x0 + w) / 2, y: C_Y - 14, "text-anchor": "middle", "font-size": 14,
                            fill: INK, "data-text": `c:${t}`}, `C ${fmt3(v.c[t])}`);
      // the gates, their arrows to the highway (f to ×, i·C̃ to +) and to h (o)
      const gap = 6, boxWidth = (w - 12 - 3 * gap - 12) / 2, boxHeight = 30;
      const left = x0 + 12, right = left + boxWidth + gap;
      const places = {f: [left, 96], i: [right, 96], c_tilde: [left, 136], o: [right, 136]};
      element(cell, "line", {x1: times, x2: times, y1: 96, y2: C_Y + 9, stroke: QUIET, "stroke-width": 1.5});
      element(cell, "line", {x1: plus, x2: plus, y1: 96, y2: C_Y + 9, stroke: QUIET, "stroke-width": 1.5});
      for (const [name, label] of GATES) {
        const [x, y] = places[name];
        box(cell, x, y, boxWidth, boxHeight, name, label, v[name][t], t);
      }
      for (const [x, symbol] of [[times, "×"], [plus, "+"]]) {
        element(svg, "circle", {cx: x, cy: C_Y, r: 10, fill: "white", stroke: INK, "stroke-width": 1.5});
        element(svg, "text", {x, y: C_Y + 5, "text-anchor": "middle", "font-size": 15, fill: INK,
                              "pointer-events": "none"}, symbol);
      }
      // h_t: out of the cell to the next one (the short-term memory), coloured by its value
      box(cell, left, 178, 2 * boxWidth + gap, boxHeight, "h", "h", v.h[t], t);
      // h_{t−1} comes in along the bottom and joins x_t, which enters from below; h_t leaves for the next cell
      const join = x0 + 0.25 * w, out = x0 + 0.75 * w;
      element(cell, "line", {x1: join, x2: join, y1: 268, y2: BOTTOM, stroke: QUIET, "stroke-width": 1.5});
      element(cell, "line", {x1: out, x2: out, y1: BOTTOM, y2: H_Y, stroke: QUIET, "stroke-width": 1.5});
      wire(svg, x0, join, H_Y, hPrev, "h", `h_in:${t}`, 4);
      wire(svg, out, x0 + w, H_Y, v.h[t], "h", `h:${t}`, 4);
      element(svg, "text", {x: join, y: 290, "text-anchor": "middle", "font-size": 15, fill: INK,
                            "data-token": t}, `x: ${data.tokens[t]}`);
      cell.addEventListener("click", () => {
        if (state.inspect) state.inspect({step: t, unit: data.unit});
      });
    }
    svg.dataset.step = String(state.step);
  }

  function follow(column) {  // the stepper's column → its first timestep
    const data = state.data;
    if (!data) return;
    const step = Math.min(Math.max(0, column * data.steps), data.length - 1);
    if (step === state.step && state.root && state.root.querySelector("svg")) return;
    state.step = step;
    draw();
  }

  function mount(root, data, inspect) {
    // data: key (the stepper's input identity), length, steps (timesteps per stepper column),
    // column, unit, cells, tokens, values {f, i, c_tilde, o, c, h} (null where not finite), c0,
    // h0, bounds, stops, texts
    for (const name of Object.keys(data.values)) data.values[name] = data.values[name].map(v => (v === null ? NaN : v));
    state.data = data;
    state.root = root;
    state.inspect = inspect || null;
    const stepper = window.lstmStepper && window.lstmStepper.state;
    const column = stepper && stepper.key === data.key ? stepper.column : data.column;
    state.step = Math.min(Math.max(0, column * data.steps), data.length - 1);
    draw();
    if (!state.listening) {
      state.listening = true;
      document.addEventListener("lstm-step", event => {
        if (state.data && event.detail.key === state.data.key) follow(event.detail.column);
      });
      state.resized = new ResizeObserver(() => draw());  // the page's width: how many cells fit
    }
    if (state.observed !== root) {  // a root Streamlit mounted anew
      if (state.observed) state.resized.unobserve(state.observed);
      state.observed = root;
      state.resized.observe(root);
    }
  }

  window.lstmChain = {mount, state};
})();
