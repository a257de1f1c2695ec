"""A student pressing keys on the cell page while a class of websocket students keeps the server busy.

    python -m bench.late_answers_under_crowd                     # 30 students, 20 rounds
    python -m bench.late_answers_under_crowd --sessions 10 --rounds 40

tests/browser/test_cell_live.py makes the server slow on purpose (each answer held 0.4 s); here
the server is slow for the real reason: N sessions of bench/server_load.py move W_f non-stop on
the same server while one chromium tab presses ArrowRight/ArrowLeft on W_f in bursts faster than
the server answers (tests/browser/late_answers.py). After every burst, every frame drawn after the
last key must show the final slider position's f, the six values must be that position's, and
the equations must settle on it, and no painted frame may show the diagram's box without a
drawing (Streamlit replaces the chart on every answer; the twin holds the last drawing meanwhile).
Prints the crowd's own answer times; exits with status 1 if any frame drew a stale value or a
blank box.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time

from bench.app_driver import ARGS, open_app, start_server, stop_server, wait_ready
from bench.late_answers import press_keys_faster_than_the_server_answers
from bench.server_load import Student, move_weights, open_stepper
from ui.cell_presets import DEFAULTS


async def keep_moving(ws_url: str, sessions: int, stop: threading.Event, answered: list[int]) -> None:
    """N students moving W_f in rounds of 10 moves until `stop` is set."""
    students = [Student(ws_url) for _ in range(sessions)]
    await asyncio.gather(*(open_stepper(student) for student in students))

    async def seat(student: Student, number: int) -> None:
        while not stop.is_set():
            chart_times, _ = await move_weights(student, 10, number)
            await student.run("cell", [student.slider_state("$W_f$", DEFAULTS["Wf"])])  # W_f stays in range
            answered.extend(round(t) for t in chart_times)

    await asyncio.gather(*(seat(student, number) for number, student in enumerate(students)))
    await asyncio.gather(*(student.close() for student in students))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    process, url = start_server()
    stop, answered = threading.Event(), []
    crowd = threading.Thread(
        target=asyncio.run,
        args=(keep_moving(url.replace("http://", "ws://") + "/_stcore/stream", args.sessions, stop, answered),),
    )
    try:
        crowd.start()
        while len(answered) < args.sessions:  # the class is moving before the student starts
            time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = open_app(browser, f"{url}/cell", width=1440, height=900)  # the first run has ended
            page.wait_for_function(
                "!!window.__lstmCellLive && !!document.querySelector('.st-key-cell_diagram svg.lstm-diagram text')",
                timeout=120_000,
            )
            wait_ready(page, timeout=120_000)
            during = len(answered)
            start = time.perf_counter()
            try:
                painted = press_keys_faster_than_the_server_answers(page, rounds=args.rounds)
                failed = None
            except AssertionError as error:
                failed = str(error)
            elapsed = time.perf_counter() - start
            browser.close()
        moves = sorted(answered[during:]) or [0]
        print(
            f"{args.sessions} students moving W_f non-stop: {len(moves)} of their moves answered meanwhile, "
            f"median {moves[len(moves) // 2]} ms, p95 {moves[int(len(moves) * 0.95)]} ms to the diagram"
        )
        print(
            f"one chromium student, {args.rounds} bursts of key presses in {elapsed:.0f} s: "
            + (
                "every burst settled on the slider's final position, no stale value in any frame, "
                f"and none of the {painted} frames painted during the bursts showed the diagram's box blank"
                if failed is None
                else f"FAILED: {failed}"
            )
        )
        return 0 if failed is None else 1
    finally:
        stop.set()
        crowd.join(timeout=120)
        stop_server(process)


if __name__ == "__main__":
    sys.exit(main())
