"""What a brief may buy: the engine's menu of options, from benchmark archetypes or a list.

Every ticked platform is a platform the plan *may* use, in every tier and relationship:
- short-burst influencers: benchmark archetypes of each tier (or the list's hired creators);
- long-term paid creators: the same creators on a deal for the whole campaign (three months
  at least), a few per platform;
- the advocate programme: the brand's advocates (or the list's ambassadors), unpaid, invited
  to a programme with a fixed cost; for an event, a few paid appearances on the day.
Flagged creators are never on the menu unless the analyst keeps them (`keep_flagged`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.creators.table import CreatorTable
from advisor.model.assumptions import ModelFigures
from advisor.model.benchmarks import TIERS
from advisor.model.brief import CampaignBrief, Goal, Platform
from advisor.model.economics import (
    advocate_cost,
    advocate_timing,
    face_cost,
    face_timing,
    influencer_cost,
    influencer_timing,
    long_term_possible,
    programme_fixed,
    programme_profile,
    quiet_timing,
    spend_profile,
)
from advisor.model.menu import ADVOCATE, APPEARANCE, FACE, INFLUENCER, Menu
from advisor.model.projection import missed_share

PLATFORMS = list(Platform)
RELATIONSHIP_NAMES = {
    INFLUENCER: "influencer",
    FACE: "face",
    ADVOCATE: "advocate",
    APPEARANCE: "appearance",
}
CORE_MIN, CORE_MAX = 12, 60  # listed creators per relationship and platform the engine weighs


@dataclass(frozen=True)
class Options:
    """The menu and, per option, what names it: the list's handle and line (or None)."""

    menu: Menu
    handles: tuple[str | None, ...]
    lines: tuple[int | None, ...]
    listed_rows: np.ndarray  # row of the creator table, -1 for archetypes
    cycle_weeks: int
    order_value_usd: float | None

    def names(self, i: int) -> tuple[str, str | None, str | None]:
        m = self.menu
        rel = RELATIONSHIP_NAMES[int(m.relationship[i])]
        if m.relationship[i] == APPEARANCE:
            return rel, None, None
        return rel, PLATFORMS[int(m.platform[i])].value, TIERS[int(m.tier[i])]


@dataclass
class _Rows:
    """Options being collected, column by column."""

    rel: list[np.ndarray]
    plat: list[np.ndarray]
    tier: list[np.ndarray]
    pool: list[np.ndarray]
    eng: list[np.ndarray]
    cost: list[np.ndarray]
    cap: list[np.ndarray]
    priced: list[np.ndarray]
    timing: list[np.ndarray]
    row: list[np.ndarray]
    handle: list[list[str | None]]
    line: list[list[int | None]]

    @classmethod
    def new(cls) -> _Rows:
        return cls([], [], [], [], [], [], [], [], [], [], [], [])

    def add(self, rel: int, timing: int, **cols: np.ndarray) -> None:
        n = len(cols["plat"])
        self.rel.append(np.full(n, rel))
        self.timing.append(np.full(n, timing))
        for name in ("plat", "tier", "pool", "eng", "cost", "cap", "priced", "row"):
            getattr(self, name).append(np.asarray(cols[name]))
        handles = cols.get("handle")
        lines = cols.get("line")
        self.handle.append([None] * n if handles is None else [str(h) for h in handles])
        self.line.append(
            [None] * n if lines is None else [int(x) if x > 0 else None for x in lines]
        )

    def cat(self, name: str, dtype: type) -> np.ndarray:
        parts = getattr(self, name)
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def build_options(
    brief: CampaignBrief,
    fig: ModelFigures,
    fx: float,
    creators: CreatorTable | None = None,
    keep_flagged: bool = False,
    use_all: bool = False,
) -> Options:
    """The menu for a brief (see the module docstring)."""
    weeks, goal = brief.weeks, brief.goal
    cycle = max(1, round(fig.s.purchase_cycle_weeks))
    order_value = brief.order_value / fx if brief.order_value else None
    timings = (
        influencer_timing(goal, weeks, fig, cycle),
        face_timing(weeks, fig, cycle),
        advocate_timing(weeks, fig, cycle),
        quiet_timing(weeks),
    )
    long_term = long_term_possible(weeks, fig)
    plat = np.array([PLATFORMS.index(p) for p in brief.platforms])
    rows = _Rows.new()
    listed = _listed(brief, creators, keep_flagged, use_all)
    hired = listed.where(listed["relationship_idx"] == 0) if listed is not None else None
    if hired is not None and len(hired):
        _listed_paid(rows, hired, brief, fig, long_term and not use_all, use_all)
    else:
        _archetype_paid(rows, plat, weeks, fig, long_term)
    advocates = listed.where(listed["relationship_idx"] == 1) if listed is not None else None
    n_adv = 0
    if long_term and advocates is not None and len(advocates):
        n_adv = len(advocates)
        rows.add(
            ADVOCATE,
            2,
            plat=advocates["platform_idx"],
            tier=advocates["tier_idx"],
            pool=advocates.floats("pool"),
            eng=advocates.floats("engagements_per_post"),
            cost=advocate_cost(
                advocates.floats("engagements_per_post"), weeks, fig, order_value, True
            ),
            cap=np.ones(n_adv),
            priced=np.zeros(n_adv, bool),
            row=advocates.index,
            handle=advocates["handle"],
            line=advocates["line"],
        )
    elif long_term and brief.advocates > 0:
        # benchmark advocates are bought as expected active ones: the activation rate says
        # how many of the brand's advocates that can be
        n_adv = max(1, int(brief.advocates * fig.s.ambassador_activation_rate))
        followers = fig.s.ambassador_followers
        tier = int(fig.tier_of(np.array([followers]))[0])
        eng = followers * fig.engagement[plat, tier]
        rows.add(
            ADVOCATE,
            2,
            plat=plat,
            tier=np.full(len(plat), tier),
            pool=np.full(len(plat), followers),
            eng=eng,
            cost=advocate_cost(eng, weeks, fig, order_value),
            # the brand's advocates post where they have an account (a share per platform,
            # whatever is ticked): ticking one more platform only adds advocates to invite
            cap=np.ceil(n_adv * np.array([advocates_on(PLATFORMS[i], fig) for i in plat])),
            priced=np.zeros(len(plat), bool),
            row=np.full(len(plat), -1),
        )
    if goal is Goal.EVENT and n_adv > 0:
        rows.add(
            APPEARANCE,
            3,
            plat=np.zeros(1, int),
            tier=np.zeros(1, int),
            pool=np.zeros(1),
            eng=np.zeros(1),
            cost=np.array([fig.s.event_appearance_fee]),
            cap=np.array([float(min(fig.s.event_max_appearances, n_adv))]),
            priced=np.zeros(1, bool),
            row=np.full(1, -1),
        )
    return _finish(rows, timings, brief, fig, cycle, order_value, n_adv)


