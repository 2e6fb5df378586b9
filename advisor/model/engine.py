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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.model.coefficients import Coefficients, State, median_draws
from advisor.model.greedy import GREEDY_STEPS, greedy, room
from advisor.model.menu import ADVOCATE, APPEARANCE, INFLUENCER, Menu

GREEDY_DRAWS = 32  # draws the greedy and the local search decide on (the plan uses all)
POLISH_ROUNDS = 10
MOVE = 0.10  # the local search's move: 10% of a line's money to another option
SHARES = (MOVE, 3 * MOVE, 1.0)  # the local search also weighs 30% and whole lines
MOVE_TO, MOVE_FROM = 24, 16  # options and lines the local search weighs each round
SCREEN_ABOVE, SCREEN_DRAWS, SCREEN_KEEP = 256, 8, 64  # more moves: screened on 8 draws first


# --- the local search -------------------------------------------------------------------


def candidate_moves(
    menu: Menu,
    units: np.ndarray,
    left: float,
    space: np.ndarray,
    lines: np.ndarray,
    share: float = MOVE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate moves as (from, units given, to, units taken): `share` of a line's money (at
    least one unit) moved to an option with room (`space`: zero outside the candidates), and
    the unspent money spent on one (from = 0 with nothing given)."""
    cost = np.maximum(menu.unit_cost, 1e-9)
    give = np.maximum(1.0, np.floor(share * units[lines]))
    money = np.concatenate([give * cost[lines] + left, [left]])  # (L + 1,)
    take = np.minimum(np.floor(money[:, None] / cost[None, :] + 1e-9), space[None, :])
    take[np.arange(len(lines)), lines] = 0  # no move to itself
    src, dst = np.nonzero(take >= 1)
    from_line = src < len(lines)
    frm = np.where(from_line, np.concatenate([lines, [0]])[src], 0)
    given = np.where(from_line, np.concatenate([give, [0.0]])[src], 0.0)
    return frm, given, dst, take[src, dst]


def _candidates(
    menu: Menu, co: Coefficients, s: State, units: np.ndarray, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where the local search looks: the `MOVE_TO` options whose next unit is worth most per
    dollar (room elsewhere set to zero) and the `MOVE_FROM` lines whose last unit is worth
    least per dollar. On a list of hundreds of creators, every pair would be too many."""
    cost = np.maximum(menu.unit_cost, 1e-9)
    space = np.where(allowed, room(menu, units), 0.0)
    lines = np.flatnonzero(units > 0)
    open_ = np.flatnonzero(space >= 1)
    if len(open_) <= MOVE_TO and len(lines) <= MOVE_FROM:
        return space, lines
    now = co.value(s).mean()
    if len(open_) > MOVE_TO:
        gain = co.value(co.step_some(s, open_, np.ones(len(open_)))).mean(axis=0) - now
        keep = open_[np.argsort(-gain / cost[open_], kind="stable")[:MOVE_TO]]
        space = np.where(np.isin(np.arange(menu.size), keep), space, 0.0)
    if len(lines) > MOVE_FROM:
        loss = now - co.value(co.step_some(s, lines, -np.ones(len(lines)))).mean(axis=0)
        lines = np.sort(lines[np.argsort(loss / cost[lines], kind="stable")[:MOVE_FROM]])
    return space, lines


def _polish(
    menu: Menu,
    co: Coefficients,
    units: np.ndarray,
    budget: float,
    allowed: np.ndarray,
    shares: tuple[float, ...] | None = None,
) -> np.ndarray:
    """Local search on the median objective: take the best 10% (or 30%) move while it helps.
    Each candidate differs from the plan in two options, so its state is the plan's plus two
    columns (no matrix product)."""
    for _ in range(POLISH_ROUNDS):
        left = budget - float(units @ menu.unit_cost)
        s = co.state(units)
        space, lines = _candidates(menu, co, s, units, allowed)
        moves = [candidate_moves(menu, units, left, space, lines, x) for x in shares or SHARES]
        frm, give, dst, take = (np.concatenate(x) for x in zip(*moves, strict=True))
        share = np.concatenate(
            [np.full(len(m[0]), x) for m, x in zip(moves, shares or SHARES, strict=True)]
        )
        if not len(dst):
            break
        if len(dst) > SCREEN_ABOVE:  # a long list: the most promising moves on a few draws
            few = co.take(slice(0, SCREEN_DRAWS))
            screen = few.value(few.moved(s.rows(SCREEN_DRAWS), frm, give, dst, take)).mean(axis=0)
            keep = np.sort(np.argsort(-screen, kind="stable")[:SCREEN_KEEP])
            frm, give, dst, take, share = frm[keep], give[keep], dst[keep], take[keep], share[keep]
        now = float(median_draws(co.value(s))[0])
        values = median_draws(co.value(co.moved(s, frm, give, dst, take)))
        best = best_move(units, values, now, frm, give, dst, take)
        if best is None:
            break
        units, k = best
        move = (int(frm[k]), int(dst[k]), float(share[k]), bool(give[k] > 0))
        units = _repeated(menu, co, units, budget, allowed, move, float(values[k]))
    return units


def _repeated(
    menu: Menu,
    co: Coefficients,
    units: np.ndarray,
    budget: float,
    allowed: np.ndarray,
    move: tuple[int, int, float, bool],
    value: float,
) -> np.ndarray:
    """The local search's move (from, to, share, from a line or from the unspent money) taken
    again while it helps: a walk often repeats its move, and weighing it alone costs a
    fraction of a round (the next full round still weighs every move)."""
    frm, dst, share, from_line = move
    for _ in range(POLISH_ROUNDS):
        left = budget - float(units @ menu.unit_cost)
        space = np.zeros(menu.size)
        space[dst] = np.where(allowed[dst], room(menu, units)[dst], 0.0)
        lines = np.array([frm] if from_line and units[frm] > 0 else [], dtype=int)
        f, g, d, t = candidate_moves(menu, units, left, space, lines, share)
        if not len(d):
            break
        values = median_draws(co.value(co.moved(co.state(units), f, g, d, t)))
        best = best_move(units, values, value, f, g, d, t)
        if best is None:
            break
        units, j = best
        value = float(values[j])
    return units


