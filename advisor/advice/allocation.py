"""What a budget buys on each side: hired influencers, and the ambassador side.

Influencers: creators hired for one or two posts, spread across tiers in the goal's target
shares, each with an outreach and contracting cost.

Ambassador side (seeds 000, 003, 004):
- the brand's advocates, mostly unpaid: product and perks per post, a small management cost,
  commission on the sales they bring, and a programme with a set-up cost and a monthly
  platform/coordination cost. Advocates join gradually over the first weeks;
- for an event, a few paid in-person appearances by advocates;
- long-term paid creators, the "faces of the brand": whole posts at benchmark prices.
A programme needs a minimum length; a side whose share cannot cover its fixed costs buys nothing.

Both sides buy in an order that does not depend on the budget and take purchases while they fit
(a prefix), so more budget only ever adds purchases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.creators.shortlist import advocate_cost_usd
from advisor.creators.table import CreatorTable
from advisor.model.assumptions import ModelFigures
from advisor.model.benchmarks import TIERS
from advisor.model.brief import CampaignBrief, Goal, Platform
from advisor.model.programme import (
    active_advocates,
    advocate_posts,
    face_posts,
    months,
    programme_fixed_usd,
)
from advisor.model.projection import Extras, Relationship, Vehicles, missed_share, pmf012

PLATFORMS = list(Platform)
MICRO = TIERS.index("micro")


@dataclass(frozen=True)
class InfluencerAllocation:
    vehicles: Vehicles
    spend_usd: float
    creators_by_tier: np.ndarray
    spend_by_tier_usd: np.ndarray
    contracting_usd: float
    handles: list[str]
    next_cost_usd: float | None  # the next purchase in line, which did not fit
    saturated: bool = False  # stopped because more creators would reach nobody new
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # list rows bought


@dataclass(frozen=True)
class AmbassadorAllocation:
    vehicles: Vehicles
    extras: Extras
    ambassadors: int
    available: int
    setup_usd: float
    platform_usd: float
    perks_usd: float
    management_usd: float
    commissions_usd: float
    appearances: int
    appearances_usd: float
    faces: int
    faces_usd: float
    posts: float
    handles: list[str]
    blocked: str | None  # why the side buys nothing: "too_short", "no_base", "too_small"
    next_cost_usd: float | None
    saturated: bool = False
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # list rows bought
    advocate_cost_usd: float = 0.0  # one advocate over the campaign: perks, management, commission

    @property
    def spend_usd(self) -> float:
        return (
            self.setup_usd
            + self.platform_usd
            + self.perks_usd
            + self.management_usd
            + self.commissions_usd
            + self.appearances_usd
            + self.faces_usd
        )


# --- influencers ---------------------------------------------------------------------------


def _post_weeks(goal: Goal, weeks: int, posts: int, wave: int, waves: int) -> list[int]:
    """Weeks (1-based) of a creator's contracted posts: bursts timed to the goal."""
    if goal is Goal.EVENT:
        first = max(1, weeks - posts + 1)  # the run-up to the event, at the end
        return [min(weeks, first + k) for k in range(posts)]
    if goal is Goal.CONTEST:
        reminder = max(1, (weeks + 1) // 2)  # launch the contest, remind before it closes
        return [1, *([reminder] * (posts - 1))] if posts > 1 else [1] * posts
    if goal is Goal.BRAND_AWARENESS:
        start = 1 + (wave * weeks) // waves  # staggered waves keep the brand visible
        return [min(weeks, start + k) for k in range(posts)]
    return [min(weeks, 1 + k) for k in range(posts)]  # launch: straight away


def _schedule(goal: Goal, weeks: int, posts: int, wave: np.ndarray, waves: int) -> np.ndarray:
    """Cumulative posts (n, weeks) for creators assigned to waves."""
    patterns = np.zeros((waves, weeks))
    for w in range(waves):
        for week in _post_weeks(goal, weeks, posts, w, waves):
            patterns[w, week - 1 :] += 1
    return patterns[wave]


def _waves(goal: Goal, weeks: int) -> int:
    return max(1, min(4, weeks // 2)) if goal is Goal.BRAND_AWARENESS else 1


SATURATION_CONTACTS = 10.0  # expected contacts per person beyond which buying adds nobody


def _prefix_take(
    cost: np.ndarray,
    order: np.ndarray,
    budget: float,
    contacts: np.ndarray | None = None,
    limit: float = np.inf,
) -> tuple[np.ndarray, float | None, bool]:
    """Purchases taken in `order` while the running total fits, and while the contacts bought
    before each stay below `limit` (beyond it the audience is saturated: P(unreached) < e^-10).
    Returns the taken purchases, the next one's cost, and whether saturation stopped it."""
    running = np.cumsum(cost[order])
    n = int(np.searchsorted(running, budget * (1 + 1e-12), side="right"))
    saturated = False
    if contacts is not None and np.isfinite(limit):
        before = np.cumsum(contacts[order]) - contacts[order]
        n_sat = int(np.searchsorted(before, limit, side="left"))
        if n_sat < n:
            n, saturated = n_sat, True
    nxt = float(cost[order[n]]) if n < len(order) and not saturated else None
    return order[:n], nxt, saturated


def saturation_limit(brief: CampaignBrief) -> float:
    """Beyond this, buying reaches nobody new: ten expected contacts per person of the audience
    (P(unreached) < e^-10), or for a contest three expected entries per person (a person
    enters once; the projection caps entries at the audience)."""
    if brief.goal is Goal.CONTEST:
        return 3.0 * brief.audience
    return SATURATION_CONTACTS * brief.audience


def _at_least_one(
    taken: np.ndarray, cost: np.ndarray, order: np.ndarray, budget: float
) -> np.ndarray:
    """Never spend nothing when a creator fits: if the goal's tier order stops at its first,
    unaffordable, purchase, take the cheapest creator that fits instead."""
    if len(taken) or not len(order):
        return taken
    fits = order[cost[order] <= budget * (1 + 1e-12)]
    if not len(fits):
        return taken
    return fits[np.argmin(cost[fits])][None]  # argmin keeps the first of equal costs


def _items_needed(cost: np.ndarray, share: np.ndarray, budget: float, cap: int) -> np.ndarray:
    """Items to list per cell so that the budget prefix of the list equals that of the full,
    budget-independent list (`cap` items per cell, ordered by j x cost / share).

    Items are listed up to the smallest key at which the whole list already costs more than
    the budget, plus one: the prefix always stops at or before that key.
    """
    unit = cost / share

    def spent(key: float) -> float:
        return float((cost * np.minimum(cap, np.floor(key / unit))).sum())

    hi = float(unit.max()) * (cap + 1)
    if spent(hi) <= budget:
        return np.full(len(cost), cap, dtype=np.int64)
    lo = 0.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if spent(mid) <= budget else (lo, mid)
    return np.minimum(np.floor(hi / unit).astype(np.int64) + 1, cap)


def _contacts(
    goal: Goal,
    pool: np.ndarray,
    rho: np.ndarray,
    posts: float,
    engagements: np.ndarray,
    fig: ModelFigures,
) -> np.ndarray:
    """What one creator adds toward saturating the audience, at planning figures: in-target
    people reached, or for a contest the entries its posts bring."""
    if goal is Goal.CONTEST:
        return engagements * posts * fig.value("contest_entry_rate")
    conc = fig.value("post_reach_concentration")
    return pool * (1.0 - missed_share(rho, np.full(len(rho), float(posts)), conc))


@dataclass(frozen=True)
class NamedInfluencers:
    """The budget-independent part of buying from a creator list, computed once per brief:
    the eligible rows in buying order, what each costs and what it adds toward saturation.
    `table` is the eligible rows of the `CreatorTable`'s frame (index = row positions)."""

    table: pd.DataFrame
    item_cost: np.ndarray
    order: np.ndarray
    contacts: np.ndarray


def eligible(
    brief: CampaignBrief, creators: CreatorTable, relationship: int, use_all: bool = False
) -> pd.DataFrame:
    """A list's rows one side may buy: not flagged, on the brief's platforms when the list has
    any there (else on all of them); every row of that relationship when `use_all` (an
    already-optimised shortlist). The frame's index is the row position in `creators`."""
    frame = creators.frame
    table = frame[(frame["relationship_idx"] == relationship) & (use_all | ~frame["flagged"])]
    chosen = table[table["platform_idx"].isin([PLATFORMS.index(x) for x in brief.platforms])]
    return table if use_all or not len(chosen) else chosen


def named_influencers(
    brief: CampaignBrief,
    fig: ModelFigures,
    tier_share: np.ndarray,
    creators: CreatorTable,
    use_all: bool = False,
) -> NamedInfluencers | None:
    """Eligible hired creators of a list, in the goal's tier order (None when there are none)."""
    posts = round(fig.value("influencer_posts_per_creator"))
    contracting = fig.value("influencer_contracting_per_creator")
    table = eligible(brief, creators, 0, use_all)
    if table.empty:
        return None
    present = np.zeros(len(TIERS), bool)
    present[np.unique(table["tier_idx"])] = True
    shares = np.where(present, tier_share, 0)
    shares = (shares if shares.sum() > 0 else present.astype(float)) / max(
        shares.sum() if shares.sum() > 0 else present.sum(), 1e-12
    )
    table = table.sort_values(["value", "handle"], ascending=[False, True])
    cell_id = (table["tier_idx"] * len(PLATFORMS) + table["platform_idx"]).to_numpy()
    n_plat_in_tier = table.groupby("tier_idx")["platform_idx"].nunique()
    cell_share = shares[table["tier_idx"]] / n_plat_in_tier.reindex(table["tier_idx"]).to_numpy()
    item_cost = posts * table["cost_usd"].to_numpy() + contracting
    spent_before = pd.Series(item_cost).groupby(cell_id).cumsum().to_numpy()
    valid = cell_share > 0
    key = np.where(valid, spent_before / np.where(valid, cell_share, 1), np.inf)
    order = np.lexsort((np.arange(len(table)), key))
    order = order[valid[order]]
    p_all, t_all = table["platform_idx"].to_numpy(), table["tier_idx"].to_numpy()
    contacts = _contacts(
        brief.goal,
        table["pool"].to_numpy(dtype=float) * fig.in_target[p_all],
        fig.reach[p_all, t_all],
        posts,
        table["engagements_per_post"].to_numpy(dtype=float),
        fig,
    )
    return NamedInfluencers(table, item_cost, order, contacts)


def named_ambassadors(
    brief: CampaignBrief, creators: CreatorTable, use_all: bool = False
) -> pd.DataFrame:
    """A list's eligible ambassadors, largest audience first (computed once per brief)."""
    return eligible(brief, creators, 1, use_all).sort_values(
        ["pool", "handle"], ascending=[False, True]
    )


def allocate_influencers(
    brief: CampaignBrief,
    budget_usd: float,
    fig: ModelFigures,
    tier_share: np.ndarray,
    creators: CreatorTable | None = None,
    use_all: bool = False,
    named: NamedInfluencers | None = None,
) -> InfluencerAllocation:
    """Spend the influencer budget across tiers in the goal's target shares.

    `use_all`: the creators are an already-optimised shortlist; take every influencer in it.
    """
    weeks = brief.weeks
    posts = round(fig.value("influencer_posts_per_creator"))
    contracting = fig.value("influencer_contracting_per_creator")
    waves = _waves(brief.goal, weeks)
    nothing = InfluencerAllocation(
        Vehicles.empty(weeks), 0.0, np.zeros(len(TIERS), int), np.zeros(len(TIERS)), 0.0, [], None
    )
    if budget_usd <= 0 or posts <= 0:
        return nothing
    if creators is None:
        plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
        cells_t, cells_p = np.meshgrid(np.arange(len(TIERS)), plat, indexing="ij")
        cells_t, cells_p = cells_t.ravel(), cells_p.ravel()
        share = tier_share[cells_t] / len(plat)
        keep = share > 0
        cells_t, cells_p, share = cells_t[keep], cells_p[keep], share[keep]
        item_cost = posts * fig.cost[cells_p, cells_t] + contracting
        cap = int(fig.value("influencer_max_per_cell"))
        per_cell = _items_needed(item_cost, share, budget_usd, cap)
        cell = np.repeat(np.arange(len(share)), per_cell)
        j = np.arange(len(cell)) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell) + 1
        order = np.lexsort((cell, j * item_cost[cell] / share[cell]))
        contacts = _contacts(
            brief.goal,
            fig.archetype_followers[cells_t] * fig.in_target[cells_p],
            fig.reach[cells_p, cells_t],
            posts,
            fig.archetype_followers[cells_t] * fig.engagement[cells_p, cells_t],
            fig,
        )[cell]
        taken, nxt, saturated = _prefix_take(
            item_cost[cell], order, budget_usd, contacts, saturation_limit(brief)
        )
        taken = _at_least_one(taken, item_cost[cell], order, budget_usd)
        counts = np.bincount(cell[taken], minlength=len(share))
        rows_cell = np.repeat(np.arange(len(share)), waves)
        rows_wave = np.tile(np.arange(waves), len(share))
        row_count = counts[rows_cell] // waves + (rows_wave < counts[rows_cell] % waves)
        live = row_count > 0
        rows_cell, rows_wave = rows_cell[live], rows_wave[live]
        row_count = row_count[live].astype(float)
        t, p = cells_t[rows_cell], cells_p[rows_cell]
        pool = fig.archetype_followers[t]
        engagements = pool * fig.engagement[p, t]
        cost_per_post = fig.cost[p, t]
        priced = np.ones(len(t), bool)
        handles: list[str] = []
        rows = np.zeros(0, np.int64)
    else:
        named = (
            named
            if named is not None
            else named_influencers(brief, fig, tier_share, creators, use_all)
        )
        if named is None:
            return nothing
        table, item_cost = named.table, named.item_cost
        if use_all:
            taken, nxt, saturated = np.arange(len(table)), None, False
        else:
            taken, nxt, saturated = _prefix_take(
                item_cost, named.order, budget_usd, named.contacts, saturation_limit(brief)
            )
            taken = np.sort(_at_least_one(taken, item_cost, named.order, budget_usd))
        picked = table.iloc[taken]
        t = picked["tier_idx"].to_numpy()
        p = picked["platform_idx"].to_numpy()
        rows_wave = np.arange(len(picked)) % waves
        row_count = np.ones(len(picked))
        pool = picked["pool"].to_numpy(dtype=float)
        engagements = picked["engagements_per_post"].to_numpy(dtype=float)
        cost_per_post = picked["cost_usd"].to_numpy(dtype=float)
        priced = picked["cost_estimated"].to_numpy(dtype=bool)
        handles = picked["handle"].tolist()
        rows = picked.index.to_numpy(dtype=np.int64)

    cum_posts = _schedule(brief.goal, weeks, posts, rows_wave, waves)
    weekly_posts = np.diff(cum_posts, axis=1, prepend=0.0)
    spend = weekly_posts * (cost_per_post * row_count)[:, None]
    spend[:, 0] += contracting * row_count  # contracts are signed before the first post
    vehicles = Vehicles(
        relationship=np.full(len(t), Relationship.INFLUENCER),
        platform=p.astype(int),
        tier=t.astype(int),
        pool=pool.astype(float),
        count=row_count,
        posts=cum_posts,
        engagements_per_post=engagements.astype(float),
        spend=spend,
        priced=priced,
        count_max=np.full(len(t), np.inf),
    )
    by_tier = np.bincount(t, weights=row_count, minlength=len(TIERS)).astype(int)
    spend_by_tier = np.bincount(t, weights=spend.sum(axis=1), minlength=len(TIERS))
    return InfluencerAllocation(
        vehicles,
        float(spend.sum()),
        by_tier,
        spend_by_tier,
        float(contracting * row_count.sum()),
        handles,
        nxt,
        saturated,
        rows,
    )


# --- the ambassador side -------------------------------------------------------------------


def _unit_gain(
    goal: Goal, pool: float, rho: float, posts: float, eng: float, paid: bool, fig: ModelFigures
) -> float:
    """What one vehicle brings on its own toward the goal (used only to order purchases): its
    contacts or entries, or for awareness the people it alone reaches 3+ times."""
    if goal is Goal.BRAND_AWARENESS:
        w = fig.value("trust_paid_post_weight") if paid else 1.0
        conc = fig.value("post_reach_concentration")
        p0, p1, p2 = pmf012(np.array([rho * w]), np.array([posts]), conc)
        return float(pool * (1 - p0 - p1 - p2)[0])
    return float(_contacts(goal, np.array([pool]), np.array([rho]), posts, np.array([eng]), fig)[0])


def allocate_ambassadors(
    brief: CampaignBrief,
    budget_usd: float,
    fig: ModelFigures,
    creators: CreatorTable | None = None,
    use_all: bool = False,
    order_value_usd: float | None = None,
    programme_first: bool = True,
    named: pd.DataFrame | None = None,
) -> AmbassadorAllocation:
    """Fund the ambassador side in a budget-independent order: the advocates' programme first
    (`programme_first`), or long-term paid creators first; each type of purchase in order of
    its standalone effect per dollar."""
    weeks, goal = brief.weeks, brief.goal
    plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
    adv_posts = advocate_posts(weeks, fig)
    f_posts = face_posts(weeks, fig)

    # the advocates a programme can draw on: named rows of the list, or benchmark archetypes
    if named is None and creators is not None:
        named = named_ambassadors(brief, creators, use_all)
    available = len(named) if named is not None else active_advocates(brief.advocates, fig)

    def blocked(reason: str | None, nxt: float | None = None) -> AmbassadorAllocation:
        return AmbassadorAllocation(
            Vehicles.empty(weeks), Extras(), 0, available, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, [],
            reason, nxt,
        )  # fmt: skip

    if budget_usd <= 0:
        return blocked("too_small")
    if weeks < fig.value("ambassador_min_weeks"):
        return blocked("too_short")

    # unit economics, at planning figures
    adv_followers = fig.value("ambassador_followers")
    adv_tier = int(fig.tier_of(np.array([adv_followers]))[0])
    adv_plat = plat  # advocates post where the brand is
    adv_eng = adv_followers * fig.engagement[adv_plat, adv_tier].mean()
    adv_cost = advocate_cost_usd(brief, fig, order_value_usd)  # the shortlist's own figure
    adv_commission = (
        adv_cost
        - fig.value("ambassador_perks_per_post") * adv_posts[-1]
        - fig.value("ambassador_management_per_month") * months(weeks)
    )
    fixed = programme_fixed_usd(weeks, fig)
    rho_adv = float(fig.reach[adv_plat, adv_tier].mean())
    in_t = float(fig.in_target[adv_plat].mean())
    adv_gain = _unit_gain(goal, adv_followers * in_t, rho_adv, adv_posts[-1], adv_eng, False, fig)

    def contacts(pool: float, rho: float, posts: float, engagements: float) -> float:
        one = _contacts(
            goal, np.array([pool]), np.array([rho]), posts, np.array([engagements]), fig
        )
        return float(one[0])

    unit_contacts = {-1: contacts(adv_followers * in_t, rho_adv, adv_posts[-1], adv_eng)}
    types: list[tuple[float, str, int, float, float]] = []  # (efficiency, kind, plat, cost, n)
    if available > 0 and budget_usd >= fixed + adv_cost:
        eff = adv_gain / (adv_cost + fixed / available)
        types.append((eff, "advocate", -1, adv_cost, float(available)))
    contracting = fig.value("influencer_contracting_per_creator")
    face_followers = float(fig.archetype_followers[MICRO])
    for pi in plat:
        cost = f_posts[-1] * fig.cost[pi, MICRO] + contracting
        if f_posts[-1] <= 0:
            continue
        gain = _unit_gain(
            goal,
            face_followers * fig.in_target[pi],
            float(fig.reach[pi, MICRO]),
            f_posts[-1],
            face_followers * fig.engagement[pi, MICRO],
            True,
            fig,
        )
        types.append((gain / cost, "face", int(pi), cost, fig.value("face_max_per_platform")))
        unit_contacts[int(pi)] = contacts(
            face_followers * fig.in_target[pi],
            float(fig.reach[pi, MICRO]),
            f_posts[-1],
            face_followers * fig.engagement[pi, MICRO],
        )
    if not types:
        reason = "no_base" if available == 0 else "too_small"
        return blocked(reason, fixed + adv_cost if available else None)
    types.sort(
        key=lambda x: (x[1] != "advocate" if programme_first else x[1] == "advocate", -x[0], x[2])
    )

    # take units type by type in that order while they fit (a prefix of the unit sequence):
    # the first advocate carries the programme's fixed cost and event appearances follow the
    # advocates. Each type's units cost the same, so the count that fits is a division.
    left = budget_usd
    room = saturation_limit(brief)  # contacts still useful before saturation
    saturated = False
    n_adv, n_app, nxt = 0, 0, None
    face_counts = np.zeros(len(PLATFORMS), dtype=int)
    steps: list[tuple[str, int, float, int, float]] = []  # (kind, plat, unit cost, n, first extra)
    for _, kind, pi, cost, n in types:
        steps.append((kind, pi, cost, int(n), fixed if kind == "advocate" else 0.0))
        if kind == "advocate" and goal is Goal.EVENT:
            n_app_max = int(min(fig.value("event_max_appearances"), n))
            steps.append(("appearance", -1, fig.value("event_appearance_fee"), n_app_max, 0.0))
    for kind, pi, cost, n, extra in steps:
        if kind != "appearance":
            per_unit = max(unit_contacts[pi], 1e-9)
            useful = int(min(np.ceil(room / per_unit), 2**62)) if room > 0 else 0
            if useful < n:
                n, saturated = useful, True
        if n <= 0:
            continue
        if left < cost + extra - 1e-9:
            nxt = cost + extra
            break
        take = min(n, int((left - extra) // cost + 1e-9)) if cost > 0 else n
        left -= extra + take * cost
        if kind != "appearance":
            room -= take * unit_contacts[pi]
        if kind == "advocate":
            n_adv = take
        elif kind == "appearance":
            n_app = take
        else:
            face_counts[pi] += take
        if take < n:
            nxt, saturated = cost, False
            break
    if n_adv == 0 and not face_counts.any():
        return blocked("too_small", nxt)

    parts: list[Vehicles] = []
    handles: list[str] = []
    rows = np.zeros(0, np.int64)
    per_week_fixed = np.full(weeks, fig.value("ambassador_platform_per_month") * 12 / 52)
    if n_adv:
        if named is None:
            counts = n_adv // len(plat) + (np.arange(len(plat)) < n_adv % len(plat))
            ap, counts = plat[counts > 0], counts[counts > 0].astype(float)
            pool = np.full(len(ap), adv_followers)
            tier = np.full(len(ap), adv_tier)
            eng = pool * fig.engagement[ap, tier]
            cmax = counts / max(fig.value("ambassador_activation_rate"), 1e-9)
            cmax = np.minimum(cmax, np.maximum(counts, brief.advocates / len(plat)))
        else:
            picked = named.iloc[:n_adv]
            ap = picked["platform_idx"].to_numpy()
            counts = np.ones(n_adv)
            pool = picked["pool"].to_numpy(dtype=float)
            tier = picked["tier_idx"].to_numpy()
            eng = picked["engagements_per_post"].to_numpy(dtype=float)
            cmax = counts.copy()
            handles = picked["handle"].tolist()
            rows = picked.index.to_numpy(dtype=np.int64)
        weekly_posts = np.diff(adv_posts, prepend=0.0)
        unit_variable = adv_cost - fig.value("ambassador_management_per_month") * months(weeks)
        spend = counts[:, None] * (
            weekly_posts[None, :] * unit_variable / max(adv_posts[-1], 1e-9)
            + fig.value("ambassador_management_per_month") * 12 / 52
        )
        spend[0] += per_week_fixed
        spend[0, 0] += fig.value("ambassador_setup_cost")
        if n_app:
            spend[0, -1] += n_app * fig.value("event_appearance_fee")
        parts.append(
            Vehicles(
                relationship=np.full(len(ap), Relationship.ADVOCATE),
                platform=ap.astype(int),
                tier=np.asarray(tier, dtype=int),
                pool=pool.astype(float),
                count=counts,
                posts=np.repeat(adv_posts[None, :], len(ap), axis=0),
                engagements_per_post=eng.astype(float),
                spend=spend,
                priced=np.zeros(len(ap), bool),
                count_max=cmax.astype(float),
            )
        )
    fp = np.flatnonzero(face_counts)
    faces_usd = 0.0
    if len(fp):
        fc = face_counts[fp].astype(float)
        weekly = np.diff(f_posts, prepend=0.0)
        spend = (fc * fig.cost[fp, MICRO])[:, None] * weekly[None, :]
        spend[:, 0] += fc * contracting
        faces_usd = float(spend.sum())
        parts.append(
            Vehicles(
                relationship=np.full(len(fp), Relationship.FACE),
                platform=fp.astype(int),
                tier=np.full(len(fp), MICRO),
                pool=np.full(len(fp), face_followers),
                count=fc,
                posts=np.repeat(f_posts[None, :], len(fp), axis=0),
                engagements_per_post=face_followers * fig.engagement[fp, MICRO],
                spend=spend,
                priced=np.ones(len(fp), bool),
                count_max=np.full(len(fp), np.inf),
            )
        )
    m = months(weeks)
    perks = fig.value("ambassador_perks_per_post") * adv_posts[-1] * n_adv
    management = fig.value("ambassador_management_per_month") * m * n_adv
    return AmbassadorAllocation(
        vehicles=Vehicles.concat(parts),
        extras=Extras(appearances=float(n_app)),
        ambassadors=n_adv,
        available=available,
        setup_usd=fig.value("ambassador_setup_cost") if n_adv else 0.0,
        platform_usd=fig.value("ambassador_platform_per_month") * m if n_adv else 0.0,
        perks_usd=perks,
        management_usd=management,
        commissions_usd=adv_commission * n_adv,
        appearances=n_app,
        appearances_usd=n_app * fig.value("event_appearance_fee"),
        faces=int(face_counts.sum()),
        faces_usd=faces_usd,
        posts=float(adv_posts[-1] * n_adv + f_posts[-1] * face_counts.sum()),
        handles=handles,
        blocked=None,
        next_cost_usd=nxt,
        saturated=saturated,
        rows=rows,
        advocate_cost_usd=adv_cost,
    )
