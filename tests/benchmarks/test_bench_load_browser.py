"""Load in real browsers: N concurrent Chromium sessions against one `streamlit run app.py`.

Opt-in (`LOAD_BROWSER=1 make bench`): 50 Chromium pages drawing plotly charts need more than
two cores (measured here: 1 to 6 actions of 224 ran out a 180 s limit, the machine 100 % busy,
the server using 83 of 906 CPU seconds). `test_bench_load.py` drives 50 sessions through
Streamlit's own protocol instead, which loads the server the same way without the browsers.

Run by `make bench` (needs /usr/bin/chromium). One headless Chromium, one browser context per
session, all launched together (a 0.2 s stagger) with Playwright's async API. Each session:

1. opens a brief link (`/plan?goal=event&budget=<random>&currency=EUR&weeks=<random>`),
2. submits one or two changed durations through the sidebar form ("Build the plan"),
3. saves the plan for the team (a new plan, under its own name) and reads its `/?plan=<id>` link,
4. closes its context and opens, in a fresh context, a plan another session saved earlier
   (its own when none has yet).

Every action waits for its exact headline, computed here with `recommend` (the saved plan's:
the one its saver had on screen), and for the run to end (status widget gone). An action that
times out, or ends with an exception box, a Streamlit error box or a lost connection on the
page, is an error; so is a traceback in the server's log. Printed: sessions, actions per kind,
errors, p50/p95 per kind and overall (ms, action start to headline shown and run over), and
the server's resident memory (VmRSS of the streamlit process and its children): cold, after
one warm-up visit (imports done, "before"), right after the sessions close, and once settled.
Disconnected sessions are dropped after 10 s here (`server.disconnectedSessionTTL`, 120 s by
default), so the settled figure is what the server keeps. Target: 0 errors (asserted: a
correctness property under load; the timings are printed, not asserted).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import shutil
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EXCEPTION, SIDEBAR, STATUS, serve

from advisor import CampaignBrief, recommend, t
from advisor.present import explain as ex

SESSIONS = int(os.environ.get("LOAD_SESSIONS", "50"))  # 50 is the figure
STAGGER_S = 0.5  # a 25 s ramp: page loads do not all land in the same second
ACTION_MS = 180_000  # per action: 50 pages and one server on two cores
VIEWPORT = {"width": 1024, "height": 640}  # wide enough to keep the sidebar open
SESSION_TTL_S = 10
SETTLE_MAX_S = 60
SEED = 20_251_010
LOG_NAME = "load-server.log"
ERRORS = ARTIFACTS / "load-errors"

ERROR_BOX = '[data-testid="stAlertContentError"]'
CONNECTION = '[data-testid="stConnectionStatus"]'
CODE = '[data-testid="stCode"]'
KINDS = ("open_brief", "submit", "save", "open_saved")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    """VmRSS of `pid` and all its descendants, in MB."""
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total_kb += next(
                    (int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0
                )
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total_kb / 1024


def cpu_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of `pid` (its own threads; the server has no child workers)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu_s() -> float:
    """CPU seconds of this process and its reaped children (Playwright's driver, Chromium)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def settled_rss(pid: int) -> float:
    """Two readings 5 s apart within 5 MB (at most SETTLE_MAX_S)."""
    deadline = time.monotonic() + SETTLE_MAX_S
    last = rss_mb(pid)
    while time.monotonic() < deadline:
        time.sleep(5)
        now = rss_mb(pid)
        if abs(now - last) <= 5:
            return now
        last = now
    return last


@dataclass
class Script:
    """What one session does, drawn before the load so headlines are computed up front."""

    budget: int
    weeks: list[int]  # the link's duration, then each submitted one
    headlines: list[str]

    @property
    def link(self) -> str:
        return f"/plan?goal=event&budget={self.budget}&currency=EUR&weeks={self.weeks[0]}"


def scripts() -> list[Script]:
    out = []
    for i in range(SESSIONS):
        rng = random.Random(SEED + i)
        budget = rng.randrange(5_000, 80_000, 50)
        weeks = [rng.randint(2, 26)]
        for _ in range(rng.choice((1, 2))):
            weeks.append(rng.choice([w for w in range(2, 27) if w != weeks[-1]]))
        headlines = [
            ex.headline(
                recommend(CampaignBrief(goal="event", budget=budget, currency="EUR", weeks=w)),
                "en",
            )
            for w in weeks
        ]
        out.append(Script(budget, weeks, headlines))
    return out


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    saved: dict[str, str] = field(default_factory=dict)  # plan id -> headline when saved
    saved_by: dict[str, int] = field(default_factory=dict)
    open_now: int = 0  # sessions with a page open right now, and the most at once
    open_max: int = 0

    def opened(self) -> None:
        self.open_now += 1
        self.open_max = max(self.open_max, self.open_now)


class ActionError(Exception):
    pass


async def _problems(page: Any) -> str | None:
    """What is wrong on the page once an action is over, if anything."""
    for selector, what in (
        (EXCEPTION, "exception"),
        (ERROR_BOX, "error box"),
        (CONNECTION, "connection"),
    ):
        found = page.locator(selector)
        if await found.count():
            text = " | ".join(await found.all_inner_texts())
            return f"{what}: {text[:300]}"
    return None


async def _shown(page: Any, headline: str) -> None:
    await page.get_by_text(headline, exact=True).first.wait_for(state="visible")
    await page.locator(STATUS).wait_for(state="detached")


async def _timed(results: Results, session: int, kind: str, page: Any, action: Any) -> Any:
    """Run one action; its time, or its error (then the session stops). A failed action leaves
    its full message (Playwright's call log: what it was waiting for) and a screenshot of the
    page in tests/artifacts/load-errors/."""
    from playwright.async_api import Error as PlaywrightError

    start = time.perf_counter()
    try:
        value = await action()
    except (PlaywrightError, ActionError) as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        brief = lines[0] + (f" [{lines[-1]}]" if len(lines) > 1 else "")
        results.errors.append((session, kind, brief[:300]))
        ERRORS.mkdir(parents=True, exist_ok=True)
        (ERRORS / f"session-{session}-{kind}.txt").write_text(str(error))
        with contextlib.suppress(PlaywrightError):
            await page.screenshot(
                path=str(ERRORS / f"session-{session}-{kind}.png"), timeout=30_000
            )
        raise ActionError from error
    results.times[kind].append((time.perf_counter() - start) * 1000)
    return value


async def _context(browser: Any) -> Any:
    # reduced motion: fewer animation frames for 50 pages waiting on two cores
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US", reduced_motion="reduce")
    context.set_default_timeout(ACTION_MS)
    return context


async def session(i: int, browser: Any, url: str, script: Script, results: Results) -> None:
    await asyncio.sleep(i * STAGGER_S)
    context = await _context(browser)
    results.opened()
    try:
        page = await context.new_page()

        async def open_brief() -> None:
            await page.goto(url + script.link, wait_until="domcontentloaded")
            await _shown(page, script.headlines[0])
            if problem := await _problems(page):
                raise ActionError(problem)

        await _timed(results, i, "open_brief", page, open_brief)
        sidebar = page.locator(SIDEBAR)
        for weeks, headline in zip(script.weeks[1:], script.headlines[1:], strict=True):

            async def submit(weeks: int = weeks, headline: str = headline) -> None:
                field = sidebar.get_by_role("spinbutton", name=t("field.weeks", "en"), exact=True)
                await field.fill(str(weeks))
                await sidebar.get_by_role("button", name=t("form.submit", "en")).click()
                await _shown(page, headline)
                if problem := await _problems(page):
                    raise ActionError(problem)

            await _timed(results, i, "submit", page, submit)

        async def save() -> str:
            await page.get_by_text(t("save.section", "en")).click()
            name = page.get_by_role("textbox", name=t("save.name", "en"), exact=True)
            await name.fill(f"Load test {i}")
            await page.get_by_role("button", name=t("save.new", "en")).click()
            code = page.locator(CODE).filter(has_text="?plan=").first
            await code.wait_for(state="visible")
            await page.locator(STATUS).wait_for(state="detached")
            if problem := await _problems(page):
                raise ActionError(problem)
            link = (await code.inner_text()).strip()
            return link.split("?plan=")[1].split("&")[0]

        plan_id = await _timed(results, i, "save", page, save)
        results.saved[plan_id] = script.headlines[-1]
        results.saved_by[plan_id] = i
    except ActionError:
        return
    finally:
        await context.close()
        results.open_now -= 1

    others = [p for p, by in results.saved_by.items() if by != i]
    chosen = random.Random(SEED - i).choice(others or [plan_id])
    context = await _context(browser)
    results.opened()
    try:
        page = await context.new_page()

        async def open_saved() -> None:
            await page.goto(f"{url}/?plan={chosen}", wait_until="domcontentloaded")
            await _shown(page, results.saved[chosen])
            if problem := await _problems(page):
                raise ActionError(problem)

        await _timed(results, i, "open_saved", page, open_saved)
    except ActionError:
        return
    finally:
        await context.close()
        results.open_now -= 1


async def load(url: str, plans: list[Script], results: Results) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            outcomes = await asyncio.gather(
                *(session(i, browser, url, plans[i], results) for i in range(SESSIONS)),
                return_exceptions=True,
            )
        finally:
            await browser.close()
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, BaseException):
            results.errors.append((i, "session", repr(outcome)[:300]))