def best_move(
    units: np.ndarray,
    values: np.ndarray,
    now: float,
    frm: np.ndarray,
    give: np.ndarray,
    dst: np.ndarray,
    take: np.ndarray,
) -> tuple[np.ndarray, int] | None:
    """The plan after the move with the best median objective `values`, and that move, when it
    helps by more than 0.01% of `now` (None: no move does)."""
    k = int(np.argmax(values))
    if values[k] <= now * (1 + 1e-4) + 1e-9:
        return None
    units = units.copy()
    units[frm[k]] -= give[k]
    units[dst[k]] += take[k]
    return units, k


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
    polish: bool = True,
    steps: int = GREEDY_STEPS,
) -> Allocation | None:
    """The best allocation found with the advocate programme funded or not (None when that
    cannot be: no advocates, or the programme's fixed cost is above the budget). `steps`: the
    greedy buys about 1/steps of the budget per step."""
    sub = co.take(slice(0, min(GREEDY_DRAWS, co.samples)))
    advocates = menu.relationship == ADVOCATE
    if programme and (not (menu.max_units[advocates] > 0).any() or menu.fixed_usd > budget_usd):
        return None
    allowed, money = scope(menu, programme, budget_usd)
    units = greedy(menu, sub, money, allowed, steps)
    if polish:
        units = _polish(menu, sub, units, money, allowed)
    if programme and not (units[advocates] > 0).any():
        return None  # a programme without advocates is the same plan as none, dearer
    return scored(menu, co, units, programme)


def scope(menu: Menu, programme: bool, budget_usd: float) -> tuple[np.ndarray, float]:
    """What a run may buy (advocates and appearances only with the programme) and the money it
    has for units (the budget less the programme's fixed cost when funded)."""
    is_adv = (menu.relationship == ADVOCATE) | (menu.relationship == APPEARANCE)
    allowed = np.ones(menu.size, bool) if programme else ~is_adv
    return allowed, budget_usd - (menu.fixed_usd if programme else 0.0)


def scored(menu: Menu, co: Coefficients, units: np.ndarray, programme: bool) -> Allocation:
    """`units` with their spend and their median objective on all of `co`'s draws."""
    value = float(median_draws(co.value(co.state(units)))[0])
    spend = float(units @ menu.unit_cost) + (menu.fixed_usd if programme else 0.0)
    return Allocation(units, programme, spend, value)


def refine(
    menu: Menu, co: Coefficients, a: Allocation, budget_usd: float, every_draw: bool = False
) -> Allocation:
    """`a` finished with the local search, same programme setting, on the engine's decision
    draws (`every_draw`: on all of `co`'s draws, the scale the plan is judged on)."""
    allowed, money = scope(menu, a.programme, budget_usd)
    sub = co if every_draw else co.take(slice(0, min(GREEDY_DRAWS, co.samples)))
    # on every draw, the certificate's own move (10% of a line) is the one weighed
    units = _polish(menu, sub, a.units, money, allowed, (MOVE,) if every_draw else None)
    return scored(menu, co, units, a.programme)


def allocate_runs(
    menu: Menu,
    co: Coefficients,
    budget_usd: float,
    polish: bool = True,
    steps: int = GREEDY_STEPS,
    known: Sequence[Allocation] = (),
) -> list[Allocation]:
    """The best allocation found without the programme and with it (those that can be).

    `known`: allocations already found for the same budget and draws on a menu with more
    options (e.g. every relationship, when this one is one family of them). One that fits this
    menu is its answer for its programme setting: the best found among more options, it is
    also the best found among these."""
    out = []
    for programme in (False, True):
        fits = [a for a in known if a.programme is programme and _fits(menu, a.units)]
        run = fits[0] if fits else allocate_run(menu, co, budget_usd, programme, polish, steps)
        if run is not None:
            out.append(run)
    return out


def _fits(menu: Menu, units: np.ndarray) -> bool:
    return bool((units <= menu.max_units + 1e-9).all())


def best_run(menu: Menu, co: Coefficients, runs: Sequence[Allocation]) -> Allocation:
    """The run with the best median objective (the empty allocation when there is none)."""
    best: Allocation | None = None
    for run in runs:
        if best is None or run.objective_p50 > best.objective_p50 * (1 + 1e-9):
            best = run
    return best if best is not None else scored(menu, co, np.zeros(menu.size), False)


def allocate(
    menu: Menu,
    co: Coefficients,
    budget_usd: float,
    polish: bool = True,
    steps: int = GREEDY_STEPS,
    known: Sequence[Allocation] = (),
) -> Allocation:
    """The allocation with the best median objective for `budget_usd`, with and without the
    advocate programme's fixed cost (`polish`: finish with the local search; `known`: see
    `allocate_runs`)."""
    return best_run(menu, co, allocate_runs(menu, co, budget_usd, polish, steps, known))


def short_burst_share(menu: Menu, a: Allocation) -> float:
    """Share of the money an allocation spends (the programme's fixed cost included) that goes
    to short-burst influencers (1.0 when it spends nothing)."""
    short = menu.relationship == INFLUENCER
    spent = a.spend_usd
    return round(float(a.units[short] @ menu.unit_cost[short]) / spent, 4) if spent > 0 else 1.0
