"""Workspace access: a passphrase from the deployment's secrets, and a throttle on guessing.

    >>> gate = Gate("correct horse", Throttle(clock=lambda: 0.0))
    >>> gate.attempt("10.0.0.7", "wrong").allowed, gate.attempt("10.0.0.7", "correct horse").allowed
    (False, True)

With no passphrase configured the workspace is open. A wrong or missing passphrase gives
nothing; after `free_failures` failures from one client (its address) each further attempt must
wait twice as long as the last (1 s, 2 s, 4 s… up to `max_delay`), even with the right
passphrase, so guessing stays slow. Whatever the sources, no more than `per_minute` passphrases
are checked in any 60 s: beyond it every attempt waits (a correct one gives its slot back). An
attempt reserves its slot before the passphrase is compared, so concurrent guesses cannot slip
through together.

`SharedThrottle` keeps all of it in the store's database (tables `access_clients` and
`access_failures`), so every replica of the app counts the same guesses; `Throttle` is the same
rules in one process's memory. Both are thread-safe.

Who the client is comes from `client_address`: the socket's peer address, unless that peer is a
proxy the deployment trusts (`ADVISOR_TRUSTED_PROXIES`: addresses or networks, comma-separated;
none by default), in which case the right-most address of `X-Forwarded-For` that is not itself
a trusted proxy: the left part of that header is whatever the client wrote. IPv6 clients count
per /64 network (one subscriber's allocation).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, insert, select, update

from advisor.store.schema import access_clients, access_failures

if TYPE_CHECKING:
    from advisor.store.plans import Store

WINDOW = 60.0  # seconds: the global ceiling counts failed guesses over this span
THROTTLE_LOCK = 7_311_024_118  # PostgreSQL advisory lock serialising the shared throttle

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def trusted_networks(setting: str | None) -> tuple[Network, ...]:
    """ "10.0.0.1, 10.1.0.0/16, fd00::/8" → networks; entries that are not addresses are ignored."""
    networks = []
    for item in (setting or "").replace(";", ",").replace(" ", ",").split(","):
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _address(text: str | None) -> Address | None:
    text = (text or "").strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51000"
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def _key(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_address(
    peer: str | None, forwarded: Iterable[str] = (), trusted: tuple[Network, ...] = ()
) -> str:
    """The key a client's guesses are counted under (see the module docstring).

    `peer`: the socket's remote address (Streamlit gives None for loopback); `forwarded`: every
    `X-Forwarded-For` header value, in order; `trusted`: `trusted_networks(...)`."""
    address = _address(peer) if peer else ipaddress.ip_address("127.0.0.1")
    if address is None:
        return str(peer)[:100]
    if not trusted or not _trusted(address, trusted):
        return _key(address)  # a direct client: what it writes in headers counts for nothing
    hops = [hop for value in forwarded for hop in str(value).split(",") if hop.strip()]
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:  # not an address: written by the client, stop at the last proxy
            break
        address = found
        if not _trusted(found, trusted):
            break
    return _key(address)


def passphrase_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison (the time taken says nothing about how much was right)."""
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float = 0.0  # seconds before the next attempt is considered
    throttled: bool = False  # refused without checking the passphrase


class Limiter(Protocol):
    """What `Gate` needs from a throttle."""

    def reserve(self, key: str) -> float: ...
    def wait(self, key: str) -> float: ...
    def success(self, key: str) -> None: ...


class _Rules:
    free_failures: int
    base_delay: float
    max_delay: float

    def delay(self, failures: int) -> float:
        """The wait imposed after `failures` failures in a row."""
        over = failures - self.free_failures
        return 0.0 if over <= 0 else min(self.max_delay, self.base_delay * 2 ** (over - 1))


