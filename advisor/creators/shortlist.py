"""Budget-optimal creator shortlist, solved with HiGHS (scipy.optimize.milp).

Why the objective is exact and linear: under random duplication the plan's unique reach is
N * (1 - prod(1 - r_i/N)) = N * (1 - exp(-sum w_i / N)) with w_i = -N * log(1 - r_i/N).
That is increasing in sum(w_i), so maximising the linear sum of w_i over the chosen creators
maximises deduplicated reach itself. For a contest the objective is engagements, already linear.

Why a core: on 100,000 creators HiGHS spends its time proving optimality among creators no
good solution would ever use. The integer problem is therefore solved on a *core* (per
relationship and platform, the best gain-per-cost creators until twice the budget is covered,
plus enough for every minimum), and the LP relaxation of the *full* list gives an upper bound:
`bound_gap` is the proven distance of the shortlist from the best possible one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from advisor.creators.table import PLATFORMS, CreatorTable, creator_table, expected_reach
from advisor.model.assumptions import Assumptions, ModelFigures
from advisor.model.brief import CampaignBrief, Goal, Platform
from advisor.model.currency import per_usd
from advisor.model.economics import advocate_cost, advocate_timing, programme_fixed

if TYPE_CHECKING:
    from advisor.creators.ingest import CreatorLoad


class ShortlistRules(BaseModel):
    """Constraints the analyst sets on the shortlist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_share_per_creator: float = Field(
        0.25, gt=0, le=1, description="Largest share of a relationship's budget on one creator."
    )
    exclude_flagged: bool = True
    min_ambassadors: int = Field(0, ge=0)
    min_per_platform: dict[Platform, int] = Field(default_factory=dict)
    max_per_platform: dict[Platform, int] = Field(default_factory=dict)
    objective: str | None = Field(
        None, description="'reach' or 'engagements'; default from the goal."
    )
    time_limit: float = Field(5.0, gt=0)
    mip_gap: float = Field(
        2e-4, gt=0, lt=1, description="Relative gap at which the solver stops proving."
    )


