"""A class through nginx onto 1, then 2, app replicas: the same table per replica count.

    python -m bench.replicas                     # 60 sessions, 10 W_f moves each
    python -m bench.replicas --sessions 30 --moves 20 --replicas 1 2 3

For each replica count it starts that many app servers and Debian's nginx (`apt-get install
nginx`) on loopback, with deploy/nginx.conf itself (only the upstream's addresses and the listen
port are rewritten to loopback ones), and drives the sessions through nginx with
bench/server_load.py's websocket client. Every replica is warmed first (a teacher opens the
stepper on each), then all sessions at once:
- open the stepper (ms to its figure),
- move W_f on the cell page, each session from its own value; every answer must be the f that
  lstm_core computes for that session's weights (no session sees another's numbers),
- upload a model file of its own input size on the Models page, an HTTP request outside the
  websocket that must reach the replica holding the session (the cookie affinity), and find its
  own size in the answer; then move W_f once more and get its own f back (the session kept its
  state).
Any failure stops the run. The table reports the latencies, the moves answered per second, and
the CPU each replica used (the share of the class it carried).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from bench.app_driver import ROOT, _free_port, start_server, stop_server
from bench.latency import process_cpu_seconds
from bench.server_load import Student, diagram_f, expected_f, move_weights, open_stepper

NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def loopback_config(ports: list[int], listen: int, affinity: bool = True) -> str:
    """deploy/nginx.conf with the replicas at 127.0.0.1:`ports` and nginx on 127.0.0.1:`listen`;
    without `affinity`, nginx's default round robin (to show what the cookie is for)."""
    text = NGINX_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in ports)
    text, count = re.subn(r"(?m)^    server app-\d+:8501;\n", "", text)
    if count == 0:
        raise RuntimeError("deploy/nginx.conf has no 'server app-N:8501;' lines to rewrite")
    text = text.replace("    hash $gatelab_replica consistent;\n", "    hash $gatelab_replica consistent;\n" + servers)
    if not affinity:
        text = text.replace("    hash $gatelab_replica consistent;\n", "")
    return text.replace("listen 80;", f"listen 127.0.0.1:{listen};")


def start_nginx(ports: list[int], affinity: bool = True) -> tuple[subprocess.Popen, str, Path]:
    """nginx in the foreground with its own prefix, logs and temp files in a fresh folder."""
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed (Debian: apt-get install -y nginx)")
    folder = Path(tempfile.mkdtemp(prefix="gatelab-nginx-"))
    os.chmod(folder, 0o755)  # nginx's workers run as another user when the master is root
    listen = _free_port()
    (folder / "gatelab.conf").write_text(loopback_config(ports, listen, affinity))
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"worker_processes 1;\nerror_log {folder}/error.log warn;\npid {folder}/nginx.pid;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n    access_log off;\n    {temp}\n    include {folder}/gatelab.conf;\n}}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{listen}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, url, folder
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("nginx did not answer within 30 s")


def model_file(inputs: int) -> bytes:
    """A small PyTorch-layout LSTM reading `inputs` one-hot positions, as an .npz."""
    import io

    from lstm_core import LSTM

    buffer = io.BytesIO()
    np.savez(buffer, **LSTM.init(inputs, 4, seed=inputs).to_torch())
    return buffer.getvalue()


async def one_session(ws_url: str, seat: int, moves: int) -> dict[str, list[float]]:
    student = Student(ws_url)
    to_figure, _ = await open_stepper(student)
    to_chart, _ = await move_weights(student, moves, seat)
    inputs = 11 + seat  # each session's own model file (10 would match the classic vocabulary: no question asked)
    await student.run("models", parse_charts=False)
    try:
        upload = student.upload("model_file", f"seat{seat}.npz", model_file(inputs))
    except urllib.error.HTTPError as error:
        raise AssertionError(
            f"seat {seat}: its upload reached a replica without its session (HTTP {error.code})"
        ) from error
    await student.run("models", [upload], parse_charts=False)
    if not any(f"the {inputs} characters" in alert for alert in student.alerts):
        raise AssertionError(
            f"seat {seat}: its model file ({inputs} inputs) did not reach its session: {student.alerts}"
        )
    w_f = round(0.01 * seat - 0.3, 2)
    _, _, charts = await student.run("cell", [student.slider_state("$W_f$", w_f)])
    if diagram_f(charts) != expected_f(w_f):
        raise AssertionError(f"seat {seat}: after the upload, W_f = {w_f} shows {diagram_f(charts)!r}")
    await student.close()
    return {"figure": [to_figure], "moves": to_chart}


def percentiles(samples: list[float]) -> str:
    return f"{np.median(samples):.0f} / {np.percentile(samples, 95):.0f}"


async def class_through_nginx(replicas: int, sessions: int, moves: int, affinity: bool = True) -> str:
    servers = [start_server() for _ in range(replicas)]
    nginx = None
    try:
        for _, url in servers:  # the teacher opened the app on every replica before class
            teacher = Student(url.replace("http://", "ws://") + "/_stcore/stream")
            await open_stepper(teacher)
            await teacher.close()
        nginx, url, folder = start_nginx([int(url.rsplit(":", 1)[1]) for _, url in servers], affinity)
        cpu_before = [process_cpu_seconds(process.pid) for process, _ in servers]
        start = time.perf_counter()
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        results = await asyncio.gather(*(one_session(ws_url, seat, moves) for seat in range(sessions)))
        elapsed = time.perf_counter() - start
        cpu = [process_cpu_seconds(process.pid) - before for (process, _), before in zip(servers, cpu_before)]
        figure = [t for result in results for t in result["figure"]]
        moved = [t for result in results for t in result["moves"]]
        shares = " / ".join(f"{c:.1f} s" for c in cpu)
        return (
            f"| {replicas} | {sessions} | {percentiles(figure)} | {percentiles(moved)} | "
            f"{len(moved) / elapsed:.0f} | {shares} | {sessions} of {sessions} |"
        )
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
            shutil.rmtree(folder, ignore_errors=True)
        for process, _ in servers:
            stop_server(process)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--replicas", type=int, nargs="*", default=[1, 2])
    parser.add_argument(
        "--without-affinity", action="store_true", help="round robin instead of the cookie (sessions should break)"
    )
    args = parser.parse_args()
    print(
        f"{args.sessions} sessions through nginx (deploy/nginx.conf), {args.moves} W_f moves each, on {os.cpu_count()} cores\n"
    )
    print(
        "| replicas | sessions | open → figure, ms (median / p95) | W_f move → diagram, ms (median / p95) "
        "| W_f moves per s (whole run) | CPU per replica | kept their own state |"
    )
    print("|---|---|---|---|---|---|---|")
    for replicas in args.replicas:
        print(await class_through_nginx(replicas, args.sessions, args.moves, not args.without_affinity), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
