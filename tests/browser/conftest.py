"""A real Streamlit server and Debian's chromium driven by Playwright (see shared/TESTING.md;
bench/app_driver.py starts the server and opens the pages).

Without chromium the browser tests skip locally; under CI (CI=true) they fail instead, so a
green CI run always means the app was opened in a real browser.
"""

import os
from pathlib import Path

import pytest

# the server and page helpers live with the benchmarks, which drive the app the same way
from bench.app_driver import (  # noqa: F401 (re-exported to the tests)
    ARGS,
    CHROMIUM,
    ROOT,
    open_app,
    start_server,
    stop_server,
    wait_ready,
    watch_console,
)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def close_pages_left_open(request):
    """Close every page a test opened, also when it failed before its own page.close(); a page
    that a module fixture shares stays open. Playwright launches chromium with background pages
    unthrottled, so a page left open keeps running its Streamlit app (and, once its server is
    stopped, keeps reconnecting) and slows every later test."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = set(browser.contexts)  # a module's shared page (set up before this fixture) stays open
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()


@pytest.fixture(scope="module")
def server():
    process, url = start_server()
    yield url
    stop_server(process)


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
