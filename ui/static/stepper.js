// The sequence stepper's controls, run in the browser: ◀ ▶, ▶ Play, a step slider, a speed menu and
// the ← → keys. Shared by the Streamlit page (ui/step_sync.py) and the standalone HTML export
// (ui/exports.py), so both step the same way.
//
// The two figures of ui/stepper_figure.py are found by `layout.meta.name`. The heatmaps figure is
// never changed: the frame around the current column is an SVG drawn over its heatmap images
// (moving a Plotly shape would redraw every heatmap, and animating a trace beside them erases
// them: plotly/plotly.js#4491); the page's first drawing carries a frame of its own, hidden once
// this one is drawn. The small panels figure is animated to the column's frame.
(function () {
  // Streamlit evaluates a component's script again on every render: keep the first instance,
  // its state (the column the student is on) and its listeners.
  if (window.lstmStepper) return;
  const HEATMAPS = "lstm-stepper-heatmaps";
  const PANELS = "lstm-stepper-panels";
  const MARKER_COLOR = "#ff2d55";
  const FRAME = "lstm-step-frame";  // ui/stepper_figure.FRAME_NAME
  const SVG = "http://www.w3.org/2000/svg";
  const STILL = {mode: "immediate", frame: {duration: 0, redraw: false}, transition: {duration: 0}};
  const SPEEDS = [0.4, 0.7, 1.0, 1.5, 2.5];

  const state = {column: 0, columns: 1, key: null, timer: null, frameMs: 1000, data: null, report: null, reportTimer: null,
                 inspect: null, serverColumn: null, reported: [], pending: {}};

  // The component that reports to the server is remounted with each page. Between a page switch and
  // that mount the heatmaps can already be drawn and clicked, and the last mount's callbacks lead
  // nowhere: what is said then waits for the next mount.
  function tell(name, value) {
    if (state.root && state.root.isConnected) return name === "inspect" ? state.inspect(value) : state.report(name, value);
    state.pending[name] = value;
  }

  function plotNamed(name) {
    return [...document.querySelectorAll(".js-plotly-plot")]
      .find(plot => plot.layout && plot.layout.meta && plot.layout.meta.name === name);
  }

  function hideFirstFrame(plot) {
    // The page's first drawing frames its column with layout shapes (ui/stepper_figure.framed), so
    // that the frame shows before this script has run. From here on the overlay below is the frame:
    // the shapes are hidden (moving them would redraw every heatmap), and their column follows the
    // step in the layout alone, which the chart's image download draws.
    plot.querySelectorAll(".shapelayer").forEach(layer => { if (layer.style.display !== "none") layer.style.display = "none"; });
    (plot.layout.shapes || []).forEach(shape => {
      if (shape.name === FRAME) { shape.x0 = state.column - 0.5; shape.x1 = state.column + 0.5; }
    });
  }

  function drawMarker() {  // one outline per heatmap, around the current column of its drawn image
    const plot = plotNamed(HEATMAPS);
    const container = plot && plot.querySelector(".svg-container");
    if (!container) return;
    hideFirstFrame(plot);
    let overlay = container.querySelector("svg.lstm-step-marker");
    if (!overlay) {
      overlay = document.createElementNS(SVG, "svg");
      overlay.setAttribute("class", "lstm-step-marker");
      overlay.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none;overflow:visible";
      container.appendChild(overlay);
    }
    const box = container.getBoundingClientRect();
    const images = [...plot.querySelectorAll(".heatmaplayer image")];
    const columns = plot.layout.meta.columns || 1;
    while (overlay.childNodes.length > images.length) overlay.lastChild.remove();
    images.forEach((image, k) => {
      let rect = overlay.childNodes[k];
      if (!rect) {
        rect = overlay.appendChild(document.createElementNS(SVG, "rect"));
        rect.setAttribute("fill", "none");
        rect.setAttribute("stroke", MARKER_COLOR);
        rect.setAttribute("stroke-width", "3");
      }
      const drawn = image.getBoundingClientRect(), width = drawn.width / columns;
      rect.setAttribute("x", drawn.left - box.left + width * state.column);
      rect.setAttribute("y", drawn.top - box.top);
      rect.setAttribute("width", Math.max(width, 1));
      rect.setAttribute("height", drawn.height);
    });
    overlay.dataset.column = String(state.column);
  }

  function heatmapsColumn(heatmaps, count, column) {  // the first `count` heatmaps' values at a column
    return heatmaps.data.slice(0, count).map(trace => trace.z.map(row => row[column]));
  }

  function panelsFrame(plot, column) {
    // The server's frame for a column holds the prediction only. The bars (the first `meta.bars`
    // traces) at a column are the heatmaps' column, the same block means to the same decimals
    // (ui/stepper_figure.py), so they are taken from there instead of being sent twice. Null while
    // the heatmaps on the screen are not those of this figure's input (one chart can be redrawn
    // before the other): the bars shown now must be their column `plot.__lstmColumn`.
    // plotly.js keeps a figure's frames by name here; its public Plots object does not offer
    // computeFrame, and two animations (bars, then prediction) would paint one frame half-stepped
    const frame = ((plot._transitionData || {})._frameHash || {})[String(column)];
    const count = plot.layout.meta.bars || 0;
    if (!frame) return null;
    const heatmaps = plotNamed(HEATMAPS);
    if (!heatmaps || !heatmaps.data || (heatmaps.layout.meta.columns || 1) !== plot.layout.meta.columns) return null;
    const shown = heatmapsColumn(heatmaps, count, plot.__lstmColumn);
    const agree = shown.every((values, k) => values.length === plot.data[k].y.length
      && values.every((value, unit) => Math.abs(value - plot.data[k].y[unit]) <= 1e-9));
    if (!agree) return null;
    const bars = heatmapsColumn(heatmaps, count, column).map(values => ({y: values}));
    return {data: bars.concat(frame.data || []), traces: bars.map((_, k) => k).concat(frame.traces || [])};
  }

  function drawPanels() {
    const plot = plotNamed(PANELS);
    if (!plot || !window.Plotly || plot.__lstmColumn === state.column) return;
    const frame = panelsFrame(plot, state.column);
    if (!frame) return;  // a later redraw of the heatmaps calls this again (watch)
    plot.__lstmColumn = state.column;
    window.Plotly.animate(plot, [frame], STILL);
  }

  function drawControls() {
    const root = state.root;
    if (!root || !state.data || !root.querySelector(".lstm-stepper-controls")) return;
    root.querySelector("input.step").value = String(state.column);
    root.querySelector(".label").textContent = "t = " + state.data.labels[state.column];
    root.querySelector("button.play").textContent = state.timer ? "■ " + state.data.texts.pause : "▶ " + state.data.texts.play;
  }

  function announce() {  // other views that follow the step (the unrolled chain, ui/static/chain.js)
    document.dispatchEvent(new CustomEvent("lstm-step", {detail: {key: state.key, column: state.column}}));
  }

  function go(column) {
    state.column = Math.min(Math.max(0, column), state.columns - 1);
    drawMarker();
    drawPanels();
    drawControls();
    announce();
    if (state.report) {  // the server hears where the student is, once the stepping pauses
      clearTimeout(state.reportTimer);
      state.reportTimer = setTimeout(() => {
        state.reported = [...state.reported.slice(-30), state.column];
        tell("column", state.column);
      }, 350);
    }
  }

  function stop() {
    clearInterval(state.timer);
    state.timer = null;
    drawControls();
  }

  function play() {
    if (state.timer) return stop();
    if (state.column >= state.columns - 1) go(0);
    state.timer = setInterval(() => {
      go(state.column + 1);
      if (state.column >= state.columns - 1) stop();  // the last step: ▶ shows again at once
    }, state.frameMs);
    drawControls();
  }

  function typing(target) {
    const tag = (target && target.tagName) || "";
    return tag === "INPUT" && target.type !== "range" && !target.classList.contains("step")
      || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)
      || (target && target.closest && target.closest("[role=slider],[role=listbox],[role=combobox],[data-testid=stSlider]"));
  }

  function build(root) {
    const texts = state.data.texts;
    root.innerHTML = "";
    const bar = document.createElement("div");
    bar.className = "lstm-stepper-controls";
    bar.innerHTML = `<button class="prev" type="button">◀</button><button class="play" type="button"></button>`
      + `<button class="next" type="button">▶</button><input class="step" type="range" min="0" step="1">`
      + `<span class="label"></span><select class="speed"></select>`;
    root.appendChild(bar);
    bar.querySelector(".prev").title = texts.previous;
    bar.querySelector(".next").title = texts.next;
    bar.querySelector("input.step").setAttribute("aria-label", texts.hint);
    bar.querySelector("input.step").title = texts.hint;
    const select = bar.querySelector("select");
    select.title = texts.speed;
    select.setAttribute("aria-label", texts.speed);
    SPEEDS.forEach((seconds, k) => select.add(new Option(texts.speeds[k], String(seconds * 1000))));
    bar.querySelector(".prev").onclick = () => { stop(); go(state.column - 1); };
    bar.querySelector(".next").onclick = () => { stop(); go(state.column + 1); };
    bar.querySelector(".play").onclick = play;
    bar.querySelector("input.step").oninput = event => {
      const column = Number(event.target.value);  // before stop() redraws the controls
      stop();
      go(column);
    };
    select.onchange = () => {
      state.frameMs = Number(select.value);
      if (state.report) tell("speed", state.frameMs);  // a link keeps the speed
      if (state.timer) { stop(); play(); }
    };
  }

  function watch() {  // a figure drawn (again) after the controls: bring it to the current column
    const heatmaps = plotNamed(HEATMAPS);
    if (heatmaps && !heatmaps.__lstmStepper) {
      heatmaps.__lstmStepper = true;
      heatmaps.on("plotly_afterplot", drawMarker);
      heatmaps.on("plotly_click", event => {  // a cell (unit, t): go there, and let the page open it
        const point = event && event.points && event.points[0];
        // a heatmap's point is [row, column]; its x and y are the axes' labels ("3: 漂", "20–23")
        const [row, column] = (point && Array.isArray(point.pointNumber)) ? point.pointNumber : [];
        if (!Number.isInteger(row) || !Number.isInteger(column)) return;
        stop();
        if (!state.inspect) return go(column);  // offline (the HTML export): the click steps there
        clearTimeout(state.reportTimer);  // no report of a column now: it would race the page switch
        state.column = column;  // the server sets the same step, for the way back
        drawMarker();
        drawPanels();
        drawControls();
        announce();
        tell("inspect", {column, row});
      });
      new ResizeObserver(() => drawMarker()).observe(heatmaps);  // laid out later, or the window resized
    }
    if (heatmaps) {  // the images may be drawn after the plot appeared: one outline per image, on the column
      const overlay = heatmaps.querySelector("svg.lstm-step-marker");
      const images = heatmaps.querySelectorAll(".heatmaplayer image").length;
      if (!overlay || overlay.childNodes.length !== images || overlay.dataset.column !== String(state.column)) drawMarker();
    }
    const panels = plotNamed(PANELS);
    if (panels) {
      if (panels.__lstmMeta !== panels.layout.meta) {  // a spec from the server: it shows its own column
        panels.__lstmMeta = panels.layout.meta;
        panels.__lstmColumn = panels.layout.meta.active;
      }
      drawPanels();
    }
  }

  function mount(root, data, report, inspect) {
    // data: key (the input's identity), column, columns, labels, frame_ms, texts
    // report(name, value): tells the server the "column" shown and the "speed" chosen (null offline)
    // inspect({column, row}): a heatmap cell was clicked, the page opens it (null offline: the click steps)
    const fresh = data.key !== state.key;
    const said = fresh ? {} : state.pending;  // said while no component listened (another input's: dropped)
    state.pending = {};
    state.data = data;
    state.report = report;
    state.inspect = inspect || null;
    state.root = root;
    state.columns = data.columns;
    if (fresh) {
      stop();
      state.key = data.key;
      state.column = Math.min(Math.max(0, data.column), data.columns - 1);
      state.frameMs = data.frame_ms || 1000;
    } else if (!("column" in said) && data.column !== state.serverColumn && !state.reported.includes(data.column)) {
      // the server moved the step itself (the Cell anatomy page's step, its link back): follow it.
      // A column this page reported is only the server catching up with ▶ Play: never step back to it.
      stop();
      state.column = Math.min(Math.max(0, data.column), data.columns - 1);
    }
    state.serverColumn = data.column;
    announce();
    if (!root.querySelector(".lstm-stepper-controls")) build(root);
    const input = root.querySelector("input.step");
    input.max = String(data.columns - 1);
    input.disabled = data.columns < 2;
    root.querySelector("select").value = String(state.frameMs);
    drawControls();
    if (!state.listening) {
      state.listening = true;
      document.addEventListener("keydown", event => {
        if ((event.key !== "ArrowLeft" && event.key !== "ArrowRight") || typing(event.target) || !plotNamed(HEATMAPS)) return;
        event.preventDefault();
        stop();
        go(state.column + (event.key === "ArrowRight" ? 1 : -1));
      });
      new MutationObserver(watch).observe(document.body, {childList: true, subtree: true});
    }
    watch();
    drawMarker();
    drawPanels();
    Object.entries(said).forEach(([name, value]) => tell(name, value));
  }

  window.lstmStepper = {mount, go, state};
})();
