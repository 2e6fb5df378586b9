"""A plan under edited figures is never below the plan of the default figures, bought under the
edited ones (`Search.best` weighs it with its other candidates).

The engine decides with a greedy and a local search: a different start can settle in a
different optimum, and an edit of the assumptions moves the start. A favourable edit (a
higher trust in paid posts, cheaper posts) then lowered the plan although the plan found with
the default figures was still there to buy, and better under the edit (issue 14's audit,
seed 202: with the paid-post trust at 0.9 the greedy filled the cap of long-term creators with
the cheapest tier, which no 10% move can trade for another inside the full cap: -72% and
-53%; with cheaper micro posts, the 32 draws the engine decides on preferred a plan that the
200 draws of the plan rate lower, or a plan with the programme lost its start: -6.3% and
-1.5%). The default figures' plan, projected on the edited search's own draws, is one more
candidate (and a start of its last local search): with an edit that makes every plan at
least as good, the plan can only rise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from advisor.model.assumptions import Assumptions
from advisor.model.engine import Allocation

if TYPE_CHECKING:
    from advisor.advice.search import Search


def default_plan(search: Search) -> list[Allocation]:
    """The recommended allocation of the default figures for the same brief, list and draws,
    projected under `search`'s figures: [] when the figures are the defaults, or when that
    allocation is not on this menu, above a cap or above the budget here."""
    if not search.assumptions.overrides or search.source.use_all:
        return []
    base = type(search).of(
        search.brief, None, Assumptions(), source=search.source, scenarios=search.draws
    )
    found = base.best()
    menu = search.options.menu
    units = menu.units_from(base.options.menu, found.units)
    if units is None or not _within_caps(menu, units):
        return []
    a = search.evaluate(units, found.programme)
    return [a] if a.spend_usd <= search.budget_usd * (1 + 1e-9) else []


def _within_caps(menu, units: np.ndarray) -> bool:
    """Every option within its own cap and its groups' (a listed creator bought once, a few
    long-term creators per platform, the brand's advocates)."""
    if (units > menu.max_units + 1e-9).any():
        return False
    for member, gid, caps in menu.group_members:
        if (np.bincount(gid, weights=units[member], minlength=len(caps)) > caps + 1e-9).any():
            return False
    return True
