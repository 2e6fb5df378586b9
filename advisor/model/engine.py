"""The allocation engine: what every option buys, on every Monte Carlo draw, as matrices.

An *option* is something a plan can buy units of: a platform x tier x relationship cell of
benchmark archetypes, or one creator of an analyst's list. Its units enter the projection
linearly in the exponent (random duplication, Sainsbury): with `c` the units bought,

- people missed by everybody: log P(0) = sum_o c_o L[s, o];
- people reached 0, 1 or 2 times (for effective frequency): the truncated logarithm of the
  generating function, three sums sum_o c_o A_k[g, s, o] per purchase-cycle window g;
- engagements, entries, clicks and people met in person: sums sum_o c_o X[s, o].

So one matrix product projects any number of candidate allocations at once (`Coefficients`),
and a greedy buys, step after step, the units whose next dollar adds most to the goal's
objective, then a local search moves money between lines until no 10% move helps (`allocate`).
The programme's fixed cost (set-up and platform) is decided by running both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.model.coefficients import Coefficients
from advisor.model.menu import ADVOCATE, APPEARANCE, INFLUENCER, Menu

GREEDY_STEPS = 40  # the greedy buys about 1/40 of the budget per step, then refines
GREEDY_DRAWS = 64  # draws the greedy and the local search decide on (the plan uses all)
POLISH_ROUNDS = 10
MOVE = 0.10  # the local search's move: 10% of a line's money to another option


# --- buying ---------------------------------------------------------------------------------


def room(menu: Menu, units: np.ndarray) -> np.ndarray:
    """Units each option may still take under its own and its groups' caps."""
    out = menu.max_units - units
    for gid, caps in menu.groups:
        member = gid >= 0
        used = np.bincount(gid[member], weights=units[member], minlength=len(caps))
        left = np.full(menu.size, np.inf)
        left[member] = caps[gid[member]] - used[gid[member]]
        out = np.minimum(out, left)
    return np.maximum(np.floor(out + 1e-9), 0.0)


