"""Load (issue 10 §8): 50 concurrent sessions against one `streamlit run app.py`, through
Streamlit's own protocol (the websocket `/_stcore/stream`, protobuf messages), as the browser's
frontend speaks it, so the server does exactly the work a visitor causes, without 50 browsers.

Each session, all started together (0.1 s stagger):
1. opens a brief link (`goal=event`, a random budget in EUR and duration);
2. submits a changed duration through the brief form (the form's widgets and its submit
   button, by the ids the server sent);
3. saves the plan through the Save form under its own name and reads its `?plan=<id>` link;
4. on a new connection, opens a plan another session saved (its own when none has yet).

Each action waits for the run to finish and checks the page it got: the exact headline
(computed here with `recommend`), no exception element, no error alert. Timeouts, a missing
headline or link, an exception or an error alert are errors; so is a traceback in the server's
log. Printed: actions per kind, errors, p50/p95 per kind and overall, and the server's resident
memory before the load and once its sessions have ended, and beside them the machine's load
average and a fixed reference workload (one plan and one set of response curves for a fixed
brief, timed in this process before and after the load), so figures from a busy shared machine
can be read. Every brief planned is new: no two sessions, and not the warm-up, plan the same
brief, so the server's cross-session plan cache never answers an open or a submit. Target: 0
errors (asserted); p95 <= 5 s at 50 sessions on two cores (printed, not asserted: the machine is
shared). `LOAD_SESSIONS` sets the number of sessions; `ADVISOR_PLAN_WORKERS=0` runs the server
without its worker pool (plans in the script thread), for comparison.

`LOAD_REPLICAS=2` runs the README's several-replicas recipe instead of one server: two replicas
on one throwaway PostgreSQL behind nginx with the README's `ip_hash` block (as
`tests/test_replicas.py` does; skipped without nginx or PostgreSQL), each replica with one plan
worker unless `ADVISOR_PLAN_WORKERS` says otherwise. `ip_hash` keys on a visitor's address
(its first three bytes), so each session connects from its own loopback address (127.0.<i>.1)
as distinct visitors would; CPU and memory are summed over both replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from browser_support import ARTIFACTS, serve
from test_bench_load_browser import percentile, rss_mb, settled_rss

from advisor import CampaignBrief, recommend, t
from advisor.present import explain as ex

SESSIONS = int(os.environ.get("LOAD_SESSIONS", "50"))
REPLICAS = int(os.environ.get("LOAD_REPLICAS", "1"))
STAGGER_S = 0.1
ACTION_S = 300.0
SESSION_TTL_S = 10
SEED = 20_261_123
LOG_NAME = "load-server.log"
KINDS = ("open_brief", "submit", "save", "open_saved")


FIELDS = ("text_input", "number_input", "button", "multiselect", "selectbox", "checkbox")


@dataclass
class Page:
    """What one script run sent: text, widget ids by label, alerts, exceptions."""

    markdown: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)  # label -> id
    shown: dict[str, object] = field(default_factory=dict)  # label -> the value drawn
    errors: list[str] = field(default_factory=list)
    query: str | None = None

    def has(self, text: str) -> bool:
        return any(text in body for body in self.markdown)


class Session:
    """One visitor's connection: sends runs, reads the server's messages until each ends."""

    def __init__(self, url: str, source: str | None = None) -> None:
        self.url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.query = ""
        self.source = source  # the loopback address to connect from (None: the system's)

    async def __aenter__(self) -> Session:
        import websockets

        extra = {"local_addr": (self.source, 0)} if self.source else {}
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=ACTION_S, **extra
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def run(self, query: str | None = None, widgets: list | None = None) -> Page:
        from streamlit.proto import BackMsg_pb2, ForwardMsg_pb2

        if query is not None:
            self.query = query
        msg = BackMsg_pb2.BackMsg()
        msg.rerun_script.query_string = self.query
        for state in widgets or []:
            msg.rerun_script.widget_states.widgets.append(state)
        await self.ws.send(msg.SerializeToString())
        page = Page()
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), ACTION_S)
            fm = ForwardMsg_pb2.ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "page_info_changed":
                self.query = page.query = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                which = element.WhichOneof("type")
                if which == "markdown":
                    page.markdown.append(element.markdown.body)
                elif which == "code":
                    page.code.append(element.code.code_text)
                elif which == "exception":
                    page.errors.append("exception: " + element.exception.message)
                elif which == "alert" and element.alert.format == element.alert.ERROR:
                    page.errors.append("error: " + element.alert.body)
                elif which in FIELDS:
                    widget = getattr(element, which)
                    page.widgets[widget.label] = widget.id
                    if which == "checkbox":
                        page.shown[widget.label] = bool(widget.default)
                    elif which == "selectbox" and widget.HasField("default"):
                        page.shown[widget.label] = widget.options[widget.default]
                    elif which == "text_input":
                        page.shown[widget.label] = widget.default
                    elif which == "multiselect":
                        page.shown[widget.label] = [widget.options[i] for i in widget.default]
                    elif which == "number_input" and widget.HasField("default"):
                        integer = widget.data_type == widget.INT
                        page.shown[widget.label] = (int if integer else float)(widget.default)
            elif kind == "script_finished":
                if fm.script_finished == fm.FINISHED_EARLY_FOR_RERUN:
                    # `st.rerun()`: the server starts the next run itself; what the visitor
                    # sees is that run's page
                    page = Page(query=page.query)
                    continue
                return page


def shown_states(page: Page, *changed: str) -> list:
    """Every field's value as drawn (text, numbers, choices, toggles), but for the `changed`
    labels: a browser's frontend sends every field of a form with its submit."""
    from streamlit.proto import WidgetStates_pb2

    states = []
    for label, values in page.shown.items():
        if label in changed:
            continue
        state = WidgetStates_pb2.WidgetState(id=page.widgets[label])
        if isinstance(values, bool):
            state.bool_value = values
        elif isinstance(values, str):
            state.string_value = values
        elif isinstance(values, int):
            state.int_value = values
        elif isinstance(values, float):
            state.double_value = values
        else:
            state.string_array_value.data.extend(values)
        states.append(state)
    return states


