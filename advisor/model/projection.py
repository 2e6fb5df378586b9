"""Week-by-week projection of a plan, its objective, and their uncertainty.

The model, in media-planning terms:
- one creator, repeated posts: exposures within the creator's in-target audience follow a
  beta-binomial (Metheringham 1964), so repeat posts mostly reach the same people;
- across creators: random duplication (Sainsbury) within the part of the target audience that
  creators can reach at all (never above 95% of it);
- frequency: each creator's P(0), P(1), P(2) exposures combine across creators as a product of
  generating functions truncated at degree 2, which gives the people reached 3+ times
  (effective frequency: Krugman 1972, Naples 1979);
- carry-over: people who still remember follow a geometric adstock set by a half-life;
- uncertainty: a seeded Monte Carlo varies reach and engagement rates, prices, the in-target
  share (one shock per platform and draw), advocate activation, posting rate, the trust
  weight, conversion rates and the reachable share. The draws do not depend on the brief
  (common random numbers), so candidate splits and briefs are compared like with like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.special import expit, gammaln, logit

from advisor.model.assumptions import MAX_REACHABLE_SHARE, ModelFigures
from advisor.model.brief import Goal, Platform

SEED = 20_261_123
SAMPLES = 200
EFFECTIVE_FREQUENCY = 3
N_PLATFORMS = len(Platform)


class Relationship:
    INFLUENCER = 0  # hired for a short burst
    ADVOCATE = 1  # customer or employee ambassador, mostly unpaid
    FACE = 2  # long-term paid creator ("face of the brand"), on the ambassador side


class ObjectiveKey(StrEnum):
    REACH = "reach"
    EVENT_REACH = "event_reach"
    ENTRIES = "entries"
    EFFECTIVE_REACH = "effective_reach"


GOAL_OBJECTIVE = {
    Goal.PRODUCT_LAUNCH: ObjectiveKey.REACH,
    Goal.EVENT: ObjectiveKey.EVENT_REACH,
    Goal.CONTEST: ObjectiveKey.ENTRIES,
    Goal.BRAND_AWARENESS: ObjectiveKey.EFFECTIVE_REACH,
}


@dataclass(frozen=True)
class Vehicles:
    """Posting vehicles (a creator, or `count` identical archetypes), as arrays.

    `posts[i, w]` is the cumulative number of posts per copy by the end of week w+1 (fractional
    for advocates who join gradually); `spend[i, w]` is money spent in week w+1, all copies.
    """

    relationship: np.ndarray
    platform: np.ndarray
    tier: np.ndarray
    pool: np.ndarray  # people a post can reach (followers, or views-implied), before in-target
    count: np.ndarray
    posts: np.ndarray  # (n, weeks)
    engagements_per_post: np.ndarray
    spend: np.ndarray  # (n, weeks)
    priced: np.ndarray  # bool: count follows price shocks (archetypes bought at planning prices)
    count_max: np.ndarray  # most copies any draw can have (advocates: all who could join)

    @classmethod
    def empty(cls, weeks: int) -> Vehicles:
        z, zi = np.zeros(0), np.zeros(0, dtype=int)
        return cls(
            zi, zi, zi, z, z, np.zeros((0, weeks)), z, np.zeros((0, weeks)), z.astype(bool), z
        )

    @classmethod
    def concat(cls, parts: list[Vehicles]) -> Vehicles:
        names = cls.__dataclass_fields__
        return cls(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in names})

    @property
    def size(self) -> int:
        return int(self.pool.shape[0])


@dataclass(frozen=True)
class Extras:
    """What a plan buys beyond posts: in-person appearances at the event."""

    appearances: float = 0.0


@dataclass(frozen=True)
class Draws:
    """Standard normal shocks, fixed by the seed: the same for every brief and candidate."""

    reach: np.ndarray  # (S, platforms)
    engagement: np.ndarray
    cost: np.ndarray
    in_target: np.ndarray
    activation: np.ndarray  # (S,)
    posting: np.ndarray
    trust: np.ndarray
    clicks: np.ndarray
    conversion: np.ndarray
    entries: np.ndarray
    met: np.ndarray
    reachable: np.ndarray

    @property
    def samples(self) -> int:
        return int(self.activation.shape[0])


@lru_cache(maxsize=4)
def draws(samples: int = SAMPLES, seed: int = SEED) -> Draws:
    rng = np.random.default_rng(seed)
    per_platform = [rng.standard_normal((samples, N_PLATFORMS)) for _ in range(4)]
    scalars = [rng.standard_normal(samples) for _ in range(8)]
    return Draws(*per_platform, *scalars)


@dataclass
class Outcome:
    """Per-draw results of one set of vehicles (final week unless `weekly`)."""

    objective: np.ndarray  # (S,)
    reach: np.ndarray  # (S,) final
    effective_reach: np.ndarray
    impressions: np.ndarray
    engagements: np.ndarray
    clicks: np.ndarray
    sales: np.ndarray
    met: np.ndarray
    spend: float
    weekly: dict[str, np.ndarray] = field(default_factory=dict)


def pmf012(rho: np.ndarray, k: np.ndarray, c: float) -> tuple[np.ndarray, ...]:
    """P(0), P(1), P(2) exposures out of k posts under Beta(rho c, (1-rho) c) exposure.

    For whole k: P(0) = B(a, b+k) / B(a, b), and the next two follow by exact ratios,
    P(1) = P(0) k a / (b+k-1) and P(2) = P(0) C(k,2) a (a+1) / ((b+k-1)(b+k-2)).
    Fractional k (advocates who join gradually) is linear between the whole counts around it.
    """
    a, b = rho * c, (1.0 - rho) * c
    base = gammaln(c) - gammaln(b)  # shared by both whole counts

    def whole(k: np.ndarray) -> tuple[np.ndarray, ...]:
        p0 = np.exp(gammaln(b + k) - gammaln(c + k) + base)
        d1 = np.maximum(b + k - 1.0, 1e-12)
        d2 = np.maximum(b + k - 2.0, 1e-12)
        p1 = np.where(k >= 1, p0 * k * a / d1, 0.0)
        p2 = np.where(k >= 2, p0 * k * (k - 1) / 2 * a * (a + 1) / (d1 * d2), 0.0)
        return p0, p1, p2

    lo = np.floor(k)
    w = k - lo
    p_lo = whole(lo)
    if not np.any(w > 0):
        return p_lo
    p_hi = whole(lo + 1.0)
    return tuple((1 - w) * x + w * y for x, y in zip(p_lo, p_hi, strict=True))


def missed_share(rho: np.ndarray, k: np.ndarray, c: float) -> np.ndarray:
    """P(0 exposures) after k posts (continuous in k)."""
    b = (1.0 - rho) * c
    return np.exp(gammaln(b + k) - gammaln(b) + gammaln(c) - gammaln(c + k))


def _combine(
    frac: np.ndarray, count: np.ndarray, p: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Audience shares reached 0, 1 and 2 times across vehicles (random duplication).

    Vehicle i covers `frac` of the audience; within it a person gets k exposures with p[k].
    The total's generating function is prod_i (1 - f_i + f_i g_i(z)) ** count_i; its first three
    coefficients come from the truncated logarithm, exactly.
    """
    p0, p1, p2 = p
    q0 = np.clip(1.0 - frac * (1.0 - p0), 1e-300, 1.0)
    r1 = frac * p1 / q0
    r2 = frac * p2 / q0
    l0 = (count * np.log(q0)).sum(axis=-1)
    l1 = (count * r1).sum(axis=-1)
    l2 = (count * (r2 - 0.5 * r1 * r1)).sum(axis=-1)
    none = np.exp(l0)
    once = none * l1
    twice = none * (l2 + 0.5 * l1 * l1)
    return none, once, np.clip(twice, 0.0, None)


