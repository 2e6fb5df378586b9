"""What would change the answer: the recommendation across budget x duration x advocates.

Every cell is a full allocation by the same engine as `recommend()` (on fewer draws), so the
grid can never disagree with the plan: the brief's own cell is the plan's own choice.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from advisor.advice.facts import FACTOR_SAMPLES
from advisor.advice.plan import Strategy, strategy_of
from advisor.advice.search import Creators, Search
from advisor.model.assumptions import Assumptions
from advisor.model.brief import CampaignBrief
from advisor.model.engine import Allocation, allocate_run, best_run, scored, short_burst_share
from advisor.model.threads import one_blas_thread

BUDGET_FACTORS = (0.5, 1.0, 2.0)
WEEK_STEPS = (4, 8, 13, 26, 52)


class WhatIfCell(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    budget: float
    weeks: int
    advocates: int
    influencer_share: float = Field(ge=0, le=1)
    strategy: Strategy
    objective: float = Field(ge=0)
    change: float | None = Field(description="Objective relative to the brief's own cell.")
    is_brief: bool


class WhatIfGrid(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    brief: CampaignBrief
    budgets: list[float]
    weeks: list[int]
    advocates: list[int]
    cells: list[WhatIfCell]

    def cell(self, budget: float, weeks: int, advocates: int) -> WhatIfCell:
        return next(
            c
            for c in self.cells
            if c.budget == budget and c.weeks == weeks and c.advocates == advocates
        )

    def changes(self) -> list[WhatIfCell]:
        """Cells where the recommended strategy differs from the brief's, nearest first."""
        own = next(c for c in self.cells if c.is_brief)
        return sorted(
            (c for c in self.cells if c.strategy is not own.strategy),
            key=lambda c: (
                abs(self.budgets.index(c.budget) - self.budgets.index(own.budget))
                + abs(self.weeks.index(c.weeks) - self.weeks.index(own.weeks))
                + abs(self.advocates.index(c.advocates) - self.advocates.index(own.advocates))
            ),
        )


def _without_programme(search: Search, other: Search, found: Allocation) -> Allocation:
    """The run without the programme found for the same weeks and budget with another count
    of advocates, bought on `search`'s menu: without the programme no advocate is bought, and
    the brief's advocates change nothing else (the same greedy and local search)."""
    menu = search.options.menu
    units = menu.units_from(other.options.menu, found.units)
    assert units is not None  # the options without the programme are on every count's menu
    return scored(menu, search.decision, units, False)


def advocate_steps(advocates: int) -> list[int]:
    more = max(advocates * 5, 500)
    return sorted({0, advocates, more})


@one_blas_thread
def what_if_grid(
    brief: CampaignBrief,
    assumptions: Assumptions | None = None,
    creators: Creators = None,
    samples: int = FACTOR_SAMPLES,
) -> WhatIfGrid:
    """Best split and objective for each nearby brief; `change` compares with the brief's cell."""
    base = Search.of(brief, creators, assumptions, samples)
    budgets = [round(brief.budget * f, 2) for f in BUDGET_FACTORS]
    weeks = sorted({*WEEK_STEPS, brief.weeks})
    advocates = advocate_steps(brief.advocates)
    raw = []
    without: dict[tuple[int, float], tuple[Search, Allocation]] = {}
    last: dict[int, Search] = {}  # per duration, its search with the previous advocates
    for a in advocates:
        for w in weeks:
            # one menu and one set of matrices serve every budget of the same brief (and every
            # count of advocates whose menu differs only in caps: `Search.variant`)
            search = last.get(w, base).variant(
                brief.model_copy(update={"weeks": w, "advocates": a})
            )
            last[w] = search
            menu = search.options.menu
            for b in budgets:
                if (w, b) not in without:
                    first = allocate_run(menu, search.decision, b / search.fx, False)
                    assert first is not None  # without the programme there is always a run
                    without[(w, b)] = (search, first)
                other, first = without[(w, b)]
                run = first if other is search else _without_programme(search, other, first)
                runs = [run, allocate_run(menu, search.decision, b / search.fx, True)]
                found = best_run(menu, search.decision, [r for r in runs if r is not None])
                # the plan's own definition: the programme's fixed cost is money spent too
                raw.append((b, w, a, short_burst_share(menu, found), found.objective_p50))
    own = next(
        r
        for r in raw
        if r[0] == round(brief.budget, 2) and r[1] == brief.weeks and r[2] == brief.advocates
    )
    cells = [
        WhatIfCell(
            budget=b,
            weeks=w,
            advocates=a,
            influencer_share=share,
            strategy=strategy_of(share),
            objective=round(value, 2),
            change=(value / own[4] - 1.0) if own[4] > 0 else None,
            is_brief=(b, w, a) == own[:3],
        )
        for b, w, a, share, value in raw
    ]
    return WhatIfGrid(brief=brief, budgets=budgets, weeks=weeks, advocates=advocates, cells=cells)