def widget(page: Page, label: str, **value: object):
    from streamlit.proto import WidgetStates_pb2

    if label not in page.widgets:
        raise AssertionError(f"no widget {label!r} on the page")
    state = WidgetStates_pb2.WidgetState(id=page.widgets[label])
    for name, v in value.items():
        setattr(state, name, v)
    return state


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    saved: list[tuple[str, str]] = field(default_factory=list)  # (plan id, headline)


def cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by the server process and by its descendants
    (the plan workers), from /proc: less sensitive to a shared machine's load than wall times."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(p: int) -> float:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    def children(p: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{p}/task").iterdir():
            try:  # a thread may end between the listing and the read
                found += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue
        return found

    own, others, todo = used(pid), 0.0, children(pid)
    while todo:
        current = todo.pop()
        try:
            others += used(current)
            todo += children(current)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return own, others


def reference_ms() -> tuple[float, float]:
    """A fixed workload in this process: one plan, one set of response curves (ms, best of 3)."""
    from advisor import response_curves

    brief = CampaignBrief(goal="product_launch", budget=30_000, currency="EUR", weeks=8)
    plan, curves = [], []
    for _ in range(3):
        start = time.perf_counter()
        recommend(brief)
        plan.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        response_curves(brief)
        curves.append((time.perf_counter() - start) * 1000)
    return min(plan), min(curves)


def new_briefs(rng: random.Random, count: int) -> tuple[list[int], list[list[int]]]:
    """A budget and two durations per session, every (budget, weeks) different from the others
    and from the warm-up's."""
    seen = {WARM}
    budgets: list[int] = []
    weeks: list[list[int]] = []
    while len(budgets) < count:
        budget, pair = rng.randrange(5_000, 80_000, 50), rng.sample(range(2, 27), 2)
        if {(budget, pair[0]), (budget, pair[1])} & seen:
            continue
        seen |= {(budget, pair[0]), (budget, pair[1])}
        budgets.append(budget)
        weeks.append(pair)
    return budgets, weeks


def headline(budget: int, weeks: int) -> str:
    brief = CampaignBrief(goal="event", budget=budget, currency="EUR", weeks=weeks)
    return ex.headline(recommend(brief), "en")


async def timed(results: Results, i: int, kind: str, action) -> Page | None:
    start = time.perf_counter()
    try:
        page = await action()
    except (AssertionError, TimeoutError, OSError) as error:
        results.errors.append((i, kind, f"{type(error).__name__}: {error}"[:300]))
        return None
    results.times[kind].append((time.perf_counter() - start) * 1000)
    if page.errors:
        results.errors.append((i, kind, "; ".join(page.errors)[:300]))
    return page


