"""The certificate's moves, each valued as `Search.evaluate` values an allocation: within the
duplication universe of the platforms the moved allocation buys.

A plan that buys only the platforms that saturate early (e.g. blogs, above about 3.3M people)
is judged on their smaller universe; a 10% move to another platform changes the universe the
moved plan is judged on. Valuing every move on the plan's own matrices would mis-state both
kinds of move, so the moves are grouped by the universe they land in, and each group is
projected on that universe's matrices (`Search.universe`). `certify.certificate` reports the
best move; `walk` takes the best move while it helps (the engine's last step when the brief's
platforms saturate at different sizes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from advisor.model.coefficients import median_draws
from advisor.model.engine import (
    POLISH_ROUNDS,
    Allocation,
    best_move,
    candidate_moves,
    room,
    scope,
)
from advisor.model.menu import ADVOCATE, APPEARANCE

if TYPE_CHECKING:
    from advisor.advice.search import Search


@dataclass(frozen=True)
class Moves:
    """Every 10% move from an allocation: from line `frm` give `give` units, to option `dst`
    take `take` units; `values`: each moved allocation's median objective on all draws, on
    its own universe; `now`: the allocation's own, valued the same way."""

    frm: np.ndarray
    give: np.ndarray
    dst: np.ndarray
    take: np.ndarray
    values: np.ndarray
    now: float


def moves(search: Search, a: Allocation) -> Moves:
    """The certificate's moves from `a`: 10% of a line's units (at least one) and the unspent
    money, to any option with room that the allocation's programme setting allows (the local
    search's own moves, `candidate_moves`, from every line)."""
    menu, units = search.options.menu, a.units
    allowed, money = scope(menu, a.programme, search.budget_usd)
    left = money - float(units @ menu.unit_cost)
    space = np.where(allowed, room(menu, units), 0.0)
    frm, give, dst, take = candidate_moves(menu, units, left, space, np.flatnonzero(units > 0))
    line = give > 0  # not the unspent money's own moves (no line gives anything)
    frm, give, dst, take = frm[line], give[line], dst[line], take[line]
    values = np.zeros(len(dst))
    landing = _landing(search, units, frm, give, dst)
    for key in np.unique(landing):
        mine = np.flatnonzero(landing == key)
        co = search.universe(_platforms(key))
        state = co.moved(co.state(units), frm[mine], give[mine], dst[mine], take[mine])
        values[mine] = median_draws(co.value(state))
    own = search.universe(_platforms(_mask(search, units)))
    now = float(median_draws(own.value(own.state(units)))[0])
    return Moves(frm, give, dst, take, values, now)


def walk(search: Search, a: Allocation) -> Allocation:
    """`a` after taking the best move (valued on its own universe) while it helps by more
    than 0.01%, judged as any allocation is (`Search.evaluate`)."""
    units = a.units
    advocate = search.options.menu.relationship == ADVOCATE
    for _ in range(2 * POLISH_ROUNDS):
        found = moves(search, Allocation(units, a.programme, 0.0, 0.0))
        values = found.values
        if a.programme:  # a funded programme keeps advocates (the engine's runs never drop them)
            left = units[advocate].sum() - found.give * advocate[found.frm]
            values = np.where(left + found.take * advocate[found.dst] > 0, values, -np.inf)
        if not len(values):
            break
        best = best_move(units, values, found.now, found.frm, found.give, found.dst, found.take)
        if best is None:
            break
        units = best[0]
    if units is a.units:
        return a
    return search.evaluate(units, a.programme)


def _mask(search: Search, units: np.ndarray) -> int:
    """The platforms an allocation's creators post on, as a bit mask."""
    menu = search.options.menu
    posting = (units > 0) & (menu.relationship != APPEARANCE)
    return int(np.bitwise_or.reduce(1 << menu.platform[posting], initial=0))


def _landing(
    search: Search, units: np.ndarray, frm: np.ndarray, give: np.ndarray, dst: np.ndarray
) -> np.ndarray:
    """Each move's platforms after it (bit masks): the line's platform is left when the move
    empties the last line posting on it, the option's joins when it posts."""
    menu = search.options.menu
    posting = menu.relationship != APPEARANCE
    bought = (units > 0) & posting
    lines_on = np.bincount(menu.platform[bought], minlength=8)
    out = np.full(len(dst), _mask(search, units), dtype=np.int64)
    emptied = posting[frm] & (units[frm] - give <= 0) & (lines_on[menu.platform[frm]] == 1)
    out[emptied] &= ~(1 << menu.platform[frm[emptied]])
    out[posting[dst]] |= 1 << menu.platform[dst[posting[dst]]]
    return out


def _platforms(mask: int | np.integer) -> np.ndarray:
    bits = int(mask)
    return np.array([p for p in range(bits.bit_length()) if bits >> p & 1], dtype=np.intp)
