"""Week-by-week reach projection with uncertainty.

The model, in media-planning terms:
- one creator, repeated posts: reach within the creator's pool saturates along a beta-binomial
  curve (Metheringham 1964); one post reaches exactly pool x reach rate;
- across creators: random duplication (Sainsbury) within the target audience N, so unique reach
  is N x (1 - prod(1 - r_i / N)) and never exceeds N;
- carry-over: the audience that still remembers follows a geometric adstock set by a half-life;
- uncertainty: seeded, vectorised Monte Carlo on reach and engagement rates per
  (relationship, platform, tier) group. The draws do not depend on the brief (common random
  numbers), so comparing two briefs compares like with like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.special import gammaln

from advisor.benchmarks import TIERS, Benchmarks, load_benchmarks
from advisor.brief import Platform

SEED = 20_261_123
SAMPLES = 200
N_GROUPS = 2 * len(Platform) * len(TIERS)
SERIES_NAMES = ("influencer", "ambassador", "recommended")


@dataclass(frozen=True)
class Vehicles:
    """Posting vehicles (a creator, or `count` identical benchmark archetypes), as arrays.

    `posts[i, w]` is the cumulative number of posts by the end of week w+1 (may be fractional
    for steady ambassador posting); `spend[i, w]` is money spent in week w+1, all copies included.
    """

    relationship: np.ndarray  # 0 influencer, 1 ambassador
    platform: np.ndarray  # index into Platform
    tier: np.ndarray  # index into TIERS
    pool: np.ndarray  # people a post can reach: followers, or views-implied audience
    count: np.ndarray  # identical copies (archetypes) — 1 for real creators
    posts: np.ndarray  # (n, weeks) cumulative posts
    engagements_per_post: np.ndarray
    spend: np.ndarray  # (n, weeks)

    @classmethod
    def empty(cls, weeks: int) -> Vehicles:
        z = np.zeros(0)
        zi = np.zeros(0, dtype=int)
        return cls(zi, zi, zi, z, z, np.zeros((0, weeks)), z, np.zeros((0, weeks)))

    @classmethod
    def concat(cls, parts: list[Vehicles]) -> Vehicles:
        fields = cls.__dataclass_fields__
        return cls(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})

    @property
    def size(self) -> int:
        return int(self.pool.shape[0])

    @property
    def group(self) -> np.ndarray:
        return (self.relationship * len(Platform) + self.platform) * len(TIERS) + self.tier


class StrategySeries(BaseModel):
    """One strategy's weekly series; reach, impressions, engagements and spend are cumulative."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strategy: str
    week: list[int]
    reach_p10: list[float]
    reach_p50: list[float]
    reach_p90: list[float]
    impressions_p10: list[float]
    impressions_p50: list[float]
    impressions_p90: list[float]
    engagements_p10: list[float]
    engagements_p50: list[float]
    engagements_p90: list[float]
    remembering_p50: list[float] = Field(description="People who still remember (adstock).")
    spend: list[float]
    cost_per_thousand_reached: list[float | None]
    cost_per_engagement: list[float | None]

    @property
    def final_reach(self) -> float:
        return self.reach_p50[-1] if self.reach_p50 else 0.0


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
        """Long table: one row per strategy and week (what the CSV download holds)."""
        frames = []
        for s in self.series:
            data = s.model_dump()
            frames.append(
                pd.DataFrame({k: v for k, v in data.items() if isinstance(v, list)}).assign(
                    strategy=s.strategy
                )
            )
        frame = pd.concat(frames, ignore_index=True)
        return frame[["strategy", *[c for c in frame.columns if c != "strategy"]]]

    def summary(self) -> pd.DataFrame:
        """End-of-campaign totals per strategy (the comparison table)."""
        rows = []
        for s in self.series:
            rows.append(
                {
                    "strategy": s.strategy,
                    "reach_p10": s.reach_p10[-1],
                    "reach_p50": s.reach_p50[-1],
                    "reach_p90": s.reach_p90[-1],
                    "impressions_p50": s.impressions_p50[-1],
                    "engagements_p50": s.engagements_p50[-1],
                    "spend": s.spend[-1],
                    "cost_per_thousand_reached": s.cost_per_thousand_reached[-1],
                    "cost_per_engagement": s.cost_per_engagement[-1],
                }
            )
        return pd.DataFrame(rows)


def _multipliers(samples: int, sigma: float, stream: int) -> np.ndarray:
    """Lognormal multipliers with median 1, shape (samples, groups); independent of the brief."""
    rng = np.random.default_rng([SEED, stream])
    return np.exp(sigma * rng.standard_normal((samples, N_GROUPS)))


def _not_reached_log(rho: np.ndarray, posts: np.ndarray, concentration: float) -> np.ndarray:
    """log P(a person in the pool is missed by k posts) under a Beta(rho*c, (1-rho)*c) exposure."""
    beta = (1.0 - rho) * concentration
    return (
        gammaln(beta + posts)
        - gammaln(beta)
        + gammaln(concentration)
        - gammaln(concentration + posts)
    )


