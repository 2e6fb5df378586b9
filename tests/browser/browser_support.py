"""Fixtures and helpers for the real-browser tests and the page benchmark.

`tests/browser/conftest.py` re-exports the fixtures; `tests/benchmarks/test_bench_page.py` imports
them from here too, so both start the app and Chromium the same way.

Why each wait: Streamlit streams the page while the script runs and keeps the previous run's
elements on screen (faded) until they are replaced, so "the plan is shown" means: the expected
text is visible, the charts are drawn and the "running" status widget is gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0  # s for `streamlit run` to answer its health check
FIRST_LOAD_MS = 120_000  # the first run imports pandas, plotly, scipy... on two cores
STEP_MS = 90_000
DESKTOP = {"width": 1366, "height": 768}
MOBILE = {"width": 390, "height": 844}
TALL = 5_000  # px: Streamlit scrolls inside its own container, so a tall viewport shows everything
MAX_TALL = 16_000

EXCEPTION = '[data-testid="stException"]'
STATUS = '[data-testid="stStatusWidget"]'
SIDEBAR = '[data-testid="stSidebar"]'
PLOTS = ".js-plotly-plot"


# --- server and browser ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except OSError:
        return False


@contextlib.contextmanager
def serve(
    script: str = "app.py",
    log_name: str = "streamlit-server.log",
    extra_env: dict[str, str] | None = None,
    pid_out: list[int] | None = None,
) -> Iterator[str]:
    """Run `streamlit run <script>` on a free port, wait until healthy, stop it at the end.

    Saved plans go to a throwaway SQLite file, never to the repository's `var/` folder.
    `pid_out`, when given, receives the server's process id (the load bench reads its memory)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / log_name
    data_dir = tempfile.mkdtemp(prefix="advisor-browser-")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEAM_PASSPHRASE")},
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
        "ADVISOR_DATA_DIR": data_dir,
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if pid_out is not None:
        pid_out.append(process.pid)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy after {START_TIMEOUT:.0f}s:\n{log_path.read_text()}"
                )
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The app, served once for the whole session."""
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by sync Playwright (no `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _tab(browser: Any, **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(STEP_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    """A fresh desktop tab (1366x768) that accepts downloads."""
    yield from _tab(browser, viewport=DESKTOP, accept_downloads=True)


@pytest.fixture
def mobile_page(browser: Any, app_url: str) -> Iterator[Any]:
    """A phone-sized tab (390x844, touch, 2x pixels): Streamlit collapses the sidebar there."""
    yield from _tab(browser, viewport=MOBILE, device_scale_factor=2, is_mobile=True, has_touch=True)


# --- waiting for the page ----------------------------------------------------------------


def wait_idle(page: Any, timeout: float = FIRST_LOAD_MS) -> None:
    """Wait until the script run is over: the "running" status widget has gone."""
    page.locator(STATUS).wait_for(state="detached", timeout=timeout)


def wait_for_plan(
    page: Any, text: str | None = None, timeout: float = FIRST_LOAD_MS, charts: int = 2
) -> None:
    """Wait until a plan is shown: `text` visible, `charts` plotly charts drawn, run over."""
    page.get_by_text(text or "Recommendation", exact=False).first.wait_for(
        state="visible", timeout=timeout
    )
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
        arg=charts,
        timeout=timeout,
    )
    wait_idle(page, timeout)


def open_plan(page: Any, url: str, text: str | None = None) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=FIRST_LOAD_MS)
    wait_for_plan(page, text)


def exceptions(page: Any) -> list[str]:
    return page.locator(EXCEPTION).all_inner_texts()


def sidebar(page: Any) -> Any:
    return page.locator(SIDEBAR)


def set_weeks_and_submit(page: Any, weeks: int) -> None:
    """Type a new duration in the sidebar form and press "Build the plan"."""
    field = sidebar(page).get_by_role("spinbutton", name="Duration (weeks)", exact=True)
    field.fill(str(weeks))
    sidebar(page).get_by_role("button", name="Build the plan").click()


def click_until(page: Any, target: Any, done: Any, timeout: float = FIRST_LOAD_MS) -> None:
    """Click `target` until `done()` returns without a timeout: on a loaded machine a run can
    redraw the element between finding and clicking it (a link in the side panel, a form's
    button inside a fragment that is still running), and a click on the element it replaced
    goes nowhere. Each click waits for the run to be over first; `done` waits at most 15 s
    per click. Waits on the app's state, with no failure before `timeout`."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        wait_idle(page, timeout)
        target.click()
        try:
            done()
            return
        except (PlaywrightTimeout, AssertionError):
            if time.monotonic() > deadline:
                raise


def follow_link(page: Any, link: Any, url_glob: str, timeout: float = FIRST_LOAD_MS) -> None:
    """Click an in-app link until the address bar shows `url_glob` (see `click_until`)."""
    click_until(
        page,
        link,
        lambda: page.wait_for_url(url_glob, wait_until="commit", timeout=15_000),
        timeout,
    )


def plots_drawn(page: Any, n: int, timeout: float = FIRST_LOAD_MS) -> list[int]:
    """Wait until at least `n` plotly charts hold data; their trace counts."""
    page.wait_for_function(
        "n => { const p = Array.from(document.querySelectorAll('.js-plotly-plot'));"
        " return p.length >= n && p.every(el => (el.data || []).length > 0); }",
        arg=n,
        timeout=timeout,
    )
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".map(el => (el.data || []).length)"
    )


def wait_for_widgets(page: Any, timeout: float = 15_000) -> None:
    """Best effort, for pictures only: let lazily loaded widgets replace their grey placeholders."""
    # A placeholder left in the picture after the timeout is itself worth seeing in the review.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
            timeout=timeout,
        )


def content_height(page: Any) -> int:
    """Height of Streamlit's scrolling main container (the document itself does not scroll)."""
    return int(
        page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.documentElement.scrollHeight; }"
        )
    )


def screenshot_set(page: Any, name: str) -> list[Path]:
    """A viewport screenshot, then a tall one (viewport >= 5000 px high) of the whole page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wait_for_widgets(page)
    viewport = page.viewport_size
    shot = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(shot))
    height = min(MAX_TALL, max(TALL, content_height(page) + 40))
    page.set_viewport_size({"width": viewport["width"], "height": height})
    # Plotly re-lays out on resize: wait for the charts to settle and any rerun to finish.
    page.wait_for_timeout(500)
    wait_idle(page)
    tall = ARTIFACTS / f"{name}-full.png"
    page.screenshot(path=str(tall), full_page=True)
    page.set_viewport_size(viewport)
    return [shot, tall]
