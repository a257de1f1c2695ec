// The lesson's keyboard: ← → and Page Up / Page Down (what a presenter remote sends) move
// between steps. One listener per page; each render hands it the newest trigger and root, and a
// key does nothing once the lesson is no longer on the page or while a control has the focus
// (a slider, a number box, the answer's radio buttons use the arrows themselves).
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const keys = window.__lstmLessonKeys || (window.__lstmLessonKeys = {});
  keys.send = setTriggerValue;
  keys.root = parentElement;
  if (keys.listening) return;
  keys.listening = true;
  const moves = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  const busy = target => {
    const tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)
      || (target && target.closest && target.closest("[role=slider],[role=listbox],[role=combobox],[role=radiogroup]"));
  };
  document.addEventListener("keydown", event => {
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!keys.root || !keys.root.isConnected || busy(event.target)) return;
    event.preventDefault();
    keys.send("move", moves[event.key]);
  });
}
