"""Budget-optimal creator shortlist, solved exactly with HiGHS (scipy.optimize.milp).

Why the objective is exact and linear: under random duplication the plan's unique reach is
N * (1 - prod(1 - r_i/N)) = N * (1 - exp(-sum w_i / N)) with w_i = -N * log(1 - r_i/N).
That is increasing in sum(w_i), so maximising the linear sum of w_i over the chosen creators
maximises deduplicated reach itself. For a contest the objective is engagements, already linear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from advisor.allocation import PLATFORMS, prepare_creators
from advisor.benchmarks import Benchmarks, load_benchmarks
from advisor.brief import CampaignBrief, Goal, Platform
from advisor.projection import _not_reached_log


class ShortlistRules(BaseModel):
    """Constraints the analyst sets on the shortlist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_share_per_creator: float = Field(0.25, gt=0, le=1, description="Largest share of a relationship's budget on one creator.")
    exclude_flagged: bool = True
    min_ambassadors: int = Field(0, ge=0)
    min_per_platform: dict[Platform, int] = Field(default_factory=dict)
    max_per_platform: dict[Platform, int] = Field(default_factory=dict)
    objective: str | None = Field(None, description="'reach' or 'engagements'; default from the goal.")
    time_limit: float = Field(10.0, gt=0)


