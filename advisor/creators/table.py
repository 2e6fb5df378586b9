"""The model's creator table: one typed table computed once from an ingested list.

`CreatorTable.build(load)` (or `creator_table(load)`) turns a `CreatorLoad` (or a bare
DataFrame in the canonical layout) into the columns the engine computes with: platform, tier and
relationship as codes, the audience a post can reach, engagements per post, the cost per post in
the list's currency and in US dollars (converted here, once), whether that cost is a benchmark
estimate, and the audit's flags. Allocation, the shortlist and the projection use it as it is.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from advisor.creators.audit import REASONS, edited_thresholds, flag_bits, flag_codes
from advisor.model.assumptions import Assumptions, ModelFigures
from advisor.model.benchmarks import TIERS
from advisor.model.brief import Platform
from advisor.model.currency import per_usd
from advisor.model.projection import missed_share

if TYPE_CHECKING:
    from advisor.creators.ingest import CreatorLoad

PLATFORMS = list(Platform)
VIEW_DRIVEN = (PLATFORMS.index(Platform.TIKTOK), PLATFORMS.index(Platform.YOUTUBE))
RELATIONSHIPS = ("influencer", "ambassador")

# the columns of `CreatorTable.frame`, in this order
COLUMNS = (
    "handle",  # str, as written in the list
    "name",  # str or None
    "platform",  # categorical over Platform values
    "platform_idx",  # int, position in `Platform`
    "tier",  # categorical over TIERS
    "tier_idx",  # int, position in TIERS
    "relationship",  # categorical: influencer / ambassador
    "relationship_idx",  # int: 0 influencer, 1 ambassador
    "followers",  # float
    "pool",  # people a post can reach: followers, or the views-implied audience on TikTok/YouTube
    "engagements_per_post",  # float: likes + comments, else the benchmark rate x followers
    "cost_per_post",  # float, in the list's currency (`CreatorTable.currency`)
    "cost_usd",  # float: cost_per_post in US dollars (converted once, here)
    "cost_estimated",  # bool: the list gave no cost, the benchmark planning cost is used
    "flagged",  # bool: the audit found a red flag
    "flags",  # str: audit reason codes joined by ';' ('' when clean)
    "line",  # int: line of the source file (-1 when unknown)
    "value",  # float: reach per dollar per post (pool x reach rate / cost_usd), a sort key
)


@dataclass(frozen=True, eq=False)
class CreatorTable:
    """A creator list as the model sees it (see `COLUMNS`); rows are numbered 0..n-1.

    `currency` is the list's currency (ISO code) for `cost_per_post`; `label` names the list
    (a file name, `sample`, or `creators:<rows>` for a bare DataFrame)."""

    frame: pd.DataFrame
    currency: str = "USD"
    label: str = "creators"

    @classmethod
    def build(
        cls,
        source: CreatorLoad | pd.DataFrame,
        fig: ModelFigures | None = None,
        *,
        currency: str | None = None,
        label: str | None = None,
    ) -> CreatorTable:
        """The model's columns for a `CreatorLoad` or a canonical DataFrame (vectorised).

        The list's currency is `currency`, else the load's own (`CreatorLoad.currency`), else
        US dollars. Rows without a known platform or with no followers are left out."""
        fig = fig or Assumptions().model()
        table = source if isinstance(source, pd.DataFrame) else source.table
        currency = currency or getattr(source, "currency", None) or "USD"
        label = label or getattr(source, "label", None) or f"creators:{len(table)}"
        return cls(_columns(table, fig, float(per_usd(currency))), str(currency), str(label))

    def __len__(self) -> int:
        return len(self.frame)

    def take(self, rows: np.ndarray | list[int]) -> CreatorTable:
        """The given rows (positions), renumbered 0..k-1, same currency and label."""
        frame = self.frame.iloc[np.asarray(rows, dtype=np.int64)].reset_index(drop=True)
        return CreatorTable(frame, self.currency, self.label)

    def where(self, mask: np.ndarray | pd.Series) -> CreatorTable:
        return self.take(np.flatnonzero(np.asarray(mask, dtype=bool)))

    @property
    def influencers(self) -> CreatorTable:
        return self.where(self.frame["relationship_idx"].to_numpy() == 0)

    @property
    def ambassadors(self) -> CreatorTable:
        return self.where(self.frame["relationship_idx"].to_numpy() == 1)

    @property
    def handles(self) -> list[str]:
        return self.frame["handle"].tolist()


def creator_table(
    source: CreatorLoad | CreatorTable | pd.DataFrame,
    fig: ModelFigures | None = None,
    *,
    currency: str | None = None,
    label: str | None = None,
) -> CreatorTable:
    """`CreatorTable.build`, passing a table that is already built through unchanged."""
    if isinstance(source, CreatorTable):
        return source
    if isinstance(source, pd.DataFrame) or currency is not None or label is not None:
        return CreatorTable.build(source, fig, currency=currency, label=label)
    fig = fig or Assumptions().model()
    key = (id(source), id(fig))
    seen = _BUILT.get(key)
    mark = content_mark(source.table)
    if seen is not None and seen[0]() is source and seen[1] is fig and seen[2] == mark:
        return seen[3]  # the same load, unchanged, with the same figures: built already
    built = CreatorTable.build(source, fig)
    _BUILT[key] = (weakref.ref(source), fig, mark, built)
    while len(_BUILT) > BUILT_TABLES:
        _BUILT.pop(next(iter(_BUILT)))
    return built


BUILT_TABLES = 4  # loads whose table is kept (a plan, its factors and curves reuse it)
_BUILT: dict[
    tuple[int, int], tuple[weakref.ref[CreatorLoad], ModelFigures, bytes, CreatorTable]
] = {}


def content_mark(frame: pd.DataFrame) -> bytes:
    """A digest of every label and value of `frame` (an edit in place changes it): each
    column's name, type and values as bytes (numbers and Arrow text as they are stored,
    categories by their codes and names, other values as JSON), several times faster than
    pandas' row hashes."""
    digest = hashlib.blake2b(digest_size=16)
    index = frame.index
    if isinstance(index, pd.RangeIndex):
        digest.update(repr((index.start, index.stop, index.step)).encode())
    else:
        digest.update(json.dumps([str(x) for x in index]).encode())
    for name, column in frame.items():
        digest.update(json.dumps([str(name), str(column.dtype)]).encode())
        if isinstance(column.dtype, pd.CategoricalDtype):
            digest.update(np.ascontiguousarray(column.cat.codes.to_numpy()).tobytes())
            digest.update(json.dumps(column.cat.categories.tolist(), default=repr).encode())
        elif column.dtype.kind in "biufcmM":
            digest.update(np.ascontiguousarray(column.to_numpy()).tobytes())
        elif getattr(column.dtype, "storage", None) == "pyarrow":  # text as Arrow stores it
            stored = pa.array(column)
            digest.update(repr((stored.offset, len(stored))).encode())
            for buffer in stored.buffers():
                digest.update(b"-" if buffer is None else buffer)
        else:
            digest.update(json.dumps(column.tolist(), default=repr).encode())
    return digest.digest()