class Throttle(_Rules):
    """Exponential delay after repeated failures, per client key, and a ceiling on failures per
    minute from every client together (`per_minute`, None: no ceiling); in this process only."""

    def __init__(
        self,
        free_failures: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        forget_after: float = 3600.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        per_minute: int | None = 30,
    ) -> None:
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_clients = max_clients
        self.clock = clock
        self.per_minute = per_minute
        self._records: dict[str, _Record] = {}
        self._recent: deque[tuple[float, str]] = deque()  # (time, key) of failures, last minute
        self._lock = threading.Lock()

    def reserve(self, key: str) -> float:
        """0 and a failure counted in advance (`success` takes it back) when `key` may try
        now; otherwise the seconds to wait, and nothing counted."""
        with self._lock:
            now = self.clock()
            record = self._records.get(key)
            if record is not None and record.blocked_until > now:
                return record.blocked_until - now
            while self._recent and self._recent[0][0] <= now - WINDOW:
                self._recent.popleft()
            if self.per_minute is not None and len(self._recent) >= self.per_minute:
                return max(0.001, self._recent[0][0] + WINDOW - now)
        self.failure(key)
        return 0.0

    def wait(self, key: str) -> float:
        """Seconds `key` must wait before its next attempt (0: it may try now)."""
        with self._lock:
            record = self._records.get(key)
            if record is None:
                return 0.0
            return max(0.0, record.blocked_until - self.clock())

    def failure(self, key: str) -> float:
        """Record a failed attempt; returns the delay now imposed on `key`."""
        with self._lock:
            now = self.clock()
            self._prune(now)
            record = self._records.setdefault(key, _Record())
            record.failures += 1
            record.last = now
            delay = self.delay(record.failures)
            record.blocked_until = now + delay
            while self._recent and self._recent[0][0] <= now - WINDOW:
                self._recent.popleft()
            self._recent.append((now, key))
            return delay

    def success(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)
            for index in range(len(self._recent) - 1, -1, -1):  # its reserved slot back
                if self._recent[index][1] == key:
                    del self._recent[index]
                    break

    def failures(self, key: str) -> int:
        with self._lock:
            record = self._records.get(key)
            return 0 if record is None else record.failures

    def _prune(self, now: float) -> None:
        """Forget clients quiet for `forget_after`; cap memory at `max_clients`."""
        if len(self._records) < self.max_clients:
            stale = [k for k, r in self._records.items() if now - r.last > self.forget_after]
        else:
            oldest = sorted(self._records.items(), key=lambda kv: kv[1].last)
            stale = [k for k, _ in oldest[: len(oldest) // 2 + 1]]
        for key in stale:
            del self._records[key]


class SharedThrottle(_Rules):
    """`Throttle`'s rules kept in the store's database, so every replica shares them.

    Each reservation is one transaction serialised across processes (a PostgreSQL advisory
    lock; SQLite's write lock), so the counts are exact under concurrency. Clients are kept as
    a sha256 of their key; rows are forgotten after `forget_after` (clients) and a minute
    (failures). Database failures raise `StoreError`."""

    def __init__(
        self,
        store: Store,
        free_failures: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        per_minute: int | None = 30,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.time,  # wall clock: shared by every replica
    ) -> None:
        self.store = store
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.per_minute = per_minute
        self.forget_after = forget_after
        self.clock = clock

    @staticmethod
    def _id(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()

    def reserve(self, key: str) -> float:
        client, now = self._id(key), self.clock()
        with self.store.writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(THROTTLE_LOCK)))
            connection.execute(delete(access_failures).where(access_failures.c.at <= now - WINDOW))
            connection.execute(
                delete(access_clients).where(access_clients.c.last_at < now - self.forget_after)
            )
            row = connection.execute(
                select(access_clients).where(access_clients.c.client == client)
            ).first()
            if row is not None and row.blocked_until > now:
                return float(row.blocked_until - now)
            if self.per_minute is not None:
                recent, oldest = connection.execute(
                    select(func.count(), func.min(access_failures.c.at))
                ).one()
                if recent >= self.per_minute:
                    return max(0.001, float(oldest) + WINDOW - now)
            failures = (row.failures if row is not None else 0) + 1
            values = {
                "failures": failures,
                "blocked_until": now + self.delay(failures),
                "last_at": now,
            }
            if row is None:
                connection.execute(insert(access_clients).values(client=client, **values))
            else:
                connection.execute(
                    update(access_clients).where(access_clients.c.client == client).values(**values)
                )
            connection.execute(insert(access_failures).values(client=client, at=now))
        return 0.0

    def wait(self, key: str) -> float:
        with self.store.reading() as connection:
            until = connection.execute(
                select(access_clients.c.blocked_until).where(
                    access_clients.c.client == self._id(key)
                )
            ).scalar()
        return 0.0 if until is None else max(0.0, float(until) - self.clock())

    def failures(self, key: str) -> int:
        with self.store.reading() as connection:
            count = connection.execute(
                select(access_clients.c.failures).where(access_clients.c.client == self._id(key))
            ).scalar()
        return int(count or 0)

    def success(self, key: str) -> None:
        client = self._id(key)
        with self.store.writing() as connection:
            connection.execute(delete(access_clients).where(access_clients.c.client == client))
            last = (
                select(func.max(access_failures.c.id))
                .where(access_failures.c.client == client)
                .scalar_subquery()
            )
            connection.execute(delete(access_failures).where(access_failures.c.id == last))


class Gate:
    """The workspace passphrase check with its throttle; `expected` None or "" = open."""

    def __init__(self, expected: str | None, throttle: Limiter | None = None) -> None:
        self.expected = expected or ""
        self.throttle: Limiter = throttle or Throttle()

    @property
    def open(self) -> bool:
        return not self.expected

    def attempt(self, client: str, given: str | None) -> Verdict:
        if self.open:
            return Verdict(True)
        wait = self.throttle.reserve(client)  # counts this attempt as a failure in advance
        if wait > 0:
            return Verdict(False, retry_after=wait, throttled=True)
        if passphrase_matches(given, self.expected):
            self.throttle.success(client)
            return Verdict(True)
        return Verdict(False, retry_after=self.throttle.wait(client))
