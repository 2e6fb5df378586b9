"""The engine's menu: the options a plan may buy, one row each, and when their units post."""

from __future__ import annotations

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

    @property
    def size(self) -> int:
        return int(self.unit_cost.shape[0])

    @property
    def weeks(self) -> int:
        return int(self.timings[0].presence.shape[0]) if self.timings else 0

    def without(self, keep: np.ndarray) -> Menu:
        """The menu with `max_units` set to 0 where `keep` is False."""
        return replace(self, max_units=np.where(keep, self.max_units, 0.0))
