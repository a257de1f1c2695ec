"""Keys pressed faster than the server answers, and what the cell page draws after each burst:
shared by tests/browser/test_cell_live.py (a server made slow on purpose) and bench.late_answers_under_crowd
(a server made slow by a crowd of students)."""

import json

import numpy as np

from ui import cell_values
from ui.cell_live import SHOWN
from ui.cell_presets import DEFAULTS

RECORDER = """() => {
  // Every state of the drawing that reaches a microtask checkpoint (so every state that could be
  // painted): a mutation observer logs the f box, the six values and the equations' opacity.
  // And every frame as it is about to be painted (requestAnimationFrame): whether the diagram's
  // box showed a drawing at all.
  const log = window.__drawnLog = [];
  const frames = window.__frames = {painted: 0, blank: []};
  window.__lastKey = 0;
  document.addEventListener('keydown', () => { window.__lastKey = performance.now(); }, {capture: true});
  const shownBox = () => [...document.querySelectorAll('.st-key-cell_diagram')].find(b => b.getClientRects().length);
  const drawing = box => {  // the diagram's SVG with its texts, in the shown box
    if (!box) return [null, 'no diagram container'];
    const svg = box.querySelector('svg.lstm-diagram');
    return svg && svg.querySelector('text') && svg.getClientRects().length ? [svg, 'drawn'] : [null, 'blank'];
  };
  const state = () => {
    const [svg, diagram] = drawing(shownBox());
    const label = svg && svg.querySelector('[data-id=label-f]');
    const values = [...document.querySelectorAll('[data-values=cell_values] .lstm-value-number')].map(e => e.textContent);
    const equations = document.querySelector('.st-key-cell_equations');
    const answer = svg ? svg.dataset.computedFor || '' : '';
    return [performance.now(), label ? label.textContent : '', values.join(','), equations ? equations.style.opacity : '', answer, diagram];
  };
  if (window.__recorder) window.__recorder.disconnect();
  window.__recorder = new MutationObserver(() => { if (window.__drawnLog) log.push(state()); });
  window.__recorder.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
  log.push(state());
  const frame = () => {
    if (window.__frames !== frames) return;
    frames.painted++;
    const diagram = drawing(shownBox())[1];
    if (diagram !== 'drawn') frames.blank.push([performance.now(), diagram]);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""

SETTLED = """w => {
  const svg = document.querySelector('.st-key-cell_diagram svg.lstm-diagram');
  const answer = svg && svg.dataset.computedFor && JSON.parse(svg.dataset.computedFor);
  const slider = parseFloat(document.querySelector('.st-key-cell_Wf input[type=range]').value);
  return !!answer && Math.abs(answer.Wf - slider) < 1e-9 && Math.abs(slider - w) < 1e-9
    && document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning';
}"""


def press_keys_faster_than_the_server_answers(page, rounds: int = 20, seed: int = 20) -> int:
    """`rounds` bursts of 2–5 ArrowRight/ArrowLeft presses on W_f, 10–120 ms apart; after each, every
    frame drawn after the last key must show the final position's f, the six values must be that
    position's, the equations must settle on it, and no frame of the whole burst may show the
    diagram's box without a drawing (AssertionError naming the round otherwise). Returns how many
    frames were painted, so that a caller can say how many were checked."""
    painted = 0
    thumb = page.locator(".st-key-cell_Wf input[type=range]")
    rng = np.random.default_rng(seed)
    w_f = DEFAULTS["Wf"]
    for round_ in range(rounds):
        page.evaluate(RECORDER)
        thumb.focus()
        presses = int(rng.integers(2, 6))
        key = "ArrowRight" if round_ % 2 == 0 else "ArrowLeft"
        for _ in range(presses):
            thumb.press(key)
            page.wait_for_timeout(int(rng.integers(10, 120)))
        w_f = round(w_f + (0.05 if key == "ArrowRight" else -0.05) * presses, 10)
        page.wait_for_function(SETTLED, arg=w_f, timeout=30_000)
        page.wait_for_timeout(300)  # a few frames more: nothing may change after the last answer
        log, last_key, frames = page.evaluate("[window.__drawnLog, window.__lastKey, window.__frames]")
        page.evaluate("window.__drawnLog = null; window.__frames = null")
        assert not frames["blank"], (
            f"round {round_}: the diagram's box was painted without a drawing: {frames['blank']}"
        )
        painted += frames["painted"]
        expected = cell_values.slider_cell_step({**DEFAULTS, "Wf": w_f}, {}, "sigmoid", "tanh")[1]
        final = (
            f"f = {expected['f']:.3f}",
            ",".join(f"{expected[k]:.3f}" for k in SHOWN),
        )
        after = [entry for entry in log if entry[0] > last_key + 100]
        assert after, "no frame was recorded after the last key"
        for _, drawn, values, _, _, diagram in after:  # the SVG text and the six values, in every recorded state
            assert diagram == "drawn" and drawn.endswith(final[0]) and values == final[1], (
                f"round {round_}: W_f = {w_f}, expected {final}, a frame showed {drawn!r}, {values!r} ({diagram})"
            )
        answer = json.loads(after[-1][4] or "null")
        assert answer and abs(answer["Wf"] - w_f) < 1e-9, f"round {round_}: the last drawing is for {answer}"
        assert after[-1][3] == "", f"round {round_}: the equations are still marked as behind the sliders"
        equations = page.locator(".st-key-cell_equations").inner_text()
        assert f"{w_f:.3f}" in equations and f"{expected['f']:.3f}" in equations, round_
    return painted
