"""A whole class against one server, without browsers: N sessions speak Streamlit's own protocol.

    python -m bench.server_load                        # N = 1, 10, 30; 30 weight moves each
    python -m bench.server_load --sessions 30 --moves 60
    python -m bench.server_load --sessions 29 --heavy none train upload   # one student's heavy work
    python -m bench.server_load --links 60 --sessions 5      # 60 distinct large links; memory

bench/latency.py --sessions runs N real chromium tabs on the same two cores as the server, so
at N = 30 it mostly measures thirty browsers starving each other. Here each "student" is a
websocket client that sends the BackMsgs a browser sends (open a page, move a slider) and reads
the ForwardMsgs back; it renders nothing, so the server gets the machine almost to itself. Per N:
- open: with the server warm (a teacher opened the app first), N sessions connect at the same moment and ask for the stepper; ms from connecting to
  its figure's message, and to the end of the run (script_finished);
- cell W_f move: every session moves W_f on the cell page again and again, all at once (each
  waits for its answer, then moves on: a class dragging sliders non-stop, the worst case); ms
  from sending the move to the diagram's message, and to the end of the rerun;
- the moves the server answered per second, the CPU it used against the load generator's, and
  its resident memory afterwards (every session so far is still held).

With --heavy, each N runs once per kind of heavy work: "none", "train" (one more session trains at
the Train page's largest settings while the N move W_f) and "upload" (one more session uploads
the largest model file the Models page accepts, again and again) and "csv" (one more session
uploads the CSV that froze csv.Sniffer, a 1 MB first line, into the sidebar). The p95 of the W_f moves is
printed as a ratio to the "none" run of the same invocation.

With --links N, the server's memory is followed (peak and settled resident size) through two
scenarios while 5 other sessions keep moving W_f: N fresh sessions each open a distinct large link
(/stepper?input=series&length=2000&hidden=256&preset=trained&seed=k, 10 at a time), then N
sessions open the default stepper and close again; "settled" is read once Streamlit has dropped
the closed sessions (server.disconnectedSessionTTL, 120 s, and 15 s more). The server runs with
MALLOC_ARENA_MAX=2, as the Dockerfile sets it.

Every answer is checked: the diagram's f annotation must be the one lstm_core computes for the
weights sent, so a session that got someone else's numbers, or none, fails the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from bench.app_driver import start_server, stop_server
from bench.latency import process_cpu_seconds, summary
from ui.cell_presets import DEFAULTS
from ui.cell_values import slider_cell_step


def resident_mb(pid: int) -> float:
    """The process's resident memory in MB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def expected_f(w_f: float) -> str:
    """The f the cell page must show with W_f moved and every other slider at its default."""
    _, values = slider_cell_step({**DEFAULTS, "Wf": w_f})
    return f"f = {values['f']:.3f}"