def _greedy(
    menu: Menu,
    co: Coefficients,
    budget: float,
    allowed: np.ndarray,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """Buy, step after step, the units with the most objective per dollar (mean over draws),
    from `start` with `budget` more; each step weighs a small and a large purchase so options
    that only pay at scale are seen."""
    units = np.zeros(menu.size) if start is None else start.copy()
    left = budget
    cost = menu.unit_cost
    step_money = budget / GREEDY_STEPS
    s = co.state(units)
    current = float(co.value(s).mean())
    for _ in range(20 * GREEDY_STEPS):
        space = np.where(allowed, room(menu, units), 0.0)
        afford = np.minimum(space, np.floor(left / np.maximum(cost, 1e-9) + 1e-9))
        if not (afford >= 1).any():
            break
        best = (0.0, -1, 0.0)
        for scale in (1.0, 4.0):
            delta = np.clip(np.floor(scale * step_money / np.maximum(cost, 1e-9)), 1, afford)
            delta = np.where(afford >= 1, delta, 0.0)
            gain = co.value(co.step(s, delta)).mean(axis=0) - current
            ratio = np.where(delta > 0, gain / np.maximum(delta * cost, 1e-9), -np.inf)
            j = int(np.argmax(ratio))
            if ratio[j] > best[0]:
                best = (float(ratio[j]), j, float(delta[j]))
        if best[1] < 0 or best[0] <= 1e-12:
            break
        _, j, dj = best
        units[j] += dj
        left -= dj * cost[j]
        s = co.state(units)
        current = float(co.value(s).mean())
    return units


def _moves(
    menu: Menu, units: np.ndarray, left: float, allowed: np.ndarray, share: float = MOVE
) -> np.ndarray:
    """Candidate allocations (O, K): 10% of a line's money (at least one unit) moved to any
    other option, and the unspent money spent on any option."""
    cost = np.maximum(menu.unit_cost, 1e-9)
    space = np.where(allowed, room(menu, units), 0.0)
    cols = []
    for i in np.flatnonzero(units > 0):
        give = max(1.0, np.floor(share * units[i]))
        money = give * cost[i] + left
        take = np.minimum(np.floor(money / cost + 1e-9), space)
        take[i] = 0
        for j in np.flatnonzero(take >= 1):
            col = units.copy()
            col[i] -= give
            col[j] += take[j]
            cols.append(col)
    take = np.minimum(np.floor(left / cost + 1e-9), space)
    for j in np.flatnonzero(take >= 1):
        col = units.copy()
        col[j] += take[j]
        cols.append(col)
    return np.array(cols).T if cols else np.zeros((menu.size, 0))


def _polish(
    menu: Menu, co: Coefficients, units: np.ndarray, budget: float, allowed: np.ndarray
) -> np.ndarray:
    """Local search on the median objective: take the best 10% move while it helps."""
    for _ in range(POLISH_ROUNDS):
        left = budget - float(units @ menu.unit_cost)
        cand = np.concatenate(
            [_moves(menu, units, left, allowed, share) for share in (MOVE, 3 * MOVE)], axis=1
        )
        if cand.shape[1] == 0:
            break
        now = float(np.median(co.value(co.state(units))))
        values = np.median(co.value(co.state(cand)), axis=0)
        j = int(np.argmax(values))
        if values[j] <= now * (1 + 1e-4) + 1e-9:
            break
        units = cand[:, j]
    return units


@dataclass(frozen=True)
class Allocation:
    """Units bought per option, whether the programme is funded, and the money spent."""

    units: np.ndarray
    programme: bool
    spend_usd: float
    objective_p50: float


def allocate_run(
    menu: Menu,
    co: Coefficients,
    budget_usd: float,
    programme: bool,
    side_budgets: tuple[float, float] | None = None,
) -> Allocation | None:
    """The best allocation found with the advocate programme funded or not (None when that
    cannot be: no advocates, or the programme's fixed cost is above the budget)."""
    sub = co.take(slice(0, min(GREEDY_DRAWS, co.samples)))
    is_adv = (menu.relationship == ADVOCATE) | (menu.relationship == APPEARANCE)
    advocates = menu.relationship == ADVOCATE
    if programme and (not (menu.max_units[advocates] > 0).any() or menu.fixed_usd > budget_usd):
        return None
    allowed = ~is_adv if not programme else np.ones(menu.size, bool)
    money = budget_usd - (menu.fixed_usd if programme else 0.0)
    if side_budgets is None:
        units = _greedy(menu, sub, money, allowed)
        units = _polish(menu, sub, units, money, allowed)
    else:
        units = _sides(menu, sub, side_budgets, programme, allowed)
    if programme and not (units[advocates] > 0).any():
        return None  # a programme without advocates is the same plan as none, dearer
    value = float(np.median(co.value(co.state(units))))
    spend = float(units @ menu.unit_cost) + (menu.fixed_usd if programme else 0.0)
    return Allocation(units, programme, spend, value)


def allocate(
    menu: Menu,
    co: Coefficients,
    budget_usd: float,
    side_budgets: tuple[float, float] | None = None,
) -> Allocation:
    """The allocation with the best median objective for `budget_usd`, with and without the
    advocate programme's fixed cost. `side_budgets` (short-burst influencers; long-term paid
    creators, advocates and appearances) constrains how much each side may spend."""
    best: Allocation | None = None
    for programme in (False, True):
        run = allocate_run(menu, co, budget_usd, programme, side_budgets)
        if run is not None and (
            best is None or run.objective_p50 > best.objective_p50 * (1 + 1e-9)
        ):
            best = run
    if best is None:
        zero = np.zeros(menu.size)
        best = Allocation(zero, False, 0.0, float(np.median(co.value(co.state(zero)))))
    return best


def _sides(
    menu: Menu,
    co: Coefficients,
    side_budgets: tuple[float, float],
    programme: bool,
    allowed: np.ndarray,
) -> np.ndarray:
    """Each side buys with its own money (the influencer side first, then the other side
    on top of it), for the split curve."""
    short = menu.relationship == INFLUENCER
    inf_money, other_money = side_budgets
    units = _greedy(menu, co, inf_money, allowed & short)
    if programme:
        other_money -= menu.fixed_usd
    if other_money <= 0:
        return units
    return _greedy(menu, co, other_money, allowed & ~short, start=units)
