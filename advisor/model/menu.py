"""The engine's menu: the options a plan may buy, one row each, and when their units post."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

INFLUENCER, ADVOCATE, FACE, APPEARANCE = 0, 1, 2, 3


@dataclass(frozen=True)
class Timing:
    """When an option's units post, per week (W,): cumulative share of units started and
    cumulative posts per started unit, and the same within the trailing purchase cycle."""

    presence: np.ndarray
    posts: np.ndarray
    window_presence: np.ndarray
    window_posts: np.ndarray


@dataclass(frozen=True)
class Menu:
    """The options a plan may buy, one row each, as arrays (see the module docstring).

    `unit_cost` is US dollars per unit over the campaign at planning figures; `spend_profile`
    (n, W) is the share of that cost paid each week. `timing[i]` indexes `timings`.
    `groups`: constraints shared by several options, as (group id per option or -1, cap per
    group) pairs: a listed creator is bought once whatever the relationship; a brand has a
    few long-term creators per platform. `fixed_usd` is paid once when any advocate is bought
    (the programme), `fixed_profile` (W,) when."""

    relationship: np.ndarray
    platform: np.ndarray
    tier: np.ndarray
    pool: np.ndarray
    engagements_per_post: np.ndarray
    unit_cost: np.ndarray
    max_units: np.ndarray
    priced: np.ndarray
    timing: np.ndarray
    row: np.ndarray
    spend_profile: np.ndarray
    timings: tuple[Timing, ...]
    groups: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    fixed_usd: float = 0.0
    fixed_profile: np.ndarray = field(default_factory=lambda: np.zeros(0))
    offline_pool: float = 0.0  # in-target people an advocate talks to (their circle)
    offline_rate: float = 0.0  # share of that circle told about the brand per active month
    reshare: float = 0.0  # extra reach of an advocate's post from reshares, as a share
    offline_posts_per_week: float = 0.5  # the planning posting rate the ramp was built with

    @functools.cached_property
    def group_members(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
        """Per group constraint: (its member options, their group ids, the caps)."""
        out = []
        for gid, caps in self.groups:
            member = np.flatnonzero(gid >= 0)
            out.append((member, gid[member], caps))
        return tuple(out)

    def keys(self) -> list[tuple[int, ...]]:
        """What identifies each option across the menus of two briefs."""
        cols = (self.relationship, self.platform, self.tier, self.timing, self.row)
        return [tuple(int(x) for x in k) for k in zip(*cols, strict=True)]

    def units_from(self, other: Menu, units: np.ndarray) -> np.ndarray | None:
        """Units of `other`'s options (one per option there) bought on this menu, option by
        option as `keys` matches them; None when an option bought there is not on this one."""
        where = {k: i for i, k in enumerate(self.keys())}
        out = np.zeros(self.size)
        for k, u in zip(other.keys(), units, strict=True):
            if u > 0:
                if k not in where:
                    return None
                out[where[k]] = u
        return out

    def same_as(self, other: Menu, fields: Iterable[str] = ()) -> bool:
        """The same options, caps, costs and posting laws (a brief's edit that leaves the menu
        as it was changes nothing the engine can see); `fields`: those only."""
        fields = list(fields) or list(Menu.__dataclass_fields__)

        def same(a: object, b: object) -> bool:
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                return np.array_equal(np.asarray(a), np.asarray(b))
            if isinstance(a, tuple) and isinstance(b, tuple):
                return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
            if isinstance(a, Timing) and isinstance(b, Timing):
                return all(same(getattr(a, f), getattr(b, f)) for f in Timing.__dataclass_fields__)
            return a == b

        return all(same(getattr(self, f), getattr(other, f)) for f in fields)

    def same_exposure(self, other: Menu) -> bool:
        """The same options reaching the same people with the same posting laws, whatever
        their caps and costs (e.g. a brief with more advocates): every per-unit figure of the
        engine's matrices is the same for both menus."""
        priced = {"unit_cost", "max_units", "spend_profile", "groups", "fixed_usd", "fixed_profile"}
        return self.same_as(other, [f for f in Menu.__dataclass_fields__ if f not in priced])

    @property
    def size(self) -> int:
        return int(self.unit_cost.shape[0])

    @property
    def weeks(self) -> int:
        return int(self.timings[0].presence.shape[0]) if self.timings else 0

    def subset(self, cols: np.ndarray) -> Menu:
        """The menu's options `cols` only (for projecting an allocation that uses only them)."""
        groups = tuple((gid[cols], caps) for gid, caps in self.groups)
        arrays = (
            "relationship", "platform", "tier", "pool", "engagements_per_post", "unit_cost",
            "max_units", "priced", "timing", "row", "spend_profile",
        )  # fmt: skip
        return replace(self, groups=groups, **{a: getattr(self, a)[cols] for a in arrays})

    def without(self, keep: np.ndarray) -> Menu:
        """The menu with `max_units` set to 0 where `keep` is False."""
        return replace(self, max_units=np.where(keep, self.max_units, 0.0))

    def spread(self) -> np.ndarray:
        """Options whose units start in turn over the weeks (presence rises: awareness
        creators), as opposed to units all present from week 1."""
        rising = np.array([bool((t.presence < 1 - 1e-12).any()) for t in self.timings])
        return rising[self.timing] if self.size else np.zeros(0, bool)

    def starts(self, units: np.ndarray) -> np.ndarray:
        """Whole units starting each week (n, W) for the spread options (zeros elsewhere).

        Creators start in turn: the spread options' whole units, interleaved so each week gets
        a mix of options, start one after the other, as many by week w as the option's rising
        presence says (rounded up: the first starts in week 1)."""
        out = np.zeros((self.size, self.weeks))
        whole = np.floor(np.asarray(units, dtype=float) + 1e-9)
        for k in np.unique(self.timing[self.spread()]) if self.size else ():
            mine = np.flatnonzero((self.timing == k) & (whole > 0))
            if not len(mine):
                continue
            count = whole[mine].astype(int)
            option = np.repeat(mine, count)  # each whole unit: its option, its rank j in it
            j = np.arange(len(option)) - np.repeat(np.cumsum(count) - count, count)
            order = np.lexsort((option, (j + 0.5) / whole[option]))  # by (j + 1/2) / units
            total = len(option)
            started = np.ceil(total * self.timings[k].presence - 1e-9).astype(int)
            started[-1] = total
            week = np.searchsorted(started, np.arange(total), side="right")
            np.add.at(out, (option[order], np.minimum(week, self.weeks - 1)), 1.0)
        return out

    def weekly_spend(self, units: np.ndarray) -> np.ndarray:
        """US dollars each option's units cost each week (n, W): as their posts happen
        (`spend_profile`); a spread option's whole units are paid in the week they start (all
        their posts come then), a fraction of a unit at the option's pace."""
        units = np.asarray(units, dtype=float)
        spread = self.spread()
        paced = np.where(spread, units - np.floor(units + 1e-9), units)
        out = (paced * self.unit_cost)[:, None] * self.spend_profile
        return out + self.starts(units) * self.unit_cost[:, None]