def _finish(
    rows: _Rows,
    timings: tuple,
    brief: CampaignBrief,
    fig: ModelFigures,
    cycle: int,
    order_value: float | None,
    n_adv: int,
) -> Options:
    rel = rows.cat("rel", int)
    timing = rows.cat("timing", int)
    listed = rows.cat("row", int)
    profiles = np.stack([spend_profile(t) for t in timings])
    groups = []
    # a listed creator is bought once, short-burst or long-term
    member = listed >= 0
    if member.any():
        gid = np.full(len(listed), -1)
        _, gid[member] = np.unique(listed[member], return_inverse=True)
        groups.append((gid, np.ones(int(gid.max()) + 1)))
    face = rel == FACE
    if face.any():  # a few long-term creators per platform
        plat = rows.cat("plat", int)
        groups.append(
            (
                np.where(face, plat, -1),
                np.full(len(PLATFORMS), float(fig.s.face_max_per_platform)),
            )
        )
    adv = (rel == ADVOCATE) & (listed < 0)
    if adv.any():  # the brand's advocates, on whichever platforms they post
        groups.append((np.where(adv, 0, -1), np.array([float(n_adv)])))
    handles = [h for part in rows.handle for h in part]
    lines = [x for part in rows.line for x in part]
    circle = fig.s.advocate_offline_circle
    menu = Menu(
        relationship=rel,
        platform=rows.cat("plat", int),
        tier=rows.cat("tier", int),
        pool=rows.cat("pool", float),
        engagements_per_post=rows.cat("eng", float),
        unit_cost=rows.cat("cost", float),
        max_units=rows.cat("cap", float),
        priced=rows.cat("priced", bool),
        timing=timing,
        row=listed,
        spend_profile=profiles[timing] if len(timing) else np.zeros((0, brief.weeks)),
        timings=timings,
        groups=tuple(groups),
        fixed_usd=programme_fixed(brief.weeks, fig) if n_adv else 0.0,
        fixed_profile=programme_profile(brief.weeks, fig),
        offline_pool=circle * fig.s.advocate_offline_in_target,
        offline_rate=min(fig.s.advocate_offline_people_per_month / max(circle, 1), 0.99),
        reshare=fig.s.advocate_reshare_share,
        offline_posts_per_week=fig.s.ambassador_posts_per_week,
    )
    return Options(menu, tuple(handles), tuple(lines), listed, cycle, order_value)


def advocates_on(platform: Platform, fig: ModelFigures) -> float:
    """Share of a brand's advocates who post on `platform` (an editable figure)."""
    return float(getattr(fig.s, f"advocates_on_{platform.value}"))


