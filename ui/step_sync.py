"""◀ ▶ buttons, arrow keys and the server's copy of the timestep for the stepper figure.

The figure steps in the browser (see ui/stepper_figure.py), so the server would never learn
where a student is. This small `st.components.v2` component runs in the page: its buttons and
the ← → keys play one animation frame of the figure through plotly.js, and it reports the
figure's current column back (debounced), so the shareable URL and the page's captions follow.
Reporting reruns only the fragment the component sits in; the heatmaps are never re-sent.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from ui.stepper_figure import FIGURE_META

HTML = """
<div class="step-sync">
  <button class="prev" type="button">◀</button>
  <button class="next" type="button">▶</button>
  <span class="hint"></span>
</div>
"""

CSS = """
.step-sync { display: flex; gap: 0.5rem; align-items: center; font-family: var(--st-font, sans-serif); }
.step-sync button {
  min-width: 3rem; padding: 0.3rem 0.9rem; font-size: 1rem; cursor: pointer;
  border: 1px solid var(--st-border-color, #d5dae5); border-radius: 0.5rem;
  background: var(--st-secondary-background-color, #f0f2f6); color: var(--st-text-color, #31333f);
}
.step-sync button:hover { border-color: var(--st-primary-color, #ff4b4b); color: var(--st-primary-color, #ff4b4b); }
.step-sync .hint { color: var(--st-text-color, #31333f); opacity: 0.7; font-size: 0.9rem; }
"""

JS = """
const META = "%META%";
const STILL = {mode: "immediate", frame: {duration: 0, redraw: false}, transition: {duration: 0}};

function stepperPlot() {
  return [...document.querySelectorAll(".js-plotly-plot")].find(p => p.layout && p.layout.meta === META);
}

function activeColumn(plot) {
  const slider = plot && plot._fullLayout && plot._fullLayout.sliders && plot._fullLayout.sliders[0];
  return slider ? slider.active : null;
}

function step(delta) {
  const plot = stepperPlot();
  if (!plot || !window.Plotly) return;
  const columns = plot._fullLayout.sliders[0].steps.length;
  const next = (((activeColumn(plot) || 0) + delta) % columns + columns) % columns;
  window.Plotly.animate(plot, [String(next)], STILL);
}

function report() {
  const state = window.__lstmStepSync;
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    const column = activeColumn(stepperPlot());
    if (column !== null && column !== state.reported) {
      state.reported = column;
      state.setStateValue("column", column);
    }
  }, 350);
}

function watch() {
  const plot = stepperPlot();
  if (plot && !plot.__lstmStepSync) {
    plot.__lstmStepSync = true;
    plot.on("plotly_animated", report);
    plot.on("plotly_sliderchange", report);
    plot.on("plotly_buttonclicked", event => {  // ▶ at the last step starts again from the first
      const args = event && event.button && event.button.args;
      const columns = plot._fullLayout.sliders[0].steps.length;
      if (args && args[0] === null && activeColumn(plot) === columns - 1 && window.Plotly) {
        window.Plotly.animate(plot, null, Object.assign({}, args[1], {fromcurrent: false}));
      }
    });
  }
}

function typing(target) {
  const tag = (target && target.tagName) || "";
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)
    || (target && target.closest && target.closest("[role=slider],[role=listbox],[role=combobox]"));
}

export default function (component) {
  const { parentElement, data, setStateValue } = component;
  const state = window.__lstmStepSync || (window.__lstmStepSync = {timer: null, reported: null});
  state.setStateValue = setStateValue;
  state.reported = data.column;
  parentElement.querySelector(".prev").onclick = () => step(-1);
  parentElement.querySelector(".next").onclick = () => step(1);
  parentElement.querySelector(".prev").title = data.previous;
  parentElement.querySelector(".next").title = data.next;
  parentElement.querySelector(".hint").textContent = data.hint;
  if (!state.keys) {
    state.keys = true;
    document.addEventListener("keydown", event => {
      if ((event.key !== "ArrowLeft" && event.key !== "ArrowRight") || typing(event.target) || !stepperPlot()) return;
      event.preventDefault();
      step(event.key === "ArrowRight" ? 1 : -1);
    });
  }
  watch();
  const poll = setInterval(watch, 500);  // the figure may be drawn after this component
  setTimeout(() => clearInterval(poll), 20000);
}
""".replace("%META%", FIGURE_META)

_step_sync = st.components.v2.component("lstm_gate_lab.step_sync", html=HTML, css=CSS, js=JS)


def step_controls(column: int, texts: dict[str, str], on_change: Callable[[], None], key: str = "step_sync") -> int:
    """Mount the buttons; returns the column the browser last reported (or `column`)."""
    result = _step_sync(key=key, data={"column": column, **texts}, default={"column": column},
                        on_column_change=on_change)
    reported = result.get("column")  # a ComponentResult is a dict
    return column if reported is None else int(reported)