def _numbers(table: pd.DataFrame, name: str, index: pd.Index) -> np.ndarray | None:
    if name not in table:
        return None
    return pd.to_numeric(table.loc[index, name], errors="coerce").to_numpy(dtype=float)


def _codes(series: pd.Series, names: list[str]) -> np.ndarray:
    """Position of each value in `names` (-1 when unknown), categoricals mapped per category."""
    lookup = {n: i for i, n in enumerate(names)}
    mapped = series.map(lookup)
    return pd.to_numeric(mapped, errors="coerce").fillna(-1).to_numpy(dtype=np.int64)


def _columns(table: pd.DataFrame, fig: ModelFigures, fx: float) -> pd.DataFrame:
    platform = _codes(table["platform"], [p.value for p in PLATFORMS])
    followers = pd.to_numeric(table["followers"], errors="coerce").to_numpy(dtype=float)
    keep = (platform >= 0) & np.isfinite(followers) & (followers > 0)
    index = table.index[keep]
    src = table.loc[index]
    n = len(src)
    p, followers = platform[keep], followers[keep]
    if "tier" in src:  # the ingest's own tier (same edges), not derived again
        t = _codes(src["tier"], list(TIERS))
        t = np.where(t >= 0, t, fig.tier_of(followers))
    else:
        t = fig.tier_of(followers)
    if "relationship" in src:
        rel = (src["relationship"].astype(str).to_numpy() == "ambassador").astype(np.int64)
    else:
        rel = np.zeros(n, np.int64)
    rho, ipr = fig.reach[p, t], fig.impressions_per_reach[p, t]

    pool = followers.copy()
    views = _numbers(table, "avg_views", index)
    if views is not None:
        use = np.isin(p, VIEW_DRIVEN) & np.isfinite(views) & (views > 0)
        pool = np.where(use, views / ipr / rho, pool)
    likes, comments = _numbers(table, "avg_likes", index), _numbers(table, "avg_comments", index)
    engagements = followers * fig.engagement[p, t]
    if likes is not None:
        own = np.nan_to_num(likes) + (np.nan_to_num(comments) if comments is not None else 0.0)
        engagements = np.where(np.isfinite(likes), own, engagements)

    cost = _numbers(table, "cost_per_post", index)
    if cost is None:
        cost = np.full(n, np.nan)
    if "cost_estimated" in src:  # the ingest knows which costs it filled in
        estimated = src["cost_estimated"].fillna(True).to_numpy(dtype=bool) | ~np.isfinite(cost)
    else:
        estimated = ~(np.isfinite(cost) & (cost > 0))
    bench_usd = fig.cost[p, t]  # estimated costs follow the model's (editable) figures
    cost_usd = np.where(estimated, bench_usd, np.nan_to_num(cost) / fx)
    cost_list = np.where(estimated, bench_usd * fx, np.nan_to_num(cost))

    if "flags" in src:
        flags = src["flags"].astype(str).replace({"nan": "", "None": ""}).to_numpy(dtype=object)
    else:
        flags = np.full(n, "", dtype=object)
    limits = edited_thresholds(fig.scalars)
    if limits is not None:
        flags = _reaudited(src, flags, limits)
    line = _numbers(table, "line", index)
    with np.errstate(divide="ignore"):
        value = pool * rho / cost_usd
    frame = pd.DataFrame(
        {
            "handle": src["handle"].astype(str).to_numpy(dtype=object),
            "name": src["name"].to_numpy(dtype=object) if "name" in src else np.full(n, None),
            "platform": pd.Categorical.from_codes(p, categories=[x.value for x in PLATFORMS]),
            "platform_idx": p.astype(np.int64),
            "tier": pd.Categorical.from_codes(t, categories=list(TIERS), ordered=True),
            "tier_idx": np.asarray(t, dtype=np.int64),
            "relationship": pd.Categorical.from_codes(rel, categories=list(RELATIONSHIPS)),
            "relationship_idx": rel,
            "followers": followers,
            "pool": pool.astype(float),
            "engagements_per_post": engagements.astype(float),
            "cost_per_post": cost_list.astype(float),
            "cost_usd": cost_usd.astype(float),
            "cost_estimated": estimated,
            "flagged": np.asarray(flags != "", dtype=bool),
            "flags": flags,
            "line": np.nan_to_num(line, nan=-1).astype(np.int64)
            if line is not None
            else np.full(n, -1, np.int64),
            "value": value,
        }
    )
    return frame[list(COLUMNS)]