def _archetype_paid(
    rows: _Rows, plat: np.ndarray, weeks: int, fig: ModelFigures, long_term: bool
) -> None:
    """Benchmark archetypes of every tier on every ticked platform, short-burst and, when
    the campaign is long enough, long-term."""
    t, p = np.meshgrid(np.arange(len(TIERS)), plat, indexing="ij")
    t, p = t.ravel(), p.ravel()
    pool = fig.archetype_followers[t]
    common = {
        "plat": p,
        "tier": t,
        "pool": pool,
        "eng": pool * fig.engagement[p, t],
        "priced": np.ones(len(t), bool),
        "row": np.full(len(t), -1),
    }
    cap = np.full(len(t), fig.s.influencer_max_per_cell)
    rows.add(INFLUENCER, 0, cost=influencer_cost(fig.cost[p, t], fig), cap=cap, **common)
    if long_term:
        cap = np.full(len(t), fig.s.face_max_per_platform)
        rows.add(FACE, 1, cost=face_cost(fig.cost[p, t], weeks, fig), cap=cap, **common)


@dataclass(frozen=True)
class _Listed:
    """Some rows of a creator table, as numpy columns read once (`index`: their rows)."""

    columns: dict[str, np.ndarray]
    index: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Listed:
        return cls({c: frame[c].to_numpy() for c in LISTED_COLUMNS}, frame.index.to_numpy())

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __len__(self) -> int:
        return len(self.index)

    def floats(self, name: str) -> np.ndarray:
        return np.asarray(self.columns[name], dtype=float)

    def take(self, pos: np.ndarray) -> _Listed:
        return _Listed({c: v[pos] for c, v in self.columns.items()}, self.index[pos])

    def where(self, mask: np.ndarray) -> _Listed:
        return self.take(np.flatnonzero(mask))


LISTED_COLUMNS = (
    "platform_idx", "tier_idx", "relationship_idx", "flagged", "cost_usd", "pool",
    "engagements_per_post", "cost_estimated", "handle", "line",
)  # fmt: skip


def _listed(
    brief: CampaignBrief, creators: CreatorTable | None, keep_flagged: bool, use_all: bool
) -> _Listed | None:
    """The list's rows on the brief's platforms (flagged ones only when kept; every row of a
    shortlist used as it is)."""
    if creators is None:
        return None
    rows = _Listed.of(creators.frame)
    if use_all:
        return rows
    plat = [PLATFORMS.index(p) for p in brief.platforms]
    ok = np.isin(rows["platform_idx"], plat)
    if not keep_flagged:
        ok &= ~rows["flagged"].astype(bool)
    return rows.where(ok)


def _listed_paid(
    rows: _Rows,
    hired: _Listed,
    brief: CampaignBrief,
    fig: ModelFigures,
    long_term: bool,
    use_all: bool = False,
) -> None:
    """The list's hired creators, short-burst and long-term: per platform, the core of the
    best reach per dollar that covers twice the budget (the engine weighs these)."""
    price = hired.floats("cost_usd")
    p, t = hired["platform_idx"], hired["tier_idx"]
    reach = (
        hired.floats("pool")
        * fig.in_target[p]
        * (1 - missed_share(fig.reach[p, t], np.full(len(p), 2.0), 1.5))
    )
    kinds = [(INFLUENCER, 0, influencer_cost(price, fig))]
    if long_term:
        kinds.append((FACE, 1, face_cost(price, brief.weeks, fig)))
    for rel, timing, cost in kinds:
        keep = (
            np.arange(len(p))
            if use_all
            else _core(p, reach / np.maximum(cost, 1e-9), cost, 2 * brief.budget_usd)
        )
        sel = hired.take(keep)
        rows.add(
            rel,
            timing,
            plat=p[keep],
            tier=t[keep],
            pool=sel.floats("pool"),
            eng=sel.floats("engagements_per_post"),
            cost=cost[keep],
            cap=np.ones(len(keep)),
            priced=np.asarray(sel["cost_estimated"], dtype=bool),
            row=sel.index,
            handle=sel["handle"],
            line=sel["line"],
        )


def _core(platform: np.ndarray, value: np.ndarray, cost: np.ndarray, money: float) -> np.ndarray:
    """Positions of the best value-per-dollar rows of each platform until `money` is covered
    (at least CORE_MIN, at most CORE_MAX per platform), in order."""
    out = []
    for p in np.unique(platform):
        idx = np.flatnonzero(platform == p)
        idx = idx[np.lexsort((idx, -value[idx]))]
        covered = np.searchsorted(np.cumsum(cost[idx]), money) + 1
        out.append(idx[: int(np.clip(covered, CORE_MIN, CORE_MAX))])
    return np.sort(np.concatenate(out)) if out else np.zeros(0, int)