class Shortlist(BaseModel):
    """The chosen creators and what the solver proved about them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    table: pd.DataFrame  # chosen rows of the canonical table, with cost_usd and expected_reach
    status: str  # "optimal", "time_limit", "infeasible"
    objective: str
    mip_gap: float | None
    influencer_cost_usd: float
    ambassador_cost_usd: float
    candidates: int
    message: str = ""

    @property
    def handles(self) -> list[str]:
        return self.table["handle"].tolist()


def _per_creator(prepared: pd.DataFrame, brief: CampaignBrief, bench: Benchmarks) -> pd.DataFrame:
    """Expected reach, engagements and campaign cost of each creator at benchmark medians."""
    posts_inf = bench.value("influencer_posts_per_creator")
    posts_amb = bench.value("ambassador_posts_per_week") * brief.weeks
    months = brief.weeks * 12 / 52
    per_ambassador = (
        bench.value("ambassador_perks_per_month")
        + bench.value("ambassador_commission_per_month")
        + bench.value("programme_management_per_ambassador_month")
    ) * months
    is_amb = prepared["relationship_idx"].to_numpy() == 1
    posts = np.where(is_amb, posts_amb, posts_inf)
    rho = bench.grid("reach")[prepared["platform_idx"].to_numpy(), prepared["tier_idx"].to_numpy()]
    reached = prepared["pool"].to_numpy() * -np.expm1(_not_reached_log(rho, posts, bench.value("post_reach_concentration")))
    source = prepared.attrs.get("source")
    out = prepared.copy()
    if source is not None:  # keep the analyst's own columns (platform, followers, name...) for display
        extra = [c for c in source.columns if c not in out.columns]
        out = out.join(source.loc[prepared.index, extra])
    out["posts"] = posts
    out["expected_reach"] = np.minimum(reached, brief.audience)
    out["expected_engagements"] = prepared["engagements_per_post"].to_numpy() * posts
    out["campaign_cost_usd"] = np.where(is_amb, per_ambassador, prepared["cost_usd"].to_numpy() * posts_inf)
    return out


def optimise_shortlist(
    brief: CampaignBrief,
    creators: pd.DataFrame,
    influencer_share: float,
    rules: ShortlistRules | None = None,
    bench: Benchmarks | None = None,
) -> Shortlist:
    """Pick creators maximising deduplicated reach (engagements for a contest) within each
    relationship's budget and the analyst's rules."""
    bench = bench or load_benchmarks()
    rules = rules or ShortlistRules()
    table = getattr(creators, "table", creators)
    data = _per_creator(prepare_creators(table, bench), brief, bench)
    objective = rules.objective or ("engagements" if brief.goal is Goal.CONTEST else "reach")
    budget_inf = brief.budget_usd * influencer_share
    fixed = bench.value("programme_management_per_month") * brief.weeks * 12 / 52
    budget_amb = max(0.0, brief.budget_usd * (1 - influencer_share) - fixed)

    is_amb = data["relationship_idx"].to_numpy() == 1
    cost = data["campaign_cost_usd"].to_numpy()
    cap = np.where(is_amb, budget_amb, budget_inf) * rules.max_share_per_creator
    eligible = (cost <= cap + 1e-9) & (cost > 0)
    if rules.exclude_flagged:
        eligible &= ~data["flagged"].to_numpy()
    candidates = data[eligible].reset_index(drop=True)
    n = len(candidates)
    if n == 0:
        return _result(candidates, np.zeros(0, bool), "infeasible" if rules.min_ambassadors else "optimal",
                       objective, None, "no eligible creator")

    if objective == "engagements":
        gain = candidates["expected_engagements"].to_numpy()
    else:
        frac = np.minimum(candidates["expected_reach"].to_numpy() / brief.audience, 1 - 1e-12)
        gain = -brief.audience * np.log1p(-frac)
    c_amb = candidates["relationship_idx"].to_numpy() == 1
    c_cost = candidates["campaign_cost_usd"].to_numpy()
    rows, lower, upper = [], [], []
    rows.append(csr_matrix(np.where(~c_amb, c_cost, 0.0)[None, :])); lower.append(0); upper.append(budget_inf)
    rows.append(csr_matrix(np.where(c_amb, c_cost, 0.0)[None, :])); lower.append(0); upper.append(budget_amb)
    if rules.min_ambassadors:
        rows.append(csr_matrix(c_amb.astype(float)[None, :])); lower.append(rules.min_ambassadors); upper.append(np.inf)
    platform_idx = candidates["platform_idx"].to_numpy()
    for platform in set(rules.min_per_platform) | set(rules.max_per_platform):
        member = (platform_idx == PLATFORMS.index(Platform(platform))).astype(float)
        rows.append(csr_matrix(member[None, :]))
        lower.append(rules.min_per_platform.get(platform, 0))
        upper.append(rules.max_per_platform.get(platform, np.inf))
    # scale gains so HiGHS works with numbers near 1
    scale = gain.max() if gain.max() > 0 else 1.0
    result = milp(
        c=-gain / scale,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(vstack(rows).tocsr(), lower, upper),
        options={"time_limit": rules.time_limit, "mip_rel_gap": 1e-6, "presolve": True},
    )
    if result.x is None:
        return _result(candidates, np.zeros(n, bool), "infeasible", objective, None, result.message)
    chosen = result.x > 0.5
    status = "optimal" if result.status == 0 else "time_limit" if result.status == 1 else "infeasible"
    gap = getattr(result, "mip_gap", None)
    return _result(candidates, chosen, status, objective, None if gap is None else float(gap), result.message)


def _result(candidates: pd.DataFrame, chosen: np.ndarray, status: str, objective: str,
            gap: float | None, message: str) -> Shortlist:
    picked = candidates[chosen] if len(candidates) else candidates
    is_amb = picked["relationship_idx"].to_numpy() == 1 if len(picked) else np.zeros(0, bool)
    cost = picked["campaign_cost_usd"].to_numpy() if len(picked) else np.zeros(0)
    return Shortlist(
        table=picked.reset_index(drop=True), status=status, objective=objective, mip_gap=gap,
        influencer_cost_usd=float(cost[~is_amb].sum()), ambassador_cost_usd=float(cost[is_amb].sum()),
        candidates=len(candidates), message=str(message),
    )


def greedy_shortlist(brief: CampaignBrief, creators: pd.DataFrame, influencer_share: float,
                     rules: ShortlistRules | None = None) -> Shortlist:
    """Best gain-per-cost first, per relationship: the baseline the exact solver is measured against."""
    bench = load_benchmarks()
    rules = rules or ShortlistRules()
    data = _per_creator(prepare_creators(getattr(creators, "table", creators), bench), brief, bench)
    fixed = bench.value("programme_management_per_month") * brief.weeks * 12 / 52
    budgets = {0: brief.budget_usd * influencer_share, 1: max(0.0, brief.budget_usd * (1 - influencer_share) - fixed)}
    objective = rules.objective or ("engagements" if brief.goal is Goal.CONTEST else "reach")
    keep = ~data["flagged"] if rules.exclude_flagged else pd.Series(True, index=data.index)
    data = data[keep & (data["campaign_cost_usd"] > 0)].reset_index(drop=True)
    frac = np.minimum(data["expected_reach"] / brief.audience, 1 - 1e-12)
    gain = data["expected_engagements"] if objective == "engagements" else -brief.audience * np.log1p(-frac)
    chosen = np.zeros(len(data), bool)
    for rel, budget in budgets.items():
        mask = (data["relationship_idx"] == rel) & (data["campaign_cost_usd"] <= budget * rules.max_share_per_creator)
        order = (gain[mask] / data.loc[mask, "campaign_cost_usd"]).sort_values(ascending=False).index
        running = np.cumsum(data.loc[order, "campaign_cost_usd"].to_numpy())
        chosen[order[running <= budget]] = True
    return _result(data, chosen, "greedy", objective, None, "")


def shortlist_value(shortlist: Shortlist, audience: int) -> float:
    """Deduplicated reach (or engagements) of a shortlist at benchmark medians."""
    t = shortlist.table
    if shortlist.objective == "engagements":
        return float(t["expected_engagements"].sum()) if len(t) else 0.0
    frac = np.minimum(t["expected_reach"].to_numpy() / audience, 1 - 1e-12) if len(t) else np.zeros(0)
    return float(audience * -np.expm1(np.log1p(-frac).sum()))
