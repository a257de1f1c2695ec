// The lesson's keyboard: ← → and Page Up / Page Down (what a presenter remote sends) move
// between steps. One listener per page; each render hands it the newest root. A key does nothing
// once the lesson is no longer on the page or while a control has the focus (a slider, a number
// box, the answer's radio buttons use the arrows themselves).
//
// Every move is counted, and the count with the latest moves is the component's state: a state
// reaches the next run even when reruns are queued together, where a trigger (one per key) can
// be dropped, and two quick presses are both read (ui/lesson_keys.py). A key pressed while the
// lesson page is loading, before this component is mounted, is sent once it is.
export default function (component) {
  const { parentElement, setStateValue } = component;
  const RECENT = 50;  // as ui/lesson_keys.py reads them
  const keys = window.__lstmLessonKeys
    || (window.__lstmLessonKeys = { tab: `${Date.now()}-${Math.random()}`, count: 0, sent: 0, recent: [] });
  keys.root = parentElement;
  keys.send = () => {
    keys.sent = keys.count;
    setStateValue("moves", { tab: keys.tab, count: keys.count, recent: keys.recent.slice() });
  };
  if (keys.count !== keys.sent) keys.send();  // pressed while the page was loading
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
    const mounted = keys.root && keys.root.isConnected;
    const loading = !mounted && window.location.pathname.endsWith("/lesson");
    if (!(mounted || loading) || busy(event.target)) return;
    event.preventDefault();
    keys.count += 1;
    keys.recent = [...keys.recent, moves[event.key]].slice(-RECENT);
    if (mounted) keys.send();
  });
}