class Student:
    """One session: a websocket speaking Streamlit's protobuf messages, as the browser does."""

    def __init__(self, ws_url: str):
        self.ws_url = ws_url
        self.ws = None
        self.pages: dict[str, str] = {}  # url path → page script hash, from the navigation message
        self.sliders: dict[str, tuple[str, float]] = {}  # label → (widget id, value)
        self.widget_ids: dict[str, str] = {}  # key of a button or uploader → widget id
        self.session_id = ""
        self.alerts: list[str] = []  # st.success/info/warning/error texts of the last run
        self.captions: list[str] = []  # markdown and captions of the last run
        self.cookie = ""

    async def connect(self) -> None:
        import urllib.request

        from websockets.asyncio.client import connect

        with urllib.request.urlopen(
            self.ws_url.replace("ws://", "http://").split("/_stcore")[0] + "/_stcore/health"
        ) as response:  # sets the XSRF cookie
            self.cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=600,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )

    async def run(
        self, page: str, widgets=None, query: str = "", parse_charts: bool = True
    ) -> tuple[float | None, float, list]:
        """Send one rerun; return (ms to the first chart, ms to script_finished, charts): the Plotly
        figures as specs, the cell diagrams as {"svg": markup}."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        if page in self.pages:  # a page switch, as the sidebar's links send it
            state.page_script_hash = self.pages[page]
        else:  # the first visit to a deep link
            state.page_name = page
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        self.alerts, self.captions = [], []
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        chart_at, charts = None, []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=600))
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id or self.session_id
            if kind == "navigation":
                self.pages = {
                    app_page.url_pathname: app_page.page_script_hash for app_page in forward.navigation.app_pages
                }
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "plotly_chart":
                    # parsing a 10 MB figure blocks this event loop, and with it every session's timing
                    charts.append(json.loads(element.plotly_chart.spec) if parse_charts else None)
                    chart_at = chart_at or (time.perf_counter() - start) * 1000
                elif element.WhichOneof("type") == "alert":
                    self.alerts.append(element.alert.body)
                elif element.WhichOneof("type") == "markdown" and 'class="lstm-diagram' in element.markdown.body:
                    charts.append({"svg": element.markdown.body})  # a cell diagram (ui/svg_template.py)
                    chart_at = chart_at or (time.perf_counter() - start) * 1000
                elif element.WhichOneof("type") == "markdown":
                    self.captions.append(element.markdown.body)
                elif element.WhichOneof("type") in ("button", "file_uploader"):
                    widget = getattr(element, element.WhichOneof("type"))
                    self.widget_ids[widget.id.rsplit("-", 1)[-1]] = widget.id
                elif element.WhichOneof("type") == "slider":
                    self.sliders[element.slider.label] = (
                        element.slider.id,
                        element.slider.value[0] if element.slider.value else element.slider.default[0],
                    )
            elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                # a run that ends in st.rerun() (a deep link's first run goes through app.py) goes on
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"the {page} page did not compile")
                return chart_at, (time.perf_counter() - start) * 1000, charts

    def slider_state(self, label: str, value: float):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = WidgetState()
        widget.id = self.sliders[label][0]
        widget.double_array_value.data.append(value)
        return widget

    def trigger(self, key: str):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = WidgetState()
        widget.id = self.widget_id(key)
        widget.trigger_value = True
        return widget

    def widget_id(self, key: str) -> str:
        return next(widget_id for widget_id in self.widget_ids.values() if widget_id.endswith(key))

    def upload(self, key: str, name: str, data: bytes):
        """PUT the file as the browser does (multipart, with the XSRF token), then its widget state."""
        import urllib.request
        import uuid

        from streamlit.proto.WidgetStates_pb2 import WidgetState

        file_id = str(uuid.uuid4())
        base = self.ws_url.replace("ws://", "http://").split("/_stcore")[0]
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="UploadedFile"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        token = dict(c.split("=", 1) for c in self.cookie.split("; ") if "=" in c).get("_streamlit_xsrf", "")
        request = urllib.request.Request(
            f"{base}/_stcore/upload_file/{self.session_id}/{file_id}",
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": self.cookie,
                "X-Xsrftoken": token,
            },
        )
        urllib.request.urlopen(request).read()
        widget = WidgetState()
        widget.id = self.widget_id(key)
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), file_id
        return widget

    async def close(self) -> None:
        await self.ws.close()


def diagram_f(charts: list) -> str | None:
    """The f box's text of the cell diagram among `charts` ("f = 0.832"), or None."""
    for chart in charts:
        if "svg" in chart:
            drawing = ET.fromstring(chart["svg"])
            label = next((e for e in drawing.iter() if e.get("data-id") == "label-f"), None)
            if label is not None:
                return "".join(label[1].itertext())  # its second line: the symbol is the first
    return None


async def open_stepper(student: Student) -> tuple[float, float]:
    """ms from opening the websocket to the stepper figure's message, and to the run's end."""
    start = time.perf_counter()
    await student.connect()
    connected = (time.perf_counter() - start) * 1000
    chart_at, finished, _ = await student.run("stepper")
    if chart_at is None:
        raise AssertionError("the stepper sent no figure")
    return connected + chart_at, connected + finished