class Shortlist(BaseModel):
    """The chosen creators and what the solver proved about them.

    `creators` is the chosen rows of the `CreatorTable` (as they are, for `recommend`);
    `table` is the same rows for display, with `posts`, `expected_reach`,
    `expected_engagements` and `campaign_cost_usd` added."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    table: pd.DataFrame
    creators: CreatorTable
    status: str  # "optimal" (proven within 0.1%), "near_optimal", "infeasible", "greedy"
    objective: str
    mip_gap: float | None
    bound_gap: float | None = None  # 1 - value / upper bound from the full list's LP relaxation
    influencer_cost_usd: float
    ambassador_cost_usd: float
    candidates: int
    message: str = ""

    @property
    def handles(self) -> list[str]:
        return self.table["handle"].tolist()

    @property
    def label(self) -> str:
        return self.creators.label


def advocate_cost_usd(
    brief: CampaignBrief, fig: ModelFigures, order_value_usd: float | None = None
) -> float:
    """What one invited advocate of the planning size costs over the campaign
    (`advisor.model.economics.advocate_cost`, the engine's own figure)."""
    plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
    followers = fig.s.ambassador_followers
    tier = int(fig.tier_of(np.array([followers]))[0])
    engagements = followers * fig.engagement[plat, tier].mean()
    return float(advocate_cost(np.array([engagements]), brief.weeks, fig, order_value_usd)[0])


def order_value_usd(brief: CampaignBrief) -> float | None:
    return brief.order_value / per_usd(brief.currency) if brief.order_value else None


def creator_posts(table: CreatorTable, brief: CampaignBrief, fig: ModelFigures) -> np.ndarray:
    """Posts each creator makes in the plan: the contracted posts of a hired influencer, the
    expected posts of an advocate over the campaign."""
    posts_amb = float(advocate_timing(brief.weeks, fig, 4).posts[-1])
    is_amb = table.frame["relationship_idx"].to_numpy() == 1
    return np.where(is_amb, posts_amb, float(round(fig.s.influencer_posts_per_creator)))


def campaign_cost_usd(table: CreatorTable, brief: CampaignBrief, fig: ModelFigures) -> np.ndarray:
    """What each creator costs over the campaign: an influencer's posts at their price plus
    contracting; an advocate's perks, management and commission (`advocate_cost_usd`)."""
    frame = table.frame
    is_amb = frame["relationship_idx"].to_numpy() == 1
    posts_inf = round(fig.s.influencer_posts_per_creator)  # whole posts, as contracted
    contracting = fig.s.influencer_contracting_per_creator
    return np.where(
        is_amb,
        advocate_cost_usd(brief, fig, order_value_usd(brief)),
        frame["cost_usd"].to_numpy() * posts_inf + contracting,
    )


def _per_creator(table: CreatorTable, brief: CampaignBrief, fig: ModelFigures) -> pd.DataFrame:
    """Expected in-target reach, engagements and campaign cost of each creator at medians."""
    posts = creator_posts(table, brief, fig)
    out = table.frame.copy()
    out["posts"] = posts
    out["expected_reach"] = expected_reach(table, posts, fig, brief.audience)
    out["expected_engagements"] = table.frame["engagements_per_post"].to_numpy() * posts
    out["campaign_cost_usd"] = campaign_cost_usd(table, brief, fig)
    return out


def optimise_shortlist(
    brief: CampaignBrief,
    creators: CreatorLoad | CreatorTable | pd.DataFrame,
    influencer_share: float,
    rules: ShortlistRules | None = None,
    assumptions: Assumptions | None = None,
    keep: Iterable[tuple[str, str]] = (),
) -> Shortlist:
    """Pick creators maximising deduplicated reach (engagements for a contest) within each
    relationship's budget and the analyst's rules, among the creators on the brief's platforms
    only.

    `creators`: a `CreatorTable` (used as it is), or a `CreatorLoad` / canonical DataFrame from
    which one is built. `keep`: (handle, platform) pairs to start from, e.g. the creators a
    plan already buys (`keep_of(plan)`): each one the rules allow stays in the shortlist, and
    the rest of the budget goes to the best others."""
    fig = (assumptions or Assumptions()).model()
    table = creator_table(creators, fig)
    return shortlist_of(brief, table, influencer_share, rules, fig, keep=keep)


def keep_of(creators: Iterable[object]) -> list[tuple[str, str]]:
    """(handle, platform) of the named creators a plan buys (`Plan.creators`), for `keep`."""
    return [(str(c.handle), str(c.platform)) for c in creators]  # type: ignore[attr-defined]


def shortlist_of(
    brief: CampaignBrief,
    table: CreatorTable,
    influencer_share: float,
    rules: ShortlistRules | None,
    fig: ModelFigures,
    exact_up_to: int | None = None,
    keep: Iterable[tuple[str, str]] = (),
) -> Shortlist:
    """`optimise_shortlist` on a built table with the model's figures. `exact_up_to`: lists up
    to this many candidates are solved whole (default `EXACT_UP_TO`); longer ones on a core,
    with the proven `bound_gap`. `keep`: see `optimise_shortlist`."""
    rules = rules or ShortlistRules()
    data = _per_creator(table, brief, fig)
    objective = rules.objective or ("engagements" if brief.goal is Goal.CONTEST else "reach")
    budget_inf = brief.budget_usd * influencer_share
    fixed = programme_fixed(brief.weeks, fig)
    budget_amb = max(0.0, brief.budget_usd * (1 - influencer_share) - fixed)

    is_amb = data["relationship_idx"].to_numpy() == 1
    cost = data["campaign_cost_usd"].to_numpy()
    cap = np.where(is_amb, budget_amb, budget_inf) * rules.max_share_per_creator
    eligible = (cost <= cap + 1e-9) & (cost > 0)
    eligible &= on_platforms(data, brief)
    if rules.exclude_flagged:
        eligible &= ~data["flagged"].to_numpy()
    rows = np.flatnonzero(eligible)
    candidates = data.iloc[rows].reset_index(drop=True)
    source = table.take(rows)
    n = len(candidates)
    kept = _kept(candidates, keep)
    if n == 0:
        return _result(
            candidates,
            source,
            np.zeros(0, bool),
            "infeasible" if rules.min_ambassadors else "optimal",
            objective,
            None,
            "no eligible creator",
        )

    gain = _gain(candidates, objective, brief.audience)
    budgets = (budget_inf, budget_amb)
    core, fixed, upper = _core(candidates, gain, budgets, rules)
    exact = n <= (EXACT_UP_TO if exact_up_to is None else exact_up_to)
    if exact:  # small lists: the whole problem, nothing taken for granted
        core, fixed = np.arange(n), np.zeros(n, bool)
    if kept.any():  # the creators to start from are in, and stay in if the rules allow it
        core = np.union1d(core, np.flatnonzero(kept))
        fixed = np.zeros(len(core), bool)
        solved = _solve(candidates.iloc[core], gain[core], budgets, rules, kept[core])
        if solved is None or solved.x is None:  # the rules cannot hold them all: rules win
            solved = _solve(candidates.iloc[core], gain[core], budgets, rules, fixed)
    else:
        solved = _solve(candidates.iloc[core], gain[core], budgets, rules, fixed)
    if solved is None or solved.x is None:
        return _result(
            candidates,
            source,
            np.zeros(n, bool),
            "infeasible",
            objective,
            None,
            getattr(solved, "message", ""),
        )
    chosen = np.zeros(n, bool)
    chosen[core[solved.x > 0.5]] = True
    value = float(gain[chosen].sum())
    if objective == "reach":  # compare in reach, the quantity the analyst cares about
        value, upper = -np.expm1(-value / brief.audience), -np.expm1(-upper / brief.audience)
    bound_gap = max(0.0, 1 - value / upper) if upper > 0 else 0.0
    gap = getattr(solved, "mip_gap", None)
    proven = solved.status == 0 if exact else bound_gap <= 1e-3
    status = "optimal" if proven else "near_optimal"
    result = _result(
        candidates,
        source,
        chosen,
        status,
        objective,
        None if gap is None else float(gap),
        solved.message,
    )
    return result.model_copy(update={"bound_gap": bound_gap})


def on_platforms(data: pd.DataFrame, brief: CampaignBrief) -> np.ndarray:
    """Rows of a creator frame on one of the brief's platforms."""
    wanted = [PLATFORMS.index(Platform(p)) for p in brief.platforms]
    return np.isin(data["platform_idx"].to_numpy(), wanted)


def _kept(candidates: pd.DataFrame, keep: Iterable[tuple[str, str]]) -> np.ndarray:
    """Candidates named in `keep` ((handle, platform) pairs)."""
    pairs = {(str(h), str(p)) for h, p in keep}
    if not pairs or not len(candidates):
        return np.zeros(len(candidates), bool)
    handles = candidates["handle"].astype(str).to_numpy()
    platforms = candidates["platform"].astype(str).to_numpy()
    return np.fromiter(
        ((h, p) in pairs for h, p in zip(handles, platforms, strict=True)), bool, len(handles)
    )


def _gain(data: pd.DataFrame, objective: str, audience: int) -> np.ndarray:
    """Each creator's linear contribution: engagements, or -N*log(1 - reach/N) for reach."""
    if not len(data):
        return np.zeros(0)
    if objective == "engagements":
        return data["expected_engagements"].to_numpy(dtype=float)
    frac = np.minimum(data["expected_reach"].to_numpy(dtype=float) / audience, 1 - 1e-12)
    return -audience * np.log1p(-frac)


def _scale(gain: np.ndarray) -> float:
    return float(gain.max()) if len(gain) and gain.max() > 0 else 1.0


# core: gain-per-cost within these multiples of the critical ratio
CORE_BELOW, FIX_ABOVE = 0.8, 1.2
EXACT_UP_TO = 3_000  # candidates solved whole, without a core


def _core(
    candidates: pd.DataFrame, gain: np.ndarray, budgets: tuple[float, float], rules: ShortlistRules
) -> tuple[np.ndarray, np.ndarray, float]:
    """The creators worth giving to the integer solver, those it may take for granted, and an
    upper bound on the objective (fractional knapsack per relationship, rules relaxed)."""
    cost = candidates["campaign_cost_usd"].to_numpy()
    rel = candidates["relationship_idx"].to_numpy()
    plat = candidates["platform_idx"].to_numpy()
    ratio = gain / cost
    limited = np.isin(plat, [PLATFORMS.index(Platform(p)) for p in rules.max_per_platform])
    keep = np.zeros(len(cost), bool)
    fixed = np.zeros(len(cost), bool)
    upper = 0.0
    for r, budget in enumerate(budgets):
        idx = np.flatnonzero(rel == r)
        idx = idx[np.argsort(-ratio[idx], kind="stable")]
        cum = np.cumsum(cost[idx])
        fits = cum <= budget
        critical = int(fits.sum())
        upper += gain[idx[fits]].sum()
        if critical < len(idx):
            left = budget - (cum[critical - 1] if critical else 0.0)
            upper += gain[idx[critical]] * left / cost[idx[critical]]
            lam = ratio[idx[critical]]
        else:
            lam = 0.0
        keep[idx[ratio[idx] >= lam * CORE_BELOW]] = True
        fixed[idx[(ratio[idx] >= lam * FIX_ABOVE) & fits & ~limited[idx]]] = True
    # enough of every group for the analyst's minimums
    wanted = max([0, rules.min_ambassadors, *rules.min_per_platform.values()]) * 2
    if wanted:
        order = np.lexsort((-ratio, plat, rel))
        group = rel[order] * len(PLATFORMS) + plat[order]
        starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        keep[order[rank < wanted]] = True
    if rules.min_ambassadors or rules.min_per_platform:
        fixed[:] = False  # minimums may need the budget elsewhere: let the solver decide everything
    core = np.flatnonzero(keep | fixed)
    return core, fixed[core], float(upper)


def _solve(
    table: pd.DataFrame,
    gain: np.ndarray,
    budgets: tuple[float, float],
    rules: ShortlistRules,
    fixed: np.ndarray,
):
    """One HiGHS call: maximise gain within each relationship's budget and the platform rules."""
    n = len(table)
    if n == 0:
        return None
    is_amb = table["relationship_idx"].to_numpy() == 1
    cost = table["campaign_cost_usd"].to_numpy()
    rows = [np.where(~is_amb, cost, 0.0), np.where(is_amb, cost, 0.0)]
    lower, upper = [0.0, 0.0], [budgets[0], budgets[1]]
    if rules.min_ambassadors:
        rows.append(is_amb.astype(float))
        lower.append(rules.min_ambassadors)
        upper.append(np.inf)
    platform_idx = table["platform_idx"].to_numpy()
    for platform in set(rules.min_per_platform) | set(rules.max_per_platform):
        rows.append((platform_idx == PLATFORMS.index(Platform(platform))).astype(float))
        lower.append(rules.min_per_platform.get(platform, 0))
        upper.append(rules.max_per_platform.get(platform, np.inf))
    return milp(
        c=-gain / _scale(gain),
        integrality=np.ones(n),
        bounds=Bounds(fixed.astype(float), 1),
        options={"time_limit": rules.time_limit, "presolve": True, "mip_rel_gap": rules.mip_gap},
        constraints=LinearConstraint(csr_matrix(np.vstack(rows)), lower, upper),
    )


def _result(
    candidates: pd.DataFrame,
    source: CreatorTable,
    chosen: np.ndarray,
    status: str,
    objective: str,
    gap: float | None,
    message: str,
) -> Shortlist:
    picked = candidates[chosen] if len(candidates) else candidates
    is_amb = picked["relationship_idx"].to_numpy() == 1 if len(picked) else np.zeros(0, bool)
    cost = picked["campaign_cost_usd"].to_numpy() if len(picked) else np.zeros(0)
    return Shortlist(
        table=picked.reset_index(drop=True),
        creators=source.take(np.flatnonzero(chosen)),
        status=status,
        objective=objective,
        mip_gap=gap,
        influencer_cost_usd=float(cost[~is_amb].sum()),
        ambassador_cost_usd=float(cost[is_amb].sum()),
        candidates=len(candidates),
        message=str(message),
    )


def greedy_shortlist(
    brief: CampaignBrief,
    creators: CreatorLoad | CreatorTable | pd.DataFrame,
    influencer_share: float,
    rules: ShortlistRules | None = None,
) -> Shortlist:
    """Best gain-per-cost first, per relationship: the baseline the solver is measured against."""
    fig = Assumptions().model()
    rules = rules or ShortlistRules()
    table = creator_table(creators, fig)
    data = _per_creator(table, brief, fig)
    fixed = programme_fixed(brief.weeks, fig)
    budgets = {
        0: brief.budget_usd * influencer_share,
        1: max(0.0, brief.budget_usd * (1 - influencer_share) - fixed),
    }
    objective = rules.objective or ("engagements" if brief.goal is Goal.CONTEST else "reach")
    keep = ~data["flagged"] if rules.exclude_flagged else pd.Series(True, index=data.index)
    keep &= on_platforms(data, brief)
    rows = np.flatnonzero((keep & (data["campaign_cost_usd"] > 0)).to_numpy())
    data = data.iloc[rows].reset_index(drop=True)
    gain = pd.Series(_gain(data, objective, brief.audience), index=data.index)
    chosen = np.zeros(len(data), bool)
    for rel, budget in budgets.items():
        mask = (data["relationship_idx"] == rel) & (
            data["campaign_cost_usd"] <= budget * rules.max_share_per_creator
        )
        order = (
            (gain[mask] / data.loc[mask, "campaign_cost_usd"]).sort_values(ascending=False).index
        )
        running = np.cumsum(data.loc[order, "campaign_cost_usd"].to_numpy())
        chosen[order[running <= budget]] = True
    return _result(data, table.take(rows), chosen, "greedy", objective, None, "")


def shortlist_value(shortlist: Shortlist, audience: int) -> float:
    """Deduplicated reach (or engagements) of a shortlist at benchmark medians."""
    total = float(_gain(shortlist.table, shortlist.objective, audience).sum())
    if shortlist.objective == "engagements":
        return total
    return float(audience * -np.expm1(-total / audience))
