"""Workspace access: a passphrase from the deployment's secrets, and a throttle on guessing.

    >>> gate = Gate("correct horse", Throttle(clock=lambda: 0.0))
    >>> gate.attempt("10.0.0.7", "wrong").allowed, gate.attempt("10.0.0.7", "correct horse").allowed
    (False, True)

With no passphrase configured the workspace is open. A wrong or missing passphrase gives
nothing; after `free_failures` failures from one client (its address) each further attempt must
wait twice as long as the last (1 s, 2 s, 4 s… up to `max_delay`), even with the right
passphrase, so guessing stays slow. The throttle is per process and thread-safe; several
replicas each keep their own, which multiplies an attacker's rate by the replica count only.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


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


class Throttle:
    """Exponential delay after repeated failures, per client key."""

    def __init__(
        self,
        free_failures: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        forget_after: float = 3600.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_clients = max_clients
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

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
            over = record.failures - self.free_failures
            delay = 0.0 if over <= 0 else min(self.max_delay, self.base_delay * 2 ** (over - 1))
            record.blocked_until = now + delay
            return delay

    def success(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

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


class Gate:
    """The workspace passphrase check with its throttle; `expected` None or "" = open."""

    def __init__(self, expected: str | None, throttle: Throttle | None = None) -> None:
        self.expected = expected or ""
        self.throttle = throttle or Throttle()

    @property
    def open(self) -> bool:
        return not self.expected

    def attempt(self, client: str, given: str | None) -> Verdict:
        if self.open:
            return Verdict(True)
        wait = self.throttle.wait(client)
        if wait > 0:
            return Verdict(False, retry_after=wait, throttled=True)
        if passphrase_matches(given, self.expected):
            self.throttle.success(client)
            return Verdict(True)
        return Verdict(False, retry_after=self.throttle.failure(client))
