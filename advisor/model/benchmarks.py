"""Published benchmark figures and our labelled assumptions, loaded from the bundled
`advisor/data/` and validated.

Every figure carries a `source_id` that points into `advisor/data/benchmarks/sources.csv`; rows
whose source is `assumption` are our own planning numbers and are shown as such in the product.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.model.brief import Platform
from advisor.model.currency import Currency, fx_rates
from advisor.model.data import BENCHMARK_DIR as BENCHMARK_DIR  # the store fingerprints these
from advisor.model.data import DATA_DIR

TIERS: tuple[str, ...] = ("nano", "micro", "mid", "macro", "mega")
RELATIONSHIPS: tuple[str, ...] = ("influencer", "ambassador")


class Source(BaseModel):
    source_id: str
    publisher: str
    title: str
    url: str = ""
    year: int = Field(ge=1950, le=2100)


class TierRow(BaseModel):
    tier: str
    min_followers: int = Field(ge=0)
    max_followers: float | None = None
    source_id: str


class RateRow(BaseModel):
    platform: Platform
    tier: str
    value: float = Field(gt=0, lt=1)
    source_id: str
    note: str = ""
    denominator: str = "followers"  # engagement: "followers" or "views" (converted at use)


class PublishedCpm(BaseModel):
    platform: Platform
    low_usd: float = Field(gt=0)
    high_usd: float = Field(gt=0)
    source_id: str


class CostRow(BaseModel):
    platform: Platform
    tier: str
    low_usd: float = Field(ge=0)
    high_usd: float | None = None
    planning_usd: float = Field(gt=0)
    source_id: str


class Assumption(BaseModel):
    key: str
    value: float
    unit: str
    source_id: str
    note: str = ""


class Benchmarks(BaseModel):
    """All figures the model uses, as lookup tables indexed by platform and tier."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    sources: dict[str, Source]
    tiers: list[TierRow]
    engagement: dict[tuple[str, str], RateRow]
    reach: dict[tuple[str, str], RateRow]
    impressions_per_reach: dict[tuple[str, str], float]
    cost: dict[tuple[str, str], CostRow]
    assumptions: dict[str, Assumption]
    fx: dict[str, float]
    published_cpm: list[PublishedCpm]

    @model_validator(mode="after")
    def _complete(self) -> Benchmarks:
        """Every platform x tier cell exists and every figure names a known source."""
        tables: tuple[dict[tuple[str, str], RateRow] | dict[tuple[str, str], CostRow], ...] = (
            self.engagement,
            self.reach,
            self.cost,
        )
        for table in tables:
            for platform in Platform:
                for tier in TIERS:
                    row = table.get((platform.value, tier))
                    if row is None:
                        raise ValueError(f"missing benchmark for {platform.value}/{tier}")
                    if row.source_id not in self.sources:
                        raise ValueError(f"unknown source {row.source_id!r}")
        items: list[Assumption | TierRow] = [*self.assumptions.values(), *self.tiers]
        for item in items:
            if item.source_id not in self.sources:
                raise ValueError(f"unknown source {item.source_id!r}")
        if [t.tier for t in self.tiers] != list(TIERS):
            raise ValueError(f"tiers must be {TIERS} in order")
        problems = consistency_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- lookups -------------------------------------------------------------------------
    def value(self, key: str) -> float:
        return self.assumptions[key].value

    def per_usd(self, currency: Currency | str) -> float:
        return self.fx[Currency(currency).value]

    @property
    def tier_edges(self) -> np.ndarray:
        """Lower follower bound of each tier above nano, for `np.searchsorted`."""
        return np.array([t.min_followers for t in self.tiers[1:]], dtype=float)

    def tier_of(self, followers: np.ndarray | pd.Series | float) -> np.ndarray:
        """Vectorised tier index (0 = nano ... 4 = mega) for follower counts."""
        return np.searchsorted(self.tier_edges, np.asarray(followers, dtype=float), side="right")

    def grid(self, table: str) -> np.ndarray:
        """A (platform x tier) array of one table, in `Platform` and `TIERS` order."""
        source = {
            "engagement": lambda p, t: self.engagement[(p, t)].value,
            "reach": lambda p, t: self.reach[(p, t)].value,
            "impressions_per_reach": lambda p, t: self.impressions_per_reach[(p, t)],
            "cost": lambda p, t: self.cost[(p, t)].planning_usd,
        }[table]
        out = np.array([[source(p.value, t) for t in TIERS] for p in Platform], dtype=float)
        if table == "engagement":  # as published, then per follower where rows are per view
            reach, ipr = self.grid("reach"), self.grid("impressions_per_reach")
            out = engagement_per_follower(out, reach, ipr, self.per_view())
        return out

    def per_view(self) -> np.ndarray:
        """(platform x tier) True where the engagement row is published per view."""
        return np.array(
            [
                [self.engagement[(p.value, t)].denominator == "views" for t in TIERS]
                for p in Platform
            ]
        )

    def archetype_followers(self) -> np.ndarray:
        """A typical creator per tier: the geometric middle of the tier's follower range."""
        lows = np.array([max(t.min_followers, 1_000) for t in self.tiers], dtype=float)
        highs = np.array([t.max_followers or t.min_followers * 3 for t in self.tiers], dtype=float)
        return np.sqrt(lows * highs)

    def published_cpm_range(self, platform: Platform | str) -> tuple[float, float] | None:
        """Lowest and highest published cost per 1,000 impressions for a platform, if any."""
        rows = [r for r in self.published_cpm if r.platform.value == Platform(platform).value]
        if not rows:
            return None
        return min(r.low_usd for r in rows), max(r.high_usd for r in rows)


