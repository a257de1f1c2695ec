"""Drive the app as a student does: start it on a free port, open it in Debian's chromium, wait
until a page is ready, and read what the stepper drew. Shared by bench/ (latency, server load) and
tests/browser, so that a benchmark's "drawn" is the tests' "drawn" (see ../shared/TESTING.md)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ui.stepper_figure import HEATMAPS_META, PANELS_META

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = "[data-testid=stApp][data-test-script-state=notRunning][data-test-connection-state=CONNECTED]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    script: str = "app.py", env: dict[str, str] | None = None, root: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """The app (or `script`) of the checkout at `root` on a free port: (process, its URL)."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, url
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError("The Streamlit server did not answer its health check within 60 s.")


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def open_app(browser, url: str, width: int = 1280, height: int = 800):
    page = browser.new_page(viewport={"width": width, "height": height})
    watch_console(page)
    page.requested = []  # every URL the page asks for: the tests check that none is on another host
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(url)
    wait_ready(page)
    return page


def watch_console(page) -> list[str]:
    """Keep the page's console errors and uncaught exceptions, for a failing test to show."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.console_errors = errors
    return errors


# Streamlit loads each kind of element's code on first use and shows a skeleton until it has: for
# about half a second after a first run ends, a page can still be placeholders, its st.html
# styles among them (the cell page's 1024 px rule was not applied yet, and a test saw overlaps).
MOUNTED = f"() => !!document.querySelector({READY!r}) && !document.querySelector('[data-testid=stSkeleton]')"


def wait_ready(page, timeout: float = 60_000) -> None:
    """Until the script has finished and every element it sent is mounted (no skeleton left)."""
    page.wait_for_function(MOUNTED, timeout=timeout)


# The chart a student sees: Streamlit keeps a replaced chart's element hidden (display: none) in
# the page for a while, so the first chart with the name may be one nobody sees.
_SHOWN_PLOT = "[...document.querySelectorAll('.js-plotly-plot')].find(p => p.checkVisibility() && p.layout && p.layout.meta && p.layout.meta.name === '{}')"
HEATMAPS_PLOT = _SHOWN_PLOT.format(HEATMAPS_META)
PANELS_PLOT = _SHOWN_PLOT.format(PANELS_META)

# The column framed on the screen: the SVG outlines ui/static/stepper.js draws, one per drawn heatmap.
MARKER_COLUMN = f"""() => {{
  const plot = {HEATMAPS_PLOT};
  const overlay = plot && plot.querySelector('svg.lstm-step-marker');
  const images = plot ? plot.querySelectorAll('.heatmaplayer image').length : 0;
  return overlay && images === 6 && overlay.querySelectorAll('rect').length === 6 ? Number(overlay.dataset.column) : null;
}}"""
# The column framed on the screen as the student sees it: stepper.js's outlines, or before that
# script has run, the page's own first frame (ui/stepper_figure.framed: layout shapes, one per heatmap).
FRAMED_COLUMN = f"""() => {{
  const marked = ({MARKER_COLUMN})();
  if (marked !== null) return marked;
  const plot = {HEATMAPS_PLOT};
  if (!plot || plot.querySelectorAll('.heatmaplayer image').length !== 6) return null;
  const frames = [...plot.querySelectorAll('.shapelayer path')].filter(path => path.checkVisibility());
  const shapes = (plot._fullLayout && plot._fullLayout.shapes) || [];
  return frames.length === 6 && shapes.length === 6 ? Math.round(shapes[0].x0 + 0.5) : null;
}}"""
# The values of the six heatmaps as plotly.js holds them (None until the chart is there).
HEATMAP_Z = f"""() => {{
  const plot = {HEATMAPS_PLOT};
  return plot && plot._fullData ? plot._fullData.filter(trace => trace.type === 'heatmap').map(trace => trace.z) : null;
}}"""
