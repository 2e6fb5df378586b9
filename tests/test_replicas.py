"""The README's several-replicas recipe, run on loopback (issue 16 §6): two `streamlit run
app.py` replicas on one PostgreSQL, behind nginx with exactly the README's `server` block.

Why: the recipe is only worth its words if it works: sticky sessions and the websocket upgrade
through the proxy, a plan saved on one replica opening on the other, the passphrase throttle
counting the guesses made on either replica together, and two saves of the same plan version
on two replicas giving one save and one conflict, never a silent overwrite.

Skipped when nginx or PostgreSQL is not installed (`.ci/run` installs both). PostgreSQL: a
fresh database on `TEST_DATABASE_URL`'s server when it is set, else a throwaway cluster. Every
wait is bounded and polls a state (health endpoints, the page's run finishing).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor import t
from advisor.store import ConflictError, open_store
from advisor.store.access import Gate, SharedThrottle, client_address, trusted_networks
from tests.test_store_limits import PG_BIN, Cluster

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from browser_support import ARTIFACTS, _free_port, serve  # noqa: E402
from test_bench_load import Page, Session, headline, widget  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
WAIT_S = 120.0  # ceiling for anything to become ready on a busy two-core machine
PASSPHRASE = "correct horse battery staple"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)"),
    pytest.mark.skipif(
        not PG_URL and (PG_BIN is None or not (PG_BIN / "initdb").exists()),
        reason="PostgreSQL is not installed (.ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """An empty PostgreSQL database: fresh on `TEST_DATABASE_URL`'s server, else in a
    throwaway cluster (nothing another test counted in the throttle's minute)."""
    if not PG_URL:
        cluster = Cluster()
        try:
            yield cluster.url
        finally:
            cluster.remove()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from advisor.store.db import normalise_url

    name = f"advisor_replicas_{secrets.token_hex(4)}"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_async(coro):  # type: ignore[no-untyped-def]
    """Run a coroutine to the end in a thread of its own: the browser tests' Playwright keeps
    an event loop running in this one, where `asyncio.run` is refused."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as runner:
        return runner.submit(asyncio.run, coro).result()


def readme_blocks() -> tuple[str, str]:
    """The Deploy section's shell and nginx blocks for several replicas."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("**Several replicas**", 1)[1]
    shell = re.search(r"```sh\n(.*?)```", section, re.S)
    nginx = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert shell is not None and nginx is not None
    return shell.group(1), nginx.group(1)


def nginx_conf(block: str, folder: Path, port: int, replicas: list[int]) -> str:
    """The README's block with loopback ports, inside a minimal nginx.conf of its own folder
    (with an access log of the replica that served each request)."""
    assert "ip_hash;" in block and "listen 80;" in block
    assert block.count("server 127.0.0.1:850") == 2
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    block = block.replace("127.0.0.1:8501", f"127.0.0.1:{replicas[0]}")
    block = block.replace("127.0.0.1:8502", f"127.0.0.1:{replicas[1]}")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1;
pid {folder / "nginx.pid"};
events {{ worker_connections 256; }}
http {{
    log_format upstreams '$request_uri $status $upstream_addr';
    access_log {folder / "access.log"} upstreams;
    {temp}
{block}
}}
"""


@contextlib.contextmanager
def nginx(block: str, port: int, replicas: list[int]) -> Iterator[tuple[str, Path]]:
    """nginx in the foreground on `port` in front of the replicas: (url, its access log)."""
    assert NGINX is not None
    folder = Path(tempfile.mkdtemp(prefix="advisor-nginx-"))
    folder.chmod(0o755)  # the worker (nobody when run as root) writes its temp folders here
    path = folder / "nginx.conf"
    path.write_text(nginx_conf(block, folder, port, replicas), encoding="utf-8")
    base = [NGINX, "-p", str(folder), "-c", str(path), "-e", str(folder / "error.log")]
    check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([*base, "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_S
        while not healthy(url):
            assert process.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, f"{url} not healthy after {WAIT_S:.0f} s"
            time.sleep(0.25)  # polling a state, bounded by the deadline
        yield url, folder / "access.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        for name in ("access.log", "error.log"):
            with contextlib.suppress(OSError):
                shutil.copy(folder / name, ARTIFACTS / f"replicas-nginx-{name}")
        shutil.rmtree(folder, ignore_errors=True)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except OSError:
        return False


@dataclass
class Deployment:
    proxy: str
    replicas: list[str]
    database: str
    access_log: Path


@pytest.fixture(scope="module")
def deployment(database: str) -> Iterator[Deployment]:
    """The README's recipe: two replicas on `database`, nginx in front, all on loopback."""
    shell, block = readme_blocks()
    assert "ADVISOR_TRUSTED_PROXIES=127.0.0.1" in shell and "DATABASE_URL=" in shell
    env = {
        "DATABASE_URL": database,
        "ADVISOR_TRUSTED_PROXIES": "127.0.0.1",
        "ADVISOR_PLAN_WORKERS": "1",  # the server's worker pool, kept small on a shared machine
    }
    with contextlib.ExitStack() as stack:
        replicas = [stack.enter_context(serve("app.py", f"replica-{i}.log", env)) for i in range(2)]
        ports = [int(url.rsplit(":", 1)[1]) for url in replicas]
        proxy, log = stack.enter_context(nginx(block, _free_port(), ports))
        yield Deployment(proxy, replicas, database, log)
    for i in range(2):  # no stack trace in either replica's log
        assert "Traceback" not in (ARTIFACTS / f"replica-{i}.log").read_text(errors="replace")


async def run_page(url: str, query: str) -> Page:
    """One visit: the page for `query`, after the run a saved plan's link causes."""
    async with Session(url) as s:
        page = await s.run(query)
        if "plan=" in query and not page.errors:
            page = await s.run()  # the first run writes the saved brief to the address
        return page


async def save_through(url: str, query: str, name: str) -> tuple[Page, str]:
    """Opens a brief through `url` and saves it with the page's Save form: (page, plan id)."""
    async with Session(url) as s:
        page = await s.run(query)
        assert not page.errors, page.errors
        done = await s.run(
            widgets=[
                widget(page, t("save.name", "en"), string_value=name),
                widget(page, t("save.new", "en"), trigger_value=True),
            ]
        )
        assert not done.errors, done.errors
        links = [c for c in done.code if "?plan=" in c]
        assert links, "no saved-plan link"
        return page, links[0].split("?plan=")[1].split("&")[0]


BUDGET, WEEKS = 31_250, 5
QUERY = f"goal=event&budget={BUDGET}&currency=EUR&weeks={WEEKS}"


def test_the_proxy_serves_the_app_over_a_sticky_websocket(deployment: Deployment) -> None:
    assert healthy(deployment.proxy)
    page = run_async(run_page(deployment.proxy, QUERY))
    assert not page.errors, page.errors
    assert page.has(headline(BUDGET, WEEKS))
    assert healthy(deployment.proxy)
    lines = deployment.access_log.read_text().splitlines()
    assert any(line.startswith("/_stcore/stream 101 ") for line in lines), lines  # upgraded
    assert any(line.startswith("/_stcore/health 200 ") for line in lines), lines
    assert len({line.split()[-1] for line in lines}) == 1, lines  # one replica for this client
    assert lines[-1].split()[-1] in {u.removeprefix("http://") for u in deployment.replicas}


def test_a_plan_saved_through_the_proxy_opens_on_either_replica(deployment: Deployment) -> None:
    page, plan_id = run_async(save_through(deployment.proxy, QUERY, "Saved via the proxy"))
    shown = headline(BUDGET, WEEKS)
    assert page.has(shown)
    store = open_store(deployment.database)  # it is in the shared PostgreSQL database
    try:
        assert store.load(plan_id).summary.name == "Saved via the proxy"
    finally:
        store.dispose()
    for url in deployment.replicas:
        opened = run_async(run_page(url, f"plan={plan_id}"))
        assert not opened.errors, (url, opened.errors)
        assert opened.has(shown), url


def test_wrong_passphrases_on_both_replicas_count_together(deployment: Deployment) -> None:
    """Each replica's throttle is `SharedThrottle` on its own connection pool to the shared
    database (as `advisor.ui.team.throttle` makes it); guesses alternate between them."""
    stores = [open_store(deployment.database) for _ in range(2)]
    try:
        # behind nginx, the visitor's address is the one counted (the proxy is trusted)
        key = client_address("127.0.0.1", ["198.51.100.9"], trusted_networks("127.0.0.1"))
        assert key == "198.51.100.9"
        # the ceiling on guesses a minute, from every client on every replica together
        ceiling = [Gate(PASSPHRASE, SharedThrottle(s, per_minute=5)) for s in stores]
        for i in range(5):
            verdict = ceiling[i % 2].attempt(f"203.0.113.{i + 1}", "wrong")
            assert not verdict.allowed and not verdict.throttled, i
        refused = ceiling[1].attempt("203.0.113.99", PASSPHRASE)
        assert refused.throttled and 0 < refused.retry_after <= 60
        # one client's failures, replica by replica: the fourth imposes a wait on both
        gates = [
            Gate(PASSPHRASE, SharedThrottle(s, per_minute=None, base_delay=200)) for s in stores
        ]
        for i in range(4):
            verdict = gates[i % 2].attempt(key, "wrong")
            assert not verdict.allowed and not verdict.throttled, i
        for gate in gates:  # even the right passphrase waits now, on either replica
            verdict = gate.attempt(key, PASSPHRASE)
            assert verdict.throttled and not verdict.allowed and verdict.retry_after > 100
            assert gate.throttle.failures(key) == 4  # type: ignore[attr-defined]
        assert gates[0].attempt("198.51.100.10", PASSPHRASE).allowed  # others are not blocked
    finally:
        for store in stores:
            store.dispose()


def race(stores: list, plan_id: str) -> list[object]:
    """Both replicas read the plan, then save the version they read at the same moment: each
    one's new version number, or its ConflictError."""
    saved = [store.load(plan_id) for store in stores]
    assert saved[0].version == saved[1].version
    barrier = threading.Barrier(2, timeout=WAIT_S)

    def save(i: int) -> object:
        barrier.wait()
        try:
            return stores[i].update(plan_id, saved[i].plan, expected_version=saved[i].version)
        except ConflictError as error:
            return error

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(save, range(2), timeout=WAIT_S))


def test_two_saves_of_one_version_on_two_replicas_conflict_exactly_once(
    deployment: Deployment,
) -> None:
    _, plan_id = run_async(save_through(deployment.proxy, QUERY, "Edited on two replicas"))
    stores = [open_store(deployment.database) for _ in range(2)]
    try:
        for version in (1, 2, 3):  # each round: both save the version they both read
            outcomes = race(stores, plan_id)
            conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
            assert len(conflicts) == 1, outcomes
            assert [o for o in outcomes if o is not conflicts[0]] == [version + 1]
            assert all(s.load(plan_id).version == version + 1 for s in stores)
    finally:
        for store in stores:
            store.dispose()
