"""Anyone can check a plan: project any allocation, and look for a better one.

- `allocation_frame(plan)`: the plan's own allocation as a table (relationship, platform,
  tier, handle, units, money): edit it, then
- `project_allocation(brief, table)`: project that table on the plan's draws: the goal's
  objective (p10/p50/p90), the money it spends and whether it fits the budget. Rows give
  `units` (creators, expected active advocates, appearances) or `money` (brief currency).
- `certificate(brief)`: every move of 10% of one line's money to another option, projected;
  the best improvement of the median objective it finds (the engine promises at most 1%).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from advisor.advice.plan import Plan
from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.coefficients import median_draws
from advisor.model.engine import MOVE, room
from advisor.model.menu import ADVOCATE, APPEARANCE
from advisor.model.projection import SAMPLES
from advisor.model.threads import one_blas_thread

KEY = ("relationship", "platform", "tier", "handle")


class AllocationProjection(BaseModel):
    """What an allocation buys, on the plan's draws."""

    model_config = ConfigDict(frozen=True)

    objective_p10: float
    objective_p50: float
    objective_p90: float
    spend: float  # brief currency, the programme's fixed cost included when it is funded
    programme: bool
    within_budget: bool


class Certificate(BaseModel):
    """The best 10% move found from the plan, and what it would change."""

    model_config = ConfigDict(frozen=True)

    objective_p50: float
    best_move_p50: float
    moves: int

    @property
    def improvement(self) -> float:
        """Relative change of the median objective from the best move (≤ 0.01 promised)."""
        if self.objective_p50 <= 0:
            return 0.0
        return self.best_move_p50 / self.objective_p50 - 1.0


def allocation_frame(plan: Plan) -> pd.DataFrame:
    """The plan's allocation, one row per line (the table `project_allocation` reads)."""
    return pd.DataFrame(
        [
            {
                "relationship": x.relationship,
                "platform": x.platform,
                "tier": x.tier,
                "handle": x.handle,
                "units": x.units,
                "money": x.spend,
            }
            for x in plan.lines
        ],
        columns=[*KEY, "units", "money"],
    )


def _units(search: Search, table: pd.DataFrame | Sequence[Mapping[str, object]]) -> np.ndarray:
    """Units per option of the search's menu for a table of lines."""
    frame = pd.DataFrame(table)
    opts, menu = search.options, search.options.menu
    index = {
        (*opts.names(i), opts.handles[i]): i for i in range(menu.size)
    }  # relationship, platform, tier, handle -> option
    units = np.zeros(menu.size)
    for row in frame.to_dict("records"):
        key = tuple(None if pd.isna(row.get(k)) else row.get(k) for k in KEY)
        if key not in index:
            raise ValueError(
                f"no such option in this brief's menu: {dict(zip(KEY, key, strict=True))}"
            )
        i = index[key]
        given = row.get("units")
        if given is None or pd.isna(given):
            given = float(row["money"]) / search.fx / max(float(menu.unit_cost[i]), 1e-9)
        units[i] += float(given)
    return units


@one_blas_thread
def project_allocation(
    brief: CampaignBrief,
    table: pd.DataFrame | Sequence[Mapping[str, object]],
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> AllocationProjection:
    """Project any allocation of the brief's options on the plan's draws (see the module)."""
    search = Search.of(brief, creators, assumptions, samples)
    units = _units(search, table)
    menu = search.options.menu
    programme = bool((units[menu.relationship == ADVOCATE] > 0).any())
    judged = search.evaluate(units, programme)
    out = search.deliver(judged).objective
    lo, mid, hi = np.percentile(out, [10, 50, 90])
    spend = judged.spend_usd * search.fx
    return AllocationProjection(
        objective_p10=round(float(lo), 2),
        objective_p50=round(float(mid), 2),
        objective_p90=round(float(hi), 2),
        spend=round(spend, 2),
        programme=programme,
        within_budget=spend <= brief.budget * (1 + 1e-9),
    )


@one_blas_thread
def certificate(
    brief: CampaignBrief,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Certificate:
    """Every 10% move from the recommended allocation, projected on all the plan's draws."""
    search = Search.of(brief, creators, assumptions, samples)
    best = search.best()
    menu, units = search.options.menu, best.units
    co = search.coefficients
    cost = menu.unit_cost
    spent = float(units @ cost) + (menu.fixed_usd if best.programme else 0.0)
    left = search.budget_usd - spent
    allowed = np.ones(menu.size, bool)
    if not best.programme:
        allowed = (menu.relationship != ADVOCATE) & (menu.relationship != APPEARANCE)
    space = np.where(allowed, room(menu, units), 0.0)
    top, moves = 0.0, 0
    for i in np.flatnonzero(units > 0):
        give = max(1.0, float(np.floor(MOVE * units[i])))
        take = np.minimum(np.floor((give * cost[i] + left) / np.maximum(cost, 1e-9) + 1e-9), space)
        take[i] = 0
        dst = np.flatnonzero(take >= 1)
        if not len(dst):
            continue
        state = co.moved(
            co.state(units), np.full(len(dst), i), np.full(len(dst), give), dst, take[dst]
        )
        values = median_draws(co.value(state))
        top, moves = max(top, float(values.max())), moves + len(dst)
    return Certificate(objective_p50=best.objective_p50, best_move_p50=top, moves=moves)