def engagement_per_follower(
    rate: np.ndarray, reach: np.ndarray, impressions_per_reach: np.ndarray, per_view: np.ndarray
) -> np.ndarray:
    """Engagements per post per follower: a per-view rate times views per follower
    (reach rate x impressions per person reached); a per-follower rate as it is."""
    return np.where(per_view, rate * reach * impressions_per_reach, rate)


def consistency_problems(bench: Benchmarks) -> list[str]:
    """Checks that keep the tables honest with each other (run at load; tested).

    - engagement per follower falls (never rises) with tier on every platform;
    - engagements per post never exceed the people a post reaches;
    - a tier's cost per 1,000 impressions sits within a factor of 2 of the published range.
    """
    problems = []
    eng = bench.grid("engagement")
    reach = bench.grid("reach")
    ipr = bench.grid("impressions_per_reach")
    cost = bench.grid("cost")
    followers = bench.archetype_followers()
    for i, platform in enumerate(Platform):
        if np.any(np.diff(eng[i]) > 1e-12):
            problems.append(f"engagement rate rises with tier on {platform.value}")
        if np.any(eng[i] > reach[i]):
            problems.append(f"more engagements than people reached on {platform.value}")
        published = bench.published_cpm_range(platform)
        if published is None:
            continue
        cpm = cost[i] / (followers * reach[i] * ipr[i]) * 1000
        low, high = published[0] / 2, published[1] * 2
        for tier, value in zip(TIERS, cpm, strict=True):
            if not low <= value <= high:
                problems.append(
                    f"{platform.value}/{tier} costs ${value:.0f} per 1,000 impressions, outside "
                    f"${low:g}-${high:g} (published range, factor 2)"
                )
    return problems


def _read(name: str, directory: Path) -> list[dict]:
    frame = pd.read_csv(directory / name, dtype=str, keep_default_na=False)
    return [
        {k: (v if v != "" else None) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def _rates(rows: list[dict], column: str) -> dict[tuple[str, str], RateRow]:
    out = {}
    for row in rows:
        item = RateRow(
            platform=row["platform"],
            tier=row["tier"],
            value=row[column],
            source_id=row["source_id"],
            note=row.get("note") or "",
            denominator=row.get("denominator") or "followers",
        )
        out[(item.platform.value, item.tier)] = item
    return out


def read_benchmarks(directory: Path = DATA_DIR) -> Benchmarks:
    """Read and validate every benchmark table; raises a pydantic error naming the bad figure."""
    bench = directory / "benchmarks"
    reach_rows = _read("reach_rates.csv", bench)
    return Benchmarks(
        sources={
            r["source_id"]: Source(**{**r, "url": r["url"] or ""})
            for r in _read("sources.csv", bench)
        },
        tiers=[TierRow(**r) for r in _read("tiers.csv", bench)],
        engagement=_rates(_read("engagement_rates.csv", bench), "engagement_rate"),
        reach=_rates(reach_rows, "reach_rate"),
        impressions_per_reach={
            (r["platform"], r["tier"]): float(r["impressions_per_reach"]) for r in reach_rows
        },
        cost={(r["platform"], r["tier"]): CostRow(**r) for r in _read("cost_per_post.csv", bench)},
        assumptions={
            r["key"]: Assumption(**{**r, "note": r["note"] or ""})
            for r in _read("assumptions.csv", bench)
        },
        fx=dict(fx_rates()),
        published_cpm=[PublishedCpm(**r) for r in _read("published_cpm.csv", bench)],
    )


@lru_cache(maxsize=1)
def load_benchmarks() -> Benchmarks:
    """The bundled benchmarks, read once per process."""
    return read_benchmarks()
