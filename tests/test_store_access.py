"""Workspace passphrase and the throttle on guessing it (`advisor.store.access`).

Why: a hosted workspace lists nothing without its passphrase, and guessing it must get slower
with every wrong try, per client, safely under Streamlit's many session threads; no header a
client writes may make it someone else, every replica must count the same guesses, and a
ceiling holds however many addresses the guesses come from.
"""

from __future__ import annotations

import threading

import pytest

from advisor.store import access, open_store
from advisor.store.access import Gate, SharedThrottle, Throttle, passphrase_matches
from tests import test_store

url = test_store.url  # the fixture: an empty SQLite database, and PostgreSQL when configured


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


# --- who the client is ------------------------------------------------------------------------

PROXIES = access.trusted_networks("10.0.0.5, 10.1.0.0/16 ; fd00::/8, not-an-address")


def test_trusted_proxies_are_parsed_and_nonsense_ignored() -> None:
    assert [str(n) for n in PROXIES] == ["10.0.0.5/32", "10.1.0.0/16", "fd00::/8"]
    assert access.trusted_networks(None) == () and access.trusted_networks("") == ()


def test_a_direct_client_is_its_socket_address_whatever_its_headers_say() -> None:
    for forwarded in ([], ["1.2.3.4"], ["1.2.3.4, 5.6.7.8"], ["garbage"]):
        assert access.client_address("203.0.113.7", forwarded) == "203.0.113.7"
        # trusting some proxies changes nothing for a peer that is not one of them
        assert access.client_address("203.0.113.7", forwarded, PROXIES) == "203.0.113.7"
    assert access.client_address(None, ["1.2.3.4"]) == "127.0.0.1"  # Streamlit: loopback
    assert access.client_address("::ffff:203.0.113.7") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_counts() -> None:
    # the client wrote "6.6.6.6"; the proxy appended the address it saw
    assert access.client_address("10.0.0.5", ["6.6.6.6, 198.51.100.9"], PROXIES) == "198.51.100.9"
    # two trusted hops (header values in order, then hops right to left)
    chain = ["6.6.6.6", "198.51.100.9, 10.1.2.3"]
    assert access.client_address("10.0.0.5", chain, PROXIES) == "198.51.100.9"
    # garbage right of the proxy's hop: stop at the last proxy, never believe the left part
    assert access.client_address("10.0.0.5", ["6.6.6.6, junk"], PROXIES) == "10.0.0.5"
    assert access.client_address("10.0.0.5", [], PROXIES) == "10.0.0.5"
    assert access.client_address("10.0.0.5", ["[2001:db8:1:2::99]:443"], PROXIES) == (
        "2001:db8:1:2::/64"
    )


def test_ipv6_clients_count_per_64_network() -> None:
    a = access.client_address("2001:db8:1:2::1")
    b = access.client_address("2001:db8:1:2:ffff::7")
    assert a == b == "2001:db8:1:2::/64"
    assert access.client_address("2001:db8:1:3::1") != a


def test_the_in_memory_throttle_has_a_global_ceiling() -> None:
    clock = Clock()
    gate = Gate("right", Throttle(per_minute=5, clock=clock))
    checked = [not gate.attempt(f"10.9.0.{n}", "wrong").throttled for n in range(20)]
    assert sum(checked) == 5
    clock.now += 61
    assert gate.attempt("10.9.0.200", "right").allowed


# --- the throttle every replica shares (in the database) ------------------------------------


@pytest.fixture
def shared(url: str):
    """Two store objects on one database (SQLite, PostgreSQL): two replicas of the app."""
    replicas = [open_store(url), open_store(url)]
    yield replicas
    for replica in replicas:
        replica.dispose()


def checked_guesses(gate: Gate, clients: list[str]) -> int:
    """How many of these attempts had their (wrong) passphrase actually compared."""
    return sum(not gate.attempt(client, "wrong guess").throttled for client in clients)


def test_rotating_x_forwarded_for_gets_no_more_guesses(shared) -> None:
    clock = Clock()
    gate = Gate("right", SharedThrottle(shared[0], free_failures=3, clock=clock))
    rotating = [access.client_address("203.0.113.7", [f"10.{n}.0.1"]) for n in range(100)]
    # three free failures, the fourth is compared and blocks; the next 96 are not compared
    assert checked_guesses(gate, rotating) == 4
    # behind a trusted proxy the client still cannot choose who it is
    proxied = [
        access.client_address("10.0.0.5", [f"10.{n}.0.1, 198.51.100.9"], PROXIES)
        for n in range(100)
    ]
    assert checked_guesses(gate, proxied) == 4
    refused = gate.attempt(proxied[0], "right")
    assert refused.throttled and refused.retry_after == pytest.approx(1.0)


def test_two_replicas_share_the_count(shared) -> None:
    clock = Clock()
    one, two = (Gate("right", SharedThrottle(r, clock=clock)) for r in shared)
    assert sum(checked_guesses(g, ["198.51.100.9"]) for g in [one, two, one, two, one]) == 4
    assert two.throttle.wait("198.51.100.9") == pytest.approx(1.0)
    assert one.throttle.failures("198.51.100.9") == 4
    clock.now += 1.0
    assert two.attempt("198.51.100.9", "right").allowed  # the right one, once the wait is over
    assert one.throttle.failures("198.51.100.9") == 0


def test_the_global_ceiling_holds_across_clients_and_replicas(shared) -> None:
    clock = Clock()
    gates = [Gate("right", SharedThrottle(r, per_minute=10, clock=clock)) for r in shared]
    clients = [f"198.51.{n}.1" for n in range(40)]  # forty addresses, one guess each
    assert sum(checked_guesses(gates[n % 2], [c]) for n, c in enumerate(clients)) == 10
    late = gates[1].attempt("192.0.2.1", "right")  # even the right one waits its turn
    assert late.throttled and 0 < late.retry_after <= 60
    clock.now += 61  # a minute later the window has moved on
    assert gates[0].attempt("192.0.2.1", "right").allowed
    # a right passphrase gives its slot back: it was not a failed guess
    assert checked_guesses(gates[0], [f"203.0.{n}.1" for n in range(20)]) == 10


def test_concurrent_guesses_cannot_slip_through_together(shared) -> None:
    clock = Clock()
    throttles = [SharedThrottle(r, per_minute=12, clock=clock) for r in shared]
    start = threading.Barrier(6)
    checked: list[int] = []
    lock = threading.Lock()

    def guesser(n: int) -> None:
        gate = Gate("right", throttles[n % 2])
        start.wait(timeout=60)
        count = checked_guesses(gate, [f"198.{n}.{m}.1" for m in range(8)])
        with lock:
            checked.append(count)

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert sum(checked) == 12  # exactly the ceiling, not a guess more
