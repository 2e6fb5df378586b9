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
from pydantic import BaseModel, ConfigDict, Field

from advisor.advice.moves import moves
from advisor.advice.plan import Plan
from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.menu import ADVOCATE, APPEARANCE, Menu
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
    within_caps: bool = Field(
        description="False when the table asked for what cannot be bought, left out of the "
        "projection: part of a creator, an advocate or an appearance (money buys whole ones), "
        "or units above an option's or a group's cap (the advocates the brief has, a few "
        "long-term creators per platform, a listed creator once)."
    )


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
    asked = _units(search, table)
    units = _buyable(search.options.menu, asked)
    menu = search.options.menu
    # advocates and their appearances at events come with the programme (its fixed cost)
    programme = bool(
        (units[(menu.relationship == ADVOCATE) | (menu.relationship == APPEARANCE)] > 0).any()
    )
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
        within_caps=bool(np.allclose(units, asked, rtol=0.0, atol=1e-6)),
    )


def _buyable(menu: Menu, units: np.ndarray) -> np.ndarray:
    """What `units` can buy: whole units (money buys whole creators, advocates and
    appearances; the rest stays unspent), at most each option's cap, and within each group's
    cap (the units above it left out, the options furthest down the menu first)."""
    out = np.minimum(np.floor(units + 1e-9), np.floor(menu.max_units + 1e-9))
    for gid, caps in menu.groups:
        for g in np.unique(gid[(gid >= 0) & (out > 0)]):
            over = float(out[gid == g].sum()) - float(np.floor(caps[g] + 1e-9))
            for i in np.flatnonzero(gid == g)[::-1]:
                if over <= 0:
                    break
                cut = min(out[i], over)
                out[i] -= cut
                over -= cut
    return out


@one_blas_thread
def certificate(
    brief: CampaignBrief,
    creators: Creators = None,
    assumptions: Assumptions | None = None,
    samples: int = SAMPLES,
) -> Certificate:
    """Every 10% move from the recommended allocation, projected on all the plan's draws, each
    within the universe of the platforms the moved plan buys (as `project_allocation` does)."""
    search = Search.of(brief, creators, assumptions, samples)
    best = search.best()
    found = moves(search, best)
    top = float(found.values.max()) if len(found.values) else 0.0
    return Certificate(objective_p50=best.objective_p50, best_move_p50=top, moves=len(found.values))