async def visitor(i: int, url: str, results: Results, expect: dict) -> None:
    await asyncio.sleep(i * STAGGER_S)
    rng = random.Random(SEED + i)
    budget, weeks = expect["budgets"][i], expect["weeks"][i]
    first, second = expect["headlines"][i]
    source = f"127.0.{i + 1}.1" if REPLICAS > 1 else None  # a visitor of its own for ip_hash
    async with Session(url, source) as s:

        async def open_brief() -> Page:
            query = f"goal=event&budget={budget}&currency=EUR&weeks={weeks[0]}"
            page = await s.run(query)
            assert page.has(first), "headline of the link not shown"
            return page

        page = await timed(results, i, "open_brief", open_brief)
        if page is None:
            return

        async def submit() -> Page:
            states = [
                *shown_states(page, t("field.weeks", "en")),
                widget(page, t("field.weeks", "en"), double_value=weeks[1]),
                widget(page, t("form.submit", "en"), trigger_value=True),
            ]
            # One run, as Chromium's frontend sends one message per submit (the address the
            # run writes causes no second run: measured, websocket frames in Chromium)
            done = await s.run(widgets=states)
            assert parse_qs(done.query or s.query).get("weeks") == [str(weeks[1])], done.query
            assert done.has(second), "headline of the submitted brief not shown"
            return done

        page = await timed(results, i, "submit", submit)
        if page is None:
            return

        async def save() -> Page:
            states = [
                *shown_states(page, t("save.name", "en")),
                widget(page, t("save.name", "en"), string_value=f"load test {i} {rng.random()}"),
                widget(page, t("save.new", "en"), trigger_value=True),
            ]
            done = await s.run(widgets=states)
            links = [c for c in done.code if "?plan=" in c]
            assert links, "no saved-plan link"
            plan_id = links[0].split("?plan=")[1].split("&")[0]
            results.saved.append((plan_id, second))
            return done

        if await timed(results, i, "save", save) is None:
            return
    others = [p for p in results.saved[:-1]] or results.saved[-1:]
    plan_id, shown = rng.choice(others)
    async with Session(url, source) as s:

        async def open_saved() -> Page:
            page = await s.run(f"plan={plan_id}")  # with the run its `st.rerun()` starts
            assert page.has(shown), "saved plan's headline not shown"
            return page

        await timed(results, i, "open_saved", open_saved)


async def load(url: str, results: Results, expect: dict) -> None:
    await asyncio.gather(*(visitor(i, url, results, expect) for i in range(SESSIONS)))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_names() -> list[str]:
    return [LOG_NAME] if REPLICAS == 1 else [f"load-replica-{i}.log" for i in range(REPLICAS)]


