"""The public engine for one brief: build the menu and matrices once, buy, and project.

`Search.of(brief, creators, assumptions)` prepares everything a brief needs; `best()` is the
allocation the plan recommends, `restricted(kind)` the best with one family of relationships
only, and `project(units)` projects *any* allocation on the plan's own draws: the public
certificate (`advisor.project_allocation`) is built on it. `recommend`, `what_if_grid`, the
factors and the store all call this module; none of them reaches into another's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from advisor.advice.options import Options, build_options
from advisor.creators.ingest import CreatorLoad
from advisor.creators.shortlist import Shortlist
from advisor.creators.table import CreatorTable, creator_table
from advisor.model.assumptions import Assumptions, ModelFigures
from advisor.model.benchmarks import load_benchmarks
from advisor.model.brief import CampaignBrief
from advisor.model.coefficients import Coefficients, coefficients
from advisor.model.engine import Allocation, allocate
from advisor.model.menu import INFLUENCER
from advisor.model.outcome import Delivery, deliver
from advisor.model.projection import SAMPLES, Draws, draws

Creators = CreatorLoad | CreatorTable | Shortlist | pd.DataFrame | None
Family = Literal["influencer", "long_term"]


@dataclass(frozen=True)
class Source:
    """A creator list as given: its table (None: benchmark archetypes), its label, and whether
    flagged creators may be paid (a `Shortlist` is used as the analyst chose it)."""

    table: CreatorTable | None
    label: str
    keep_flagged: bool = False
    use_all: bool = False  # a Shortlist: every row is bought as it is

    @classmethod
    def of(cls, creators: Creators, fig: ModelFigures, keep_flagged: bool = False) -> Source:
        if creators is None:
            return cls(None, "benchmarks", keep_flagged)
        if isinstance(creators, Shortlist):
            table = creators.creators
            return cls(table, f"shortlist:{len(table)}:{table.label}", True, True)
        if not isinstance(creators, CreatorLoad | CreatorTable | pd.DataFrame):
            raise TypeError(
                "creators must be a CreatorLoad, a CreatorTable, a Shortlist or a DataFrame in "
                f"the canonical layout, not {type(creators).__name__}"
            )
        table = creator_table(creators, fig)
        return cls(table, table.label, keep_flagged)


@dataclass
class Search:
    """Everything one brief needs, computed once (see the module docstring)."""

    brief: CampaignBrief
    assumptions: Assumptions
    fig: ModelFigures
    source: Source
    options: Options
    draws: Draws
    coefficients: Coefficients
    fx: float
    _cache: dict[str, Allocation] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        brief: CampaignBrief,
        creators: Creators = None,
        assumptions: Assumptions | None = None,
        samples: int = SAMPLES,
        keep_flagged: bool = False,
        source: Source | None = None,
    ) -> Search:
        assumptions = assumptions or Assumptions()
        fig = assumptions.model()
        source = source or Source.of(creators, fig, keep_flagged)
        fx = load_benchmarks().per_usd(brief.currency)
        options = build_options(
            brief, fig, fx, source.table, source.keep_flagged, use_all=source.use_all
        )
        d = draws(samples)
        co = coefficients(options.menu, brief.goal, brief.audience, fig, d)
        return cls(brief, assumptions, fig, source, options, d, co, fx)

    def variant(self, brief: CampaignBrief, samples: int | None = None) -> Search:
        """The same list and assumptions for another brief."""
        return Search.of(
            brief, None, self.assumptions, samples or self.draws.samples, source=self.source
        )

    @property
    def budget_usd(self) -> float:
        return self.brief.budget_usd

    def best(self) -> Allocation:
        """The recommended allocation: the best median objective found over every option,
        never below the best with one family of relationships only."""
        if "best" not in self._cache and self.source.use_all:
            self._cache["best"] = self._as_listed()
        if "best" not in self._cache:
            found = allocate(self.options.menu, self.coefficients, self.budget_usd)
            for family in ("influencer", "long_term"):
                other = self.restricted(family)
                if other.objective_p50 > found.objective_p50 * (1 + 1e-9):
                    found = other
            self._cache["best"] = found
        return self._cache["best"]

    def _as_listed(self) -> Allocation:
        """A shortlist's rows, each bought once as listed (hired: short-burst; advocates)."""
        menu = self.options.menu
        take = (menu.row >= 0) & ((menu.relationship == INFLUENCER) | (menu.relationship == 1))
        units = np.where(take, 1.0, 0.0)
        return self.evaluate(units, programme=bool((units[menu.relationship == 1] > 0).any()))

    def restricted(self, family: Family) -> Allocation:
        """The best allocation with short-burst influencers only, or long-term relationships
        only (long-term paid creators and the advocate programme)."""
        if family not in self._cache:
            short = self.options.menu.relationship == INFLUENCER
            keep = short if family == "influencer" else ~short
            menu = self.options.menu.without(keep)
            self._cache[family] = allocate(menu, self.coefficients, self.budget_usd)
        return self._cache[family]

    def deliver(self, allocation: Allocation) -> Delivery:
        return deliver(
            self.options.menu,
            self.coefficients,
            allocation.units,
            allocation.programme,
            self.fig,
            self.draws,
        )

    def evaluate(self, units: np.ndarray, programme: bool | None = None) -> Allocation:
        """Any allocation (units per option), projected on this search's draws."""
        menu = self.options.menu
        units = np.asarray(units, dtype=float)
        if programme is None:
            programme = bool((units[menu.relationship != INFLUENCER] > 0).any()) and bool(
                (units[(menu.relationship == 1)] > 0).any()
            )
        value = float(np.median(self.coefficients.value(self.coefficients.state(units))))
        spend = float(units @ menu.unit_cost) + (menu.fixed_usd if programme else 0.0)
        return Allocation(units, programme, spend, value)