def reachable_audience(audience: float, fig: ModelFigures, d: Draws) -> np.ndarray:
    """People creators can reach at all, per draw: below 95% of the audience, never at it."""
    base = min(fig.value("audience_reachable_share"), MAX_REACHABLE_SHARE - 1e-3)
    share = MAX_REACHABLE_SHARE * expit(
        logit(base / MAX_REACHABLE_SHARE) + fig.value("reachable_uncertainty") * d.reachable
    )
    return audience * share


def evaluate(
    v: Vehicles,
    goal: Goal,
    audience: int,
    fig: ModelFigures,
    d: Draws,
    extras: Extras | None = None,
    order_value: float | None = None,
    weekly: bool = False,
) -> Outcome:
    """Project vehicles over the campaign, per draw; `weekly` adds the weekly series."""
    extras = extras or Extras()
    s = d.samples
    weeks = v.posts.shape[1]
    n_eff = reachable_audience(float(audience), fig, d)  # (S,)
    conc = fig.value("post_reach_concentration")
    m = _multipliers(fig, d)
    met = np.minimum(
        extras.appearances * fig.value("event_people_met_per_appearance") * m["met"], n_eff
    )
    if v.size == 0:
        zero = np.zeros(s)
        out = Outcome(
            objective=met.copy() if goal is Goal.EVENT else zero,
            reach=zero,
            effective_reach=zero,
            impressions=zero,
            engagements=zero,
            clicks=zero,
            sales=zero,
            met=met,
            spend=0.0,
        )
        if weekly:
            out.weekly = {k: np.zeros((s, weeks)) for k in ("reach", "impressions", "engagements")}
        return out

    p = v.platform
    rho = np.clip(fig.reach[p, v.tier][None, :] * m["reach"][:, p], 1e-6, 0.99)  # (S, n)
    in_target = np.minimum(fig.in_target[p][None, :] * m["in_target"][:, p], 1.0)
    pool = v.pool[None, :] * in_target  # in-target people a post can reach
    count = v.count[None, :] * np.where(v.priced[None, :], 1.0 / m["cost"][:, p], 1.0)
    is_adv = v.relationship == Relationship.ADVOCATE
    count = np.where(is_adv[None, :], v.count[None, :] * m["activation"][:, None], count)
    count = np.minimum(count, v.count_max[None, :])
    posting = np.where(is_adv[None, :], m["posting"][:, None], 1.0)  # (S, n)
    final_posts = v.posts[:, -1][None, :] * posting
    frac = np.minimum(pool / n_eff[:, None], 1.0 - 1e-9)

    # reach (1+) and effective reach (3+, paid posts weighted by trust); the exposure
    # distribution depends only on (platform, tier, relationship, posts): computed once each
    paid = v.relationship != Relationship.ADVOCATE
    keys = np.stack([p, v.tier, v.relationship, np.round(v.posts[:, -1] * 1e6)], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    u_rho, u_posts = rho[:, first], final_posts[:, first]
    missed = missed_share(u_rho, u_posts, conc)[:, inverse]
    q0 = np.clip(1.0 - frac * (1.0 - missed), 1e-300, 1.0)
    reach = n_eff * -np.expm1((count * np.log(q0)).sum(axis=1)) + 0.0
    if goal is Goal.BRAND_AWARENESS or weekly:
        u_trust = np.where(paid[first][None, :], u_rho * m["trust"][:, None], u_rho)
        p012 = tuple(x[:, inverse] for x in pmf012(u_trust, u_posts, conc))
        e0, e1, e2 = _combine(frac, count, p012)
        effective = n_eff * np.clip(1.0 - e0 - e1 - e2, 0.0, 1.0)
    else:
        effective = np.zeros_like(reach)  # only awareness counts 3+ exposures

    ipr = fig.impressions_per_reach[p, v.tier]
    impressions = (count * v.pool[None, :] * rho * ipr[None, :] * final_posts).sum(axis=1)
    eng_rate = v.engagements_per_post[None, :] * m["engagement"][:, p]
    engagements = (count * eng_rate * final_posts).sum(axis=1)
    clicks = engagements * fig.value("clicks_per_engagement") * m["clicks"]
    sales = clicks * fig.value("conversion_rate") * m["conversion"]
    # a person enters once: entries never exceed the people creators can reach
    entries = np.minimum(engagements * fig.value("contest_entry_rate") * m["entries"], n_eff)
    objective = {
        Goal.PRODUCT_LAUNCH: reach,
        Goal.EVENT: np.minimum(reach + met, n_eff),
        Goal.CONTEST: entries,
        Goal.BRAND_AWARENESS: effective,
    }[goal]
    out = Outcome(
        objective=objective,
        reach=reach,
        effective_reach=effective,
        impressions=impressions,
        engagements=engagements,
        clicks=clicks,
        sales=sales,
        met=met,
        spend=float(v.spend.sum()),
    )
    if weekly:
        out.weekly = _weekly(v, rho, pool, count, posting, n_eff, fig, m, conc)
    return out


def _weekly(
    v: Vehicles,
    rho: np.ndarray,
    pool: np.ndarray,
    count: np.ndarray,
    posting: np.ndarray,
    n_eff: np.ndarray,
    fig: ModelFigures,
    m: dict[str, np.ndarray],
    conc: float,
) -> dict[str, np.ndarray]:
    """Weekly cumulative reach, impressions and engagements per draw, (S, weeks) each.

    Vehicles that share platform, tier, relationship, pricing, audience and post count miss the
    same people with the same probability, so their log-misses add up: the weekly reach is one
    matrix product of (draws x distinct pairs) by (pairs x weeks) copy counts.
    """
    n, weeks = v.posts.shape
    ratio = np.where(np.isfinite(v.count_max), v.count_max / np.maximum(v.count, 1e-12), -1.0)
    vkey = np.stack(
        [v.platform, v.tier, v.relationship, v.priced, np.round(v.pool, 6), np.round(ratio, 9)],
        axis=1,
    )
    _, vgroup = np.unique(vkey, axis=0, return_inverse=True)
    pair_keys = np.stack(
        [np.repeat(vgroup.ravel()[:, None], weeks, 1).ravel(), np.round(v.posts * 1e6).ravel()],
        axis=1,
    )
    _, first, inverse = np.unique(pair_keys, axis=0, return_index=True, return_inverse=True)
    rep = first // weeks  # a vehicle standing for each pair
    u_posts = v.posts.ravel()[first][None, :] * posting[:, rep]
    missed = missed_share(rho[:, rep], u_posts, conc)  # (S, pairs)
    frac = np.minimum(pool[:, rep] * (1.0 - missed) / n_eff[:, None], 1.0 - 1e-9)
    per_copy = count[:, rep] / np.maximum(v.count[rep], 1e-12)[None, :]
    log_missed = per_copy * np.log1p(-frac)  # (S, pairs), per copy
    copies = np.zeros((len(first), weeks))
    np.add.at(copies, (inverse.ravel(), np.tile(np.arange(weeks), n)), np.repeat(v.count, weeks))
    reach = n_eff[:, None] * -np.expm1(log_missed @ copies) + 0.0  # never -0.0
    p = v.platform
    ipr = fig.impressions_per_reach[p, v.tier]
    per_post_imp = count * v.pool[None, :] * rho * ipr[None, :] * posting  # (S, n)
    per_post_eng = count * v.engagements_per_post[None, :] * m["engagement"][:, p] * posting
    return {
        "reach": reach,
        "impressions": per_post_imp @ v.posts,
        "engagements": per_post_eng @ v.posts,
    }


def _multipliers(fig: ModelFigures, d: Draws) -> dict[str, np.ndarray]:
    """Lognormal multipliers with median 1 from the fixed shocks and the assumptions' spreads."""

    def lognormal(z: np.ndarray, key: str) -> np.ndarray:
        return np.exp(fig.value(key) * z)

    return {
        "reach": lognormal(d.reach, "reach_rate_uncertainty"),
        "engagement": lognormal(d.engagement, "engagement_rate_uncertainty"),
        "cost": lognormal(d.cost, "cost_uncertainty"),
        "in_target": lognormal(d.in_target, "in_target_uncertainty"),
        "activation": lognormal(d.activation, "activation_uncertainty"),
        "posting": lognormal(d.posting, "posting_uncertainty"),
        "trust": np.minimum(
            fig.value("trust_paid_post_weight") * lognormal(d.trust, "trust_uncertainty"), 1.0
        ),
        "clicks": lognormal(d.clicks, "conversion_uncertainty"),
        "conversion": lognormal(d.conversion, "conversion_uncertainty"),
        "entries": lognormal(d.entries, "conversion_uncertainty"),
        "met": lognormal(d.met, "conversion_uncertainty"),
    }


def adstock(weekly: np.ndarray, half_life: float) -> np.ndarray:
    """Geometric carry-over along the last axis: x_t + lambda * carry_{t-1}."""
    lam = 0.5 ** (1.0 / half_life) if half_life > 0 else 0.0
    out = np.empty_like(weekly)
    carry = np.zeros(weekly.shape[:-1])
    for w in range(weekly.shape[-1]):
        carry = weekly[..., w] + lam * carry
        out[..., w] = carry
    return out


# --- the serialisable projection ------------------------------------------------------------


class Band(BaseModel):
    """A figure's p10, p50 and p90 across the Monte Carlo draws."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: np.ndarray, digits: int = 2) -> Band:
        lo, mid, hi = np.percentile(values, [10, 50, 90])
        return cls(
            p10=round(float(lo), digits),
            p50=round(float(mid), digits),
            p90=round(float(hi), digits),
        )


class StrategySeries(BaseModel):
    """One strategy's weekly series (cumulative) and its end-of-campaign results."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strategy: str
    influencer_share: float = Field(ge=0, le=1)
    week: list[int]
    reach_p10: list[float]
    reach_p50: list[float]
    reach_p90: list[float]
    impressions_p50: list[float]
    engagements_p50: list[float]
    remembering_p50: list[float] = Field(description="People who still remember (adstock).")
    spend: list[float] = Field(description="Cumulative spend, brief currency.")
    objective_p10: float
    objective_p50: float
    objective_p90: float
    effective_reach: Band
    impressions: Band
    engagements: Band
    clicks: Band
    sales: Band
    revenue: Band | None = None
    return_on_spend: Band | None = None
    met_in_person: float = 0.0
    cost_per_result: float | None = Field(None, description="Spend per unit of the objective.")
    cost_per_thousand_impressions: float | None = None

    @property
    def final_reach(self) -> float:
        return self.reach_p50[-1] if self.reach_p50 else 0.0

    @property
    def total_spend(self) -> float:
        return self.spend[-1] if self.spend else 0.0


class Projection(BaseModel):
    """Projection for influencer-only, ambassador-only and the recommended plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    audience: int
    weeks: int
    samples: int
    seed: int
    currency: str
    series: list[StrategySeries]

    def get(self, strategy: str) -> StrategySeries:
        return next(s for s in self.series if s.strategy == strategy)

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per strategy and week (what the weekly CSV holds)."""
        frames = []
        for s in self.series:
            frames.append(
                pd.DataFrame(
                    {
                        "strategy": s.strategy,
                        "week": s.week,
                        "reach_p10": s.reach_p10,
                        "reach_p50": s.reach_p50,
                        "reach_p90": s.reach_p90,
                        "impressions_p50": s.impressions_p50,
                        "engagements_p50": s.engagements_p50,
                        "remembering_p50": s.remembering_p50,
                        "spend": s.spend,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """End-of-campaign totals per strategy (the comparison table)."""
        rows = []
        for s in self.series:
            rows.append(
                {
                    "strategy": s.strategy,
                    "objective_p10": s.objective_p10,
                    "objective_p50": s.objective_p50,
                    "objective_p90": s.objective_p90,
                    "reach_p10": s.reach_p10[-1],
                    "reach_p50": s.reach_p50[-1],
                    "reach_p90": s.reach_p90[-1],
                    "impressions_p50": s.impressions.p50,
                    "engagements_p50": s.engagements.p50,
                    "clicks_p50": s.clicks.p50,
                    "spend": s.total_spend,
                    "cost_per_result": s.cost_per_result,
                    "cost_per_thousand_impressions": s.cost_per_thousand_impressions,
                }
            )
        return pd.DataFrame(rows)


def series_from(
    name: str,
    share: float,
    v: Vehicles,
    out: Outcome,
    fig: ModelFigures,
    fx: float,
    order_value: float | None,
) -> StrategySeries:
    """Summarise a weekly `Outcome` (money converted with `fx` per USD)."""
    w = out.weekly
    weeks = w["reach"].shape[1]
    r10, r50, r90 = np.percentile(w["reach"], [10, 50, 90], axis=0)
    remembering = np.zeros(weeks)
    for rel, key in (
        (Relationship.INFLUENCER, "influencer_half_life_weeks"),
        (Relationship.ADVOCATE, "ambassador_half_life_weeks"),
        (Relationship.FACE, "ambassador_half_life_weeks"),
    ):
        mask = v.relationship == rel
        if v.size and mask.any():
            cum = (
                v.count[mask]
                * v.pool[mask]
                * fig.in_target[v.platform[mask]]
                * fig.reach[v.platform[mask], v.tier[mask]]
            )[:, None] * v.posts[mask]
            remembering += adstock(np.diff(cum.sum(axis=0), prepend=0.0), fig.value(key))
    remembering = np.minimum(remembering, r50)
    spend = np.cumsum(v.spend.sum(axis=0)) * fx if v.size else np.zeros(weeks)
    total = float(spend[-1]) if weeks else 0.0
    objective = np.percentile(out.objective, [10, 50, 90])
    revenue = roas = None
    if order_value is not None:
        rev = out.sales * order_value  # already in the brief's currency
        revenue = Band.of(rev)
        roas = Band.of(rev / total) if total > 0 else None
    impressions = Band.of(out.impressions, 0)
    return StrategySeries(
        strategy=name,
        influencer_share=round(share, 4),
        week=list(range(1, weeks + 1)),
        reach_p10=np.round(r10, 1).tolist(),
        reach_p50=np.round(r50, 1).tolist(),
        reach_p90=np.round(r90, 1).tolist(),
        impressions_p50=np.round(np.percentile(w["impressions"], 50, axis=0), 1).tolist(),
        engagements_p50=np.round(np.percentile(w["engagements"], 50, axis=0), 1).tolist(),
        remembering_p50=np.round(remembering, 1).tolist(),
        spend=np.round(spend, 2).tolist(),
        objective_p10=round(float(objective[0]), 2),
        objective_p50=round(float(objective[1]), 2),
        objective_p90=round(float(objective[2]), 2),
        effective_reach=Band.of(out.effective_reach, 1),
        impressions=impressions,
        engagements=Band.of(out.engagements, 1),
        clicks=Band.of(out.clicks, 1),
        sales=Band.of(out.sales, 2),
        revenue=revenue,
        return_on_spend=roas,
        met_in_person=round(float(np.median(out.met)), 1),
        cost_per_result=round(total / objective[1], 4) if objective[1] > 0 else None,
        cost_per_thousand_impressions=(
            round(total / impressions.p50 * 1000, 4) if impressions.p50 > 0 else None
        ),
    )
