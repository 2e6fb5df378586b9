"""Workspace passphrase and the throttle on guessing it (`advisor.store.access`).

Why: a hosted workspace lists nothing without its passphrase, and guessing it must get slower
with every wrong try, per client, safely under Streamlit's many session threads.
"""

from __future__ import annotations

import threading

import pytest

from advisor.store import access
from advisor.store.access import Gate, Throttle, passphrase_matches


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_passphrase_comparison_is_exact_and_constant_time(monkeypatch) -> None:
    calls = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert passphrase_matches("sésame ouvre-toi", "sésame ouvre-toi")
    assert not passphrase_matches("sésame", "sésame ouvre-toi")
    assert not passphrase_matches("", "x") and not passphrase_matches(None, "x")
    assert not passphrase_matches("Secret", "secret")
    assert len(calls) == 5


def test_no_passphrase_configured_means_an_open_workspace() -> None:
    for expected in (None, ""):
        gate = Gate(expected)
        assert gate.open and gate.attempt("anyone", None).allowed


def test_failures_are_free_then_doubling_delays_then_a_cap() -> None:
    clock = Clock()
    throttle = Throttle(free_failures=3, base_delay=1.0, max_delay=8.0, clock=clock)
    delays = [throttle.failure("a") for _ in range(8)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert throttle.wait("a") == 8.0
    clock.now += 5
    assert throttle.wait("a") == pytest.approx(3.0)
    assert throttle.wait("b") == 0.0  # per client
    throttle.success("a")
    assert throttle.wait("a") == 0.0 and throttle.failures("a") == 0


def test_the_gate_refuses_while_throttled_even_the_right_passphrase() -> None:
    clock = Clock()
    gate = Gate("open sesame", Throttle(free_failures=2, base_delay=2.0, clock=clock))
    assert not gate.attempt("ip1", "guess 1").allowed
    assert not gate.attempt("ip1", "guess 2").allowed
    third = gate.attempt("ip1", "guess 3")
    assert not third.allowed and third.retry_after == 2.0 and not third.throttled
    blocked = gate.attempt("ip1", "open sesame")
    assert not blocked.allowed and blocked.throttled and blocked.retry_after == 2.0
    assert gate.throttle.failures("ip1") == 3  # a refused attempt is not even checked
    assert gate.attempt("ip2", "open sesame").allowed  # another client is not slowed
    clock.now += 2.0
    assert gate.attempt("ip1", "open sesame").allowed
    assert gate.throttle.failures("ip1") == 0


def test_quiet_clients_are_forgotten_and_memory_is_capped() -> None:
    clock = Clock()
    throttle = Throttle(forget_after=60, max_clients=100, clock=clock)
    throttle.failure("old")
    clock.now += 61
    throttle.failure("new")
    assert throttle.failures("old") == 0 and throttle.failures("new") == 1
    for n in range(500):
        throttle.failure(f"c{n}")
    assert len(throttle._records) <= 100


def test_the_throttle_counts_exactly_under_threads() -> None:
    throttle = Throttle(free_failures=10**9)
    start = threading.Barrier(8)

    def hammer() -> None:
        start.wait()
        for _ in range(500):
            throttle.failure("shared")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.failures("shared") == 8 * 500