def _reaudited(src: pd.DataFrame, flags: np.ndarray, limits: dict[str, float]) -> np.ndarray:
    """The audit again with the plan's edited thresholds. Whether a figure was abbreviated in
    the file (`12.5K`, exempt from the round-figure rule) is not kept after ingest, so that
    rule keeps the list's own verdict."""
    bits = flag_bits(src, None, limits)
    round_bit = np.uint8(1 << REASONS.index("round_figures"))
    before = pd.Series(flags, dtype=object).str.contains("round_figures", regex=False)
    before = before.fillna(False).to_numpy(dtype=bool)
    bits = (bits & ~round_bit) | np.where(before, round_bit, 0).astype(np.uint8)
    return flag_codes(bits)


def expected_reach(
    table: CreatorTable, posts: np.ndarray | float, fig: ModelFigures, audience: int
) -> np.ndarray:
    """Expected in-target people each creator reaches with `posts` posts, at median figures:
    the projection's own per-creator figure (beta-binomial P(0), `missed_share`), capped by the
    audience."""
    frame = table.frame
    p, t = frame["platform_idx"].to_numpy(), frame["tier_idx"].to_numpy()
    posts = np.broadcast_to(np.asarray(posts, dtype=float), (len(frame),))
    conc = fig.s.post_reach_concentration
    reached = (
        frame["pool"].to_numpy(dtype=float)
        * np.minimum(fig.in_target[p] * audience / fig.s.in_target_reference_audience, 1.0)
        * (1.0 - missed_share(fig.reach[p, t], posts, conc))
    )
    return np.minimum(reached, float(audience))