@contextlib.contextmanager
def deployment(env: dict[str, str], pids: list[int]) -> Iterator[str]:
    """One `streamlit run app.py`, or (LOAD_REPLICAS=2) the README's two replicas on one
    PostgreSQL behind nginx `ip_hash`: the address sessions connect to."""
    if REPLICAS == 1:
        with serve("app.py", LOG_NAME, env, pid_out=pids) as url:
            yield url
        return
    if REPLICAS != 2:
        pytest.fail("LOAD_REPLICAS: 1 or 2 (the README's recipe has two replicas)")
    root = str(Path(__file__).resolve().parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    from tests.test_replicas import NGINX, PG_BIN, nginx, readme_blocks
    from tests.test_store_limits import Cluster

    if NGINX is None or PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("LOAD_REPLICAS=2 needs nginx and PostgreSQL")
    _, block = readme_blocks()
    cluster = Cluster()
    try:
        env = {
            **env,
            "DATABASE_URL": cluster.url,
            "ADVISOR_TRUSTED_PROXIES": "127.0.0.1",
            "ADVISOR_PLAN_WORKERS": os.environ.get("ADVISOR_PLAN_WORKERS", "1"),
        }
        with contextlib.ExitStack() as stack:
            urls = [
                stack.enter_context(serve("app.py", name, env, pid_out=pids))
                for name in log_names()
            ]
            ports = [int(url.rsplit(":", 1)[1]) for url in urls]
            proxy, _ = stack.enter_context(nginx(block, free_port(), ports))
            yield proxy
    finally:
        cluster.remove()


def test_fifty_concurrent_sessions_over_streamlits_protocol() -> None:
    rng = random.Random(SEED)
    budgets, weeks = new_briefs(rng, SESSIONS)
    expect = {
        "budgets": budgets,
        "weeks": weeks,
        "headlines": [
            (headline(b, w[0]), headline(b, w[1])) for b, w in zip(budgets, weeks, strict=True)
        ],
    }
    results = Results()
    pid: list[int] = []
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    reference_before = reference_ms()
    with deployment(env, pid) as url:
        for i in range(REPLICAS):  # a warm-up through each replica (ip_hash: by address)
            asyncio.run(_warm(url, f"127.0.{SESSIONS + 1 + i}.1" if REPLICAS > 1 else None))
        before = sum(settled_rss(p) for p in pid)
        load_before = os.getloadavg()
        cpu_before = [sum(c) for c in zip(*(cpu_s(p) for p in pid), strict=True)]
        start = time.monotonic()
        asyncio.run(load(url, results, expect))
        took = time.monotonic() - start
        cpu_after = [sum(c) for c in zip(*(cpu_s(p) for p in pid), strict=True)]
        load_after = os.getloadavg()
        closed = sum(rss_mb(p) for p in pid)
        time.sleep(SESSION_TTL_S + 5)
        after = sum(settled_rss(p) for p in pid)
    reference_after = reference_ms()
    tracebacks = sum(
        (ARTIFACTS / name).read_text(errors="replace").count("Traceback") for name in log_names()
    )
    errors = len(results.errors) + tracebacks
    every = [ms for kind in KINDS for ms in results.times[kind]]
    default_workers = "one per core" if REPLICAS == 1 else "1 per replica"
    lines = [
        f"\nload over Streamlit's protocol: {SESSIONS} concurrent sessions, "
        + ("one server " if REPLICAS == 1 else f"{REPLICAS} replicas behind nginx ip_hash ")
        + f"(plan workers: {os.environ.get('ADVISOR_PLAN_WORKERS', default_workers)}), "
        f"{took:.0f} s; actions: " + ", ".join(f"{k} {len(results.times[k])}" for k in KINDS),
        f"machine: {os.cpu_count()} cores, load average (1, 5, 15 min) before "
        + " ".join(f"{v:.1f}" for v in load_before)
        + ", after "
        + " ".join(f"{v:.1f}" for v in load_after),
        f"server CPU during the load: {cpu_after[0] - cpu_before[0]:.0f} s in the server "
        f"process, {cpu_after[1] - cpu_before[1]:.0f} s in its plan workers",
        f"reference workload (one plan, one set of curves, best of 3): before "
        f"{reference_before[0]:.0f} ms + {reference_before[1]:.0f} ms, after "
        f"{reference_after[0]:.0f} ms + {reference_after[1]:.0f} ms",
    ]
    for kind in (*KINDS, "overall"):
        values = every if kind == "overall" else results.times[kind]
        if values:
            lines.append(
                f"  {kind:<10} p50 {percentile(values, 0.5):>7.0f} ms   p95 "
                f"{percentile(values, 0.95):>7.0f} ms   mean {statistics.fmean(values):>7.0f} ms"
            )
    if every:
        worst = max(percentile(results.times[k], 0.95) for k in KINDS if results.times[k])
        lines.append(
            f"slowest action's p95 {worst / 1000:.1f} s (target <= 5 s at 50 sessions on 2 "
            f"cores) {'OK' if worst <= 5000 else 'MISS'}"
        )
    lines.append(
        f"server RSS: before {before:.0f} MB, sessions just closed {closed:.0f} MB, settled "
        f"{after:.0f} MB ({after - before:+.0f} MB)"
    )
    lines.append(
        f"errors: {errors} ({len(results.errors)} in sessions, {tracebacks} tracebacks in the "
        f"server log; target 0) {'OK' if errors == 0 else 'MISS'}"
    )
    lines += [f"  session {i} {kind}: {text}" for i, kind, text in results.errors[:10]]
    print("\n".join(lines))
    assert errors == 0, results.errors[:10]


WARM = (20_000, 6)


async def _warm(url: str, source: str | None = None) -> None:
    async with Session(url, source) as s:
        await s.run(f"goal=event&budget={WARM[0]}&currency=EUR&weeks={WARM[1]}")