def _adstock(weekly: np.ndarray, half_life: float) -> np.ndarray:
    """Geometric carry-over along the last axis: x_t + lambda * carry_{t-1}."""
    lam = 0.5 ** (1.0 / half_life) if half_life > 0 else 0.0
    out = np.empty_like(weekly)
    carry = np.zeros(weekly.shape[:-1])
    for w in range(weekly.shape[-1]):
        carry = weekly[..., w] + lam * carry
        out[..., w] = carry
    return out


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> list[float | None]:
    return [float(n / d * scale) if d > 0 else None for n, d in zip(num, den, strict=True)]


def project_vehicles(
    vehicles: Vehicles,
    audience: int,
    weeks: int,
    name: str = "recommended",
    fx: float = 1.0,
    samples: int = SAMPLES,
    bench: Benchmarks | None = None,
) -> StrategySeries:
    """Project one strategy's vehicles week by week; money is converted with `fx` per USD."""
    b = bench or load_benchmarks()
    n_aud = float(audience)
    m_reach = _multipliers(samples, b.value("reach_rate_uncertainty"), 1)
    m_eng = _multipliers(samples, b.value("engagement_rate_uncertainty"), 2)
    week_axis = np.arange(1, weeks + 1)

    if vehicles.size == 0:
        zeros = [0.0] * weeks
        return StrategySeries(
            strategy=name,
            week=week_axis.tolist(),
            **{
                f"{m}_{q}": zeros
                for m in ("reach", "impressions", "engagements")
                for q in ("p10", "p50", "p90")
            },
            remembering_p50=zeros,
            spend=zeros,
            cost_per_thousand_reached=[None] * weeks,
            cost_per_engagement=[None] * weeks,
        )

    v = vehicles
    group = v.group
    rho = b.grid("reach")[v.platform, v.tier]
    ipr = b.grid("impressions_per_reach")[v.platform, v.tier]

    # Unique reach: evaluate the saturation curve only for distinct (group, posts) pairs.
    keys = group[:, None] * 10_000 + np.round(v.posts * 100).astype(np.int64)
    uniq, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.reshape(v.posts.shape)
    pair_group = uniq // 10_000
    pair_posts = (uniq % 10_000) / 100.0
    # rho is the same within a group (benchmark per platform x tier)
    group_rho = np.zeros(N_GROUPS)
    group_rho[group] = rho
    rho_s = np.clip(group_rho[pair_group][None, :] * m_reach[:, pair_group], 1e-6, 0.95)
    missed = np.exp(
        _not_reached_log(rho_s, pair_posts[None, :], b.value("post_reach_concentration"))
    )
    reached_share = 1.0 - missed  # (S, pairs)
    per_vehicle = v.pool[None, :, None] * reached_share[:, inverse]  # (S, n, W)
    frac = np.minimum(per_vehicle, n_aud) / n_aud
    log_missed = (v.count[None, :, None] * np.log1p(-np.minimum(frac, 1 - 1e-12))).sum(axis=1)
    reach = n_aud * -np.expm1(log_missed)  # (S, W)

    # Impressions and engagements are linear in the group multipliers: one matrix product each.
    def by_group(values: np.ndarray) -> np.ndarray:
        out = np.zeros((N_GROUPS, weeks))
        np.add.at(out, group, values)
        return out

    imp_base = by_group((v.count * v.pool * rho * ipr)[:, None] * v.posts)
    eng_base = by_group((v.count * v.engagements_per_post)[:, None] * v.posts)
    impressions = m_reach @ imp_base
    engagements = m_eng @ eng_base

    # Carry-over: weekly contacts per relationship, each with its own half-life, capped by reach.
    remembering = np.zeros(weeks)
    for rel, key in ((0, "influencer_half_life_weeks"), (1, "ambassador_half_life_weeks")):
        mask = v.relationship == rel
        if not mask.any():
            continue
        cum = (v.count[mask] * v.pool[mask] * rho[mask])[:, None] * v.posts[mask]
        weekly = np.diff(cum.sum(axis=0), prepend=0.0)
        remembering += _adstock(weekly, b.value(key))
    reach_p10, reach_p50, reach_p90 = np.percentile(reach, [10, 50, 90], axis=0)
    remembering = np.minimum(remembering, reach_p50)

    spend = np.cumsum(v.spend.sum(axis=0)) * fx
    imp_q = np.percentile(impressions, [10, 50, 90], axis=0)
    eng_q = np.percentile(engagements, [10, 50, 90], axis=0)
    return StrategySeries(
        strategy=name,
        week=week_axis.tolist(),
        reach_p10=reach_p10.tolist(),
        reach_p50=reach_p50.tolist(),
        reach_p90=reach_p90.tolist(),
        impressions_p10=imp_q[0].tolist(),
        impressions_p50=imp_q[1].tolist(),
        impressions_p90=imp_q[2].tolist(),
        engagements_p10=eng_q[0].tolist(),
        engagements_p50=eng_q[1].tolist(),
        engagements_p90=eng_q[2].tolist(),
        remembering_p50=remembering.tolist(),
        spend=spend.tolist(),
        cost_per_thousand_reached=_ratio(spend, reach_p50, 1000.0),
        cost_per_engagement=_ratio(spend, eng_q[1]),
    )
