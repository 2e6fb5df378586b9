"""The engine's first pass: buy, step after step, the units whose next dollar adds most to the
goal's objective on the decision draws (see `advisor.model.engine` for the matrices and the
local search that finishes the plan)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.model.coefficients import Coefficients, State
from advisor.model.menu import FACE, Menu

GREEDY_STEPS = 24  # the greedy buys about 1/24 of the budget per step; the local search refines
LAZY_OPTIONS = 48  # options re-weighed each greedy step (all of them every REFRESH steps)
REFRESH = 8


def room(menu: Menu, units: np.ndarray) -> np.ndarray:
    """Units each option may still take under its own and its groups' caps."""
    out = menu.max_units - units
    for member, gid, caps in menu.group_members:
        used = np.bincount(gid, weights=units[member], minlength=len(caps))
        out[member] = np.minimum(out[member], caps[gid] - used[gid])
    return np.maximum(np.floor(out + 1e-9), 0.0)


def greedy(
    menu: Menu,
    co: Coefficients,
    budget: float,
    allowed: np.ndarray,
    steps: int = GREEDY_STEPS,
) -> np.ndarray:
    """Buy, step after step, the units with the most objective per dollar (mean over draws).
    Each step weighs a small and a large purchase so options that only pay at scale are seen;
    listed creators (one unit each) are bought a step's money at a time, best first. A step
    re-weighs the options whose last value per dollar was highest (the next dollar is worth
    less as the plan grows), and every option every `REFRESH` steps."""
    units = np.zeros(menu.size)
    left = budget
    cost = np.maximum(menu.unit_cost, 1e-9)
    step_money = budget / steps
    single = (menu.max_units <= 1) & (menu.relationship != FACE)
    bound = np.full(menu.size, np.inf)
    s = co.state(units)
    current = float(co.value(s).mean())
    for step in range(20 * steps):
        afford = np.minimum(np.where(allowed, room(menu, units), 0.0), np.floor(left / cost + 1e-9))
        live = np.flatnonzero(afford >= 1)
        if not len(live):
            break
        idx = live
        if step % REFRESH and len(live) > LAZY_OPTIONS:
            idx = live[np.argsort(-bound[live], kind="stable")[:LAZY_OPTIONS]]
        w = _weigh(co, s, current, idx, afford[idx], cost[idx], step_money)
        ratio, delta, scale, bound[idx] = w.ratio, w.delta, w.scale, w.upper
        if ratio.max() <= 1e-12:
            if len(idx) == len(live):
                extra = _bundle(menu, co, units, current, live, afford, cost, step_money, left)
                if extra is None:
                    break
                units += extra
                left -= float(extra @ cost)
                s = co.state(units)
                current = float(co.value(s).mean())
                continue
            bound[idx] = ratio  # nothing among the best: weigh every option next step
            bound[np.setdiff1d(live, idx)] = np.inf
            continue
        bought = _batch(menu, idx, ratio, delta * cost[idx], single, min(scale * step_money, left))
        for k in bought:
            units[idx[k]] += delta[k]
            left -= delta[k] * cost[idx[k]]
        if len(bought) == 1:  # the state weighed already is the new plan's
            s, current = w.chosen(bought[0])
        else:
            s = co.state(units)
            current = float(co.value(s).mean())
    return units


