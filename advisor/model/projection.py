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

from dataclasses import dataclass
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

    def head(self, n: int) -> Draws:
        """The first `n` draws (common random numbers: a subset of the same scenarios)."""
        fields = self.__dataclass_fields__
        return Draws(**{f: getattr(self, f)[:n] for f in fields})


@lru_cache(maxsize=4)
def draws(samples: int = SAMPLES, seed: int = SEED) -> Draws:
    rng = np.random.default_rng(seed)
    per_platform = [rng.standard_normal((samples, N_PLATFORMS)) for _ in range(4)]
    scalars = [rng.standard_normal(samples) for _ in range(8)]
    return Draws(*per_platform, *scalars)


def pmf012(
    rho: np.ndarray, k: np.ndarray, c: float, cols: np.ndarray | None = None
) -> tuple[np.ndarray, ...]:
    """P(0), P(1), P(2) exposures out of k posts under Beta(rho c, (1-rho) c) exposure
    (`cols`: the columns of `rho` that `k`'s columns read, `rho[:, cols]` without the gather:
    its own terms computed once per column of `rho`).

    For whole k: P(0) = B(a, b+k) / B(a, b), and the next two follow by exact ratios,
    P(1) = P(0) k a / (b+k-1) and P(2) = P(0) C(k,2) a (a+1) / ((b+k-1)(b+k-2)).
    Fractional k (advocates who join gradually) is linear between the whole counts around it.
    """
    rho, at = _read_columns(rho, cols)
    a, b = rho * c, (1.0 - rho) * c
    base = gammaln(c) - gammaln(b)  # shared by both whole counts
    if at is not None:
        a, b, base = a[:, at], b[:, at], base[:, at]

    def whole(
        k: np.ndarray, a: np.ndarray, b: np.ndarray, base: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        p0 = np.exp(_gammaln_columns(b + k) - _gammaln_columns(c + k) + base)
        d1 = np.maximum(b + k - 1.0, 1e-12)
        d2 = np.maximum(b + k - 2.0, 1e-12)
        p1 = np.where(k >= 1, p0 * k * a / d1, 0.0)
        p2 = np.where(k >= 2, p0 * k * (k - 1) / 2 * a * (a + 1) / (d1 * d2), 0.0)
        return p0, p1, p2

    lo = np.floor(k)
    w = k - lo
    p_lo = whole(lo, a, b, base)
    if not np.any(w > 0):
        return p_lo
    part = (w > 0).any(axis=0) if w.ndim == 2 and a.shape == b.shape == w.shape else None
    if part is None or part.all():
        p_hi = whole(lo + 1.0, a, b, base)
        return tuple((1 - w) * x + w * y for x, y in zip(p_lo, p_hi, strict=True))
    # only the columns with a fractional count on some draw (a whole count keeps P(lo))
    on = np.flatnonzero(part)
    w = w[:, on]
    p_hi = whole(lo[:, on] + 1.0, a[:, on], b[:, on], base[:, on])
    for x, y in zip(p_lo, p_hi, strict=True):
        x[:, on] = (1 - w) * x[:, on] + w * y
    return p_lo


def missed_share(
    rho: np.ndarray, k: np.ndarray, c: float, cols: np.ndarray | None = None
) -> np.ndarray:
    """P(0 exposures) after k posts (continuous in k; `cols`: as in `pmf012`)."""
    rho, at = _read_columns(rho, cols)
    b = (1.0 - rho) * c
    log_b = gammaln(b)
    if at is not None:
        b, log_b = b[:, at], log_b[:, at]
    return np.exp(_gammaln_columns(b + k) - log_b + gammaln(c) - _gammaln_columns(c + k))


def _read_columns(rho: np.ndarray, cols: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The columns of `rho` that `cols` reads, each once, and where each of `cols` is among
    them (None: every column of `rho`, as it is)."""
    if cols is None:
        return rho, None
    read, at = np.unique(cols, return_inverse=True)
    return rho[:, read], at.reshape(-1)


def _gammaln_columns(x: np.ndarray) -> np.ndarray:
    """gammaln(x), evaluated once per column of a (draws x columns) array that no draw
    changes (a count of posts, a rate without uncertainty): the same figures for fewer
    evaluations (gammaln is the engine's costliest arithmetic)."""
    if x.ndim != 2 or x.shape[0] < 2:
        return gammaln(x)
    same = (x == x[0]).all(axis=0)
    if not same.any():
        return gammaln(x)
    out = np.empty(x.shape)
    out[:] = gammaln(x[0])  # every column's first draw; the others' own draws below
    if not same.all():
        out[:, ~same] = gammaln(x[:, ~same])
    return out


def reachable_audience(audience: float, fig: ModelFigures, d: Draws) -> np.ndarray:
    """People creators can reach at all, per draw: below 95% of the audience, never at it."""
    base = min(fig.s.audience_reachable_share, MAX_REACHABLE_SHARE - 1e-3)
    share = MAX_REACHABLE_SHARE * expit(
        logit(base / MAX_REACHABLE_SHARE) + fig.s.reachable_uncertainty * d.reachable
    )
    return audience * share


@dataclass(frozen=True)
class Multipliers:
    """Per-draw lognormal multipliers with median 1: (S, platforms) or (S,)."""

    reach: np.ndarray
    engagement: np.ndarray
    cost: np.ndarray
    in_target: np.ndarray
    activation: np.ndarray
    posting: np.ndarray
    trust: np.ndarray  # the paid-post trust weight itself, per draw (at most 1)
    clicks: np.ndarray
    conversion: np.ndarray
    entries: np.ndarray
    met: np.ndarray


def saturation_audience(fig: ModelFigures, platforms: np.ndarray) -> float:
    """The target size beyond which the creators of `platforms` reach nobody more: their
    followers are all in it from the target at which the platform with the lowest in-target
    share reaches all of them (see `in_target_share`); infinite with no platform."""
    if not len(platforms):
        return float("inf")
    base = float(np.min(fig.in_target[np.unique(platforms)]))
    return fig.s.in_target_reference_audience / max(base, 1e-9)


def duplication_universe(
    n_eff: np.ndarray, audience: float, fig: ModelFigures, platforms: np.ndarray
) -> np.ndarray:
    """The people creators' audiences overlap within, per draw: the reachable target, up to the
    target at which every follower of the creators on `platforms` is already in it (beyond that
    a larger target adds nobody a creator can reach, and must not make their followers overlap
    less: followers overlap by niche, not by the brief's target).

    `platforms` are those of the creators a plan buys (an in-person appearance is on none): a
    platform ticked but not bought posts nothing, so it neither adds anybody to the people the
    plan's creators can reach nor makes their followers overlap less. The engine evaluates each
    set of platforms it considers on its own universe (`advisor.advice.search.Search.full`)."""
    saturation = saturation_audience(fig, platforms)
    return n_eff * min(1.0, saturation / max(audience, 1.0))


def in_target_share(
    fig: ModelFigures, shock: np.ndarray, platform: np.ndarray, audience: float
) -> np.ndarray:
    """Share of each creator's followers in the brand's target, per draw (S, O): the platform's
    figure (set for a target of `in_target_reference_audience` people) scaled by how much larger
    or smaller the brief's target is, never above all of them. A larger target never makes a
    creator reach fewer of its people."""
    scale = audience / fig.s.in_target_reference_audience
    return np.minimum(fig.in_target[platform][None, :] * shock[:, platform] * scale, 1.0)


def multipliers(fig: ModelFigures, d: Draws) -> Multipliers:
    """Lognormal multipliers with median 1 from the fixed shocks and the assumptions' spreads."""
    s = fig.s
    conversion = s.conversion_uncertainty
    return Multipliers(
        reach=np.exp(s.reach_rate_uncertainty * d.reach),
        engagement=np.exp(s.engagement_rate_uncertainty * d.engagement),
        cost=np.exp(s.cost_uncertainty * d.cost),
        in_target=np.exp(s.in_target_uncertainty * d.in_target),
        activation=np.exp(s.activation_uncertainty * d.activation),
        posting=np.exp(s.posting_uncertainty * d.posting),
        trust=np.minimum(s.trust_paid_post_weight * np.exp(s.trust_uncertainty * d.trust), 1.0),
        clicks=np.exp(conversion * d.clicks),
        conversion=np.exp(conversion * d.conversion),
        entries=np.exp(conversion * d.entries),
        met=np.exp(conversion * d.met),
    )


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
        return cls.of_quantiles(np.percentile(values, [10, 50, 90]), digits)

    @classmethod
    def of_quantiles(cls, q: np.ndarray, digits: int = 2) -> Band:
        """From the p10, p50 and p90 already computed (several figures in one call)."""
        lo, mid, hi = q
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
