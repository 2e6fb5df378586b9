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

from advisor.advice.defaults import default_plan
from advisor.advice.delivery import deliver_all
from advisor.advice.moves import walk
from advisor.advice.options import Options, build_options
from advisor.advice.source import Creators, Source
from advisor.model.assumptions import Assumptions, ModelFigures
from advisor.model.benchmarks import load_benchmarks
from advisor.model.brief import CampaignBrief, Platform
from advisor.model.coefficients import Coefficients, coefficients, median_draws
from advisor.model.engine import GREEDY_DRAWS, Allocation, allocate_runs, best_run, refine
from advisor.model.exposure import posting_platforms
from advisor.model.menu import APPEARANCE, INFLUENCER, Menu
from advisor.model.outcome import Delivery
from advisor.model.projection import SAMPLES, Draws, draws, saturation_audience

Family = Literal["influencer", "long_term"]
NEAR_RUN = 0.9  # runs this close to the best on the decision draws are judged on all of them
COARSE_DRAWS = 64  # the second start of the last local search walks on these first
WHOLE_MENU = 128  # up to this many options, every option is projected on all draws at once


@dataclass
class Search:
    """Everything one brief needs, computed once (see the module docstring)."""

    brief: CampaignBrief
    assumptions: Assumptions
    fig: ModelFigures
    source: Source
    options: Options
    draws: Draws
    fx: float
    _decision: Coefficients | None = field(default=None, repr=False)
    _cache: dict[str, Allocation] = field(default_factory=dict, repr=False)
    _runs: list[Allocation] | None = field(default=None, repr=False)
    _full: dict[tuple[int, ...], Coefficients] = field(default_factory=dict, repr=False)
    _families: dict[str, tuple[Menu, list[Allocation]]] = field(default_factory=dict, repr=False)
    _unions: list[tuple[bytes, np.ndarray, Coefficients]] = field(default_factory=list, repr=False)
    _lower: list[Search] | None = field(default=None, repr=False)  # built when needed
    _universes: dict[float, Coefficients] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        brief: CampaignBrief,
        creators: Creators = None,
        assumptions: Assumptions | None = None,
        samples: int = SAMPLES,
        keep_flagged: bool = False,
        source: Source | None = None,
        scenarios: Draws | None = None,
    ) -> Search:
        """`scenarios`: the draws to use (default: the first `samples` of the plan's seed)."""
        assumptions = assumptions or Assumptions()
        fig = assumptions.model()
        source = source or Source.of(creators, fig, keep_flagged)
        fx = load_benchmarks().per_usd(brief.currency)
        options = build_options(
            brief, fig, fx, source.table, source.keep_flagged, use_all=source.use_all
        )
        d = scenarios if scenarios is not None else draws(samples)
        return cls(brief, assumptions, fig, source, options, d, fx)

    @property
    def decision(self) -> Coefficients:
        """Every option on the engine's few draws: what it decides on (built when needed)."""
        if self._decision is None:
            n = min(GREEDY_DRAWS, self.draws.samples)
            if self.options.menu.size <= WHOLE_MENU:  # built on all draws anyway: its first
                self._decision = self.coefficients.take(slice(0, n)).contiguous()  # rows
            else:
                b, few = self.brief, self.draws.head(n)
                co = coefficients(self.options.menu, b.goal, b.audience, self.fig, few)
                self._decision = co
        return self._decision

    def variant(self, brief: CampaignBrief, samples: int | None = None) -> Search:
        """The same list and assumptions for another brief, on the same scenarios (its first
        `samples`): a difference between the two is the brief's, not the draws'."""
        n = min(samples or self.draws.samples, self.draws.samples)
        out = Search.of(
            brief, None, self.assumptions, n, source=self.source, scenarios=self.draws.head(n)
        )
        if n == self.draws.samples and out._same_matrices(self):  # e.g. more advocates only:
            out._decision = self._decision  # the same builds serve both (filled by either)
            out._full, out._unions = self._full, self._unions
        return out

    def _same_matrices(self, other: Search) -> bool:
        """Every matrix the engine builds is the same for both searches (same draws aside):
        the same goal, target, platforms and figures, and options that reach the same people
        with the same posting laws (only caps and costs differ)."""
        b, o = self.brief, other.brief
        return (
            (b.goal, b.audience, b.platforms) == (o.goal, o.audience, o.platforms)
            and self.assumptions == other.assumptions
            and self.source is other.source
            and self.options.menu.same_exposure(other.options.menu)
        )

    @property
    def budget_usd(self) -> float:
        return self.brief.budget_usd

    def runs(self) -> list[Allocation]:
        """The engine's best allocations over every option, without the advocate programme and
        with it (those that can be), scored on the decision draws."""
        if self._runs is None:
            self._runs = allocate_runs(self.options.menu, self.decision, self.budget_usd)
        return self._runs

    def best(self) -> Allocation:
        """The recommended allocation: the best median objective found over every option,
        never below the best with one family of relationships only."""
        if "best" not in self._cache and self.source.use_all:
            self._cache["best"] = self._as_listed()
        if "best" not in self._cache:
            menu = self.options.menu
            near = self._near(self.runs())
            for family in ("influencer", "long_term"):
                near += self._near(self._family_runs(family)[1])
            self._prefetch(near)
            judged = self._judged_runs(menu, self.runs())
            found = best_run(menu, self.decision, judged)
            others = [self.restricted(family) for family in ("influencer", "long_term")]
            others += self._per_platform(found, judged) + default_plan(self)  # (edited figures)
            found = best_run(menu, self.decision, [found, *others])
            if menu.size <= WHOLE_MENU:  # a last local search on all the draws it is judged on
                found = self._settled(menu, found, judged + others)
            if self.lower is not None:  # on its own universe, and never below the plans
                found = self._judged(found)  # of the platforms that saturate earlier
                found = self._not_below(found, self._from_lower(self.lower.best()))
                found = self._not_below(found, walk(self, found))  # each move on its own
            self._cache["best"] = found
        return self._cache["best"]

    def _per_platform(self, found: Allocation, judged: list[Allocation]) -> list[Allocation]:
        """With several platforms ticked, the best plan on each platform alone too, and with
        three or more, on the platforms `found` buys and those the best `judged` plan of the
        other programme setting buys (without the one each spends least on when it buys them
        all: which setting `found` has can turn on a few advocates more). The engine decides
        on a few draws, the plan is judged on all of them, and a plan that one more platform
        cannot improve must not come out worse for having it (a platform the plan buys little
        or nothing of can divert the greedy and the local search from the plan without it,
        which 10% moves cannot reach back, e.g. a face creator swapped for a dearer one inside
        a platform's cap). Benchmark archetypes; a list's platforms are weighed creator by
        creator."""
        menu = self.options.menu
        platforms = np.unique(posting_platforms(menu))
        if self.source.table is not None or len(platforms) < 2:
            return []
        subsets = [(menu.platform == p, True) for p in platforms]
        other = [a for a in judged if a.programme is not found.programme]
        seen: set[bytes] = set()
        for plan in [found] + ([max(other, key=lambda a: a.objective_p50)] if other else []):
            spent = np.bincount(menu.platform, plan.units * menu.unit_cost, minlength=len(Platform))
            bought = platforms[spent[platforms] > 0]
            if len(bought) == len(platforms):
                bought = bought[bought != bought[np.argmin(spent[bought])]]
            if len(platforms) > 2 and len(bought) > 1 and bought.tobytes() not in seen:
                seen.add(bought.tobytes())  # with two, the other alone; a plan on these that
                # beats the plan is finished by the local search on every draw
                subsets.append((np.isin(menu.platform, bought), False))
        out, bar = [], found.objective_p50  # `bar`: the all-options plan's median on all draws
        for on, finish in subsets:
            keep = on | (menu.relationship == APPEARANCE)
            alone = menu.without(keep)
            runs = allocate_runs(alone, self.decision, self.budget_usd, polish=False, steps=8)
            if not finish:  # the engine's own runs too: either can be the better on all draws
                runs += allocate_runs(alone, self.decision, self.budget_usd)
            quick = self._best_judged(alone, runs)
            if finish and quick.objective_p50 >= 0.9 * bar:  # near: finish with the local search
                runs = [refine(alone, self.decision, r, self.budget_usd) for r in runs]
                quick = self._not_below(quick, self._best_judged(alone, runs))  # on all draws
            out.append(quick)
        return out

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
            found = self._best_judged(*self._family_runs(family))
            if self.lower is not None:
                found = self._not_below(found, self._from_lower(self.lower.restricted(family)))
            self._cache[family] = found
        return self._cache[family]

    def _family_runs(self, family: Family) -> tuple[Menu, list[Allocation]]:
        """The menu of one family of relationships and the engine's runs on it, on the decision
        draws (an engine run over every option that uses only these is taken as it is: see
        `allocate_runs`)."""
        if family not in self._families:
            short = self.options.menu.relationship == INFLUENCER
            menu = self.options.menu.without(short if family == "influencer" else ~short)
            runs = allocate_runs(menu, self.decision, self.budget_usd, known=self.runs())
            self._families[family] = (menu, runs)
        return self._families[family]

    @property
    def lower(self) -> Search | None:
        """The search for the brief with only the ticked platforms that saturate below this
        menu's universe (None when none does; benchmark archetypes only).

        A plan's creators overlap within the target up to the saturation of the platforms it
        buys (`duplication_universe`: above about 3.3M people, platforms with a lower in-target
        share saturate later). That universe takes one value per saturation level of the ticked
        platforms, nested (the platforms saturating at or below a level), so each level is
        searched on its own universe: this menu's here, the earlier ones in `lower`, in turn.
        A platform ticked but not bought never changes a plan's figures, and a larger target
        never lowers the plan (every level's universe grows with it up to its saturation)."""
        if self._lower is None:
            self._lower = []
            if self.source.table is None and not self.source.use_all:
                top = self._level()
                index = {p: np.array([list(Platform).index(p)]) for p in self.brief.platforms}
                keep = tuple(p for p, i in index.items() if self._level_of(i) < top)
                if keep:
                    self._lower = [self.variant(self.brief.model_copy(update={"platforms": keep}))]
        return self._lower[0] if self._lower else None

    def _level_of(self, platforms: np.ndarray) -> float:
        """The target size the creators of `platforms` overlap within, at most the brief's."""
        return min(float(self.brief.audience), saturation_audience(self.fig, platforms))

    def _level(self, cols: np.ndarray | None = None) -> float:
        """The target size options `cols` (every option: None) overlap within, at most the
        brief's; options on no platform (in-person appearances) within the menu's."""
        platforms = posting_platforms(self.options.menu, cols)
        if cols is not None and not len(platforms):
            return self._level()
        return self._level_of(platforms)

    def _from_lower(self, a: Allocation) -> Allocation:
        """An allocation of `lower`'s menu bought on this one, projected on this search."""
        assert self.lower is not None
        units = self.options.menu.units_from(self.lower.options.menu, a.units)
        assert units is not None  # the lower menu's options are all on this one
        return self.evaluate(units, a.programme)

    @staticmethod
    def _not_below(found: Allocation, other: Allocation) -> Allocation:
        return other if other.objective_p50 > found.objective_p50 * (1 + 1e-9) else found

    def _best_judged(self, menu: Menu, runs: list[Allocation]) -> Allocation:
        """The run (with or without the programme) with the best median objective on all the
        plan's draws: the engine decides on a few draws, and two runs close on those can come
        apart on all of them."""
        return best_run(menu, self.decision, self._judged_runs(menu, runs))

    def _judged_runs(self, menu: Menu, runs: list[Allocation]) -> list[Allocation]:
        """The runs within `NEAR_RUN` of the best on the decision draws, judged on all."""
        near = self._near(runs)
        return [self._judged(r) for r in near] or [self._judged(best_run(menu, self.decision, []))]

    @staticmethod
    def _near(runs: list[Allocation]) -> list[Allocation]:
        """The runs within `NEAR_RUN` of the best on the decision draws (those judged)."""
        top = max((r.objective_p50 for r in runs), default=0.0)
        return [r for r in runs if r.objective_p50 >= NEAR_RUN * top]

    def _prefetch(self, allocations: list[Allocation]) -> None:
        """On a long list, the options of several allocations to be judged, on all draws, in
        one build per set of platforms (their duplication universe): an option's figures do not
        depend on what else is built with it, only on that universe (see `full`)."""
        menu = self.options.menu
        if menu.size <= WHOLE_MENU:
            return  # every option is built on all draws at once already
        groups: dict[bytes, list[np.ndarray]] = {}
        for a in allocations:
            cols = np.flatnonzero(a.units > 0)
            if len(cols) and tuple(cols.tolist()) not in self._full:
                groups.setdefault(self._universe_key(cols), []).append(cols)
        b = self.brief
        for key, members in groups.items():
            if len(members) > 1:
                union = np.unique(np.concatenate(members))
                co = coefficients(menu.subset(union), b.goal, b.audience, self.fig, self.draws)
                self._unions.append((key, union, co))

    def _universe_key(self, cols: np.ndarray) -> bytes:
        """What a build's duplication universe depends on: the platforms its options post on."""
        return np.unique(posting_platforms(self.options.menu, cols)).tobytes()

    def _settled(self, menu: Menu, found: Allocation, candidates: list[Allocation]) -> Allocation:
        """The plan finished by a local search on every draw, started from the best plan found
        and from the best plan of the other programme setting (a local search settles in the
        optimum nearest its start: with the programme's fixed cost paid or not, the two can
        lie apart, and which one a run reaches can turn on a few advocates more)."""
        starts = [found]
        other = [c for c in candidates if c.programme is not found.programme]
        if other:
            starts.append(max(other, key=lambda a: a.objective_p50))
        settled = []
        for k, a in enumerate(starts):
            if k:  # it walks further: most of the way on the first `COARSE_DRAWS` draws
                coarse = self.coefficients.take(slice(0, COARSE_DRAWS)).contiguous()
                a = refine(menu, coarse, a, self.budget_usd, every_draw=True)
            settled.append(refine(menu, self.coefficients, a, self.budget_usd, every_draw=True))
        return best_run(menu, self.decision, settled)

    def _judged(self, a: Allocation) -> Allocation:
        """The engine's allocation with its median objective over all the plan's draws."""
        return self.evaluate(a.units, a.programme)

    def full(self, cols: np.ndarray) -> Coefficients:
        """Options `cols` on all the plan's draws (built once per set of columns), within the
        universe of the platforms they post on (benchmark archetypes; a list's options are
        columns of the whole list up to `WHOLE_MENU` of them; on a longer list, taken from a
        build `_prefetch` made for several allocations when it holds them)."""
        key = tuple(int(c) for c in cols)
        if key not in self._full:
            b, menu = self.brief, self.options.menu
            cols = np.asarray(cols, dtype=int)
            if menu.size <= WHOLE_MENU:
                own = self.source.table is not None or self._level(cols) == self._level()
                whole = key != tuple(range(menu.size)) and own
                union = (np.arange(menu.size), self.coefficients) if whole else None
            else:
                union = self._union_of(cols)
            if union is not None:
                self._full[key] = union[1].columns(np.searchsorted(union[0], cols))
            else:
                sub = menu.subset(cols)
                self._full[key] = coefficients(sub, b.goal, b.audience, self.fig, self.draws)
        return self._full[key]

    def _union_of(self, cols: np.ndarray) -> tuple[np.ndarray, Coefficients] | None:
        """A prefetched build holding options `cols` in the same universe (None: none)."""
        key = self._universe_key(cols) if self._unions else b""
        for other, union, co in self._unions:
            if other == key and np.isin(cols, union).all():
                return union, co
        return None

    def universe(self, platforms: np.ndarray) -> Coefficients:
        """Every option on all the plan's draws within the duplication universe of the
        creators of `platforms` (the menu's own when it is the same, when there are none, or
        on a list of up to `WHOLE_MENU` creators, whose plans are judged on the menu's), as
        `evaluate` judges an allocation that buys those platforms."""
        level = self._level_of(platforms)
        short_list = self.source.table is not None and self.options.menu.size <= WHOLE_MENU
        if short_list or not len(platforms) or level == self._level():
            return self.coefficients
        if level not in self._universes:
            b, menu = self.brief, self.options.menu
            built = coefficients(menu, b.goal, b.audience, self.fig, self.draws, platforms)
            self._universes[level] = built
        return self._universes[level]

    @property
    def coefficients(self) -> Coefficients:
        """Every option on all the plan's draws (to check any allocation, e.g. a move)."""
        return self.full(np.arange(self.options.menu.size))

    def deliver(self, allocation: Allocation) -> Delivery:
        """What an allocation delivers on all the plan's draws, lines indexed by option."""
        return self.deliver_all([allocation])[0]

    def deliver_all(self, allocations: list[Allocation]) -> list[Delivery]:
        """`deliver` for several allocations, each option's weekly reach computed once for
        the allocations that share a duplication universe (`advisor.advice.delivery`)."""
        return deliver_all(self, allocations)

    def evaluate(self, units: np.ndarray, programme: bool | None = None) -> Allocation:
        """Any allocation (units per option), projected on this search's draws."""
        menu = self.options.menu
        units = np.asarray(units, dtype=float)
        if programme is None:
            programme = bool((units[menu.relationship != INFLUENCER] > 0).any()) and bool(
                (units[(menu.relationship == 1)] > 0).any()
            )
        cols = np.flatnonzero(units > 0)
        co = self.full(cols)
        value = float(median_draws(co.value(co.state(units[cols])))[0])
        spend = float(units @ menu.unit_cost) + (menu.fixed_usd if programme else 0.0)
        return Allocation(units, programme, spend, value)