def _bundle(
    menu: Menu,
    co: Coefficients,
    units: np.ndarray,
    current: float,
    live: np.ndarray,
    afford: np.ndarray,
    cost: np.ndarray,
    step_money: float,
    left: float,
) -> np.ndarray | None:
    """When no option adds anything alone (e.g. reached 3+ times: one listed creator's posts
    reach nobody three times, several together do), several bought together: the options with
    the most people reached per dollar, four steps' money or all the money left, whichever
    adds more per dollar (None when neither adds anything)."""
    reach = -co.log_missed[:, live].mean(axis=0) / cost[live]
    order = live[np.argsort(-reach, kind="stable")].tolist()
    want = np.minimum(afford, np.maximum(1.0, np.floor(step_money / cost))).tolist()
    prices = cost.tolist()
    best, best_ratio = None, 1e-12
    for money in (min(4.0 * step_money, left), left):
        extra = np.zeros(menu.size)
        spent = 0.0
        # the groups' caps as `room` reads them, kept up to date as the bundle grows
        used = [
            np.bincount(gid[gid >= 0], weights=units[gid >= 0], minlength=len(caps)).tolist()
            for gid, caps in menu.groups
        ]
        for o in order:
            fits = min(want[o], np.floor((left - spent) / prices[o]))
            for (gid, caps), u in zip(menu.groups, used, strict=True):
                if gid[o] >= 0:
                    fits = min(fits, np.floor(caps[gid[o]] - u[gid[o]] + 1e-9))
            if fits < 1:
                continue
            extra[o] = fits
            spent += fits * prices[o]
            for (gid, _), u in zip(menu.groups, used, strict=True):
                if gid[o] >= 0:
                    u[gid[o]] += fits
            if spent >= money:
                break
        if spent <= 0:
            continue
        gain = float(co.value(co.state(units + extra)).mean()) - current
        if gain / spent > best_ratio:
            best, best_ratio = extra, gain / spent
    return best


@dataclass(frozen=True)
class _Weighed:
    """One greedy step's candidates: per option, the objective per dollar of the better scale
    (`ratio`), its units (`delta`), that scale, the best ratio of either scale (`upper`: the
    lazy greedy's bound), and the projected states and mean objectives of the chosen scale's
    candidates (column `offset + k` for option k)."""

    ratio: np.ndarray
    delta: np.ndarray
    scale: float
    upper: np.ndarray
    states: State
    means: np.ndarray
    offset: int

    def chosen(self, k: int) -> tuple[State, float]:
        """The state and mean objective after buying option k's `delta` alone."""
        j = self.offset + k
        return self.states.column(j), float(self.means[j])


def _weigh(
    co: Coefficients,
    s: State,
    current: float,
    idx: np.ndarray,
    afford: np.ndarray,
    cost: np.ndarray,
    step_money: float,
) -> _Weighed:
    """A greedy step's two purchases per option, a step's money and four steps' money (at
    least one unit, at most what is affordable), weighed in one projection."""
    small = np.clip(np.floor(step_money / cost), 1, afford)
    large = np.clip(np.floor(4.0 * step_money / cost), 1, afford)
    if np.array_equal(small, large):  # one unit either way (listed creators)
        states = co.step_some(s, idx, small)
        means = co.value(states).mean(axis=0)
        ratio = (means - current) / (small * cost)
        return _Weighed(ratio, small, 1.0, ratio, states, means, 0)
    both = np.concatenate([small, large])
    states = co.step_some(s, np.concatenate([idx, idx]), both)
    means = co.value(states).mean(axis=0)
    ratio = (means - current) / (both * np.concatenate([cost, cost]))
    r_small, r_large = ratio[: len(idx)], ratio[len(idx) :]
    upper = np.maximum(r_small, r_large)
    if r_large.max() > r_small.max():
        return _Weighed(r_large, large, 4.0, upper, states, means, len(idx))
    return _Weighed(r_small, small, 1.0, upper, states, means, 0)


def _batch(
    menu: Menu,
    idx: np.ndarray,
    ratio: np.ndarray,
    money: np.ndarray,
    single: np.ndarray,
    step_money: float,
) -> list[int]:
    """The step's purchase: the best option, and when it is a listed creator, the next best
    listed creators (distinct people, still worth half as much per dollar) up to the step's
    money."""
    order = np.argsort(-ratio, kind="stable")
    first = int(order[0])
    if not single[idx[first]]:
        return [first]
    taken, spent, rows = [first], float(money[first]), {int(menu.row[idx[first]])}
    for k in order[1:]:
        k = int(k)
        if ratio[k] < 0.5 * ratio[first] or ratio[k] <= 0 or spent + money[k] > step_money:
            break
        row = int(menu.row[idx[k]])
        if not single[idx[k]] or row in rows:
            continue
        taken.append(k)
        spent += float(money[k])
        rows.add(row)
    return taken