async def move_weights(student: Student, moves: int, seat: int) -> tuple[list[float], list[float]]:
    """Move W_f `moves` times; each seat starts from its own value, so answers differ between sessions."""
    await student.run("cell")
    _, w_f = student.sliders["$W_f$"]
    w_f = round(w_f - 0.5 + 0.05 * (seat % 20), 2)
    to_chart, to_end = [], []
    for k in range(moves):
        w_f = round(w_f + (0.05 if (k // 10) % 2 == 0 else -0.05), 2)
        chart_at, finished, charts = await student.run("cell", [student.slider_state("$W_f$", w_f)])
        shown, expected = diagram_f(charts), expected_f(w_f)
        if shown != expected:
            raise AssertionError(f"W_f = {w_f}: the diagram shows {shown!r}, lstm_core says {expected!r}")
        to_chart.append(chart_at)
        to_end.append(finished)
    return to_chart, to_end


def largest_model_file() -> bytes:
    """The largest .npz the Models page loads: an LSTM with H = 256 reading 2,000 inputs (18.5 MB)."""
    import io

    import numpy as np

    from lstm_core import LSTM

    buffer = io.BytesIO()
    np.savez(buffer, **LSTM.init(2000, 256, seed=0).to_torch())
    return buffer.getvalue()


async def heavy_work(ws_url: str, kind: str, done: asyncio.Event) -> int:
    """One session's heavy work, repeated until the crowd is done; returns how many times it ran."""
    student = Student(ws_url)
    await student.connect()
    runs = 0
    if kind == "train":
        await student.run("train")
        widgets = [
            student.slider_state(label, value)
            for label, value in (("Hidden size H", 64), ("Layers", 3), ("Epochs", 300))
        ] + [student.trigger("train_button")]
        while not done.is_set():
            await student.run("train", widgets)
            runs += 1
    elif kind == "csv":  # the file that froze the sniffer: a 1 MB first line, then numbers
        query = "input=series&series=csv"
        await student.run("stepper", query=query)
        data = b"a" * 1_000_000 + b"\n" + b"\n".join(str(k % 7).encode() for k in range(2000))
        while not done.is_set():
            await student.run("stepper", [student.upload("csv", f"worst{runs}.csv", data)], query=query)
            if not any("2000" in alert for alert in student.alerts + student.captions):
                raise AssertionError(f"the series was not read: {student.alerts + student.captions}")
            runs += 1
    elif kind == "upload":
        await student.run("models")
        data = largest_model_file()
        while not done.is_set():
            await student.run("models", [student.upload("model_file", f"big{runs}.npz", data)])
            if not any("Read a npz file" in alert for alert in student.alerts):
                raise AssertionError(f"the upload was not read: {student.alerts}")
            runs += 1
    await student.close()
    return runs


async def crowd(ws_url: str, sessions: int, moves: int, server_pid: int, heavy: str = "none") -> float:
    teacher = Student(ws_url)  # the teacher opened the app before class: imports and caches are warm
    await open_stepper(teacher)
    await teacher.close()
    students = [Student(ws_url) for _ in range(sessions)]
    server_before, own_before = process_cpu_seconds(server_pid), process_cpu_seconds(os.getpid())
    opened = await asyncio.gather(*(open_stepper(student) for student in students))
    done = asyncio.Event()
    heavy_task = asyncio.create_task(heavy_work(ws_url, heavy, done)) if heavy != "none" else None
    if heavy_task is not None:
        await asyncio.sleep(3)  # the heavy work is under way before the crowd moves
    start = time.perf_counter()
    results = await asyncio.gather(*(move_weights(student, moves, seat) for seat, student in enumerate(students)))
    elapsed = time.perf_counter() - start
    done.set()
    heavy_runs = await heavy_task if heavy_task is not None else 0
    server = process_cpu_seconds(server_pid) - server_before
    own = process_cpu_seconds(os.getpid()) - own_before
    await asyncio.gather(*(student.close() for student in students))
    print(
        f"N = {sessions:2d} sessions"
        + (
            f", while one more session does heavy work: {heavy} ({heavy_runs} run(s) finished)"
            if heavy != "none"
            else ""
        )
    )
    print(f"  open the stepper, all at once → its figure   {summary([chart for chart, _ in opened])}")
    print(f"                                 → run ends    {summary([end for _, end in opened])}")
    print(f"  cell W_f move, all at once  → the diagram    {summary([t for chart, _ in results for t in chart])}")
    print(f"                              → rerun ends     {summary([t for _, end in results for t in end])}")
    print(
        f"  {sessions * (moves + 1) / elapsed:.1f} cell reruns answered per second; CPU: server {server:.1f} s, "
        f"this load generator {own:.1f} s; server memory {resident_mb(server_pid):.0f} MB"
    )
    return float(np.percentile([t for chart, _ in results for t in chart], 95))


SETTLE_SECONDS = 135  # Streamlit keeps a closed session 120 s for a reconnect


class MemoryWatch:
    """Samples the server's resident memory twice a second; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._task = pid, 0.0, None

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, resident_mb(self.pid))
            await asyncio.sleep(0.5)

    def __enter__(self):
        self._task = asyncio.get_running_loop().create_task(self._sample())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()


async def open_link(ws_url: str, query: str) -> float:
    """One fresh session opening one link; seconds until its run ends. The session then closes."""
    student = Student(ws_url)
    start = time.perf_counter()
    await student.connect()
    await student.run("stepper", query=query, parse_charts=False)
    await student.close()
    return time.perf_counter() - start


async def watchers_moving(ws_url: str, count: int, moves: int) -> list[float]:
    students = [Student(ws_url) for _ in range(count)]
    for student in students:
        await student.connect()
    results = await asyncio.gather(*(move_weights(student, moves, seat) for seat, student in enumerate(students)))
    for student in students:
        await student.close()
    return [t for chart, _ in results for t in chart]


async def links(ws_url: str, count: int, watchers: int, server_pid: int) -> None:
    idle = await watchers_moving(ws_url, watchers, 20)
    print(
        f"server memory at the start {resident_mb(server_pid):.0f} MB; {watchers} sessions moving W_f, "
        f"idle: {summary(idle)}"
    )
    queries = [f"input=series&length=2000&hidden=256&preset=trained&seed={k}" for k in range(count)]
    with MemoryWatch(server_pid) as watch:
        batches = [queries[k : k + 10] for k in range(0, count, 10)]

        async def storm() -> list[float]:
            seconds = []
            for batch in batches:
                seconds += await asyncio.gather(*(open_link(ws_url, query) for query in batch))
            return seconds

        storm_task = asyncio.create_task(storm())
        during = []
        while not storm_task.done():
            during += await watchers_moving(ws_url, watchers, 10)
        seconds = await storm_task
        print(f"{count} distinct large links, 10 at a time: each took {summary([s * 1000 for s in seconds])}")
        print(
            f"  W_f moves meanwhile: {summary(during)}: p95 "
            f"{np.percentile(during, 95) / np.percentile(idle, 95):.2f} × idle"
        )
        await asyncio.sleep(SETTLE_SECONDS)
        print(
            f"  server memory: peak {watch.peak:.0f} MB, settled {resident_mb(server_pid):.0f} MB "
            f"({SETTLE_SECONDS} s after)"
        )
    with MemoryWatch(server_pid) as watch:
        for _ in range(0, count, 10):
            await asyncio.gather(*(open_link(ws_url, "") for _ in range(10)))
        await asyncio.sleep(SETTLE_SECONDS)
        print(f"{count} sessions opened and closed: peak {watch.peak:.0f} MB, settled {resident_mb(server_pid):.0f} MB")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 10, 30])
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--heavy", nargs="*", default=["none"], choices=["none", "train", "upload", "csv"])
    parser.add_argument("--links", type=int, default=0, help="the memory scenarios, with this many links")
    args = parser.parse_args()
    process, url = start_server(env={"MALLOC_ARENA_MAX": "2"} if args.links else None)
    try:
        if args.links:
            await links(url.replace("http://", "ws://") + "/_stcore/stream", args.links, args.sessions[0], process.pid)
            return
        for sessions in args.sessions:
            idle = None
            for heavy in args.heavy:
                p95 = await crowd(
                    url.replace("http://", "ws://") + "/_stcore/stream", sessions, args.moves, process.pid, heavy
                )
                idle = p95 if heavy == "none" else idle
                if idle and heavy != "none":
                    print(f"  → W_f p95 {p95:.0f} ms = {p95 / idle:.2f} × the idle run's {idle:.0f} ms")
    finally:
        stop_server(process)


if __name__ == "__main__":
    asyncio.run(main())
