"""What allocations deliver on all of a search's draws, week by week: one computation for the
headline, the weekly chart, the lines' table, the report and the exports (`Search.deliver_all`
calls it; see `advisor.model.outcome` for the projection itself)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from advisor.model.engine import Allocation
from advisor.model.outcome import Delivery, deliver, weekly_log_missed
from advisor.model.projection import multipliers

if TYPE_CHECKING:
    from advisor.advice.search import Search


def deliver_all(search: Search, allocations: list[Allocation]) -> list[Delivery]:
    """What each allocation delivers, lines indexed by option: each option's weekly reach is
    computed once for the allocations that share a duplication universe (an allocation's is
    its own platforms': see `Search.full`)."""
    menu = search.options.menu
    m = multipliers(search.fig, search.draws)
    bought = [np.flatnonzero(a.units > 0) for a in allocations]
    groups: dict[bytes, list[int]] = {}
    for i, cols in enumerate(bought):
        groups.setdefault(search.full(cols).audience.tobytes(), []).append(i)
    weekly: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
    for members in groups.values():
        union = np.unique(np.concatenate([bought[i] for i in members]))
        if not len(union):  # nothing bought: nothing to project week by week
            weekly.update({i: (union, None) for i in members})
            continue
        n = search.full(bought[members[0]]).audience
        lw = weekly_log_missed(menu, union, search.fig, m, n, float(search.brief.audience))
        weekly.update({i: (union, lw) for i in members})
    return [_delivered(search, a, *weekly[i]) for i, a in enumerate(allocations)]


def _delivered(
    search: Search, allocation: Allocation, union: np.ndarray, weekly: np.ndarray | None
) -> Delivery:
    menu = search.options.menu
    cols = np.flatnonzero(allocation.units > 0)
    out = deliver(
        menu.subset(cols),
        search.full(cols),
        allocation.units[cols],
        allocation.programme,
        search.fig,
        search.draws,
        None if weekly is None else (weekly, np.searchsorted(union, cols)),
    )
    line_reach = np.zeros((search.draws.samples, menu.size))
    line_reach[:, cols] = out.line_reach
    line_impressions = np.zeros_like(line_reach)
    line_impressions[:, cols] = out.line_impressions
    return replace(out, line_reach=line_reach, line_impressions=line_impressions)
