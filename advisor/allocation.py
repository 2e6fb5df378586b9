"""Turn a budget into creators and posts: the influencer tier mix and the ambassador programme.

Both allocations are *prefix* allocations: purchases are ranked in an order that does not depend
on the budget, and the plan takes them while they fit. More budget therefore only ever adds
creators, which is why projected reach never falls when the budget rises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.benchmarks import TIERS, Benchmarks
from advisor.brief import CampaignBrief, Goal, Platform
from advisor.projection import Vehicles

PLATFORMS = list(Platform)
VIEW_DRIVEN = (PLATFORMS.index(Platform.TIKTOK), PLATFORMS.index(Platform.YOUTUBE))


@dataclass(frozen=True)
class InfluencerAllocation:
    vehicles: Vehicles
    spend_usd: float
    creators_by_tier: np.ndarray  # (tiers,)
    spend_by_tier_usd: np.ndarray
    handles: list[str]


@dataclass(frozen=True)
class AmbassadorAllocation:
    vehicles: Vehicles
    ambassadors: int
    available: int
    perks_usd: float
    commissions_usd: float
    management_usd: float
    extras_usd: float
    posts: float
    handles: list[str]
    brand_faces: int = 0
    brand_faces_usd: float = 0.0

    @property
    def spend_usd(self) -> float:
        return (
            self.perks_usd
            + self.commissions_usd
            + self.management_usd
            + self.extras_usd
            + self.brand_faces_usd
        )


# --- creator tables ------------------------------------------------------------------------


def prepare_creators(table: pd.DataFrame, bench: Benchmarks) -> pd.DataFrame:
    """Add the model's numeric columns to a canonical creator table (vectorised).

    `pool` is the audience a post can reach: followers, or for view-driven platforms the
    audience implied by average views (views / impressions-per-reach / reach rate).
    """
    out = pd.DataFrame(
        {
            "handle": table["handle"].astype(str),
            "platform_idx": table["platform"].map({p.value: i for i, p in enumerate(PLATFORMS)}),
            "followers": pd.to_numeric(table["followers"], errors="coerce"),
            "relationship_idx": (table["relationship"].astype(str) == "ambassador").astype(int),
        }
    )
    out = out[out["platform_idx"].notna() & out["followers"].gt(0)].copy()
    src = table.loc[out.index]
    out["platform_idx"] = out["platform_idx"].astype(int)
    out["tier_idx"] = bench.tier_of(out["followers"].to_numpy())
    p, t = out["platform_idx"].to_numpy(), out["tier_idx"].to_numpy()
    rho = bench.grid("reach")[p, t]
    ipr = bench.grid("impressions_per_reach")[p, t]
    views = pd.to_numeric(src.get("avg_views"), errors="coerce") if "avg_views" in src else None
    pool = out["followers"].to_numpy(dtype=float)
    if views is not None:
        v = views.to_numpy(dtype=float)
        use = np.isin(p, VIEW_DRIVEN) & np.isfinite(v) & (v > 0)
        pool = np.where(use, v / ipr / rho, pool)
    out["pool"] = pool
    likes = pd.to_numeric(src.get("avg_likes"), errors="coerce") if "avg_likes" in src else None
    comments = (
        pd.to_numeric(src.get("avg_comments"), errors="coerce") if "avg_comments" in src else None
    )
    bench_eng = out["followers"].to_numpy(dtype=float) * bench.grid("engagement")[p, t]
    if likes is not None:
        eng = likes.fillna(0).to_numpy(dtype=float) + (
            comments.fillna(0).to_numpy(dtype=float) if comments is not None else 0
        )
        known = likes.notna().to_numpy()
        out["engagements_per_post"] = np.where(known, eng, bench_eng)
    else:
        out["engagements_per_post"] = bench_eng
    cost = (
        pd.to_numeric(src.get("cost_per_post"), errors="coerce") if "cost_per_post" in src else None
    )
    bench_cost = bench.grid("cost")[p, t]
    if cost is not None:
        c = cost.to_numpy(dtype=float)
        out["cost_estimated"] = ~(np.isfinite(c) & (c > 0))
        out["cost_usd"] = np.where(out["cost_estimated"], bench_cost, c)
    else:
        out["cost_estimated"] = True
        out["cost_usd"] = bench_cost
    flags = (
        src["flags"].fillna("").astype(str) if "flags" in src else pd.Series("", index=src.index)
    )
    out["flagged"] = flags.str.len().gt(0).to_numpy()
    out["value"] = out["pool"] * rho / out["cost_usd"]
    out.attrs["source"] = table
    return out


# --- influencers ---------------------------------------------------------------------------


def _post_weeks(goal: Goal, weeks: int, posts: int, wave: int, waves: int) -> list[int]:
    """Weeks (1-based) of a creator's contracted posts: bursts timed to the goal."""
    if goal is Goal.EVENT:
        first = max(1, weeks - posts + 1)  # the run-up to the event, at the end
        return [min(weeks, first + k) for k in range(posts)]
    if goal is Goal.CONTEST:
        reminder = max(1, (weeks + 1) // 2)  # launch the contest, remind before it closes
        return [1, reminder][:posts] if posts <= 2 else [1, *([reminder] * (posts - 1))]
    if goal is Goal.BRAND_AWARENESS:
        start = 1 + (wave * weeks) // waves  # staggered waves keep the brand visible
        return [min(weeks, start + k) for k in range(posts)]
    return [min(weeks, 1 + k) for k in range(posts)]  # launch: straight away


def _schedule(goal: Goal, weeks: int, posts: int, wave: np.ndarray, waves: int) -> np.ndarray:
    """Cumulative posts matrix (n, weeks) for creators assigned to waves."""
    patterns = np.zeros((waves, weeks))
    for w in range(waves):
        for week in _post_weeks(goal, weeks, posts, w, waves):
            patterns[w, week - 1 :] += 1
    return patterns[wave]


def _waves(goal: Goal, weeks: int) -> int:
    return max(1, min(4, weeks // 2)) if goal is Goal.BRAND_AWARENESS else 1


def _prefix_take(
    cost: np.ndarray, key: np.ndarray, order_tiebreak: np.ndarray, budget: float
) -> np.ndarray:
    """Indices of the purchases taken: ranked by key, taken while the running total fits."""
    order = np.lexsort((order_tiebreak, key))
    running = np.cumsum(cost[order])
    return order[: int(np.searchsorted(running, budget * (1 + 1e-12), side="right"))]


def allocate_influencers(
    brief: CampaignBrief,
    budget_usd: float,
    bench: Benchmarks,
    creators: pd.DataFrame | None = None,
    use_all: bool = False,
) -> InfluencerAllocation:
    """Spend the influencer budget across tiers in the goal's target shares.

    `use_all`: the creators are an already-optimised shortlist; take every influencer in it.
    """
    weeks = brief.weeks
    posts = int(bench.value("influencer_posts_per_creator"))
    tier_share = np.array([bench.tier_mix[brief.goal].shares[t] for t in TIERS])
    waves = _waves(brief.goal, weeks)
    empty = InfluencerAllocation(
        Vehicles.empty(weeks), 0.0, np.zeros(len(TIERS), int), np.zeros(len(TIERS)), []
    )
    if budget_usd <= 0:
        return empty

    if creators is None:
        plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
        cells_t, cells_p = np.meshgrid(np.arange(len(TIERS)), plat, indexing="ij")
        cells_t, cells_p = cells_t.ravel(), cells_p.ravel()
        share = tier_share[cells_t] / len(plat)
        keep = share > 0
        cells_t, cells_p, share = cells_t[keep], cells_p[keep], share[keep]
        item_cost = posts * bench.grid("cost")[cells_p, cells_t]
        per_cell = (
            (budget_usd * share / item_cost).astype(np.int64)
            + int(item_cost.sum() / item_cost.min())
            + 2
        )
        cell = np.repeat(np.arange(len(share)), per_cell)
        j = np.arange(len(cell)) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell) + 1
        taken = _prefix_take(item_cost[cell], j * item_cost[cell] / share[cell], cell, budget_usd)
        counts = np.bincount(cell[taken], minlength=len(share))
        # archetype vehicles: one per (cell, wave) with the number of creators as count
        rows_cell = np.repeat(np.arange(len(share)), waves)
        rows_wave = np.tile(np.arange(waves), len(share))
        row_count = counts[rows_cell] // waves + (rows_wave < counts[rows_cell] % waves)
        live = row_count > 0
        rows_cell, rows_wave, row_count = (
            rows_cell[live],
            rows_wave[live],
            row_count[live].astype(float),
        )
        t, p = cells_t[rows_cell], cells_p[rows_cell]
        followers = _archetype_followers(bench)[t]
        engagements = followers * bench.grid("engagement")[p, t]
        cost_per_post = bench.grid("cost")[p, t]
        handles: list[str] = []
    else:
        table = creators[(creators["relationship_idx"] == 0) & (use_all | ~creators["flagged"])]
        chosen = table[table["platform_idx"].isin([PLATFORMS.index(x) for x in brief.platforms])]
        table = table if use_all or not len(chosen) else chosen
        if table.empty:
            return empty
        present = np.zeros(len(TIERS), bool)
        present[np.unique(table["tier_idx"])] = True
        shares = np.where(present, tier_share, 0)
        if shares.sum() == 0:
            shares = present.astype(float)
        shares = shares / shares.sum()
        table = table.sort_values(["value", "handle"], ascending=[False, True])
        cell_id = table["tier_idx"] * len(PLATFORMS) + table["platform_idx"]
        n_plat_in_tier = table.groupby("tier_idx")["platform_idx"].nunique()
        cell_share = (
            shares[table["tier_idx"]] / n_plat_in_tier.reindex(table["tier_idx"]).to_numpy()
        )
        item_cost = posts * table["cost_usd"].to_numpy()
        spent_before = (
            pd.Series(item_cost, index=table.index).groupby(cell_id.to_numpy()).cumsum().to_numpy()
        )
        valid = cell_share > 0
        key = np.where(valid, spent_before / np.where(valid, cell_share, 1), np.inf)
        taken = (
            np.arange(len(table))
            if use_all
            else np.sort(
                _prefix_take(
                    np.where(valid, item_cost, np.inf), key, np.arange(len(table)), budget_usd
                )
            )
        )
        picked = table.iloc[taken]
        t = picked["tier_idx"].to_numpy()
        p = picked["platform_idx"].to_numpy()
        rows_wave = np.arange(len(picked)) % waves
        row_count = np.ones(len(picked))
        followers = picked["pool"].to_numpy(dtype=float)
        engagements = picked["engagements_per_post"].to_numpy(dtype=float)
        cost_per_post = picked["cost_usd"].to_numpy(dtype=float)
        handles = picked["handle"].tolist()

    cum_posts = _schedule(brief.goal, weeks, posts, rows_wave, waves)
    weekly_posts = np.diff(cum_posts, axis=1, prepend=0.0)
    spend = weekly_posts * (cost_per_post * row_count)[:, None]
    vehicles = Vehicles(
        relationship=np.zeros(len(t), dtype=int),
        platform=p.astype(int),
        tier=t.astype(int),
        pool=followers.astype(float),
        count=row_count,
        posts=cum_posts,
        engagements_per_post=engagements.astype(float),
        spend=spend,
    )
    creators_by_tier = np.bincount(t, weights=row_count, minlength=len(TIERS)).astype(int)
    spend_by_tier = np.bincount(t, weights=spend.sum(axis=1), minlength=len(TIERS))
    return InfluencerAllocation(
        vehicles, float(spend.sum()), creators_by_tier, spend_by_tier, handles
    )


def _archetype_followers(bench: Benchmarks) -> np.ndarray:
    """A typical creator per tier: the geometric middle of the tier's follower range."""
    lows = np.array([max(t.min_followers, 1_000) for t in bench.tiers], dtype=float)
    highs = np.array([t.max_followers or t.min_followers * 3 for t in bench.tiers], dtype=float)
    return np.sqrt(lows * highs)


# --- ambassadors ---------------------------------------------------------------------------


def allocate_ambassadors(
    brief: CampaignBrief,
    budget_usd: float,
    bench: Benchmarks,
    creators: pd.DataFrame | None = None,
    use_all: bool = False,
) -> AmbassadorAllocation:
    """Size the ambassador programme, in a fixed order so more budget only ever adds people.

    1. as many of the brand's active advocates as the budget keeps for the whole duration
       (product and perks, commissions, programme management);
    2. with money left once every advocate is in: long-term paid "faces of the brand"
       (seeds 000 and 004: a creator can become a brand's long-term ambassador), micro-tier
       profiles posting steadily through the campaign at benchmark prices;
    3. what is left tops up retainers and event appearances of the most active advocates.
    """
    weeks = brief.weeks
    months = weeks * 12 / 52
    rate = bench.value("ambassador_posts_per_week")
    fixed, per_ambassador = programme_costs_usd(brief, bench)
    pool_table = None
    if creators is not None:
        table = creators[(creators["relationship_idx"] == 1) & (use_all | ~creators["flagged"])]
        chosen = table[table["platform_idx"].isin([PLATFORMS.index(x) for x in brief.platforms])]
        pool_table = (table if use_all or not len(chosen) else chosen).sort_values(
            ["pool", "handle"], ascending=[False, True]
        )
        available = len(pool_table)
    else:
        available = active_advocates(brief.advocates, bench)
    affordable = int(max(0.0, budget_usd - fixed) // per_ambassador) if budget_usd > fixed else 0
    n = min(available, affordable)
    if n == 0:
        return AmbassadorAllocation(Vehicles.empty(weeks), 0, available, 0, 0, 0, 0, 0, [])
    left = budget_usd - fixed - n * per_ambassador
    cum_posts = rate * np.arange(1, weeks + 1, dtype=float)
    if pool_table is None:
        plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
        counts = n // len(plat) + (np.arange(len(plat)) < n % len(plat))
        plat, counts = plat[counts > 0], counts[counts > 0].astype(float)
        followers = np.full(len(plat), bench.value("ambassador_followers"))
        tier = bench.tier_of(followers)
        engagements = followers * bench.grid("engagement")[plat, tier]
        handles: list[str] = []
    else:
        picked = pool_table.iloc[:n]
        plat = picked["platform_idx"].to_numpy()
        counts = np.ones(n)
        followers = picked["pool"].to_numpy(dtype=float)
        tier = picked["tier_idx"].to_numpy()
        engagements = picked["engagements_per_post"].to_numpy(dtype=float)
        handles = picked["handle"].tolist()
    programme = fixed + n * per_ambassador
    spend = np.zeros((len(plat), weeks))
    spend[:, :] = (counts / counts.sum())[:, None] * programme / weeks
    parts = [
        Vehicles(
            relationship=np.ones(len(plat), dtype=int),
            platform=plat.astype(int),
            tier=np.asarray(tier, dtype=int),
            pool=followers.astype(float),
            count=counts,
            posts=np.repeat(cum_posts[None, :], len(plat), axis=0),
            engagements_per_post=engagements.astype(float),
            spend=spend,
        )
    ]
    faces, faces_usd = 0, 0.0
    if n == available:
        faces_vehicles, faces, faces_usd = _brand_faces(brief, left, bench, cum_posts)
        parts.append(faces_vehicles)
        left -= faces_usd
    extras = max(0.0, min(left, n * bench.value("ambassador_max_extra_per_month") * months))
    perks = bench.value("ambassador_perks_per_month") * months * n
    commissions = bench.value("ambassador_commission_per_month") * months * n
    management = fixed + bench.value("programme_management_per_ambassador_month") * months * n
    vehicles = Vehicles.concat(parts)
    if extras > 0:
        vehicles.spend[0, :] += extras / weeks
    posts = float(cum_posts[-1] * vehicles.count.sum())
    return AmbassadorAllocation(
        vehicles,
        n,
        available,
        perks,
        commissions,
        management,
        extras,
        posts,
        handles,
        faces,
        faces_usd,
    )


def _brand_faces(
    brief: CampaignBrief, budget_usd: float, bench: Benchmarks, cum_posts: np.ndarray
) -> tuple[Vehicles, int, float]:
    """Long-term creator ambassadors (micro tier), spread over the brief's platforms in turn."""
    weeks = brief.weeks
    micro = TIERS.index("micro")
    plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
    per_face = bench.grid("cost")[plat, micro] * cum_posts[-1]
    # take faces platform by platform in a fixed rotation while they fit (a prefix: monotone)
    order = np.tile(np.arange(len(plat)), max(1, int(budget_usd // per_face.min()) + 1))
    running = np.cumsum(per_face[order])
    taken = order[: int(np.searchsorted(running, budget_usd * (1 + 1e-12), side="right"))]
    counts = np.bincount(taken, minlength=len(plat)).astype(float)
    live = counts > 0
    if not live.any():
        return Vehicles.empty(weeks), 0, 0.0
    followers = np.full(int(live.sum()), float(_archetype_followers(bench)[micro]))
    p = plat[live]
    weekly = np.diff(cum_posts, prepend=0.0)
    cost_per_post = bench.grid("cost")[p, micro]
    spend = (counts[live] * cost_per_post)[:, None] * weekly[None, :]
    vehicles = Vehicles(
        relationship=np.ones(len(p), dtype=int),
        platform=p,
        tier=np.full(len(p), micro),
        pool=followers,
        count=counts[live],
        posts=np.repeat(cum_posts[None, :], len(p), axis=0),
        engagements_per_post=followers * bench.grid("engagement")[p, micro],
        spend=spend,
    )
    return vehicles, int(counts.sum()), float(spend.sum())


def programme_costs_usd(brief: CampaignBrief, bench: Benchmarks) -> tuple[float, float]:
    """Ambassador programme over the campaign: (fixed running cost, cost per ambassador)."""
    months = brief.weeks * 12 / 52
    per_ambassador = (
        bench.value("ambassador_perks_per_month")
        + bench.value("ambassador_commission_per_month")
        + bench.value("programme_management_per_ambassador_month")
    )
    return bench.value("programme_management_per_month") * months, per_ambassador * months


def active_advocates(advocates: int, bench: Benchmarks) -> int:
    """Advocates expected to join and post (activation rate), at least one if there are any."""
    if advocates <= 0:
        return 0
    return max(1, int(advocates * bench.value("ambassador_activation_rate")))


def ambassador_capacity_usd(brief: CampaignBrief, bench: Benchmarks, available: int) -> float:
    """Most an ambassador budget can absorb: nothing without advocates, otherwise no limit
    (beyond the advocates, money funds long-term creator ambassadors)."""
    return 0.0 if available <= 0 else float("inf")