def run_in_thread(coroutine: Any) -> None:
    """asyncio.run in its own thread: clear of any sync Playwright the session already runs."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def warm_up(url: str) -> None:
    """One visit, closed: the server imports and caches what every session needs."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = await _context(browser)
        page = await context.new_page()
        await page.goto(url + "/plan?goal=event&budget=20000&currency=EUR&weeks=6")
        await page.locator("strong").filter(has_text="Projected").first.wait_for(state="visible")
        await page.locator(STATUS).wait_for(state="detached")
        await browser.close()


@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.skipif(os.environ.get("LOAD_BROWSER") != "1", reason="opt-in: LOAD_BROWSER=1")
def test_concurrent_browser_sessions() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    plans = scripts()
    results = Results()
    shutil.rmtree(ERRORS, ignore_errors=True)
    pid: list[int] = []
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    began = time.monotonic()
    with serve("app.py", LOG_NAME, env, pid_out=pid) as url:
        cold = rss_mb(pid[0])
        run_in_thread(warm_up(url))
        time.sleep(SESSION_TTL_S + 2)
        before = settled_rss(pid[0])
        start, cpu_start = time.monotonic(), cpu_busy_s()
        server_start, client_start = cpu_s(pid[0]), client_cpu_s()
        run_in_thread(load(url, plans, results))
        load_s = time.monotonic() - start
        cpu_load = cpu_busy_s() - cpu_start
        server_cpu = cpu_s(pid[0]) - server_start
        client_cpu = client_cpu_s() - client_start
        closed = rss_mb(pid[0])
        time.sleep(SESSION_TTL_S + 5)
        after = settled_rss(pid[0])
    log = (ARTIFACTS / LOG_NAME).read_text(errors="replace")
    tracebacks = log.count("Traceback")
    errors = len(results.errors) + tracebacks

    cores = os.cpu_count() or 1
    every = [ms for kind in KINDS for ms in results.times[kind]]
    lines = [
        f"\nload: {SESSIONS} concurrent sessions (one Chromium, one context each, "
        f"{STAGGER_S} s stagger) against one server, {load_s:.0f} s of load, "
        f"{time.monotonic() - began:.0f} s in all; at most {results.open_max} sessions open "
        f"at once",
        f"CPU during the load: {cpu_load:.0f} CPU s busy of {load_s * cores:.0f} on {cores} "
        f"cores (whole machine, other jobs included): Chromium, its driver and this test "
        f"{client_cpu:.0f} CPU s, the server {server_cpu:.0f} CPU s",
        "actions: "
        + ", ".join(f"{kind} {len(results.times[kind])}" for kind in KINDS)
        + f" ({len(every)} done)",
    ]
    for kind in KINDS:
        values = results.times[kind]
        if values:
            lines.append(
                f"  {kind:<10} p50 {percentile(values, 0.5):>7.0f} ms   "
                f"p95 {percentile(values, 0.95):>7.0f} ms   max {max(values):>7.0f} ms"
            )
    if every:
        lines.append(
            f"  {'overall':<10} p50 {percentile(every, 0.5):>7.0f} ms   "
            f"p95 {percentile(every, 0.95):>7.0f} ms   max {max(every):>7.0f} ms"
        )
    lines.append(
        f"server RSS: cold {cold:.0f} MB, before load (after one warm-up visit) {before:.0f} MB, "
        f"sessions just closed {closed:.0f} MB, settled {after:.0f} MB "
        f"({after - before:+.0f} MB vs before)"
    )
    lines.append(
        f"errors: {errors} ({len(results.errors)} in pages, {tracebacks} tracebacks in the "
        f"server log) (target 0 errors) {'OK' if errors == 0 else 'MISS'}"
    )
    lines += [f"  session {i} {kind}: {text}" for i, kind, text in results.errors[:10]]
    print("\n".join(lines))
    assert errors == 0, results.errors[:10]
